package dev.atelier.reaper;

import dev.atelier.catalog.SystemConfig;
import dev.atelier.credits.LedgerEntry;
import dev.atelier.credits.LedgerStatus;
import dev.atelier.credits.LedgerType;
import dev.atelier.firestore.Database;
import dev.atelier.firestore.Query;
import dev.atelier.firestore.Snapshot;
import dev.atelier.generations.GenerationError;
import dev.atelier.generations.GenerationItem;
import dev.atelier.generations.GenerationStatus;
import dev.atelier.lifecycle.GenerationService;
import dev.atelier.lifecycle.GenerationService.HoldRelease;
import dev.atelier.lifecycle.GenerationService.Transition;
import dev.atelier.platform.JsonLog;
import dev.atelier.providers.GenerationProvider;
import dev.atelier.providers.Prediction;
import dev.atelier.providers.ProviderException;
import dev.atelier.providers.Providers;
import dev.atelier.results.ProviderResults;
import dev.atelier.results.ProviderResults.Outcome;
import dev.atelier.router.AlertSeverity;
import dev.atelier.router.AlertType;
import dev.atelier.router.Alerts;
import dev.atelier.store.DocumentKey;
import dev.atelier.store.DocumentKind;
import dev.atelier.store.Documents;
import dev.atelier.store.FirestorePaths;
import dev.atelier.store.FirestoreValues;
import dev.atelier.store.MappingException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code reap-stale-jobs}: what keeps a lost webhook or a stuck provider from holding a user's
 * credits forever. One run, in three phases over every user's data (collection-group queries read
 * in bounded pages, each phase stopping at the run's deadline; the next run starts again from the
 * top, where the items fixed so far no longer match):
 *
 * <ol>
 *   <li><b>Poll.</b> A {@code generating} item quiet for more than {@link #QUIET} ({@code
 *       updatedAt} older, and not polled within that time either) that has a provider task is
 *       looked up at its provider ({@code GET} the prediction). A finished prediction goes through
 *       {@link ProviderResults}, exactly the webhook's path (media stored, item completed and HOLD
 *       captured, or failed and HOLD reversed); a running one gets {@code polledAt} = now, so this
 *       run does not ask again and the next run waits another {@link #QUIET}. Items without a task
 *       id (dispatch never recorded) are left to the stale rule.
 *   <li><b>Stale.</b> A {@code generating} item created more than {@code
 *       system/config.limits.staleGenerationMinutes} ago is asked about once more (unless this run
 *       asked already) and, when still unfinished, fails with {@code error.code} TIMED_OUT through
 *       {@link GenerationService#fail} (HOLD reversed in the same transaction); a cancel is then
 *       sent to its provider, best effort.
 *   <li><b>Orphaned holds.</b> A PENDING HOLD ledger entry older than the same window whose item is
 *       missing or no longer {@code generating} is reversed (captured when its item completed)
 *       through the credits code ({@link GenerationService#settleOrphanHold}: entry, applied record
 *       and balance in one transaction).
 * </ol>
 *
 * Every change is a transaction that re-checks the item or hold it changes, so two concurrent runs
 * settle each item and each hold once, and a second run finds nothing. A run that repaired
 * something raises one STALE_JOBS_REAPED alert (warning) per {@link #ALERT_WINDOW}.
 */
public final class StaleJobReaper {

  /** How long a generating item must be quiet before its provider is asked about it. */
  public static final Duration QUIET = Duration.ofMinutes(5);

  /** One STALE_JOBS_REAPED alert per window of this length (the job's schedule). */
  public static final Duration ALERT_WINDOW = Duration.ofMinutes(10);

  /** Documents read per page. */
  public static final int DEFAULT_PAGE_SIZE = 50;

  /**
   * What a run did.
   *
   * @param polled predictions looked up at their provider
   * @param rescuedCompleted items a polled result completed (media stored, HOLD captured)
   * @param rescuedFailed items a polled result failed (HOLD reversed)
   * @param stillRunning polled items whose prediction is still running (marked polled)
   * @param waiting quiet items polled less than {@link #QUIET} ago (left for a later run)
   * @param undispatched quiet items without a provider task (left for the stale rule)
   * @param pollErrors lookups the provider did not answer (or no adapter for the provider)
   * @param timedOut items failed with TIMED_OUT (HOLD reversed)
   * @param cancelsSent cancels the provider accepted after a time-out
   * @param cancelErrors cancels that failed (best effort)
   * @param holdsReversed orphaned PENDING holds reversed
   * @param holdsCaptured PENDING holds of completed items captured (the credits were spent)
   * @param holdsLive old PENDING holds whose item is still generating (left alone)
   * @param alreadySettled items or holds that another run, a webhook or the owner settled meanwhile
   * @param invalid documents that do not decode (logged, left alone)
   * @param finished false when the deadline stopped the run before it saw everything
   * @param alerted whether this run raised the window's STALE_JOBS_REAPED alert
   */
  public record Summary(
      int polled,
      int rescuedCompleted,
      int rescuedFailed,
      int stillRunning,
      int waiting,
      int undispatched,
      int pollErrors,
      int timedOut,
      int cancelsSent,
      int cancelErrors,
      int holdsReversed,
      int holdsCaptured,
      int holdsLive,
      int alreadySettled,
      int invalid,
      boolean finished,
      boolean alerted) {

    /** Repairs made: items rescued or timed out, holds reversed or captured. */
    public int repaired() {
      return rescuedCompleted + rescuedFailed + timedOut + holdsReversed + holdsCaptured;
    }
  }

  private final Database db;
  private final GenerationService generations;
  private final ProviderResults results;
  private final Providers providers;
  private final Clock clock;
  private final int pageSize;

  public StaleJobReaper(
      Database db,
      GenerationService generations,
      ProviderResults results,
      Providers providers,
      Clock clock,
      int pageSize) {
    if (pageSize < 1) {
      throw new IllegalArgumentException("pageSize must be positive");
    }
    this.db = db;
    this.generations = generations;
    this.results = results;
    this.providers = providers;
    this.clock = clock;
    this.pageSize = pageSize;
  }

  public Summary run(Instant deadline, JsonLog log) {
    Run run = new Run(clock.instant(), deadline, staleAfter(), log);
    boolean finished =
        walk(pollQuery(run), run, doc -> pollQuiet(doc, run))
            && walk(staleQuery(run), run, doc -> reapStale(doc, run))
            && walk(holdQuery(run), run, doc -> releaseHold(doc, run));
    Summary summary = run.summary(finished, false);
    if (summary.repaired() > 0) {
      summary = run.summary(finished, alert(run, summary));
    }
    return summary;
  }

  // ---- the three queries (indexes: firestore.indexes.json, items and ledger collection groups)

  /** Generating items not updated since the quiet cutoff, oldest first. */
  private Query pollQuery(Run run) {
    return db.collectionGroup(FirestorePaths.HISTORY_ITEMS_GROUP)
        .whereEqualTo(
            GenerationItem.Field.STATUS, FirestoreValues.toFirestore(GenerationStatus.GENERATING))
        .whereLessThan(GenerationItem.Field.UPDATED_AT, run.quietCutoff)
        .orderBy(GenerationItem.Field.UPDATED_AT);
  }

  /** Generating items created before the stale cutoff, oldest first. */
  private Query staleQuery(Run run) {
    return db.collectionGroup(FirestorePaths.HISTORY_ITEMS_GROUP)
        .whereEqualTo(
            GenerationItem.Field.STATUS, FirestoreValues.toFirestore(GenerationStatus.GENERATING))
        .whereLessThan(GenerationItem.Field.CREATED_AT, run.staleCutoff)
        .orderBy(GenerationItem.Field.CREATED_AT);
  }

  /** PENDING holds created before the stale cutoff, oldest first. */
  private Query holdQuery(Run run) {
    return db.collectionGroup(FirestorePaths.LEDGER_GROUP)
        .whereEqualTo(LedgerEntry.Field.TYPE, FirestoreValues.toFirestore(LedgerType.HOLD))
        .whereEqualTo(LedgerEntry.Field.STATUS, FirestoreValues.toFirestore(LedgerStatus.PENDING))
        .whereLessThan(LedgerEntry.Field.CREATED_AT, run.staleCutoff)
        .orderBy(LedgerEntry.Field.CREATED_AT);
  }

  // ---- phase 1: poll quiet items

  private void pollQuiet(Snapshot doc, Run run) {
    Optional<GenerationItem> item = decode(doc, run);
    if (item.isEmpty()) {
      return;
    }
    GenerationItem it = item.get();
    if (it.polledAt() != null && it.polledAt().isAfter(run.quietCutoff)) {
      run.waiting++;
      return;
    }
    if (it.provider() == null || it.providerTaskId() == null) {
      run.undispatched++;
      return;
    }
    if (ask(it, run) == Answer.RUNNING) {
      Transition t = generations.markPolled(it.uid(), it.id(), run.now);
      if (t instanceof Transition.Done) {
        run.stillRunning++;
      } else {
        run.alreadySettled++;
      }
    }
  }

  // ---- phase 2: time out stale items

  private void reapStale(Snapshot doc, Run run) {
    Optional<GenerationItem> item = decode(doc, run);
    if (item.isEmpty()) {
      return;
    }
    GenerationItem it = item.get();
    // A last look before giving up, unless this run asked already: a result that arrived in the
    // meantime must not be lost to a time-out.
    if (it.provider() != null
        && it.providerTaskId() != null
        && !run.asked.contains(FirestorePaths.historyItem(it.uid(), it.id()))) {
      Answer answer = ask(it, run);
      if (answer == Answer.SETTLED) {
        return;
      }
    }
    long minutes = run.staleAfter.toMinutes();
    Transition t =
        generations.fail(
            it.uid(),
            it.id(),
            new GenerationError(
                GenerationError.TIMED_OUT,
                "no result from the provider within " + minutes + " minutes"));
    if (!(t instanceof Transition.Done)) {
      run.alreadySettled++;
      return;
    }
    run.timedOut++;
    run.log.warn(
        "generation "
            + it.uid()
            + "/"
            + it.id()
            + " timed out after "
            + minutes
            + " minutes "
            + (it.providerTaskId() == null
                ? "(never dispatched)"
                : "at " + it.provider() + " (task " + it.providerTaskId() + ")")
            + "; HOLD reversed");
    if (it.provider() != null && it.providerTaskId() != null) {
      Optional<GenerationProvider> adapter = providers.adapter(it.provider());
      if (adapter.isEmpty()) {
        run.cancelErrors++;
        return;
      }
      try {
        adapter.get().cancel(it.providerTaskId());
        run.cancelsSent++;
      } catch (ProviderException e) {
        // Best effort: a late result for a failed item changes nothing anyway.
        run.cancelErrors++;
        run.log.warn(
            "cancel of " + it.provider() + " task " + it.providerTaskId() + " failed: " + e);
      }
    }
  }

  // ---- phase 3: settle orphaned holds

  private void releaseHold(Snapshot doc, Run run) {
    Optional<DocumentKey> key =
        FirestorePaths.parse(doc.path()).filter(k -> k.kind() == DocumentKind.LEDGER_ENTRY);
    if (key.isEmpty()) {
      run.invalid++;
      return;
    }
    String uid = key.get().id("uid");
    String entryId = key.get().id("entryId");
    HoldRelease released;
    try {
      released = generations.settleOrphanHold(uid, entryId);
    } catch (MappingException e) {
      run.invalid++;
      run.log.warn("ledger entry " + uid + "/" + entryId + " is malformed: " + e.getMessage());
      return;
    }
    switch (released) {
      case REVERSED -> {
        run.holdsReversed++;
        run.log.warn(
            "orphaned hold " + uid + "/" + entryId + " reversed (its item is gone or finished)");
      }
      case CAPTURED -> {
        run.holdsCaptured++;
        run.log.warn("hold " + uid + "/" + entryId + " captured (its item completed)");
      }
      case LIVE -> run.holdsLive++;
      case NOT_PENDING -> run.alreadySettled++;
      case NOT_A_HOLD, NO_ACCOUNT -> {
        run.invalid++;
        run.log.warn("hold " + uid + "/" + entryId + " left alone: " + released);
      }
    }
  }

  // ---- shared steps

  private enum Answer {
    /** The provider's result was applied, or the item was settled by someone else. */
    SETTLED,
    /** The prediction is still running. */
    RUNNING,
    /** No answer from the provider. */
    ERROR
  }

  /** Looks the item's prediction up and applies a finished one (the webhook's path). */
  private Answer ask(GenerationItem item, Run run) {
    run.asked.add(FirestorePaths.historyItem(item.uid(), item.id()));
    JsonLog log =
        run.log
            .with("uid", item.uid())
            .with("itemId", item.id())
            .with("provider", item.provider())
            .with("taskId", item.providerTaskId());
    Optional<GenerationProvider> adapter = providers.adapter(item.provider());
    if (adapter.isEmpty()) {
      run.pollErrors++;
      log.warn("no adapter configured for provider " + item.provider());
      return Answer.ERROR;
    }
    Prediction prediction;
    try {
      prediction = adapter.get().get(item.providerTaskId());
    } catch (ProviderException e) {
      run.pollErrors++;
      log.warn("poll failed (" + e.kind() + "): " + e.getMessage());
      return Answer.ERROR;
    }
    run.polled++;
    Outcome outcome = results.apply(item, prediction, log);
    if (outcome instanceof Outcome.StillRunning) {
      return Answer.RUNNING;
    }
    if (outcome instanceof Outcome.Applied applied) {
      if (applied.status() == GenerationStatus.COMPLETED) {
        run.rescuedCompleted++;
      } else {
        run.rescuedFailed++;
      }
      log.info("lost webhook: the polled result made the item " + applied.status().wire());
    } else {
      run.alreadySettled++;
    }
    return Answer.SETTLED;
  }

  private Optional<GenerationItem> decode(Snapshot doc, Run run) {
    try {
      return Documents.read(doc, GenerationItem.class);
    } catch (MappingException e) {
      run.invalid++;
      run.log.warn("history item " + doc.path() + " is malformed: " + e.getMessage());
      return Optional.empty();
    }
  }

  @FunctionalInterface
  private interface Visitor {
    void visit(Snapshot doc);
  }

  /**
   * Visits {@code query}'s documents page by page ({@link #pageSize} at a time, each page after the
   * last document seen, so a document that stays matched is not visited twice); false when the
   * deadline stopped it.
   */
  private boolean walk(Query query, Run run, Visitor visitor) {
    Snapshot last = null;
    while (run.beforeDeadline()) {
      Query page = (last == null ? query : query.startAfter(last)).limit(pageSize);
      List<Snapshot> docs = page.get();
      for (Snapshot doc : docs) {
        if (!run.beforeDeadline()) {
          return false;
        }
        visitor.visit(doc);
      }
      if (docs.size() < pageSize) {
        return true;
      }
      last = docs.get(docs.size() - 1);
    }
    return false;
  }

  private boolean alert(Run run, Summary summary) {
    long window = ALERT_WINDOW.toSeconds();
    Instant windowStart =
        Instant.ofEpochSecond(Math.floorDiv(run.now.getEpochSecond(), window) * window);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("window", windowStart.toString());
    details.put("rescuedCompleted", (long) summary.rescuedCompleted());
    details.put("rescuedFailed", (long) summary.rescuedFailed());
    details.put("timedOut", (long) summary.timedOut());
    details.put("holdsReversed", (long) summary.holdsReversed());
    details.put("holdsCaptured", (long) summary.holdsCaptured());
    return new Alerts(db, clock, run.log)
        .raise(
            AlertType.STALE_JOBS_REAPED,
            AlertSeverity.WARNING,
            null,
            "reap-stale-jobs repaired "
                + summary.repaired()
                + " stuck generation(s) or hold(s): "
                + summary.timedOut()
                + " timed out, "
                + (summary.rescuedCompleted() + summary.rescuedFailed())
                + " rescued by polling, "
                + summary.holdsReversed()
                + " orphaned hold(s) reversed, "
                + summary.holdsCaptured()
                + " hold(s) of completed items captured",
            details,
            "reap-stale-jobs/" + windowStart);
  }

  private Duration staleAfter() {
    long minutes =
        Documents.read(db.get(FirestorePaths.systemConfig()), SystemConfig.class)
            .orElseThrow(
                () -> new IllegalStateException("system/config is missing: load the catalog seed"))
            .limits()
            .staleGenerationMinutes();
    return Duration.ofMinutes(Math.max(1, minutes));
  }

  /** One run's clock readings, counters and the items it has asked about. */
  private final class Run {
    final Instant now;
    final Instant deadline;
    final Duration staleAfter;
    final Instant quietCutoff;
    final Instant staleCutoff;
    final JsonLog log;
    final Set<String> asked = new HashSet<>();
    int polled;
    int rescuedCompleted;
    int rescuedFailed;
    int stillRunning;
    int waiting;
    int undispatched;
    int pollErrors;
    int timedOut;
    int cancelsSent;
    int cancelErrors;
    int holdsReversed;
    int holdsCaptured;
    int holdsLive;
    int alreadySettled;
    int invalid;

    Run(Instant now, Instant deadline, Duration staleAfter, JsonLog log) {
      this.now = now;
      this.deadline = deadline;
      this.staleAfter = staleAfter;
      this.quietCutoff = now.minus(QUIET);
      this.staleCutoff = now.minus(staleAfter);
      this.log = log;
    }

    boolean beforeDeadline() {
      return clock.instant().isBefore(deadline);
    }

    Summary summary(boolean finished, boolean alerted) {
      return new Summary(
          polled,
          rescuedCompleted,
          rescuedFailed,
          stillRunning,
          waiting,
          undispatched,
          pollErrors,
          timedOut,
          cancelsSent,
          cancelErrors,
          holdsReversed,
          holdsCaptured,
          holdsLive,
          alreadySettled,
          invalid,
          finished,
          alerted);
    }
  }
}
