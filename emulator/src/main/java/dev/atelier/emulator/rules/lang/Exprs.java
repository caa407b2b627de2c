package dev.atelier.emulator.rules.lang;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** Structural helpers over expression trees. */
public final class Exprs {
  private Exprs() {}

  /**
   * How deep the tree under {@code e} is (a leaf is 1); iterative, so any depth can be measured.
   */
  public static int depth(Expr e) {
    record Level(Expr expr, int depth) {}
    Deque<Level> pending = new ArrayDeque<>();
    pending.push(new Level(e, 1));
    int max = 0;
    while (!pending.isEmpty()) {
      Level level = pending.pop();
      max = Math.max(max, level.depth());
      for (Expr child : children(level.expr())) {
        pending.push(new Level(child, level.depth() + 1));
      }
    }
    return max;
  }

  /** The direct sub-expressions of {@code e}, left to right. */
  public static List<Expr> children(Expr e) {
    List<Expr> out = new ArrayList<>();
    if (e instanceof Expr.Call c) {
      out.addAll(c.args());
    } else if (e instanceof Expr.ListLit l) {
      out.addAll(l.items());
    } else if (e instanceof Expr.MapLit m) {
      for (Expr.MapLit.Entry entry : m.entries()) {
        out.add(entry.key());
        out.add(entry.value());
      }
    } else if (e instanceof Expr.PathLit p) {
      for (List<Expr.PathPart> segment : p.segments()) {
        for (Expr.PathPart part : segment) {
          if (part instanceof Expr.PathPart.Interpolation i) {
            out.add(i.expr());
          }
        }
      }
    } else if (e instanceof Expr.Member m) {
      out.add(m.target());
    } else if (e instanceof Expr.Index i) {
      out.add(i.target());
      out.add(i.index());
    } else if (e instanceof Expr.Range r) {
      out.add(r.target());
      out.add(r.from());
      out.add(r.to());
    } else if (e instanceof Expr.MethodCall m) {
      out.add(m.target());
      out.addAll(m.args());
    } else if (e instanceof Expr.Not n) {
      out.add(n.operand());
    } else if (e instanceof Expr.Negate n) {
      out.add(n.operand());
    } else if (e instanceof Expr.Binary b) {
      out.add(b.left());
      out.add(b.right());
    } else if (e instanceof Expr.Is i) {
      out.add(i.value());
    } else if (e instanceof Expr.Ternary t) {
      out.add(t.condition());
      out.add(t.then());
      out.add(t.otherwise());
    }
    return out;
  }
}
