package dev.atelier.emulator.rules.eval;

import dev.atelier.emulator.rules.lang.Declarations.FunctionDecl;
import dev.atelier.emulator.rules.lang.Declarations.LetBinding;
import dev.atelier.emulator.rules.lang.Expr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates expressions with the rules language's semantics. Errors (a missing field, a null value,
 * a type mismatch, a failed lookup) are {@link EvalException}s; {@code &&} and {@code ||} tolerate
 * an error on one side when the other side decides the result ({@code false && error} is false,
 * {@code true || error} is true), everything else propagates it, and a condition that errs grants
 * nothing.
 */
public final class Evaluator {
  private final EvalContext context;

  public Evaluator(EvalContext context) {
    this.context = context;
  }

  /** Evaluates an allow condition: true, false, or an exception. */
  public boolean condition(Expr e, Scope scope) {
    return bool(eval(e, scope), e);
  }

  public Val eval(Expr e, Scope scope) {
    context.tick();
    try {
      return evalUnlocated(e, scope);
    } catch (EvalException x) {
      throw x.at(e.pos());
    }
  }

  private Val evalUnlocated(Expr e, Scope scope) {
    if (e instanceof Expr.Binary b) {
      return binary(b, scope);
    }
    if (e instanceof Expr.Member m) {
      return member(eval(m.target(), scope), m.name());
    }
    if (e instanceof Expr.Ident i) {
      return identifier(i.name(), scope);
    }
    if (e instanceof Expr.StringLit s) {
      return new Val.Str(s.value());
    }
    if (e instanceof Expr.BoolLit b) {
      return Val.of(b.value());
    }
    if (e instanceof Expr.IntLit i) {
      return new Val.Int(i.value());
    }
    if (e instanceof Expr.NullLit) {
      return Val.NULL;
    }
    if (e instanceof Expr.FloatLit f) {
      return new Val.Float(f.value());
    }
    if (e instanceof Expr.BytesLit b) {
      return new Val.Bytes(b.value());
    }
    if (e instanceof Expr.Call c) {
      return call(c, scope);
    }
    if (e instanceof Expr.MethodCall m) {
      return methodCall(m, scope);
    }
    if (e instanceof Expr.Not n) {
      return Val.of(!bool(eval(n.operand(), scope), n.operand()));
    }
    if (e instanceof Expr.Negate n) {
      return Arithmetic.negate(eval(n.operand(), scope));
    }
    if (e instanceof Expr.Index i) {
      return index(eval(i.target(), scope), eval(i.index(), scope));
    }
    if (e instanceof Expr.Range r) {
      return range(eval(r.target(), scope), eval(r.from(), scope), eval(r.to(), scope));
    }
    if (e instanceof Expr.Is i) {
      return Val.of(Types.is(eval(i.value(), scope), i.type()));
    }
    if (e instanceof Expr.Ternary t) {
      return bool(eval(t.condition(), scope), t.condition())
          ? eval(t.then(), scope)
          : eval(t.otherwise(), scope);
    }
    if (e instanceof Expr.ListLit l) {
      List<Val> items = new ArrayList<>();
      for (Expr item : l.items()) {
        items.add(eval(item, scope));
      }
      return new Val.ListV(items);
    }
    if (e instanceof Expr.MapLit m) {
      Map<String, Val> entries = new LinkedHashMap<>();
      for (Expr.MapLit.Entry entry : m.entries()) {
        entries.put(Methods.str(eval(entry.key(), scope), "a map key"), eval(entry.value(), scope));
      }
      return new Val.MapV(entries);
    }
    if (e instanceof Expr.PathLit p) {
      return path(p, scope);
    }
    throw new IllegalStateException("unhandled expression " + e);
  }

  private static boolean bool(Val v, Expr source) {
    Equality.requireKnown(v);
    if (v instanceof Val.Bool b) {
      return b.value();
    }
    throw EvalException.error("expected a bool but the expression is a " + v.typeName())
        .at(source.pos());
  }

