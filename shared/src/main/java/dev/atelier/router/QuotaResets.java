package dev.atelier.router;

import dev.atelier.firestore.Database;
import dev.atelier.firestore.Query;
import dev.atelier.firestore.Snapshot;
import dev.atelier.platform.JsonLog;
import dev.atelier.store.Documents;
import dev.atelier.store.FirestorePaths;
import dev.atelier.store.MappingException;
import dev.atelier.store.Transactions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code reset-model-quotas}: every {@code model_quotas} document whose {@code reset_at} has passed
 * gets {@code tokens_used} 0 and {@code reset_at} = the first boundary of its period after now
 * (UTC; {@link QuotaPeriod#nextBoundaryAfter}), so a run that was missed for days lands on the next
 * future boundary rather than one period after the old one. Each reset is its own transaction that
 * re-reads the quota and resets it only while its {@code reset_at} is still passed: two concurrent
 * runs reset each quota once, and a second run changes nothing. The due quotas are read in pages
 * ordered by {@code reset_at} (a single-field query); a reset quota leaves the result set, the page
 * cursor moves past anything that could not be reset, and the run stops starting pages at its
 * deadline (the next hourly run picks up the rest).
 */
public final class QuotaResets {

  /** Quotas read per page. */
  public static final int DEFAULT_PAGE_SIZE = 100;

  /**
   * What a run did.
   *
   * @param due quotas found with {@code reset_at} passed
   * @param reset quotas this run reset
   * @param alreadyReset due when listed, but reset meanwhile (by a concurrent run)
   * @param invalid documents that do not decode as a quota (logged, left alone)
   * @param finished false when the deadline stopped the run before it saw every due quota
   */
  public record Summary(int due, int reset, int alreadyReset, int invalid, boolean finished) {}

  private final Database db;
  private final Transactions transactions;
  private final Clock clock;
  private final int pageSize;

  public QuotaResets(Database db, Clock clock) {
    this(db, clock, DEFAULT_PAGE_SIZE);
  }

  public QuotaResets(Database db, Clock clock, int pageSize) {
    if (pageSize < 1) {
      throw new IllegalArgumentException("pageSize must be positive");
    }
    this.db = db;
    this.transactions = new Transactions(db);
    this.clock = clock;
    this.pageSize = pageSize;
  }

  /** Resets every due quota, page by page, until none is left or {@code deadline} comes. */
  public Summary run(Instant deadline, JsonLog log) {
    Instant now = clock.instant();
    Query due =
        db.collection(FirestorePaths.modelQuotas())
            .whereLessThanOrEqualTo(ModelQuota.Field.RESET_AT, now)
            .orderBy(ModelQuota.Field.RESET_AT);
    int seen = 0;
    int reset = 0;
    int already = 0;
    int invalid = 0;
    Snapshot last = null;
    while (true) {
      if (!clock.instant().isBefore(deadline)) {
        return new Summary(seen, reset, already, invalid, false);
      }
      Query page = (last == null ? due : due.startAfter(last)).limit(pageSize);
      List<Snapshot> docs = page.get();
      for (Snapshot doc : docs) {
        seen++;
        String path = doc.path();
        try {
          Optional<ModelQuota> after = resetIfDue(path, now);
          if (after.isPresent()) {
            reset++;
            log.info(
                "quota "
                    + doc.id()
                    + " reset; next reset at "
                    + after.get().resetAt()
                    + " ("
                    + after.get().period().wire()
                    + ")");
          } else {
            already++;
          }
        } catch (MappingException e) {
          invalid++;
          log.warn("quota " + path + " is malformed, left alone: " + e.getMessage());
        }
      }
      if (docs.size() < pageSize) {
        return new Summary(seen, reset, already, invalid, true);
      }
      last = docs.get(docs.size() - 1);
    }
  }

  /**
   * In one transaction: when the quota's {@code reset_at} is still at or before {@code now}, sets
   * {@code tokens_used} 0 and {@code reset_at} to its period's next boundary after {@code now}.
   *
   * @return the quota after the reset; empty when it was not due any more (or is gone)
   */
  Optional<ModelQuota> resetIfDue(String path, Instant now) {
    return transactions.run(
        tx -> {
          Optional<ModelQuota> found = Transactions.read(tx, path, ModelQuota.class);
          if (found.isEmpty() || found.get().resetAt().isAfter(now)) {
            return Optional.empty();
          }
          ModelQuota q = found.get();
          ModelQuota next =
              new ModelQuota(
                  q.provider(),
                  q.modelId(),
                  0,
                  q.tokensLimit(),
                  q.period().nextBoundaryAfter(now),
                  q.period(),
                  q.updatedAt());
          tx.update(
              path,
              Documents.update(
                  next,
                  List.of(ModelQuota.Field.TOKENS_USED, ModelQuota.Field.RESET_AT),
                  ModelQuota.Field.UPDATED_AT));
          return Optional.of(next);
        });
  }
}
