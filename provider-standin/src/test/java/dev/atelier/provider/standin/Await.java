package dev.atelier.provider.standin;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition (the stand-in works in the background) instead of sleeping a fixed time. */
public final class Await {
  private Await() {}

  /**
   * Waits until {@code condition} holds; fails the test with {@code what} after {@code timeout}.
   */
  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }
}