  private Val binary(Expr.Binary b, Scope scope) {
    switch (b.op()) {
      case AND:
      case OR:
        return logical(b, scope);
      default:
        break;
    }
    Val left = eval(b.left(), scope);
    Val right = eval(b.right(), scope);
    switch (b.op()) {
      case EQ:
        return Val.of(Equality.equal(left, right));
      case NE:
        return Val.of(!Equality.equal(left, right));
      case LT:
        return Val.of(Equality.compare(left, right) < 0);
      case LE:
        return Val.of(Equality.compare(left, right) <= 0);
      case GT:
        return Val.of(Equality.compare(left, right) > 0);
      case GE:
        return Val.of(Equality.compare(left, right) >= 0);
      case IN:
        return Val.of(Membership.in(left, right));
      default:
        return Arithmetic.apply(b.op(), left, right);
    }
  }

  /**
   * {@code &&} / {@code ||}: short-circuit, and an error on one side is forgiven if the other
   * decides.
   */
  private Val logical(Expr.Binary b, Scope scope) {
    boolean decisive = b.op() == Expr.Op.OR;
    EvalException leftError = null;
    try {
      if (bool(eval(b.left(), scope), b.left()) == decisive) {
        return Val.of(decisive);
      }
    } catch (EvalException x) {
      leftError = x;
    }
    boolean right = bool(eval(b.right(), scope), b.right());
    if (right == decisive) {
      return Val.of(decisive);
    }
    if (leftError != null) {
      throw leftError;
    }
    return Val.of(!decisive);
  }

  private Val identifier(String name, Scope scope) {
    Val v = scope.variable(name);
    if (v != null) {
      return v;
    }
    if (Globals.NAMESPACES.contains(name)) {
      return new Val.Namespace(name);
    }
    throw EvalException.error("Variable not found error: " + name);
  }

  static Val member(Val target, String name) {
    if (target instanceof Val.MapV m) {
      Val v = m.entries().get(name);
      if (v == null) {
        throw EvalException.error("Property " + name + " is undefined on object.");
      }
      return v;
    }
    if (target instanceof Val.PartialMap p) {
      Val v = p.known().get(name);
      if (v == null) {
        throw EvalException.unknown("the document's field '" + name + "'");
      }
      return v;
    }
    Equality.requireKnown(target);
    if (target instanceof Val.Null) {
      throw EvalException.error("Null value error. (reading '" + name + "' of null)");
    }
    throw EvalException.error("Property " + name + " is undefined on a " + target.typeName());
  }

  private static Val index(Val target, Val index) {
    if (target instanceof Val.MapV || target instanceof Val.PartialMap) {
      return member(target, Methods.str(index, "a map index"));
    }
    Equality.requireKnown(target);
    if (target instanceof Val.ListV l) {
      return l.items().get(position(index, l.items().size()));
    }
    if (target instanceof Val.Str s) {
      int[] codePoints = s.value().codePoints().toArray();
      return new Val.Str(new String(codePoints, position(index, codePoints.length), 1));
    }
    if (target instanceof Val.PathV p) {
      return new Val.Str(p.segments().get(position(index, p.segments().size())));
    }
    if (target instanceof Val.Null) {
      throw EvalException.error("Null value error. (indexing null)");
    }
    throw EvalException.error("cannot index a " + target.typeName());
  }

  private static int position(Val index, int size) {
    long i = Methods.integer(index, "an index");
    if (i < 0 || i >= size) {
      throw EvalException.error("index " + i + " out of range (size " + size + ")");
    }
    return (int) i;
  }

  private static Val range(Val target, Val from, Val to) {
    Equality.requireKnown(target);
    long a = Methods.integer(from, "a range start");
    long b = Methods.integer(to, "a range end");
    if (target instanceof Val.ListV l) {
      checkRange(a, b, l.items().size());
      return new Val.ListV(l.items().subList((int) a, (int) b));
    }
    if (target instanceof Val.Str s) {
      int[] codePoints = s.value().codePoints().toArray();
      checkRange(a, b, codePoints.length);
      return new Val.Str(new String(codePoints, (int) a, (int) (b - a)));
    }
    if (target instanceof Val.PathV p) {
      checkRange(a, b, p.segments().size());
      return new Val.PathV(p.segments().subList((int) a, (int) b));
    }
    throw EvalException.error("cannot take a range of a " + target.typeName());
  }

