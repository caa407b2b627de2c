package dev.atelier.emulator.rules.lang;

import dev.atelier.emulator.rules.lang.Declarations.AllowStatement;
import dev.atelier.emulator.rules.lang.Declarations.FunctionDecl;
import dev.atelier.emulator.rules.lang.Declarations.LetBinding;
import dev.atelier.emulator.rules.lang.Declarations.MatchBlock;
import dev.atelier.emulator.rules.lang.Declarations.RulesFile;
import dev.atelier.emulator.rules.lang.Declarations.ServiceBlock;
import dev.atelier.emulator.rules.lang.Expr.Op;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recursive-descent parser of a rules file. Operator precedence, loosest first: {@code ?:}, {@code
 * ||}, {@code &&}, {@code == !=}, {@code in is}, {@code < <= > >=}, {@code + -}, {@code * / %},
 * unary {@code ! -}, then member access, indexing and calls.
 */
public final class Parser {
  /** Google's limits on functions. */
  static final int MAX_PARAMS = 7;

  static final int MAX_LETS = 10;

  /** Deeper expressions are refused: evaluation recurses once per level. */
  static final int MAX_NESTING = 200;

  private static final Pattern WILDCARD = Pattern.compile("\\{([A-Za-z_][A-Za-z_0-9]*)(=\\*\\*)?}");
  private static final Set<String> RESERVED =
      Set.of(
          "true",
          "false",
          "null",
          "in",
          "is",
          "if",
          "let",
          "return",
          "function",
          "match",
          "allow",
          "service");

  private final Lexer lexer;
  private Token current;
  private int nesting;

  private Parser(Lexer lexer) {
    this.lexer = lexer;
    this.current = lexer.next();
  }

  /** Parses a whole file. @throws RulesSyntaxException with the line and column of the problem */
  public static RulesFile parse(String source, String file) {
    return new Parser(new Lexer(source, file)).file();
  }

  /** Parses a single expression (tests, and {@code $( )} inside path literals). */
  public static Expr parseExpression(String source) {
    Parser parser = new Parser(new Lexer(source, "<expression>"));
    Expr e = parser.statementExpression();
    parser.expect(TokenType.EOF, "end of expression");
    return e;
  }

  // ---- statements ----

  private RulesFile file() {
    String version = "1";
    if (current.isWord("rules_version")) {
      advance();
      expect(TokenType.ASSIGN, "'=' after rules_version");
      Token v = expect(TokenType.STRING, "a version string such as '2'");
      version = (String) v.value();
      if (!version.equals("1") && !version.equals("2")) {
        throw lexer.error(
            v.offset(), "unsupported rules_version '" + version + "' (expected '1' or '2')");
      }
      accept(TokenType.SEMI);
    }
    List<ServiceBlock> services = new ArrayList<>();
    while (!current.is(TokenType.EOF)) {
      services.add(service());
    }
    if (services.isEmpty()) {
      throw lexer.error(current.offset(), "expected 'service'");
    }
    return new RulesFile(lexer.file(), version, services);
  }

  private ServiceBlock service() {
    Token start = expectWord("service");
    StringBuilder name =
        new StringBuilder(expect(TokenType.IDENT, "a service name such as cloud.firestore").text());
    while (accept(TokenType.DOT)) {
      name.append('.').append(expect(TokenType.IDENT, "a service name").text());
    }
    expect(TokenType.LBRACE, "'{' after the service name");
    List<FunctionDecl> functions = new ArrayList<>();
    List<MatchBlock> matches = new ArrayList<>();
    while (!accept(TokenType.RBRACE)) {
      if (current.isWord("function")) {
        functions.add(function());
      } else if (current.isWord("match")) {
        matches.add(match());
      } else {
        throw unexpected("'match' or 'function'");
      }
    }
    return new ServiceBlock(name.toString(), functions, matches, start.pos());
  }

  private MatchBlock match() {
    Token start = current;
    lexer.seek(current.end());
    List<PatternSegment> pattern = pattern(lexer.scanPattern());
    current = lexer.next();
    expect(TokenType.LBRACE, "'{' after the match path");
    List<FunctionDecl> functions = new ArrayList<>();
    List<AllowStatement> allows = new ArrayList<>();
    List<MatchBlock> children = new ArrayList<>();
    while (!accept(TokenType.RBRACE)) {
      if (current.isWord("allow")) {
        allows.add(allow());
      } else if (current.isWord("match")) {
        children.add(match());
      } else if (current.isWord("function")) {
        functions.add(function());
      } else {
        throw unexpected("'allow', 'match', 'function' or '}'");
      }
    }
    return new MatchBlock(pattern, functions, allows, children, start.pos());
  }

