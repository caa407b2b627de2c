package dev.atelier.usage;

import dev.atelier.catalog.SystemConfig;
import dev.atelier.firestore.Database;
import dev.atelier.firestore.Snapshot;
import dev.atelier.platform.Refusal;
import dev.atelier.store.Documents;
import dev.atelier.store.FirestorePaths;
import dev.atelier.store.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The shared rate limiter of every user-facing write: fixed windows of one minute and one hour per
 * uid and function, counted in {@code rate_limit_logs/{uid}_{function}_{window}} in one transaction
 * (so concurrent requests cannot both take the last slot). A refused request writes nothing; an
 * allowed one increments both windows. Windows expire ({@code expires_at}, TTL) an hour after they
 * end.
 */
public final class RateLimiter {

  /** What the limiter decided. */
  public sealed interface Decision {
    record Allowed() implements Decision {}

    /** Over the limit of {@code window} ("minute" or "hour"); retry after {@code retryAfter}. */
    record Limited(String window, long limit, Duration retryAfter) implements Decision {}
  }

  private record Window(String name, String key, Instant start, Instant end, long limit) {}

  private final Database db;
  private final Transactions transactions;
  private final Clock clock;

  public RateLimiter(Database db, Clock clock) {
    this.db = db;
    this.transactions = new Transactions(db);
    this.clock = clock;
  }

  /**
   * Counts one call, or refuses it (RATE_LIMITED, retry after the end of the exceeded window)
   * having written nothing.
   */
  public void enforce(String uid, String function, SystemConfig.RateLimit limit) {
    if (acquire(uid, function, limit) instanceof Decision.Limited limited) {
      throw new Refusal(
          Refusal.Problem.RATE_LIMITED,
          "too many requests: at most " + limited.limit() + " per " + limited.window(),
          Map.of(
              "window",
              limited.window(),
              "limit",
              limited.limit(),
              "retryAfterSeconds",
              Math.max(1, (limited.retryAfter().toMillis() + 999) / 1000)),
          limited.retryAfter());
    }
  }

  /** Counts one call of {@code uid} to {@code function} if both windows have room. */
  public Decision acquire(String uid, String function, SystemConfig.RateLimit limit) {
    Instant now = clock.instant();
    long minute = now.getEpochSecond() / 60;
    long hour = now.getEpochSecond() / 3600;
    List<Window> windows =
        List.of(
            new Window(
                "minute",
                "m" + minute,
                Instant.ofEpochSecond(minute * 60),
                Instant.ofEpochSecond((minute + 1) * 60),
                limit.requestsPerMinute()),
            new Window(
                "hour",
                "h" + hour,
                Instant.ofEpochSecond(hour * 3600),
                Instant.ofEpochSecond((hour + 1) * 3600),
                limit.requestsPerHour()));
    List<String> paths =
        windows.stream().map(w -> FirestorePaths.rateLimitWindow(uid, function, w.key())).toList();
    return transactions.run(
        tx -> {
          // Both windows in one round trip.
          List<Snapshot> snaps = tx.getAll(paths);
          long[] counts = new long[windows.size()];
          for (int i = 0; i < windows.size(); i++) {
            Window w = windows.get(i);
            counts[i] =
                Documents.read(snaps.get(i), RateLimitLog.class)
                    .map(RateLimitLog::requestCount)
                    .orElse(0L);
            if (counts[i] >= w.limit()) {
              Duration wait = Duration.between(now, w.end());
              return new Decision.Limited(
                  w.name(),
                  w.limit(),
                  wait.isNegative() || wait.isZero() ? Duration.ofSeconds(1) : wait);
            }
          }
          for (int i = 0; i < windows.size(); i++) {
            Window w = windows.get(i);
            RateLimitLog next =
                new RateLimitLog(
                    w.key(),
                    uid,
                    function,
                    counts[i] + 1,
                    w.start(),
                    w.end(),
                    now,
                    false,
                    w.end().plus(RateLimitLog.RETENTION));
            tx.set(paths.get(i), Documents.encode(next));
          }
          return new Decision.Allowed();
        });
  }
}
