package dev.atelier.emulator;

import io.grpc.Status;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** Test-controlled faults: fail the next N commits with a status; delay every response. */
final class Faults {
  private final AtomicInteger commitsToFail = new AtomicInteger();
  private volatile Status.Code commitFailure = Status.Code.ABORTED;
  private volatile long delayMillis;

  void failNextCommits(int count, Status.Code code) {
    if (code == Status.Code.OK) {
      throw new IllegalArgumentException("a failing commit needs a failure code, not OK");
    }
    commitFailure = code;
    commitsToFail.set(Math.max(0, count));
  }

  void delayResponses(Duration delay) {
    delayMillis = Math.max(0, delay.toMillis());
  }

  void clear() {
    commitsToFail.set(0);
    commitFailure = Status.Code.ABORTED;
    delayMillis = 0;
  }

  /** The status this commit must fail with, if it must (consumes one of the N). */
  Optional<Status.Code> takeCommitFailure() {
    Status.Code code = commitFailure;
    return commitsToFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0
        ? Optional.of(code)
        : Optional.empty();
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