  private List<PatternSegment> pattern(List<Lexer.RawSegment> raw) {
    List<PatternSegment> segments = new ArrayList<>();
    boolean recursive = false;
    for (Lexer.RawSegment segment : raw) {
      if (segment.text().startsWith("{")) {
        Matcher m = WILDCARD.matcher(segment.text());
        if (!m.matches()) {
          throw lexer.error(
              segment.offset(),
              "invalid wildcard " + segment.text() + " (expected {name} or {name=**})");
        }
        if (m.group(2) != null) {
          if (recursive) {
            throw lexer.error(
                segment.offset(), "only one recursive wildcard is allowed in a match path");
          }
          recursive = true;
          segments.add(new PatternSegment.Recursive(m.group(1)));
        } else {
          segments.add(new PatternSegment.Single(m.group(1)));
        }
      } else {
        segments.add(new PatternSegment.Literal(segment.text()));
      }
    }
    return segments;
  }

  private AllowStatement allow() {
    Token start = expectWord("allow");
    Set<AccessMethod> methods = EnumSet.noneOf(AccessMethod.class);
    List<String> words = new ArrayList<>();
    do {
      Token word =
          expect(TokenType.IDENT, "a method (read, write, get, list, create, update, delete)");
      methods.addAll(
          AccessMethod.ofWord(word.text())
              .orElseThrow(
                  () ->
                      lexer.error(
                          word.offset(),
                          "unknown method '"
                              + word.text()
                              + "' (expected read, write, get, list, create, update or delete)")));
      words.add(word.text());
    } while (accept(TokenType.COMMA));
    Optional<Expr> condition = Optional.empty();
    if (accept(TokenType.COLON)) {
      expectWord("if");
      condition = Optional.of(statementExpression());
    }
    accept(TokenType.SEMI);
    return new AllowStatement(methods, words, condition, start.pos());
  }

  private FunctionDecl function() {
    Token start = expectWord("function");
    Token name = expect(TokenType.IDENT, "a function name");
    checkName(name);
    expect(TokenType.LPAREN, "'(' after the function name");
    List<String> params = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    if (!accept(TokenType.RPAREN)) {
      do {
        Token p = expect(TokenType.IDENT, "a parameter name");
        checkName(p);
        if (!seen.add(p.text())) {
          throw lexer.error(p.offset(), "duplicate parameter '" + p.text() + "'");
        }
        params.add(p.text());
      } while (accept(TokenType.COMMA));
      expect(TokenType.RPAREN, "')' after the parameters");
    }
    if (params.size() > MAX_PARAMS) {
      throw lexer.error(name.offset(), "a function takes at most " + MAX_PARAMS + " parameters");
    }
    expect(TokenType.LBRACE, "'{' to start the function body");
    List<LetBinding> lets = new ArrayList<>();
    while (current.isWord("let")) {
      Token let = current;
      advance();
      Token variable = expect(TokenType.IDENT, "a variable name after 'let'");
      checkName(variable);
      expect(TokenType.ASSIGN, "'=' after the let variable");
      lets.add(new LetBinding(variable.text(), statementExpression(), let.pos()));
      accept(TokenType.SEMI);
    }
    if (lets.size() > MAX_LETS) {
      throw lexer.error(
          start.offset(), "a function may have at most " + MAX_LETS + " let bindings");
    }
    expectWord("return");
    Expr body = statementExpression();
    accept(TokenType.SEMI);
    expect(TokenType.RBRACE, "'}' after the return statement");
    return new FunctionDecl(name.text(), params, lets, body, start.pos());
  }

  private void checkName(Token name) {
    if (RESERVED.contains(name.text())) {
      throw lexer.error(name.offset(), "'" + name.text() + "' is a reserved word");
    }
  }

  // ---- expressions ----

  /**
   * A complete expression of a statement: one whose tree is not deeper than {@link #MAX_NESTING}.
   */
  private Expr statementExpression() {
    Token start = current;
    Expr e = expression();
    if (Exprs.depth(e) > MAX_NESTING) {
      throw lexer.error(
          start.offset(), "expression nested more than " + MAX_NESTING + " levels deep");
    }
    return e;
  }

  private Expr expression() {
    if (++nesting > MAX_NESTING) {
      throw lexer.error(
          current.offset(), "expression nested more than " + MAX_NESTING + " levels deep");
    }
    try {
      return conditional();
    } finally {
      nesting--;
    }
  }

