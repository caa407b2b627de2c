package dev.atelier.emulator;

import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Test-controlled faults: fail the next N commits (all of them, or only those writing under one
 * path) with a status; delay every response.
 */
final class Faults {
  /**
   * How many commits are still to fail, with what, and which ones (a document path prefix, empty
   * for every commit): one value, so all three change together.
   */
  private record CommitFailures(int count, Status.Code code, String under) {
    /** Whether a commit writing the documents {@code written} (paths below the root) counts. */
    boolean covers(List<String> written) {
      return under.isEmpty()
          || written.stream().anyMatch(path -> path.equals(under) || path.startsWith(under + "/"));
    }
  }

  private static final CommitFailures NONE = new CommitFailures(0, Status.Code.ABORTED, "");

  private final AtomicReference<CommitFailures> commitFailures = new AtomicReference<>(NONE);
  private volatile long delayMillis;

  /**
   * @param under a document or collection path: only commits that write a document at or below it
   *     fail (and count); empty for every commit
   */
  void failNextCommits(int count, Status.Code code, String under) {
    if (code == Status.Code.OK) {
      throw new IllegalArgumentException("a failing commit needs a failure code, not OK");
    }
    commitFailures.set(new CommitFailures(Math.max(0, count), code, checkedPath(under)));
  }

  /** {@code under} if it is a document or collection path (or empty), else IllegalArgument. */
  static String checkedPath(String under) {
    if (under.startsWith("/") || under.endsWith("/") || under.contains("//")) {
      throw new IllegalArgumentException("not a document or collection path: '" + under + "'");
    }
    return under;
  }

  void delayResponses(Duration delay) {
    delayMillis = Math.max(0, delay.toMillis());
  }

  void clear() {
    commitFailures.set(NONE);
    delayMillis = 0;
  }

  /**
   * The status a commit writing {@code writtenPaths} (document paths below the root) must fail
   * with, if it must (consumes one of the N).
   */
  Optional<Status.Code> takeCommitFailure(Supplier<List<String>> writtenPaths) {
    if (commitFailures.get().count() == 0) {
      return Optional.empty(); // almost every commit: no paths worked out
    }
    List<String> written = writtenPaths.get();
    CommitFailures before =
        commitFailures.getAndUpdate(
            f ->
                f.count() > 0 && f.covers(written)
                    ? new CommitFailures(f.count() - 1, f.code(), f.under())
                    : f);
    return before.count() > 0 && before.covers(written)
        ? Optional.of(before.code())
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