  private static void checkRange(long from, long to, int size) {
    if (from < 0 || to > size || from > to) {
      throw EvalException.error(
          "range [" + from + ":" + to + "] out of bounds (size " + size + ")");
    }
  }

  private Val methodCall(Expr.MethodCall m, Scope scope) {
    Val target = eval(m.target(), scope);
    List<Val> args = arguments(m.args(), scope);
    if (target instanceof Val.Namespace ns) {
      return Globals.callNamespace(ns.name(), m.name(), args);
    }
    return Methods.call(target, m.name(), args);
  }

  private List<Val> arguments(List<Expr> exprs, Scope scope) {
    List<Val> args = new ArrayList<>(exprs.size());
    for (Expr a : exprs) {
      args.add(eval(a, scope));
    }
    return args;
  }

  private Val call(Expr.Call c, Scope scope) {
    Scope.Declared declared = scope.function(c.name());
    if (declared != null) {
      return invoke(declared, arguments(c.args(), scope));
    }
    switch (c.name()) {
      case "get":
      case "getAfter":
        return context.lookup(pathArgument(c, scope), c.name().equals("getAfter"));
      case "exists":
      case "existsAfter":
        return Val.of(
            !(context.lookup(pathArgument(c, scope), c.name().equals("existsAfter"))
                instanceof Val.Null));
      default:
        return Globals.call(c.name(), arguments(c.args(), scope));
    }
  }

  private Val.PathV pathArgument(Expr.Call c, Scope scope) {
    List<Val> args = arguments(c.args(), scope);
    Methods.arity(c.name(), args, 1);
    Val v = args.get(0);
    Equality.requireKnown(v);
    if (v instanceof Val.PathV p) {
      return p;
    }
    if (v instanceof Val.Str s) {
      return Globals.parsePath(s.value());
    }
    throw EvalException.error(c.name() + "() needs a path, not " + v.typeName());
  }

  private Val invoke(Scope.Declared declared, List<Val> args) {
    FunctionDecl f = declared.function();
    if (args.size() != f.params().size()) {
      throw EvalException.error(
          "function '" + f.name() + "' takes " + f.params().size() + " argument(s)");
    }
    context.enter(f, f.name());
    try {
      Map<String, Val> locals = new LinkedHashMap<>();
      for (int i = 0; i < args.size(); i++) {
        locals.put(f.params().get(i), args.get(i));
      }
      Scope body = declared.scope().variables(locals);
      for (LetBinding let : f.lets()) {
        Val value = eval(let.value(), body);
        Map<String, Val> bound = new LinkedHashMap<>();
        bound.put(let.name(), value);
        body = body.variables(bound);
      }
      return eval(f.body(), body);
    } finally {
      context.leave();
    }
  }

  private Val path(Expr.PathLit p, Scope scope) {
    List<String> segments = new ArrayList<>();
    for (List<Expr.PathPart> parts : p.segments()) {
      if (parts.size() == 1 && parts.get(0) instanceof Expr.PathPart.Interpolation i) {
        Val v = eval(i.expr(), scope);
        if (v instanceof Val.PathV spliced) {
          segments.addAll(spliced.segments());
          continue;
        }
      }
      StringBuilder segment = new StringBuilder();
      for (Expr.PathPart part : parts) {
        if (part instanceof Expr.PathPart.Text t) {
          segment.append(t.text());
        } else {
          Val v = eval(((Expr.PathPart.Interpolation) part).expr(), scope);
          Equality.requireKnown(v);
          if (v instanceof Val.Str s) {
            segment.append(s.value());
          } else if (v instanceof Val.Int n) {
            segment.append(n.value());
          } else {
            throw EvalException.error("cannot put a " + v.typeName() + " into a path");
          }
        }
      }
      if (segment.length() == 0) {
        throw EvalException.error("empty path segment");
      }
      segments.add(segment.toString());
    }
    return new Val.PathV(segments);
  }
}
