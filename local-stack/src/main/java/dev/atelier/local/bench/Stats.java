package dev.atelier.local.bench;

import java.util.List;

/** Order statistics over milliseconds (nearest-rank percentiles). */
record Stats(double min, double p50, double p99, double max, int n) {

  static Stats of(List<Double> millis) {
    if (millis.isEmpty()) {
      throw new IllegalArgumentException("no samples");
    }
    List<Double> sorted = millis.stream().sorted().toList();
    return new Stats(
        sorted.get(0),
        percentile(sorted, 50),
        percentile(sorted, 99),
        sorted.get(sorted.size() - 1),
        sorted.size());
  }

  private static double percentile(List<Double> sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }
}
