package dev.atelier.emulator;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** Test-controlled faults: abort the next N commits; delay every response. */
final class Faults {
  private final AtomicInteger commitsToAbort = new AtomicInteger();
  private volatile long delayMillis;

  void abortNextCommits(int count) {
    commitsToAbort.set(Math.max(0, count));
  }

  void delayResponses(Duration delay) {
    delayMillis = Math.max(0, delay.toMillis());
  }

  void clear() {
    commitsToAbort.set(0);
    delayMillis = 0;
  }

  /** True if this commit must fail with ABORTED (consumes one of the N). */
  boolean takeCommitAbort() {
    return commitsToAbort.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
  }

  boolean delaying() {
    return delayMillis > 0;
  }

  void delay() {
    long millis = delayMillis;
    if (millis > 0) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
