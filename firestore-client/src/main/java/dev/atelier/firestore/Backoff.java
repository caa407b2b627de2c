package dev.atelier.firestore;

import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter between attempts: ~100 ms, ×1.5 each time, at most 5 s. */
final class Backoff {
  private static final double INITIAL_MILLIS = 100;
  private static final double MULTIPLIER = 1.5;
  private static final double MAX_MILLIS = 5_000;

  private Backoff() {}

  /** Waits before attempt {@code failed + 1}. */
  static void sleep(int failed) {
    double base = Math.min(MAX_MILLIS, INITIAL_MILLIS * Math.pow(MULTIPLIER, failed - 1));
    long millis = (long) (base * ThreadLocalRandom.current().nextDouble(0.5, 1.5));
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to retry", e);
    }
  }
}
