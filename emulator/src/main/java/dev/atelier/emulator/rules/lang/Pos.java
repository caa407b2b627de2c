package dev.atelier.emulator.rules.lang;

/** A place in a rules file: 1-based line and column. */
public record Pos(int line, int column) {

  /** "L12:5", the form denial messages use. */
  @Override
  public String toString() {
    return "L" + line + ":" + column;
  }
}
