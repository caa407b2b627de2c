package dev.atelier.emulator.rules.lang;

/**
 * One token: its kind, source text, start offset and position; {@code value} holds the decoded
 * literal (Long, Double, String, or ByteString) for literal tokens.
 */
public record Token(TokenType type, String text, int offset, int end, Pos pos, Object value) {

  public boolean is(TokenType t) {
    return type == t;
  }

  /** An identifier spelled {@code word} (keywords are identifiers). */
  public boolean isWord(String word) {
    return type == TokenType.IDENT && text.equals(word);
  }

  public String describe() {
    return switch (type) {
      case IDENT -> "'" + text + "'";
      case EOF -> "end of file";
      default -> type.describe();
    };
  }
}
