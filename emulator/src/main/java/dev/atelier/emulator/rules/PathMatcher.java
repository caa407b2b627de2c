package dev.atelier.emulator.rules;

import dev.atelier.emulator.rules.eval.Val;
import dev.atelier.emulator.rules.lang.Declarations.MatchBlock;
import dev.atelier.emulator.rules.lang.PatternSegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the match blocks whose whole path (the patterns of the block and of the blocks around it)
 * matches a request path, with the values of their wildcards. A literal matches only a known equal
 * segment; {@code {x}} one segment (an unknown one binds x to unknown); {@code {x=**}} any run of
 * segments (at least one under rules_version 1) and binds it as a path, or as unknown when the run
 * holds unknown segments. Only a recursive wildcard can stand for an {@link PathSegment.AnyRun}, so
 * a pattern matches an incompletely known path only if it matches every path it may be.
 */
final class PathMatcher {
  private final List<PathSegment> path;
  private final int minimumRecursive;

  /**
   * A matched block with the wildcard values of it and of each enclosing block, outermost first.
   */
  record Match(List<MatchBlock> blocks, List<Map<String, Val>> wildcards) {
    MatchBlock block() {
      return blocks.get(blocks.size() - 1);
    }
  }

  private PathMatcher(List<PathSegment> path, boolean version2) {
    this.path = path;
    this.minimumRecursive = version2 ? 0 : 1;
  }

  static List<Match> matches(List<MatchBlock> roots, List<PathSegment> path, boolean version2) {
    List<Match> out = new ArrayList<>();
    new PathMatcher(path, version2).walk(roots, 0, new ArrayList<>(), new ArrayList<>(), out);
    return out;
  }

  private void walk(
      List<MatchBlock> blocks,
      int position,
      List<MatchBlock> chain,
      List<Map<String, Val>> bindings,
      List<Match> out) {
    for (MatchBlock block : blocks) {
      List<End> ends = new ArrayList<>();
      pattern(block.pattern(), 0, position, new LinkedHashMap<>(), ends);
      for (End end : ends) {
        List<MatchBlock> nextChain = new ArrayList<>(chain);
        nextChain.add(block);
        List<Map<String, Val>> nextBindings = new ArrayList<>(bindings);
        nextBindings.add(end.wildcards());
        if (end.position() == path.size()) {
          out.add(new Match(nextChain, nextBindings));
        }
        walk(block.children(), end.position(), nextChain, nextBindings, out);
      }
    }
  }

  private record End(int position, Map<String, Val> wildcards) {}

  private void pattern(
      List<PatternSegment> pattern,
      int index,
      int position,
      Map<String, Val> bound,
      List<End> ends) {
    if (index == pattern.size()) {
      ends.add(new End(position, new LinkedHashMap<>(bound)));
      return;
    }
    PatternSegment segment = pattern.get(index);
    if (segment instanceof PatternSegment.Literal literal) {
      if (position < path.size()
          && path.get(position) instanceof PathSegment.Known known
          && known.text().equals(literal.text())) {
        pattern(pattern, index + 1, position + 1, bound, ends);
      }
    } else if (segment instanceof PatternSegment.Single single) {
      if (position < path.size() && !(path.get(position) instanceof PathSegment.AnyRun)) {
        Map<String, Val> next = new LinkedHashMap<>(bound);
        next.put(single.variable(), value(path.get(position)));
        pattern(pattern, index + 1, position + 1, next, ends);
      }
    } else {
      String variable = ((PatternSegment.Recursive) segment).variable();
      for (int end = position + minimumRecursive; end <= path.size(); end++) {
        List<PathSegment> absorbed = path.subList(position, end);
        if (minimumRecursive == 1
            && absorbed.stream().anyMatch(s -> s instanceof PathSegment.AnyRun)) {
          continue; // rules_version 1: a run that may be empty does not match
        }
        Map<String, Val> next = new LinkedHashMap<>(bound);
        next.put(variable, run(absorbed));
        pattern(pattern, index + 1, end, next, ends);
      }
    }
  }

  private static Val value(PathSegment segment) {
    if (segment instanceof PathSegment.Known known) {
      return new Val.Str(known.text());
    }
    return new Val.Unknown(((PathSegment.AnyOne) segment).what());
  }

  private static Val run(List<PathSegment> segments) {
    List<String> texts = new ArrayList<>();
    for (PathSegment s : segments) {
      if (!(s instanceof PathSegment.Known known)) {
        return new Val.Unknown("the path of the documents");
      }
      texts.add(known.text());
    }
    return new Val.PathV(texts);
  }
}
