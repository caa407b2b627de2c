package dev.atelier.emulator.rules.eval;

import dev.atelier.emulator.rules.lang.Declarations.FunctionDecl;
import java.util.List;
import java.util.Map;

/**
 * What a name means at one point of a rules file: a chain of frames, innermost first. The service
 * frame holds {@code request} and {@code resource}; each match block adds its wildcard variables
 * and functions; a function call adds its parameters and let bindings on top of the frame that
 * declares the function (so a function sees the wildcards of its own block, not of its caller).
 */
public final class Scope {
  private final Scope parent;
  private final Map<String, Val> variables;
  private final Map<String, FunctionDecl> functions;

  private Scope(Scope parent, Map<String, Val> variables, Map<String, FunctionDecl> functions) {
    this.parent = parent;
    this.variables = variables;
    this.functions = functions;
  }

  public static Scope root(Map<String, Val> globals, List<FunctionDecl> functions) {
    return new Scope(null, globals, byName(functions));
  }

  /** A nested match block's frame. */
  public Scope block(Map<String, Val> wildcards, List<FunctionDecl> blockFunctions) {
    return new Scope(this, wildcards, byName(blockFunctions));
  }

  /** A frame of plain variables (function parameters, let bindings). */
  Scope variables(Map<String, Val> values) {
    return new Scope(this, values, Map.of());
  }

  private static Map<String, FunctionDecl> byName(List<FunctionDecl> functions) {
    Map<String, FunctionDecl> map = new java.util.HashMap<>();
    for (FunctionDecl f : functions) {
      map.put(f.name(), f);
    }
    return map;
  }

  /** The variable's value, or null when no frame defines it. */
  Val variable(String name) {
    for (Scope s = this; s != null; s = s.parent) {
      Val v = s.variables.get(name);
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  /** A function and the frame that declares it, or null. */
  Declared function(String name) {
    for (Scope s = this; s != null; s = s.parent) {
      FunctionDecl f = s.functions.get(name);
      if (f != null) {
        return new Declared(f, s);
      }
    }
    return null;
  }

  record Declared(FunctionDecl function, Scope scope) {}
}
