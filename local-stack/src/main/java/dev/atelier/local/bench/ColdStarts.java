package dev.atelier.local.bench;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Cold start per target over rounds, then warm latency and peak RSS in the last round. */
final class ColdStarts {

  private ColdStarts() {}

  record Result(Stats cold, Stats warm, double peakRssMb) {}

  /**
   * Measures {@code targets} in turn each round; {@code pairs} maps a target to the one it is
   * compared with round by round (the same function without the variant's flags and variables),
   * which it follows in odd rounds and precedes in even ones.
   */
  static void run(List<Target> targets, Map<String, String> pairs, Benchmark.Options options)
      throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    Map<String, List<Double>> cold = new LinkedHashMap<>();
    Map<String, Stats> warm = new LinkedHashMap<>();
    Map<String, Double> rss = new LinkedHashMap<>();
    long n = 0;
    for (int round = 1; round <= options.rounds(); round++) {
      for (Target target : order(targets, pairs, round)) {
        try (Instance instance = Instance.start(target)) {
          instance.call(http, n++);
          double ms = instance.millisSinceStart();
          double cpu = instance.cpuMillis();
          cold.computeIfAbsent(target.name(), k -> new ArrayList<>()).add(ms);
          System.out.printf(
              "[bench] round %d %-28s %7.0f ms (cpu %5.0f ms)%n", round, target.name(), ms, cpu);
          if (round == options.rounds() && options.warm() > 0) {
            List<Double> latencies = new ArrayList<>();
            for (int i = 0; i < options.warm(); i++) {
              long t0 = System.nanoTime();
              instance.call(http, n++);
              latencies.add((System.nanoTime() - t0) / 1e6);
            }
            warm.put(target.name(), Stats.of(latencies));
            rss.put(target.name(), instance.peakRssMb());
          }
        }
      }
    }
    Map<String, Result> results = new LinkedHashMap<>();
    cold.forEach(
        (name, samples) ->
            results.put(
                name, new Result(Stats.of(samples), warm.get(name), rss.getOrDefault(name, 0.0))));
    print(results, targets, options);
    printPairs(cold, pairs, options);
  }

  /**
   * The round's order. Each round starts one place later in the list (round 1 as given, round 2
   * from the second target, ...), so that no target always follows the same one or always starts
   * first: over as many rounds as targets each starts once from every place. A variant stays next
   * to the function it is paired with, and in even rounds starts before it: always second, the
   * variant lost (an A/A run, the same jar both times, had the first of each pair faster in 32 of
   * 52 rounds).
   */
  static List<Target> order(List<Target> targets, Map<String, String> pairs, int round) {
    List<List<Target>> units = new ArrayList<>();
    for (Target target : targets) {
      List<Target> last = units.isEmpty() ? null : units.get(units.size() - 1);
      if (last != null && last.get(0).name().equals(pairs.get(target.name()))) {
        last.add(round % 2 == 0 ? 0 : last.size(), target);
      } else {
        units.add(new ArrayList<>(List.of(target)));
      }
    }
    Collections.rotate(units, -((round - 1) % units.size()));
    List<Target> order = new ArrayList<>();
    units.forEach(order::addAll);
    return order;
  }

  private static void printPairs(
      Map<String, List<Double>> cold, Map<String, String> pairs, Benchmark.Options options) {
    if (pairs.isEmpty()) {
      return;
    }
    System.out.println();
    System.out.printf("Paired rounds: each function with and without %s%n", options.variant());
    System.out.printf(
        "%-28s %14s %14s %16s%n", "function", "faster with", "median ratio", "median without");
    pairs.forEach(
        (twin, base) -> {
          List<Double> with = cold.get(twin);
          List<Double> without = cold.get(base);
          List<Double> ratios = new ArrayList<>();
          int faster = 0;
          for (int i = 0; i < with.size(); i++) {
            ratios.add(with.get(i) / without.get(i));
            faster += with.get(i) < without.get(i) ? 1 : 0;
          }
          System.out.printf(
              "%-28s %8d of %-3d %14.3f %13.0f ms%n",
              base, faster, with.size(), Stats.of(ratios).p50(), Stats.of(without).p50());
        });
  }

  private static void print(
      Map<String, Result> results, List<Target> targets, Benchmark.Options options) {
    double floor = results.get(targets.get(0).name()).cold().p50();
    double node = results.get(targets.get(1).name()).cold().p50();
    Result redeem = results.get("redeem-code");
    System.out.println();
    System.out.printf(
        "Cold start: process start -> port open -> first real answer, %d rounds (ms)%n",
        options.rounds());
    System.out.printf(
        "%-28s %7s %7s %7s %9s %8s %8s %10s%n",
        "target", "min", "median", "max", "-floor", "x node", "x floor", "vs redeem");
    for (Map.Entry<String, Result> e : results.entrySet()) {
      Stats s = e.getValue().cold();
      System.out.printf(
          "%-28s %7.0f %7.0f %7.0f %+9.0f %8.2f %8.2f %9s%n",
          e.getKey(),
          s.min(),
          s.p50(),
          s.max(),
          s.p50() - floor,
          s.p50() / node,
          s.p50() / floor,
          redeem == null
              ? ""
              : String.format("%+.0f%%", 100 * (s.p50() / redeem.cold().p50() - 1)));
    }
    if (options.warm() > 0) {
      System.out.println();
      System.out.printf(
          "Warm: %d sequential requests after the first (ms); peak RSS after them%n",
          options.warm());
      System.out.printf("%-28s %7s %7s %7s %10s%n", "target", "p50", "p99", "max", "peak RSS");
      for (Map.Entry<String, Result> e : results.entrySet()) {
        Stats w = e.getValue().warm();
        System.out.printf(
            "%-28s %7.1f %7.1f %7.1f %7.0f MB%n",
            e.getKey(), w.p50(), w.p99(), w.max(), e.getValue().peakRssMb());
      }
    }
  }
}
