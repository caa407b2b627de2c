package dev.atelier.emulator.rules.lang;

/** Token kinds of the rules language. Keywords are identifiers the parser recognises by text. */
public enum TokenType {
  IDENT,
  INT,
  FLOAT,
  STRING,
  BYTES,
  LBRACE("{"),
  RBRACE("}"),
  LPAREN("("),
  RPAREN(")"),
  LBRACKET("["),
  RBRACKET("]"),
  COMMA(","),
  SEMI(";"),
  COLON(":"),
  DOT("."),
  QUESTION("?"),
  PLUS("+"),
  MINUS("-"),
  STAR("*"),
  SLASH("/"),
  PERCENT("%"),
  BANG("!"),
  ASSIGN("="),
  EQ("=="),
  NE("!="),
  LT("<"),
  LE("<="),
  GT(">"),
  GE(">="),
  AND("&&"),
  OR("||"),
  EOF;

  private final String symbol;

  TokenType() {
    this.symbol = null;
  }

  TokenType(String symbol) {
    this.symbol = symbol;
  }

  /** How the token is spelled in source, or its kind for literals and identifiers. */
  public String describe() {
    return symbol != null ? "'" + symbol + "'" : name().toLowerCase(java.util.Locale.ROOT);
  }
}
