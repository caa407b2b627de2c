package dev.atelier.emulator.rules.lang;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The statements of a rules file: services, match blocks, allow statements and functions. */
public final class Declarations {
  private Declarations() {}

  /** A parsed rules file. {@code version} is "1" unless {@code rules_version} says otherwise. */
  public record RulesFile(String file, String version, List<ServiceBlock> services) {
    public Optional<ServiceBlock> service(String name) {
      return services.stream().filter(s -> s.name().equals(name)).findFirst();
    }
  }

  /** {@code service cloud.firestore { ... }}. */
  public record ServiceBlock(
      String name, List<FunctionDecl> functions, List<MatchBlock> matches, Pos pos) {}

  /** {@code match /path { ... }} with its own functions, allow statements and nested matches. */
  public record MatchBlock(
      List<PatternSegment> pattern,
      List<FunctionDecl> functions,
      List<AllowStatement> allows,
      List<MatchBlock> children,
      Pos pos) {}

  /** {@code allow get, list: if condition;} (no condition: always). {@code words} as written. */
  public record AllowStatement(
      Set<AccessMethod> methods, List<String> words, Optional<Expr> condition, Pos pos) {}

  /** {@code function name(params) { let x = ...; return expr; }}. */
  public record FunctionDecl(
      String name, List<String> params, List<LetBinding> lets, Expr body, Pos pos) {}

  public record LetBinding(String name, Expr value, Pos pos) {}
}
