package dev.atelier.emulator;

import io.grpc.Status;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** Test-controlled faults: fail the next N commits with a status; delay every response. */
final class Faults {
  /** How many commits are still to fail, and with what: one value, so both change together. */
  private record CommitFailures(int count, Status.Code code) {}

  private static final CommitFailures NONE = new CommitFailures(0, Status.Code.ABORTED);

  private final AtomicReference<CommitFailures> commitFailures = new AtomicReference<>(NONE);
  private volatile long delayMillis;

  void failNextCommits(int count, Status.Code code) {
    if (code == Status.Code.OK) {
      throw new IllegalArgumentException("a failing commit needs a failure code, not OK");
    }
    commitFailures.set(new CommitFailures(Math.max(0, count), code));
  }

  void delayResponses(Duration delay) {
    delayMillis = Math.max(0, delay.toMillis());
  }

  void clear() {
    commitFailures.set(NONE);
    delayMillis = 0;
  }

  /** The status this commit must fail with, if it must (consumes one of the N). */
  Optional<Status.Code> takeCommitFailure() {
    CommitFailures before =
        commitFailures.getAndUpdate(
            f -> f.count() > 0 ? new CommitFailures(f.count() - 1, f.code()) : f);
    return before.count() > 0 ? Optional.of(before.code()) : Optional.empty();
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
