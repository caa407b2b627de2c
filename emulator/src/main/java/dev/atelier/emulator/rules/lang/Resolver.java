package dev.atelier.emulator.rules.lang;

import dev.atelier.emulator.rules.lang.Declarations.AllowStatement;
import dev.atelier.emulator.rules.lang.Declarations.FunctionDecl;
import dev.atelier.emulator.rules.lang.Declarations.LetBinding;
import dev.atelier.emulator.rules.lang.Declarations.MatchBlock;
import dev.atelier.emulator.rules.lang.Declarations.RulesFile;
import dev.atelier.emulator.rules.lang.Declarations.ServiceBlock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Load-time checks Google's compiler also makes: every called function exists in scope (a function
 * is visible in the block that declares it and the blocks nested in it) with the right number of
 * arguments, and no block declares a function twice.
 */
public final class Resolver {
  private final RulesFile file;
  private final Set<String> globalFunctions;

  private Resolver(RulesFile file, Set<String> globalFunctions) {
    this.file = file;
    this.globalFunctions = globalFunctions;
  }

  /**
   * @throws RulesSyntaxException at the first unknown function or wrong arity
   */
  public static void check(RulesFile file, Set<String> globalFunctions) {
    Resolver resolver = new Resolver(file, globalFunctions);
    for (ServiceBlock service : file.services()) {
      Scope scope = resolver.scope(null, service.functions());
      resolver.functions(scope, service.functions());
      for (MatchBlock match : service.matches()) {
        resolver.match(scope, match);
      }
    }
  }

  private record Scope(Scope parent, Map<String, FunctionDecl> functions) {
    FunctionDecl find(String name) {
      for (Scope s = this; s != null; s = s.parent) {
        FunctionDecl f = s.functions.get(name);
        if (f != null) {
          return f;
        }
      }
      return null;
    }
  }

  private Scope scope(Scope parent, List<FunctionDecl> declared) {
    Map<String, FunctionDecl> byName = new HashMap<>();
    for (FunctionDecl f : declared) {
      if (byName.put(f.name(), f) != null) {
        throw new RulesSyntaxException(
            file.file(), f.pos(), "function '" + f.name() + "' is declared twice");
      }
    }
    return new Scope(parent, byName);
  }

  private void functions(Scope scope, List<FunctionDecl> declared) {
    for (FunctionDecl f : declared) {
      for (LetBinding let : f.lets()) {
        expr(scope, let.value());
      }
      expr(scope, f.body());
    }
  }

  private void match(Scope parent, MatchBlock match) {
    Scope scope = scope(parent, match.functions());
    functions(scope, match.functions());
    for (AllowStatement allow : match.allows()) {
      allow.condition().ifPresent(c -> expr(scope, c));
    }
    for (MatchBlock child : match.children()) {
      match(scope, child);
    }
  }

  private void expr(Scope scope, Expr e) {
    if (e instanceof Expr.Call call) {
      FunctionDecl f = scope.find(call.name());
      if (f != null) {
        if (f.params().size() != call.args().size()) {
          throw new RulesSyntaxException(
              file.file(),
              call.pos(),
              "function '"
                  + call.name()
                  + "' takes "
                  + f.params().size()
                  + " argument(s), called with "
                  + call.args().size());
        }
      } else if (!globalFunctions.contains(call.name())) {
        throw new RulesSyntaxException(
            file.file(), call.pos(), "unknown function '" + call.name() + "'");
      }
    }
    for (Expr child : Exprs.children(e)) {
      expr(scope, child);
    }
  }
}