  private Expr conditional() {
    Expr condition = or();
    if (current.is(TokenType.QUESTION)) {
      Pos pos = current.pos();
      advance();
      Expr then = expression();
      expect(TokenType.COLON, "':' in the conditional expression");
      Expr otherwise = expression();
      return new Expr.Ternary(condition, then, otherwise, pos);
    }
    return condition;
  }

  private Expr or() {
    Expr left = and();
    while (current.is(TokenType.OR)) {
      Pos pos = current.pos();
      advance();
      left = new Expr.Binary(Op.OR, left, and(), pos);
    }
    return left;
  }

  private Expr and() {
    Expr left = equality();
    while (current.is(TokenType.AND)) {
      Pos pos = current.pos();
      advance();
      left = new Expr.Binary(Op.AND, left, equality(), pos);
    }
    return left;
  }

  private Expr equality() {
    Expr left = membership();
    while (current.is(TokenType.EQ) || current.is(TokenType.NE)) {
      Op op = current.is(TokenType.EQ) ? Op.EQ : Op.NE;
      Pos pos = current.pos();
      advance();
      left = new Expr.Binary(op, left, membership(), pos);
    }
    return left;
  }

  private Expr membership() {
    Expr left = relational();
    while (current.isWord("in") || current.isWord("is")) {
      Pos pos = current.pos();
      if (current.isWord("in")) {
        advance();
        left = new Expr.Binary(Op.IN, left, relational(), pos);
      } else {
        advance();
        Token type = expect(TokenType.IDENT, "a type name after 'is'");
        left = new Expr.Is(left, type.text(), pos);
      }
    }
    return left;
  }

  private Expr relational() {
    Expr left = additive();
    while (true) {
      Op op =
          switch (current.type()) {
            case LT -> Op.LT;
            case LE -> Op.LE;
            case GT -> Op.GT;
            case GE -> Op.GE;
            default -> null;
          };
      if (op == null) {
        return left;
      }
      Pos pos = current.pos();
      advance();
      left = new Expr.Binary(op, left, additive(), pos);
    }
  }

  private Expr additive() {
    Expr left = multiplicative();
    while (current.is(TokenType.PLUS) || current.is(TokenType.MINUS)) {
      Op op = current.is(TokenType.PLUS) ? Op.ADD : Op.SUB;
      Pos pos = current.pos();
      advance();
      left = new Expr.Binary(op, left, multiplicative(), pos);
    }
    return left;
  }

  private Expr multiplicative() {
    Expr left = unary();
    while (current.is(TokenType.STAR)
        || current.is(TokenType.SLASH)
        || current.is(TokenType.PERCENT)) {
      Op op = current.is(TokenType.STAR) ? Op.MUL : current.is(TokenType.SLASH) ? Op.DIV : Op.MOD;
      Pos pos = current.pos();
      advance();
      left = new Expr.Binary(op, left, unary(), pos);
    }
    return left;
  }

  private Expr unary() {
    Pos pos = current.pos();
    if (current.is(TokenType.BANG) || current.is(TokenType.MINUS)) {
      if (++nesting > MAX_NESTING) {
        throw lexer.error(
            current.offset(), "expression nested more than " + MAX_NESTING + " levels deep");
      }
      try {
        return prefixed(pos);
      } finally {
        nesting--;
      }
    }
    return postfix(primary());
  }

  /** {@code !x} or {@code -x} (a negative literal folds into the literal). */
  private Expr prefixed(Pos pos) {
    if (accept(TokenType.BANG)) {
      return new Expr.Not(unary(), pos);
    }
    expect(TokenType.MINUS, "'-'");
    Expr operand = unary();
    if (operand instanceof Expr.IntLit i) {
      return new Expr.IntLit(-i.value(), pos);
    }
    if (operand instanceof Expr.FloatLit f) {
      return new Expr.FloatLit(-f.value(), pos);
    }
    return new Expr.Negate(operand, pos);
  }

  private Expr postfix(Expr e) {
    while (true) {
      if (current.is(TokenType.DOT)) {
        advance();
        Token name = expect(TokenType.IDENT, "a field or method name after '.'");
        if (current.is(TokenType.LPAREN)) {
          e = new Expr.MethodCall(e, name.text(), arguments(), name.pos());
        } else {
          e = new Expr.Member(e, name.text(), name.pos());
        }
      } else if (current.is(TokenType.LBRACKET)) {
        Pos pos = current.pos();
        advance();
        Expr index = expression();
        if (accept(TokenType.COLON)) {
          Expr to = expression();
          expect(TokenType.RBRACKET, "']' after the range");
          e = new Expr.Range(e, index, to, pos);
        } else {
          expect(TokenType.RBRACKET, "']' after the index");
          e = new Expr.Index(e, index, pos);
        }
      } else {
        return e;
      }
    }
  }

