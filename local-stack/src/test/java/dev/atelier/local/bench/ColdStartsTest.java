package dev.atelier.local.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ColdStartsTest {

  private static Target target(String name) {
    return new Target(
        name,
        port -> {
          throw new UnsupportedOperationException();
        },
        null,
        200);
  }

  private static List<String> names(List<Target> targets) {
    return targets.stream().map(Target::name).toList();
  }

  @Test
  void aVariantFollowsItsFunctionInOddRoundsAndPrecedesItInEvenOnes() {
    List<Target> targets =
        List.of(target("floor"), target("a"), target("a + v"), target("b"), target("b + v"));
    Map<String, String> pairs = Map.of("a + v", "a", "b + v", "b");

    assertEquals(
        List.of("floor", "a", "a + v", "b", "b + v"), names(ColdStarts.order(targets, pairs, 1)));
    assertEquals(
        List.of("a + v", "a", "b + v", "b", "floor"), names(ColdStarts.order(targets, pairs, 2)));
    assertEquals(
        List.of("b", "b + v", "floor", "a", "a + v"), names(ColdStarts.order(targets, pairs, 3)));
  }

  @Test
  void eachRoundStartsOnePlaceLaterSoEveryTargetStartsOnceFromEveryPlace() {
    List<Target> targets = List.of(target("floor"), target("node"), target("a"));

    assertEquals(List.of("floor", "node", "a"), names(ColdStarts.order(targets, Map.of(), 1)));
    assertEquals(List.of("node", "a", "floor"), names(ColdStarts.order(targets, Map.of(), 2)));
    assertEquals(List.of("a", "floor", "node"), names(ColdStarts.order(targets, Map.of(), 3)));
    assertEquals(List.of("floor", "node", "a"), names(ColdStarts.order(targets, Map.of(), 4)));
  }
}
