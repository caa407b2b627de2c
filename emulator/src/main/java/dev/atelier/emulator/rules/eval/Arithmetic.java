package dev.atelier.emulator.rules.eval;

import dev.atelier.emulator.rules.lang.Expr.Op;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code + - * / %} and unary minus. Integer arithmetic is exact (overflow and division by zero are
 * errors); an int with a float gives a float; {@code +} also joins strings and lists; timestamps
 * and durations add and subtract as time does.
 */
final class Arithmetic {
  private Arithmetic() {}

  static Val apply(Op op, Val a, Val b) {
    Equality.requireKnown(a);
    Equality.requireKnown(b);
    try {
      return switch (op) {
        case ADD -> add(a, b);
        case SUB -> subtract(a, b);
        case MUL -> multiply(a, b);
        case DIV -> divide(a, b);
        case MOD -> modulo(a, b);
        default -> throw new IllegalArgumentException(op.name());
      };
    } catch (ArithmeticException e) {
      throw EvalException.error("arithmetic overflow in '" + op.symbol + "'");
    }
  }

  static Val negate(Val a) {
    Equality.requireKnown(a);
    if (a instanceof Val.Int i) {
      return new Val.Int(Math.negateExact(i.value()));
    }
    if (a instanceof Val.Float f) {
      return new Val.Float(-f.value());
    }
    if (a instanceof Val.Duration d) {
      return new Val.Duration(Math.negateExact(d.nanos()));
    }
    throw EvalException.error("cannot negate " + a.typeName());
  }

  private static Val add(Val a, Val b) {
    if (a instanceof Val.Int x && b instanceof Val.Int y) {
      return new Val.Int(Math.addExact(x.value(), y.value()));
    }
    if (Equality.isNumber(a) && Equality.isNumber(b)) {
      return new Val.Float(Equality.asDouble(a) + Equality.asDouble(b));
    }
    if (a instanceof Val.Str x && b instanceof Val.Str y) {
      return new Val.Str(x.value() + y.value());
    }
    if (a instanceof Val.ListV x && b instanceof Val.ListV y) {
      List<Val> joined = new ArrayList<>(x.items());
      joined.addAll(y.items());
      return new Val.ListV(joined);
    }
    if (a instanceof Val.Timestamp t && b instanceof Val.Duration d) {
      return Times.plus(t, d.nanos());
    }
    if (a instanceof Val.Duration d && b instanceof Val.Timestamp t) {
      return Times.plus(t, d.nanos());
    }
    if (a instanceof Val.Duration x && b instanceof Val.Duration y) {
      return new Val.Duration(Math.addExact(x.nanos(), y.nanos()));
    }
    throw mismatch("+", a, b);
  }

  private static Val subtract(Val a, Val b) {
    if (a instanceof Val.Int x && b instanceof Val.Int y) {
      return new Val.Int(Math.subtractExact(x.value(), y.value()));
    }
    if (Equality.isNumber(a) && Equality.isNumber(b)) {
      return new Val.Float(Equality.asDouble(a) - Equality.asDouble(b));
    }
    if (a instanceof Val.Timestamp t && b instanceof Val.Duration d) {
      return Times.plus(t, Math.negateExact(d.nanos()));
    }
    if (a instanceof Val.Timestamp x && b instanceof Val.Timestamp y) {
      return Times.between(y, x);
    }
    if (a instanceof Val.Duration x && b instanceof Val.Duration y) {
      return new Val.Duration(Math.subtractExact(x.nanos(), y.nanos()));
    }
    throw mismatch("-", a, b);
  }

  private static Val multiply(Val a, Val b) {
    if (a instanceof Val.Int x && b instanceof Val.Int y) {
      return new Val.Int(Math.multiplyExact(x.value(), y.value()));
    }
    if (Equality.isNumber(a) && Equality.isNumber(b)) {
      return new Val.Float(Equality.asDouble(a) * Equality.asDouble(b));
    }
    throw mismatch("*", a, b);
  }

  private static Val divide(Val a, Val b) {
    if (a instanceof Val.Int x && b instanceof Val.Int y) {
      if (y.value() == 0) {
        throw EvalException.error("division by zero");
      }
      if (x.value() == Long.MIN_VALUE && y.value() == -1) {
        throw new ArithmeticException();
      }
      return new Val.Int(x.value() / y.value());
    }
    if (Equality.isNumber(a) && Equality.isNumber(b)) {
      return new Val.Float(Equality.asDouble(a) / Equality.asDouble(b));
    }
    throw mismatch("/", a, b);
  }

  private static Val modulo(Val a, Val b) {
    if (a instanceof Val.Int x && b instanceof Val.Int y) {
      if (y.value() == 0) {
        throw EvalException.error("modulo by zero");
      }
      return new Val.Int(y.value() == -1 ? 0 : x.value() % y.value());
    }
    if (Equality.isNumber(a) && Equality.isNumber(b)) {
      return new Val.Float(Equality.asDouble(a) % Equality.asDouble(b));
    }
    throw mismatch("%", a, b);
  }

  private static EvalException mismatch(String op, Val a, Val b) {
    return EvalException.error(
        "'" + op + "' is not defined for " + a.typeName() + " and " + b.typeName());
  }
}