  private List<Expr> arguments() {
    expect(TokenType.LPAREN, "'('");
    List<Expr> args = new ArrayList<>();
    if (!accept(TokenType.RPAREN)) {
      do {
        args.add(expression());
      } while (accept(TokenType.COMMA));
      expect(TokenType.RPAREN, "')' after the arguments");
    }
    return args;
  }

  private Expr primary() {
    Token t = current;
    switch (t.type()) {
      case INT:
        advance();
        return new Expr.IntLit((Long) t.value(), t.pos());
      case FLOAT:
        advance();
        return new Expr.FloatLit((Double) t.value(), t.pos());
      case STRING:
        advance();
        return new Expr.StringLit((String) t.value(), t.pos());
      case BYTES:
        advance();
        return new Expr.BytesLit((com.google.protobuf.ByteString) t.value(), t.pos());
      case LPAREN:
        advance();
        Expr inner = expression();
        expect(TokenType.RPAREN, "')'");
        return inner;
      case LBRACKET:
        return list();
      case LBRACE:
        return map();
      case SLASH:
        return path();
      case IDENT:
        return identifier();
      default:
        throw unexpected("an expression");
    }
  }

  private Expr identifier() {
    Token t = current;
    switch (t.text()) {
      case "true":
        advance();
        return new Expr.BoolLit(true, t.pos());
      case "false":
        advance();
        return new Expr.BoolLit(false, t.pos());
      case "null":
        advance();
        return new Expr.NullLit(t.pos());
      default:
        break;
    }
    if (RESERVED.contains(t.text())) {
      throw unexpected("an expression");
    }
    advance();
    if (current.is(TokenType.LPAREN)) {
      return new Expr.Call(t.text(), arguments(), t.pos());
    }
    return new Expr.Ident(t.text(), t.pos());
  }

  private Expr list() {
    Pos pos = current.pos();
    advance();
    List<Expr> items = new ArrayList<>();
    if (!accept(TokenType.RBRACKET)) {
      do {
        if (current.is(TokenType.RBRACKET)) {
          break; // trailing comma
        }
        items.add(expression());
      } while (accept(TokenType.COMMA));
      expect(TokenType.RBRACKET, "']' after the list");
    }
    return new Expr.ListLit(items, pos);
  }

  private Expr map() {
    Pos pos = current.pos();
    advance();
    List<Expr.MapLit.Entry> entries = new ArrayList<>();
    if (!accept(TokenType.RBRACE)) {
      do {
        if (current.is(TokenType.RBRACE)) {
          break;
        }
        Expr key = expression();
        expect(TokenType.COLON, "':' after the map key");
        entries.add(new Expr.MapLit.Entry(key, expression()));
      } while (accept(TokenType.COMMA));
      expect(TokenType.RBRACE, "'}' after the map");
    }
    return new Expr.MapLit(entries, pos);
  }

  private Expr path() {
    Token slash = current;
    List<List<Lexer.RawPart>> raw = lexer.scanPathLiteral(slash.offset());
    int after = lexer.offset();
    List<List<Expr.PathPart>> segments = new ArrayList<>();
    for (List<Lexer.RawPart> rawSegment : raw) {
      List<Expr.PathPart> parts = new ArrayList<>();
      for (Lexer.RawPart part : rawSegment) {
        if (part instanceof Lexer.RawPart.Text text) {
          parts.add(new Expr.PathPart.Text(text.text()));
        } else {
          Lexer.RawPart.Interpolation i = (Lexer.RawPart.Interpolation) part;
          Parser inner = new Parser(lexer.sub(i.start(), i.end()));
          Expr e = inner.expression();
          inner.expect(TokenType.EOF, "')' to end the $( ) interpolation");
          parts.add(new Expr.PathPart.Interpolation(e));
        }
      }
      segments.add(parts);
    }
    lexer.seek(after);
    current = lexer.next();
    return new Expr.PathLit(segments, slash.pos());
  }

  // ---- tokens ----

  private void advance() {
    current = lexer.next();
  }

  private boolean accept(TokenType type) {
    if (current.is(type)) {
      advance();
      return true;
    }
    return false;
  }

  private Token expect(TokenType type, String what) {
    if (!current.is(type)) {
      throw unexpected(what);
    }
    Token t = current;
    advance();
    return t;
  }

  private Token expectWord(String word) {
    if (!current.isWord(word)) {
      throw unexpected("'" + word + "'");
    }
    Token t = current;
    advance();
    return t;
  }

  private RulesSyntaxException unexpected(String expected) {
    return lexer.error(
        current.offset(), "expected " + expected + " but found " + current.describe());
  }
}
