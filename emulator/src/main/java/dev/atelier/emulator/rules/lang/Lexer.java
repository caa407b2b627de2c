package dev.atelier.emulator.rules.lang;

import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns rules source into tokens on demand. Paths are not tokens: the parser asks for a match
 * pattern after {@code match} ({@link #scanPattern}) and for a path literal where an operand starts
 * with {@code /} ({@link #scanPathLiteral}), since {@code /} is also division.
 */
public final class Lexer {
  private final String source;
  private final String file;
  private final int end;
  private final int[] lineStarts;
  private int offset;

  /** A raw segment of a match pattern and where it starts. */
  public record RawSegment(String text, int offset) {}

  /** A piece of a path literal segment: literal text, or the source range of a {@code $(...)}. */
  public sealed interface RawPart {
    record Text(String text) implements RawPart {}

    record Interpolation(int start, int end) implements RawPart {}
  }

  public Lexer(String source, String file) {
    this(source, file, 0, source.length(), lineStarts(source));
  }

  private Lexer(String source, String file, int start, int end, int[] lineStarts) {
    this.source = source;
    this.file = file;
    this.offset = start;
    this.end = end;
    this.lineStarts = lineStarts;
  }

  /** A lexer over {@code [start, end)} of the same source, with the same positions. */
  public Lexer sub(int start, int subEnd) {
    return new Lexer(source, file, start, subEnd, lineStarts);
  }

  public String file() {
    return file;
  }

  public int offset() {
    return offset;
  }

  public void seek(int newOffset) {
    this.offset = newOffset;
  }

  public Pos posAt(int at) {
    int index = Arrays.binarySearch(lineStarts, at);
    int line = index >= 0 ? index : -index - 2;
    return new Pos(line + 1, at - lineStarts[line] + 1);
  }

  public RulesSyntaxException error(int at, String problem) {
    return new RulesSyntaxException(file, posAt(at), problem);
  }

  private static int[] lineStarts(String source) {
    List<Integer> starts = new ArrayList<>();
    starts.add(0);
    for (int i = 0; i < source.length(); i++) {
      if (source.charAt(i) == '\n') {
        starts.add(i + 1);
      }
    }
    return starts.stream().mapToInt(Integer::intValue).toArray();
  }

  public Token next() {
    skipSpaceAndComments();
    int start = offset;
    if (offset >= end) {
      return token(TokenType.EOF, start, null);
    }
    char c = source.charAt(offset);
    if ((c == 'b' || c == 'r') && offset + 1 < end && isQuote(source.charAt(offset + 1))) {
      offset++;
      return c == 'b' ? bytesLiteral(start) : stringLiteral(start, true);
    }
    if (Character.isLetter(c) || c == '_') {
      while (offset < end
          && (Character.isLetterOrDigit(source.charAt(offset)) || source.charAt(offset) == '_')) {
        offset++;
      }
      return token(TokenType.IDENT, start, null);
    }
    if (Character.isDigit(c)) {
      return number(start);
    }
    if (isQuote(c)) {
      return stringLiteral(start, false);
    }
    offset++;
    char n = offset < end ? source.charAt(offset) : '\0';
    switch (c) {
      case '{':
        return token(TokenType.LBRACE, start, null);
      case '}':
        return token(TokenType.RBRACE, start, null);
      case '(':
        return token(TokenType.LPAREN, start, null);
      case ')':
        return token(TokenType.RPAREN, start, null);
      case '[':
        return token(TokenType.LBRACKET, start, null);
      case ']':
        return token(TokenType.RBRACKET, start, null);
      case ',':
        return token(TokenType.COMMA, start, null);
      case ';':
        return token(TokenType.SEMI, start, null);
      case ':':
        return token(TokenType.COLON, start, null);
      case '.':
        return token(TokenType.DOT, start, null);
      case '?':
        return token(TokenType.QUESTION, start, null);
      case '+':
        return token(TokenType.PLUS, start, null);
      case '-':
        return token(TokenType.MINUS, start, null);
      case '*':
        return token(TokenType.STAR, start, null);
      case '/':
        return token(TokenType.SLASH, start, null);
      case '%':
        return token(TokenType.PERCENT, start, null);
      case '=':
        return n == '=' ? two(TokenType.EQ, start) : token(TokenType.ASSIGN, start, null);
      case '!':
        return n == '=' ? two(TokenType.NE, start) : token(TokenType.BANG, start, null);
      case '<':
        return n == '=' ? two(TokenType.LE, start) : token(TokenType.LT, start, null);
      case '>':
        return n == '=' ? two(TokenType.GE, start) : token(TokenType.GT, start, null);
      case '&':
        if (n == '&') {
          return two(TokenType.AND, start);
        }
        break;
      case '|':
        if (n == '|') {
          return two(TokenType.OR, start);
        }
        break;
      default:
        break;
    }
    throw error(start, "unexpected character '" + c + "'");
  }

  private Token two(TokenType type, int start) {
    offset++;
    return token(type, start, null);
  }

  private Token token(TokenType type, int start, Object value) {
    return new Token(type, source.substring(start, offset), start, offset, posAt(start), value);
  }

  private static boolean isQuote(char c) {
    return c == '\'' || c == '"';
  }

  private void skipSpaceAndComments() {
    while (offset < end) {
      char c = source.charAt(offset);
      if (Character.isWhitespace(c)) {
        offset++;
      } else if (c == '/' && offset + 1 < end && source.charAt(offset + 1) == '/') {
        while (offset < end && source.charAt(offset) != '\n') {
          offset++;
        }
      } else if (c == '/' && offset + 1 < end && source.charAt(offset + 1) == '*') {
        int close = source.indexOf("*/", offset + 2);
        if (close < 0 || close + 2 > end) {
          throw error(offset, "unterminated comment");
        }
        offset = close + 2;
      } else {
        return;
      }
    }
  }

  private Token number(int start) {
    if (source.startsWith("0x", offset) || source.startsWith("0X", offset)) {
      offset += 2;
      int digits = offset;
      while (offset < end && Character.digit(source.charAt(offset), 16) >= 0) {
        offset++;
      }
      try {
        return token(TokenType.INT, start, Long.parseLong(source.substring(digits, offset), 16));
      } catch (NumberFormatException e) {
        throw error(start, "invalid hexadecimal integer");
      }
    }
    while (offset < end && Character.isDigit(source.charAt(offset))) {
      offset++;
    }
    boolean floating = false;
    if (offset + 1 < end
        && source.charAt(offset) == '.'
        && Character.isDigit(source.charAt(offset + 1))) {
      floating = true;
      offset++;
      while (offset < end && Character.isDigit(source.charAt(offset))) {
        offset++;
      }
    }
    if (offset < end && (source.charAt(offset) == 'e' || source.charAt(offset) == 'E')) {
      int mark = offset;
      offset++;
      if (offset < end && (source.charAt(offset) == '+' || source.charAt(offset) == '-')) {
        offset++;
      }
      if (offset < end && Character.isDigit(source.charAt(offset))) {
        floating = true;
        while (offset < end && Character.isDigit(source.charAt(offset))) {
          offset++;
        }
      } else {
        offset = mark;
      }
    }
    String text = source.substring(start, offset);
    try {
      return floating
          ? token(TokenType.FLOAT, start, Double.parseDouble(text))
          : token(TokenType.INT, start, Long.parseLong(text));
    } catch (NumberFormatException e) {
      throw error(start, "number out of range: " + text);
    }
  }

  private Token stringLiteral(int start, boolean raw) {
    char quote = source.charAt(offset++);
    StringBuilder out = new StringBuilder();
    while (true) {
      if (offset >= end || source.charAt(offset) == '\n') {
        throw error(start, "unterminated string");
      }
      char c = source.charAt(offset++);
      if (c == quote) {
        break;
      }
      if (c == '\\' && !raw) {
        out.appendCodePoint(escape(start));
      } else {
        out.append(c);
      }
    }
    return token(TokenType.STRING, start, out.toString());
  }

  private Token bytesLiteral(int start) {
    char quote = source.charAt(offset++);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (true) {
      if (offset >= end || source.charAt(offset) == '\n') {
        throw error(start, "unterminated bytes literal");
      }
      char c = source.charAt(offset++);
      if (c == quote) {
        break;
      }
      if (c == '\\'
          && offset < end
          && (source.charAt(offset) == 'x' || source.charAt(offset) == 'X')) {
        offset++;
        out.write(hex(2, start));
      } else {
        int cp = c == '\\' ? escape(start) : c;
        byte[] utf8 = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        out.write(utf8, 0, utf8.length);
      }
    }
    return token(TokenType.BYTES, start, ByteString.copyFrom(out.toByteArray()));
  }

  private int escape(int start) {
    if (offset >= end) {
      throw error(start, "unterminated string");
    }
    char e = source.charAt(offset++);
    return switch (e) {
      case 'n' -> '\n';
      case 't' -> '\t';
      case 'r' -> '\r';
      case 'b' -> '\b';
      case 'f' -> '\f';
      case 'v' -> 0x0b;
      case 'a' -> 0x07;
      case '0' -> 0;
      case '\\', '\'', '"', '`', '?' -> e;
      case 'x', 'X' -> hex(2, start);
      case 'u' -> hex(4, start);
      case 'U' -> hex(8, start);
      default -> throw error(offset - 2, "unknown escape \\" + e);
    };
  }

  private int hex(int digits, int start) {
    if (offset + digits > end) {
      throw error(start, "truncated escape");
    }
    try {
      int value = Integer.parseUnsignedInt(source.substring(offset, offset + digits), 16);
      offset += digits;
      return value;
    } catch (NumberFormatException e) {
      throw error(offset, "invalid hexadecimal escape");
    }
  }

  /**
   * The path after {@code match}: {@code /a/{b}/{c=**}...} up to the block's brace. Segments are
   * returned raw (with their braces); the parser checks them.
   */
  public List<RawSegment> scanPattern() {
    skipSpaceAndComments();
    List<RawSegment> segments = new ArrayList<>();
    if (offset >= end || source.charAt(offset) != '/') {
      throw error(offset, "expected a path starting with '/' after 'match'");
    }
    while (offset < end && source.charAt(offset) == '/') {
      offset++;
      int start = offset;
      if (offset < end && source.charAt(offset) == '{') {
        int close = source.indexOf('}', offset);
        if (close < 0 || close >= end) {
          throw error(start, "unterminated wildcard");
        }
        offset = close + 1;
      } else {
        while (offset < end && (isPathChar(source.charAt(offset)) || groupLength(offset) > 0)) {
          offset += Math.max(1, groupLength(offset));
        }
      }
      if (offset == start) {
        throw error(start, "empty path segment");
      }
      segments.add(new RawSegment(source.substring(start, offset), start));
    }
    return segments;
  }

  /**
   * A path literal starting at the {@code /} at {@code slash}: segments of literal text and {@code
   * $(expression)} interpolations. Leaves the lexer after the path.
   */
  public List<List<RawPart>> scanPathLiteral(int slash) {
    offset = slash;
    List<List<RawPart>> segments = new ArrayList<>();
    while (offset < end && source.charAt(offset) == '/') {
      offset++;
      int segmentStart = offset;
      List<RawPart> parts = new ArrayList<>();
      StringBuilder text = new StringBuilder();
      while (offset < end) {
        char c = source.charAt(offset);
        if (c == '$' && offset + 1 < end && source.charAt(offset + 1) == '(') {
          if (text.length() > 0) {
            parts.add(new RawPart.Text(text.toString()));
            text.setLength(0);
          }
          int open = offset + 1;
          int close = matchingParen(open);
          parts.add(new RawPart.Interpolation(open + 1, close));
          offset = close + 1;
        } else if (isPathChar(c)) {
          text.append(c);
          offset++;
        } else if (groupLength(offset) > 0) {
          int length = groupLength(offset);
          text.append(source, offset, offset + length);
          offset += length;
        } else {
          break;
        }
      }
      if (text.length() > 0) {
        parts.add(new RawPart.Text(text.toString()));
      }
      if (parts.isEmpty()) {
        throw error(segmentStart, "empty path segment");
      }
      segments.add(parts);
    }
    return segments;
  }

  private int matchingParen(int open) {
    int depth = 0;
    for (int i = open; i < end; i++) {
      char c = source.charAt(i);
      if (isQuote(c)) {
        int close = source.indexOf(c, i + 1);
        while (close > 0 && source.charAt(close - 1) == '\\') {
          close = source.indexOf(c, close + 1);
        }
        if (close < 0) {
          break;
        }
        i = close;
      } else if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return i;
      }
    }
    throw error(open, "unterminated $( in path");
  }

  private static boolean isPathChar(char c) {
    return Character.isLetterOrDigit(c)
        || c == '_'
        || c == '-'
        || c == '.'
        || c == '~'
        || c == '%'
        || c == '@'
        || c == '+';
  }

  /**
   * Length of a parenthesised group such as {@code (default)} inside a segment at {@code at}, or 0.
   */
  private int groupLength(int at) {
    if (at >= end || source.charAt(at) != '(') {
      return 0;
    }
    int i = at + 1;
    while (i < end && isPathChar(source.charAt(i))) {
      i++;
    }
    return i < end && source.charAt(i) == ')' && i > at + 1 ? i + 1 - at : 0;
  }
}
