package dev.atelier.emulator.rules;

import dev.atelier.emulator.rules.eval.EvalContext;
import dev.atelier.emulator.rules.eval.EvalException;
import dev.atelier.emulator.rules.eval.Evaluator;
import dev.atelier.emulator.rules.eval.Globals;
import dev.atelier.emulator.rules.eval.Scope;
import dev.atelier.emulator.rules.eval.Val;
import dev.atelier.emulator.rules.lang.AccessMethod;
import dev.atelier.emulator.rules.lang.Declarations.AllowStatement;
import dev.atelier.emulator.rules.lang.Declarations.MatchBlock;
import dev.atelier.emulator.rules.lang.Declarations.RulesFile;
import dev.atelier.emulator.rules.lang.Declarations.ServiceBlock;
import dev.atelier.emulator.rules.lang.Parser;
import dev.atelier.emulator.rules.lang.Pos;
import dev.atelier.emulator.rules.lang.Resolver;
import dev.atelier.emulator.rules.lang.RulesSyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One service of a rules file, ready to decide requests: a request (method, path, and the {@code
 * request}/{@code resource} values) is allowed when some allow statement for its method, in a match
 * block whose path matches, has a condition that evaluates to true. Nothing else allows: no
 * matching block, false, or an error all deny.
 */
public final class RulesEngine {
  private final RulesFile file;
  private final ServiceBlock service;

  private RulesEngine(RulesFile file, ServiceBlock service) {
    this.file = file;
    this.service = service;
  }

  /**
   * Parses and checks {@code source}.
   *
   * @throws RulesSyntaxException with the line and column of the first problem, also when the file
   *     has no {@code service serviceName} block
   */
  public static RulesEngine compile(String source, String fileName, String serviceName) {
    RulesFile file = Parser.parse(source, fileName);
    Resolver.check(file, Globals.FUNCTIONS);
    ServiceBlock service =
        file.service(serviceName)
            .orElseThrow(
                () ->
                    new RulesSyntaxException(
                        fileName, new Pos(1, 1), "no 'service " + serviceName + "' block"));
    return new RulesEngine(file, service);
  }

  public String fileName() {
    return file.file();
  }

  public boolean version2() {
    return file.version().equals("2");
  }

  /**
   * Decides one request.
   *
   * @param path the request's path from the service root, e.g. databases, (default), documents, ...
   * @param globals the values of {@code request} and {@code resource}
   * @param context the request's lookups and budgets (one context for all operations of a request)
   */
  public Decision decide(
      AccessMethod method, List<PathSegment> path, Map<String, Val> globals, EvalContext context) {
    context.startOperation();
    List<PathMatcher.Match> matches = PathMatcher.matches(service.matches(), path, version2());
    List<String> reasons = new ArrayList<>();
    Evaluator evaluator = new Evaluator(context);
    for (PathMatcher.Match match : matches) {
      List<AllowStatement> applicable =
          match.block().allows().stream().filter(a -> a.methods().contains(method)).toList();
      if (applicable.isEmpty()) {
        continue;
      }
      Scope scope = scope(match, globals);
      for (AllowStatement allow : applicable) {
        String where = "'" + method.wireName() + "' @ " + allow.pos();
        if (allow.condition().isEmpty()) {
          return new Decision(true, List.of("allowed unconditionally for " + where));
        }
        try {
          if (evaluator.condition(allow.condition().get(), scope)) {
            return new Decision(true, List.of("true for " + where));
          }
          reasons.add("false for " + where);
        } catch (EvalException e) {
          String at = e.pos() == null ? "" : " (at " + e.pos() + ")";
          reasons.add(
              (e.unknown() ? "not provable for every result" : "error")
                  + " for "
                  + where
                  + ": "
                  + e.getMessage()
                  + at);
        } catch (StackOverflowError e) {
          reasons.add("error for " + where + ": evaluation too deep (functions calling functions)");
        }
      }
    }
    if (reasons.isEmpty()) {
      reasons.add("no allow statement for '" + method.wireName() + "' matches " + describe(path));
    }
    return new Decision(false, reasons);
  }

  private Scope scope(PathMatcher.Match match, Map<String, Val> globals) {
    Scope scope = Scope.root(globals, service.functions());
    for (int i = 0; i < match.blocks().size(); i++) {
      MatchBlock block = match.blocks().get(i);
      scope = scope.block(match.wildcards().get(i), block.functions());
    }
    return scope;
  }

  static String describe(List<PathSegment> path) {
    StringBuilder sb = new StringBuilder();
    for (PathSegment s : path) {
      sb.append('/');
      if (s instanceof PathSegment.Known k) {
        sb.append(k.text());
      } else if (s instanceof PathSegment.AnyOne) {
        sb.append("{any}");
      } else {
        sb.append("{any path}");
      }
    }
    return sb.toString();
  }
}
