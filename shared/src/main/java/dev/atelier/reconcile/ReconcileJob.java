package dev.atelier.reconcile;

import dev.atelier.credits.AppliedEntry;
import dev.atelier.credits.Balance;
import dev.atelier.credits.BalanceRepair;
import dev.atelier.credits.CreditService;
import dev.atelier.credits.LedgerAudit;
import dev.atelier.firestore.Database;
import dev.atelier.firestore.FieldPath;
import dev.atelier.firestore.FieldValue;
import dev.atelier.firestore.Query;
import dev.atelier.firestore.Snapshot;
import dev.atelier.generations.GenerationItem;
import dev.atelier.generations.Media;
import dev.atelier.maintenance.MaintenanceState;
import dev.atelier.maintenance.Sweep;
import dev.atelier.media.MediaStore;
import dev.atelier.mirror.MirrorService;
import dev.atelier.platform.FirestoreTrigger;
import dev.atelier.platform.JsonLog;
import dev.atelier.platform.Transient;
import dev.atelier.router.AlertSeverity;
import dev.atelier.router.AlertType;
import dev.atelier.router.Alerts;
import dev.atelier.store.DocumentKey;
import dev.atelier.store.DocumentKind;
import dev.atelier.store.Documents;
import dev.atelier.store.FirestorePaths;
import dev.atelier.store.MappingException;
import dev.atelier.store.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The daily {@code reconcile} job, in four phases, each a bounded walk from a cursor saved in
 * {@code maintenance/reconcile} ({@link Sweep}), so a run over any number of documents holds one
 * page at a time, stops before its deadline and the next run resumes where it stopped:
 *
 * <ol>
 *   <li>{@code ledger}: every account ({@code credits/{uid}/balance/current}, a collection-group
 *       walk). Its ledger entries and applied records are merged page by page (both ordered by id);
 *       an entry the trigger has not brought in step is applied through {@link
 *       CreditService#applyLedgerEntry} (the trigger's own projection, so reconcile never fights
 *       it); then, when anything was applied or the balance differs from Σ of the applied records
 *       read, {@link BalanceRepair} re-checks and repairs in one transaction (LEDGER_DRIFT alert in
 *       that transaction, once per uid and day). Σ of what the entries themselves claim is compared
 *       too, and a difference is logged.
 *   <li>{@code mirrors}: every {@code generations/{id}}: its item and owner are read per page; a
 *       mirror that is not the projection of a public, completed, undeleted item is removed or
 *       rewritten through {@link MirrorService#sync} (the trigger's transaction), one MIRROR_DRIFT
 *       alert per repair.
 *   <li>{@code feed}: every public history item (collection-group query {@code isPublic == true});
 *       one that belongs in the feed but has no mirror gets it through {@link MirrorService#sync}.
 *   <li>{@code media}: history items soft-deleted more than {@link Settings#mediaRetention} ago, in
 *       {@code deletedAt} order from a watermark (each visited once, ever): their stored objects
 *       are deleted ({@link MediaStore#delete}) and the item is marked {@code mediaPurgedAt}.
 * </ol>
 *
 * Each phase gets an equal share of the time left when it starts (what a phase leaves unused goes
 * to the next ones, and a phase still unfinished gets another round while time is left), so a large
 * ledger cannot starve the mirror audit. Items and mirrors changed within {@link
 * Settings#triggerGrace} are left to their trigger (counted, not touched). Safe to run concurrently
 * with itself: every repair re-reads in its own transaction and alerts have deterministic ids, so
 * two runs repair and alert each finding once.
 */
public final class ReconcileJob {

  public static final String JOB = "reconcile";
  public static final String LEDGER = "ledger";
  public static final String MIRRORS = "mirrors";
  public static final String FEED = "feed";
  public static final String MEDIA = "media";

  /** Fields of {@code maintenance/reconcile} beside the sweep cursors: the pass in progress. */
  private static final String CYCLE = "cycle";

  private static final String CYCLE_STARTED_AT = "cycleStartedAt";
  private static final String DONE = "done";
  private static final String LAST_CYCLE_FINISHED_AT = "lastCycleFinishedAt";

  /**
   * A pass still unfinished after this long (a phase failing day after day) is given up: the next
   * run starts a new one, so the other phases are walked again (the failing one keeps its cursor).
   */
  private static final Duration MAX_CYCLE_AGE = Duration.ofDays(7);

  /** Deleted items whose media is purged at once (each a few Cloud Storage round trips). */
  private static final int PURGE_THREADS = 8;

  /**
   * Page sizes and ages.
   *
   * @param accountsPerPage accounts per page of the ledger phase
   * @param entriesPerPage ledger entries (and applied records) read per query of one account
   * @param mirrorsPerPage mirror documents per page
   * @param itemsPerPage public history items per page
   * @param deletedPerPage deleted history items per page of the media phase
   * @param mediaRetention how long after soft deletion media is kept (30 days)
   * @param triggerGrace items and mirrors written this recently are left to the mirror trigger
   */
  public record Settings(
      int accountsPerPage,
      int entriesPerPage,
      int mirrorsPerPage,
      int itemsPerPage,
      int deletedPerPage,
      Duration mediaRetention,
      Duration triggerGrace) {

    public static Settings defaults() {
      return new Settings(25, 500, 200, 300, 100, Duration.ofDays(30), Duration.ofMinutes(10));
    }

    public Settings withPageSize(int size) {
      return new Settings(size, size, size, size, size, mediaRetention, triggerGrace);
    }
  }

  /**
   * One phase's walk in this run: documents and pages (queries) visited, wall time spent, whether
   * it reached the end, whether it started from a cursor a previous run saved, and whether it was
   * skipped because an earlier run of the same pass finished it.
   */
  public record PhaseSummary(
      int visited, int pages, long elapsedMs, boolean finished, boolean resumed, boolean skipped) {}

  /** The counts of one run: the JSON answer and the log line. */
  public record Summary(
      int accountsChecked,
      int accountsDrifted,
      int suspectsInStep,
      int balancesRepaired,
      int balancesUnrepairable,
      long creditsWrittenOff,
      int entriesApplied,
      int ledgerMismatches,
      int mirrorsChecked,
      int publicItemsChecked,
      int mirrorsWritten,
      int mirrorsRemoved,
      int leftToTrigger,
      int deletedItemsChecked,
      int mediaItemsPurged,
      int mediaObjectsDeleted,
      int alertsRaised,
      int errors,
      boolean resumed,
      boolean finished,
      Map<String, PhaseSummary> phases) {}

  private final Database db;
  private final Clock clock;
  private final MediaStore media;
  private final Settings settings;

  public ReconcileJob(Database db, Clock clock, MediaStore media, Settings settings) {
    this.db = db;
    this.clock = clock;
    this.media = media;
    this.settings = settings;
  }

  /** One run until {@code deadline}; throws the first phase failure after the other phases ran. */
  public Summary run(Instant deadline, JsonLog log) throws Exception {
    return new Run(deadline, log).run();
  }

  /** The state of one run. */
  private final class Run {
    private final Instant deadline;
    private final JsonLog log;
    private final Alerts alerts;
    private final CreditService credits;
    private final BalanceRepair repair;
    private final MirrorService mirror;
    private final Sweep sweep;
    private final Transactions transactions;
    private final String day;
    private final Map<String, PhaseSummary> phases = new LinkedHashMap<>();
    private ExecutorService purgers;

    private int accountsChecked;
    private int accountsDrifted;
    private int suspectsInStep;
    private int balancesRepaired;
    private int balancesUnrepairable;
    private long creditsWrittenOff;
    private int entriesApplied;
    private int ledgerMismatches;
    private int mirrorsChecked;
    private int publicItemsChecked;
    private int mirrorsWritten;
    private int mirrorsRemoved;
    private int leftToTrigger;
    private int deletedItemsChecked;
    private int mediaItemsPurged;
    private int mediaObjectsDeleted;
    private int alertsRaised;
    private int errors;

    Run(Instant deadline, JsonLog log) {
      this.deadline = deadline;
      this.log = log;
      this.alerts = new Alerts(db, clock, log);
      this.credits = new CreditService(db, clock);
      this.repair = new BalanceRepair(db, alerts);
      this.mirror = new MirrorService(db);
      this.sweep = new Sweep(db, clock);
      this.transactions = new Transactions(db);
      this.day = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).toString();
    }

    /**
     * Rounds over the phases not finished yet, each with an equal share of the time left, until all
     * finished or the deadline passed: a phase that needs more than its share gets what the others
     * left in the next round. A phase that failed is not retried in this run.
     */
    Summary run() throws Exception {
      try {
        return rounds();
      } finally {
        if (purgers != null) {
          purgers.shutdownNow();
        }
      }
    }

    private Summary rounds() throws Exception {
      Cycle cycle = openCycle();
      List<String> open = new ArrayList<>();
      for (String phase : List.of(LEDGER, MIRRORS, FEED, MEDIA)) {
        if (cycle.done().contains(phase)) {
          phases.put(phase, new PhaseSummary(0, 0, 0, true, true, true));
        } else {
          open.add(phase);
        }
      }
      Exception failure = null;
      while (!open.isEmpty() && clock.instant().isBefore(deadline)) {
        List<String> round = List.copyOf(open);
        for (int i = 0; i < round.size(); i++) {
          String phase = round.get(i);
          Instant now = clock.instant();
          Duration left = Duration.between(now, deadline);
          Instant phaseDeadline =
              left.isNegative() ? deadline : now.plus(left.dividedBy(round.size() - i));
          try {
            PhaseSummary done = walk(phase, phaseDeadline);
            phases.merge(phase, done, Run::add);
            if (done.finished()) {
              open.remove(phase);
              markDone(cycle, phase);
            }
          } catch (Exception e) {
            failure = failure == null ? e : failure;
            errors++;
            open.remove(phase);
            phases.merge(phase, new PhaseSummary(0, 0, 0, false, false, false), Run::add);
            log.error("reconcile phase " + phase + " stopped", e);
          }
        }
      }
      Summary summary = summary(!cycle.done().isEmpty());
      if (summary.finished()) {
        closeCycle(cycle);
      }
      if (failure != null) {
        log.log(JsonLog.Severity.ERROR, "reconcile run failed", Map.of("summary", summary));
        throw failure;
      }
      return summary;
    }

    /**
     * The pass over all four phases this run belongs to: phases finished by an earlier run of the
     * same pass are not walked again until the pass completes (a finished walk has no cursor, so
     * walking it again would start over) or is older than {@link #MAX_CYCLE_AGE}. Kept in {@code
     * maintenance/reconcile} ({@code cycle}: the pass's id, {@code done}: phase → when it
     * finished), changed only in transactions that check the id, so a slower concurrent run cannot
     * mark a phase done in the next pass.
     */
    private record Cycle(String id, Set<String> done) {}

    private Cycle openCycle() {
      String ref = FirestorePaths.maintenanceState(JOB);
      return transactions.run(
          tx -> {
            Snapshot state = tx.get(ref);
            boolean stale =
                state.get(CYCLE_STARTED_AT) instanceof Instant t
                    && t.isBefore(clock.instant().minus(MAX_CYCLE_AGE));
            if (state.get(CYCLE) instanceof String id && !stale) {
              Set<String> done = new TreeSet<>();
              if (state.get(DONE) instanceof Map<?, ?> m) {
                m.keySet().forEach(k -> done.add(String.valueOf(k)));
              }
              return new Cycle(id, done);
            }
            String id = UUID.randomUUID().toString();
            Map<String, Object> start = new LinkedHashMap<>();
            start.put(MaintenanceState.Field.JOB, JOB);
            start.put(CYCLE, id);
            start.put(CYCLE_STARTED_AT, FieldValue.serverTimestamp());
            start.put(DONE, FieldValue.delete());
            start.put(Documents.SCHEMA_VERSION_FIELD, Documents.SCHEMA_VERSION);
            tx.merge(ref, start);
            return new Cycle(id, Set.of());
          });
    }

    private void markDone(Cycle cycle, String phase) {
      String ref = FirestorePaths.maintenanceState(JOB);
      transactions.run(
          tx -> {
            Snapshot state = tx.get(ref);
            if (cycle.id().equals(state.get(CYCLE))) {
              tx.updatePaths(ref, Map.of(FieldPath.of(DONE, phase), FieldValue.serverTimestamp()));
            }
            return null;
          });
    }

    private void closeCycle(Cycle cycle) {
      String ref = FirestorePaths.maintenanceState(JOB);
      transactions.run(
          tx -> {
            Snapshot state = tx.get(ref);
            if (cycle.id().equals(state.get(CYCLE))) {
              Map<String, Object> end = new LinkedHashMap<>();
              end.put(CYCLE, FieldValue.delete());
              end.put(DONE, FieldValue.delete());
              end.put(LAST_CYCLE_FINISHED_AT, FieldValue.serverTimestamp());
              tx.update(ref, end);
            }
            return null;
          });
    }

    /** A phase over two rounds: counts add up, the walk resumed if its first round did. */
    private static PhaseSummary add(PhaseSummary first, PhaseSummary next) {
      return new PhaseSummary(
          first.visited() + next.visited(),
          first.pages() + next.pages(),
          first.elapsedMs() + next.elapsedMs(),
          next.finished(),
          first.resumed(),
          false);
    }

    private PhaseSummary walk(String phase, Instant until) throws Exception {
      long started = System.nanoTime();
      int[] pages = {0};
      Sweep.Progress p =
          switch (phase) {
            case LEDGER ->
                sweep.walkPages(
                    JOB,
                    LEDGER,
                    db.collectionGroup(FirestorePaths.BALANCE_GROUP),
                    settings.accountsPerPage(),
                    until,
                    counted(pages, page -> page.forEach(this::account)));
            case MIRRORS ->
                sweep.walkPages(
                    JOB,
                    MIRRORS,
                    db.collection(FirestorePaths.mirror()),
                    settings.mirrorsPerPage(),
                    until,
                    counted(pages, this::mirrors));
            case FEED ->
                sweep.walkPages(
                    JOB,
                    FEED,
                    db.collectionGroup(FirestorePaths.HISTORY_ITEMS_GROUP)
                        .whereEqualTo(GenerationItem.Field.IS_PUBLIC, true),
                    settings.itemsPerPage(),
                    until,
                    counted(pages, this::feed));
            default ->
                sweep.follow(
                    JOB,
                    MEDIA,
                    db.collectionGroup(FirestorePaths.HISTORY_ITEMS_GROUP)
                        .whereLessThanOrEqualTo(
                            GenerationItem.Field.DELETED_AT,
                            clock.instant().minus(settings.mediaRetention()))
                        .orderBy(GenerationItem.Field.DELETED_AT),
                    settings.deletedPerPage(),
                    until,
                    counted(pages, this::purge));
          };
      return new PhaseSummary(
          p.visited(),
          pages[0],
          (System.nanoTime() - started) / 1_000_000,
          p.finished(),
          p.resumed(),
          false);
    }

    private Sweep.PageVisitor counted(int[] pages, Sweep.PageVisitor visitor) {
      return page -> {
        pages[0]++;
        visitor.visit(page);
      };
    }

    /**
     * @param continued whether an earlier run of this pass finished some phase
     */
    private Summary summary(boolean continued) {
      Map<String, PhaseSummary> ordered = new LinkedHashMap<>();
      for (String phase : List.of(LEDGER, MIRRORS, FEED, MEDIA)) {
        if (phases.containsKey(phase)) {
          ordered.put(phase, phases.get(phase));
        }
      }
      boolean finished =
          phases.size() == 4 && phases.values().stream().allMatch(PhaseSummary::finished);
      boolean resumed =
          continued
              || List.of(LEDGER, MIRRORS, FEED).stream()
                  .anyMatch(p -> phases.containsKey(p) && phases.get(p).resumed());
      return new Summary(
          accountsChecked,
          accountsDrifted,
          suspectsInStep,
          balancesRepaired,
          balancesUnrepairable,
          creditsWrittenOff,
          entriesApplied,
          ledgerMismatches,
          mirrorsChecked,
          publicItemsChecked,
          mirrorsWritten,
          mirrorsRemoved,
          leftToTrigger,
          deletedItemsChecked,
          mediaItemsPurged,
          mediaObjectsDeleted,
          alertsRaised,
          errors,
          resumed,
          finished,
          Collections.unmodifiableMap(ordered));
    }

    // ---- ledger ----

    private void account(Snapshot balance) {
      Optional<DocumentKey> key =
          FirestorePaths.parse(balance.path()).filter(k -> k.kind() == DocumentKind.BALANCE);
      if (key.isEmpty()) {
        return; // a "balance" collection that is not an account's
      }
      String uid = key.get().id("uid");
      accountsChecked++;
      Scan scan = scan(uid);
      if (scan.allInStep && scan.sumsKnown && scan.recordsSum != scan.entriesSum) {
        ledgerMismatches++;
        log.log(
            JsonLog.Severity.ERROR,
            "applied records disagree with their ledger entries",
            Map.of("uid", uid, "appliedSum", scan.recordsSum, "entriesSum", scan.entriesSum));
      }
      Long read = asLong(balance.get(Balance.Field.CREDIT_BALANCE));
      boolean suspect =
          scan.applied > 0 || !scan.sumsKnown || read == null || read != scan.recordsSum;
      if (!suspect) {
        return;
      }
      BalanceRepair.Outcome outcome = repair.reconcile(uid, uid + "/" + day);
      if (outcome instanceof BalanceRepair.Outcome.InStep) {
        // What this pass read was out of date (an entry just applied, a posting or a concurrent
        // run committed meanwhile): the transaction found the balance right.
        suspectsInStep++;
      } else if (outcome instanceof BalanceRepair.Outcome.Repaired r) {
        accountsDrifted++;
        balancesRepaired++;
        creditsWrittenOff += r.writtenOff();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("uid", uid);
        fields.put("balanceBefore", r.before());
        fields.put("ledgerSum", r.ledgerSum());
        fields.put("balanceAfter", r.after());
        fields.put("difference", r.difference());
        fields.put("writtenOff", r.writtenOff());
        log.log(JsonLog.Severity.WARNING, "credits balance repaired", fields);
        if (r.alert() != null) {
          alerts.announce(r.alert());
          alertsRaised++;
        }
      } else if (outcome instanceof BalanceRepair.Outcome.Unrepairable u) {
        accountsDrifted++;
        balancesUnrepairable++;
        log.log(
            JsonLog.Severity.ERROR,
            "credits balance cannot be repaired",
            Map.of("uid", uid, "reason", u.reason()));
        if (u.alert() != null) {
          alerts.announce(u.alert());
          alertsRaised++;
        }
      }
    }

    /** What one pass over an account's ledger and applied records found. */
    private static final class Scan {
      long recordsSum;
      long entriesSum;
      boolean sumsKnown = true;
      boolean allInStep = true;
      int applied;
    }

    /**
     * Merges the account's entries and applied records (both ordered by id, a page at a time),
     * applying every entry out of step and summing both sides as read.
     */
    private Scan scan(String uid) {
      Scan scan = new Scan();
      Paged entries = new Paged(db.collection(FirestorePaths.ledger(uid)));
      Paged records = new Paged(db.collection(FirestorePaths.appliedEntries(uid)));
      while (true) {
        Snapshot e = entries.peek();
        Snapshot r = records.peek();
        if (e == null && r == null) {
          return scan;
        }
        int order = e == null ? 1 : r == null ? -1 : e.id().compareTo(r.id());
        Snapshot entry = order <= 0 ? e : null;
        Snapshot record = order >= 0 ? r : null;
        if (entry != null) {
          entries.advance();
        }
        if (record != null) {
          records.advance();
        }
        String entryId = entry != null ? entry.id() : record.id();
        Map<String, Object> fields = entry == null ? null : entry.getData();
        AppliedEntry applied = null;
        boolean readable = true;
        if (record != null) {
          try {
            applied = Documents.read(record, AppliedEntry.class).orElseThrow();
            scan.recordsSum = Math.addExact(scan.recordsSum, applied.appliedAmount());
          } catch (MappingException | ArithmeticException ex) {
            readable = false;
            scan.sumsKnown = false;
          }
        }
        try {
          scan.entriesSum = Math.addExact(scan.entriesSum, LedgerAudit.claimedContribution(fields));
        } catch (ArithmeticException ex) {
          scan.sumsKnown = false;
        }
        if (readable && LedgerAudit.inStep(fields, applied)) {
          continue;
        }
        scan.allInStep = false;
        apply(uid, entryId, scan);
      }
    }

    private void apply(String uid, String entryId, Scan scan) {
      try {
        CreditService.Applied outcome = credits.applyLedgerEntry(uid, entryId);
        if (!(outcome instanceof FirestoreTrigger.NothingChanged)) {
          scan.applied++;
          entriesApplied++;
          log.log(
              JsonLog.Severity.INFO,
              "ledger entry brought in step",
              Map.of("uid", uid, "entry", entryId, "outcome", outcome.getClass().getSimpleName()));
        }
      } catch (RuntimeException e) {
        if (Transient.is(e)) {
          throw e;
        }
        errors++;
        log.error("ledger entry " + uid + "/" + entryId + " could not be applied", e);
      }
    }

    /** A collection ordered by id, read a page at a time (the first page is requested at once). */
    private final class Paged {
      private final Query query;
      private List<Snapshot> page = List.of();
      private int next;
      private boolean last;

      Paged(Query collection) {
        this.query = collection.orderBy(FieldPath.documentId()).limit(settings.entriesPerPage());
      }

      Snapshot peek() {
        if (next >= page.size() && !last) {
          page =
              page.isEmpty() ? query.get() : query.startAfter(page.get(page.size() - 1).id()).get();
          next = 0;
          last = page.size() < settings.entriesPerPage();
        }
        return next < page.size() ? page.get(next) : null;
      }

      void advance() {
        next++;
      }
    }

    // ---- mirrors ----

    private void mirrors(List<Snapshot> page) {
      List<Snapshot> owned = new ArrayList<>();
      List<String> refs = new ArrayList<>();
      Map<String, Integer> owners = new LinkedHashMap<>();
      for (Snapshot doc : page) {
        mirrorsChecked++;
        String uid = MirrorService.owner(doc);
        if (uid == null) {
          if (recent(doc)) {
            leftToTrigger++;
          } else if (mirror.removeUnowned(doc.id()) instanceof MirrorService.Synced.Removed) {
            repaired(doc.id(), null, false, "the mirror names no owner");
          }
          continue;
        }
        owned.add(doc);
        refs.add(FirestorePaths.historyItem(uid, doc.id()));
        owners.computeIfAbsent(
            uid,
            u -> {
              refs.add(FirestorePaths.user(u));
              return refs.size() - 1;
            });
      }
      if (owned.isEmpty()) {
        return;
      }
      List<Snapshot> read = getAll(refs);
      Map<String, Snapshot> byPath = new LinkedHashMap<>();
      read.forEach(s -> byPath.put(s.path(), s));
      for (Snapshot doc : owned) {
        String uid = MirrorService.owner(doc);
        Snapshot item = byPath.get(FirestorePaths.historyItem(uid, doc.id()));
        Snapshot owner = byPath.get(FirestorePaths.user(uid));
        if (recent(doc) || (item.exists() && recent(item))) {
          leftToTrigger++;
          continue;
        }
        if (MirrorService.inStep(uid, item, owner, doc)) {
          continue;
        }
        MirrorService.Synced synced = mirror.sync(uid, doc.id());
        if (synced instanceof MirrorService.Synced.Written) {
          repaired(doc.id(), uid, true, "the mirror differed from the item's projection");
        } else if (synced instanceof MirrorService.Synced.Removed
            || (synced instanceof MirrorService.Synced.Unreadable u && u.removed())) {
          repaired(
              doc.id(),
              uid,
              false,
              item.exists()
                  ? "the item is not public, completed and undeleted (or does not decode)"
                  : "the item does not exist");
        }
      }
    }

    // ---- feed ----

    private void feed(List<Snapshot> page) {
      List<GenerationItem> due = new ArrayList<>();
      List<String> refs = new ArrayList<>();
      for (Snapshot doc : page) {
        if (FirestorePaths.parse(doc.path())
            .filter(k -> k.kind() == DocumentKind.HISTORY_ITEM)
            .isEmpty()) {
          continue;
        }
        publicItemsChecked++;
        GenerationItem item;
        try {
          item = Documents.read(doc, GenerationItem.class).orElseThrow();
        } catch (MappingException e) {
          continue; // kept out of the feed by the trigger; a mirror of it is the mirrors phase's
        }
        if (!item.belongsInPublicFeed()) {
          continue;
        }
        if (recent(doc)) {
          leftToTrigger++;
          continue;
        }
        due.add(item);
        refs.add(FirestorePaths.mirror(item.id()));
      }
      if (due.isEmpty()) {
        return;
      }
      List<Snapshot> mirrors = getAll(refs);
      for (int i = 0; i < due.size(); i++) {
        if (mirrors.get(i).exists()) {
          continue; // its content is the mirrors phase's
        }
        GenerationItem item = due.get(i);
        if (mirror.sync(item.uid(), item.id()) instanceof MirrorService.Synced.Written) {
          repaired(item.id(), item.uid(), true, "a public item had no mirror");
        }
      }
    }

    private void repaired(String itemId, String uid, boolean written, String why) {
      if (written) {
        mirrorsWritten++;
      } else {
        mirrorsRemoved++;
      }
      String action = written ? "written" : "removed";
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("itemId", itemId);
      details.put("uid", uid);
      details.put("action", action);
      details.put("reason", why);
      log.log(JsonLog.Severity.WARNING, "public mirror repaired", details);
      // A mirror that should not exist may have exposed a private item: that pages.
      boolean raised =
          alerts.raise(
              AlertType.MIRROR_DRIFT,
              written ? AlertSeverity.WARNING : AlertSeverity.CRITICAL,
              null,
              "public mirror of " + itemId + " " + action + ": " + why,
              details,
              itemId + "/" + action + "/" + day);
      if (raised) {
        alertsRaised++;
      }
    }

    // ---- media ----

    /**
     * The due items of one page, several at a time (a Cloud Storage delete is a round trip each):
     * per item its objects deleted, then the item marked in a transaction. A transient failure
     * stops the phase before the page's watermark is saved, so the next run does the page again;
     * any other is logged and counted, and the item stays unmarked.
     */
    private void purge(List<Snapshot> page) throws Exception {
      List<Pending> work = new ArrayList<>();
      for (Snapshot doc : page) {
        Optional<DocumentKey> key =
            FirestorePaths.parse(doc.path()).filter(k -> k.kind() == DocumentKind.HISTORY_ITEM);
        if (key.isEmpty()) {
          continue;
        }
        deletedItemsChecked++;
        if (doc.contains(GenerationItem.Field.MEDIA_PURGED_AT)
            || !Boolean.TRUE.equals(doc.get(GenerationItem.Field.IS_DELETED))) {
          continue;
        }
        String uid = key.get().id("uid");
        List<String> paths = storagePaths(doc, uid);
        if (!paths.isEmpty()) {
          work.add(new Pending(uid, doc.id(), purgers().submit(() -> purge(doc.path(), paths))));
        }
      }
      Exception failure = null;
      for (Pending w : work) {
        Purged done;
        try {
          done = w.purged().get();
        } catch (ExecutionException e) {
          Exception cause = unwrap(e);
          if (retryable(cause)) {
            failure = failure != null ? failure : cause;
          } else {
            // Not worth retrying (e.g. permission denied on one object): logged, counted, and the
            // item left unmarked rather than holding up every later deletion.
            errors++;
            log.error("media of " + w.uid() + "/" + w.itemId() + " could not be purged", cause);
          }
          continue;
        }
        mediaObjectsDeleted += done.objects();
        if (done.marked()) {
          mediaItemsPurged++;
          log.log(
              JsonLog.Severity.INFO,
              "media of a deleted item purged",
              Map.of("uid", w.uid(), "itemId", w.itemId(), "objects", done.objects()));
        }
      }
      if (failure != null) {
        throw failure;
      }
    }

    private record Purged(int objects, boolean marked) {}

    private record Pending(String uid, String itemId, Future<Purged> purged) {}

    private Purged purge(String item, List<String> paths) {
      int deleted = 0;
      for (String path : paths) {
        if (media.delete(path)) {
          deleted++;
        }
      }
      return new Purged(deleted, markPurged(item));
    }

    private ExecutorService purgers() {
      if (purgers == null) {
        purgers =
            Executors.newFixedThreadPool(
                PURGE_THREADS,
                r -> {
                  Thread t = new Thread(r, "reconcile-purge");
                  t.setDaemon(true);
                  return t;
                });
      }
      return purgers;
    }

    /**
     * The item's stored objects: only paths under its own folder ({@code
     * generations/{uid}/{itemId}/}), so an edited item can never make reconcile delete another's.
     */
    private List<String> storagePaths(Snapshot doc, String uid) {
      String folder = "generations/" + uid + "/" + doc.id() + "/";
      List<String> paths = new ArrayList<>();
      for (String list :
          List.of(
              GenerationItem.Field.IMAGES,
              GenerationItem.Field.VIDEOS,
              GenerationItem.Field.AUDIOS)) {
        if (!(doc.get(list) instanceof List<?> media)) {
          continue;
        }
        for (Object m : media) {
          if (m instanceof Map<?, ?> fields
              && fields.get(Media.Field.STORAGE_PATH) instanceof String path) {
            if (path.startsWith(folder) && !path.contains("..")) {
              paths.add(path);
            } else {
              log.log(
                  JsonLog.Severity.WARNING,
                  "storage path outside the item's folder left alone",
                  Map.of("itemId", doc.id(), "uid", uid, "storagePath", path));
            }
          }
        }
      }
      return paths;
    }

    /** Marks the item purged unless another run did or it changed meanwhile. */
    private boolean markPurged(String ref) {
      return transactions.run(
          tx -> {
            Snapshot now = tx.get(ref);
            if (!now.exists()
                || now.contains(GenerationItem.Field.MEDIA_PURGED_AT)
                || !Boolean.TRUE.equals(now.get(GenerationItem.Field.IS_DELETED))) {
              return false;
            }
            tx.update(ref, GenerationItem.Field.MEDIA_PURGED_AT, FieldValue.serverTimestamp());
            return true;
          });
    }

    // ---- helpers ----

    private boolean recent(Snapshot doc) {
      Instant updated = doc.updateTime().orElse(null);
      return updated != null && updated.isAfter(clock.instant().minus(settings.triggerGrace()));
    }

    private List<Snapshot> getAll(List<String> refs) {
      return db.getAll(refs);
    }
  }

  private static boolean retryable(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof com.google.cloud.BaseServiceException s && s.isRetryable()) {
        return true;
      }
    }
    return Transient.is(e) || e instanceof java.io.IOException;
  }

  private static Exception unwrap(ExecutionException e) {
    return e.getCause() instanceof Exception cause ? cause : e;
  }

  private static Long asLong(Object value) {
    if (value instanceof Long l) {
      return l;
    }
    return value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 9.0e15
        ? d.longValue()
        : null;
  }
}
