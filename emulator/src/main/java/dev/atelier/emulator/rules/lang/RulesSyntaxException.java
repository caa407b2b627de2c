package dev.atelier.emulator.rules.lang;

/**
 * A rules file that does not parse (or names an unknown function), with the place of the problem.
 */
public final class RulesSyntaxException extends IllegalArgumentException {
  private final String file;
  private final Pos pos;
  private final String problem;

  public RulesSyntaxException(String file, Pos pos, String problem) {
    super(file + ":" + pos.line() + ":" + pos.column() + ": " + problem);
    this.file = file;
    this.pos = pos;
    this.problem = problem;
  }

  public String file() {
    return file;
  }

  public Pos pos() {
    return pos;
  }

  /** The message without the place. */
  public String problem() {
    return problem;
  }
}
