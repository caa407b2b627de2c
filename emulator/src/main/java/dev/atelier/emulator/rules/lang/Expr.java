package dev.atelier.emulator.rules.lang;

import com.google.protobuf.ByteString;
import java.util.List;

/**
 * Expressions of the rules language (the abstract syntax tree); every node knows where it starts.
 */
public sealed interface Expr {
  Pos pos();

  /**
   * Binary operators; {@code &&} and {@code ||} tolerate an error on one side (see the evaluator).
   */
  enum Op {
    MUL("*"),
    DIV("/"),
    MOD("%"),
    ADD("+"),
    SUB("-"),
    LT("<"),
    LE("<="),
    GT(">"),
    GE(">="),
    IN("in"),
    EQ("=="),
    NE("!="),
    AND("&&"),
    OR("||");

    public final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }
  }

  record NullLit(Pos pos) implements Expr {}

  record BoolLit(boolean value, Pos pos) implements Expr {}

  record IntLit(long value, Pos pos) implements Expr {}

  record FloatLit(double value, Pos pos) implements Expr {}

  record StringLit(String value, Pos pos) implements Expr {}

  record BytesLit(ByteString value, Pos pos) implements Expr {}

  record ListLit(List<Expr> items, Pos pos) implements Expr {}

  record MapLit(List<Entry> entries, Pos pos) implements Expr {
    public record Entry(Expr key, Expr value) {}
  }

  /**
   * {@code /databases/$(database)/documents/users/$(uid)}: each segment is text and interpolations.
   */
  record PathLit(List<List<PathPart>> segments, Pos pos) implements Expr {}

  /** A piece of a path literal segment. */
  sealed interface PathPart {
    record Text(String text) implements PathPart {}

    record Interpolation(Expr expr) implements PathPart {}
  }

  record Ident(String name, Pos pos) implements Expr {}

  /** {@code target.name}. */
  record Member(Expr target, String name, Pos pos) implements Expr {}

  /** {@code target[index]}. */
  record Index(Expr target, Expr index, Pos pos) implements Expr {}

  /** {@code target[from:to]}. */
  record Range(Expr target, Expr from, Expr to, Pos pos) implements Expr {}

  /** {@code name(args)}: a function of the rules or a global function. */
  record Call(String name, List<Expr> args, Pos pos) implements Expr {}

  /** {@code target.name(args)}: a method, or a function of a namespace such as {@code math}. */
  record MethodCall(Expr target, String name, List<Expr> args, Pos pos) implements Expr {}

  record Not(Expr operand, Pos pos) implements Expr {}

  record Negate(Expr operand, Pos pos) implements Expr {}

  record Binary(Op op, Expr left, Expr right, Pos pos) implements Expr {}

  /** {@code value is type}. */
  record Is(Expr value, String type, Pos pos) implements Expr {}

  record Ternary(Expr condition, Expr then, Expr otherwise, Pos pos) implements Expr {}
}
