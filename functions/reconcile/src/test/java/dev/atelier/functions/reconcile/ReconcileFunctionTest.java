package dev.atelier.functions.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.atelier.credits.BalanceRepair;
import dev.atelier.credits.CreditService;
import dev.atelier.credits.LedgerType;
import dev.atelier.credits.Posting;
import dev.atelier.emulator.junit.EmulatorHandle;
import dev.atelier.emulator.junit.FirestoreEmulatorExtension;
import dev.atelier.firestore.Database;
import dev.atelier.firestore.Snapshot;
import dev.atelier.generations.CreatedBy;
import dev.atelier.generations.GenerationItem;
import dev.atelier.generations.GenerationStatus;
import dev.atelier.generations.GenerationType;
import dev.atelier.generations.ImageMedia;
import dev.atelier.generations.PublicGeneration;
import dev.atelier.generations.Visibility;
import dev.atelier.media.MediaFormat;
import dev.atelier.media.MediaPath;
import dev.atelier.media.MediaStorage;
import dev.atelier.media.StoredMedia;
import dev.atelier.mirror.MirrorService;
import dev.atelier.platform.Config;
import dev.atelier.platform.JsonLog;
import dev.atelier.reconcile.ReconcileJob;
import dev.atelier.router.AlertSeverity;
import dev.atelier.router.AlertType;
import dev.atelier.router.Alerts;
import dev.atelier.store.Documents;
import dev.atelier.store.FirestorePaths;
import dev.atelier.testsupport.GenerationRig;
import dev.atelier.testsupport.LoopbackHttpHost;
import dev.atelier.users.ProviderId;
import dev.atelier.users.UserProfile;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * reconcile against the Firestore emulator (strict index mode) and the Cloud Storage emulator,
 * called over HTTP as Cloud Scheduler calls it, on a clock the test controls. Documents are written
 * straight to Firestore (as a console edit, a lost event or a bug would leave them), never through
 * the trigger under test's eyes.
 */
@ExtendWith(FirestoreEmulatorExtension.class)
class ReconcileFunctionTest {

  private static final String PROJECT = FirestoreEmulatorExtension.PROJECT_ID;

  private GenerationRig rig;
  private EmulatorHandle emulator;
  private Database db;
  private TestClock clock;
  private CreditService credits;

  @BeforeEach
  void start(EmulatorHandle emulator) throws Exception {
    rig = GenerationRig.start(emulator, GenerationRig.options(Duration.ZERO, Duration.ZERO));
    this.emulator = emulator;
    db = emulator.database();
    // A day ahead of the server's clock: what the test writes now is long past the trigger grace.
    clock = new TestClock(Instant.now().plus(Duration.ofDays(1)));
    credits = new CreditService(db, clock);
  }

  @AfterEach
  void stop() {
    rig.close();
  }

  // ---- balances ----

  @Test
  void aBalanceSetWrongByHandIsRepairedWithOneAlertAndTheSecondRunFindsNothing() throws Exception {
    credits.openAccount("u1");
    credits.post("u1", Posting.of(LedgerType.DEBIT, 30, "a generation"));
    credits.openAccount("u2");
    db.update(FirestorePaths.balance("u1"), Map.of("creditBalance", 500L));
    LoopbackHttpHost host = serve(ReconcileJob.Settings.defaults());

    JsonObject first = post(host);
    assertEquals(2, first.get("accountsChecked").getAsInt());
    assertEquals(1, first.get("accountsDrifted").getAsInt());
    assertEquals(1, first.get("balancesRepaired").getAsInt());
    assertEquals(0, first.get("entriesApplied").getAsInt());
    assertEquals(1, first.get("alertsRaised").getAsInt());
    assertTrue(first.get("finished").getAsBoolean());
    assertFalse(first.get("resumed").getAsBoolean());
    assertEquals(70L, balance("u1"));
    assertEquals(100L, balance("u2"));
    List<Snapshot> alerts = alerts(AlertType.LEDGER_DRIFT);
    assertEquals(1, alerts.size());
    Map<?, ?> details = (Map<?, ?>) alerts.get(0).get("details");
    assertEquals("u1", details.get("uid"));
    assertEquals(-430L, details.get("difference"));
    assertEquals(500L, details.get("balanceBefore"));
    assertEquals(70L, details.get("ledgerSum"));
    assertEquals(AlertSeverity.CRITICAL.wire(), alerts.get(0).getString("severity"));

    JsonObject second = post(host);
    assertEquals(2, second.get("accountsChecked").getAsInt());
    assertEquals(0, second.get("accountsDrifted").getAsInt());
    assertEquals(0, second.get("balancesRepaired").getAsInt());
    assertEquals(0, second.get("alertsRaised").getAsInt());
    assertEquals(1, alerts(AlertType.LEDGER_DRIFT).size());
    assertEquals(70L, balance("u1"));

    HttpResponse<String> get = host.send(host.request("", null).GET().build());
    assertEquals(405, get.statusCode());
  }

  @Test
  void entriesTheTriggerHasNotAppliedAreAppliedThroughItsProjectionAndAreNoDrift()
      throws Exception {
    credits.openAccount("u1");
    String hold = credits.post("u1", Posting.of(LedgerType.HOLD, 20, "a generation")).entryId();
    // Written in the console while the trigger was not running: a grant, a broken entry, and the
    // hold voided by hand.
    ledgerEntry("u1", "op-grant", "GRANT", 50L, "CONFIRMED");
    ledgerEntry("u1", "op-broken", "DEBIT", 5L, "CONFIRMED");
    db.update(FirestorePaths.ledgerEntry("u1", hold), Map.of("status", "REVERSED"));
    assertEquals(80L, balance("u1"));
    LoopbackHttpHost host = serve(ReconcileJob.Settings.defaults());

    JsonObject first = post(host);
    assertEquals(3, first.get("entriesApplied").getAsInt());
    assertEquals(0, first.get("accountsDrifted").getAsInt());
    assertEquals(0, first.get("balancesRepaired").getAsInt());
    assertEquals(150L, balance("u1"));
    assertEquals(List.of(), alerts(AlertType.LEDGER_DRIFT));
    assertEquals(50L, applied("u1", "op-grant").get("appliedAmount"));
    assertEquals(0L, applied("u1", "op-broken").get("appliedAmount"));
    assertNotNull(raw(FirestorePaths.ledgerEntry("u1", "op-broken")).get("invalid"));
    assertEquals(1, alerts(AlertType.LEDGER_INVALID_ENTRY).size(), "the projection's own alert");

    // The trigger's delayed run finds them applied.
    for (String id : List.of("op-grant", "op-broken", hold)) {
      assertInstanceOf(
          dev.atelier.platform.FirestoreTrigger.NothingChanged.class,
          credits.applyLedgerEntry("u1", id),
          id);
    }
    JsonObject second = post(host);
    assertEquals(0, second.get("entriesApplied").getAsInt());
    assertEquals(0, second.get("accountsDrifted").getAsInt());
    assertEquals(150L, balance("u1"));
  }

  @Test
  void aNegativeLedgerSumIsWrittenOffAndTheBalanceNeverGoesBelowZero() throws Exception {
    credits.openAccount("u1");
    db.update(FirestorePaths.balance("u1"), Map.of("creditBalance", 1000L));
    // Spent against credits the ledger never had: the ledger now sums to 100 - 400 = -300.
    credits.post("u1", Posting.of(LedgerType.DEBIT, 400, "a long video"));
    LoopbackHttpHost host = serve(ReconcileJob.Settings.defaults());

    JsonObject first = post(host);
    assertEquals(1, first.get("balancesRepaired").getAsInt());
    assertEquals(300L, first.get("creditsWrittenOff").getAsLong());
    assertEquals(0L, balance("u1"));
    List<Snapshot> writeOffs = new ArrayList<>();
    for (Snapshot e : db.collection(FirestorePaths.ledger("u1")).get()) {
      if (e.id().startsWith("sys_writeoff_")) {
        writeOffs.add(e);
      }
    }
    assertEquals(1, writeOffs.size());
    Snapshot writeOff = writeOffs.get(0);
    assertEquals("GRANT", writeOff.getString("type"));
    assertEquals(300L, writeOff.getLong("amount"));
    assertEquals("CONFIRMED", writeOff.getString("status"));
    assertEquals(300L, applied("u1", writeOff.id()).get("appliedAmount"));
    assertEquals(0L, appliedSum("u1"), "the Σ rule holds again exactly");
    Map<?, ?> details = (Map<?, ?>) alerts(AlertType.LEDGER_DRIFT).get(0).get("details");
    assertEquals(300L, details.get("writtenOff"));
    assertEquals(-600L, details.get("difference"));
    assertInstanceOf(
        dev.atelier.platform.FirestoreTrigger.NothingChanged.class,
        credits.applyLedgerEntry("u1", writeOff.id()));

    JsonObject second = post(host);
    assertEquals(0, second.get("accountsDrifted").getAsInt());
    assertEquals(0L, second.get("creditsWrittenOff").getAsLong());
    assertEquals(0L, balance("u1"));
  }

  // ---- mirror ----

  @Test
  void theMirrorIsAuditedBothWays() throws Exception {
    profile("u1", "ada");
    MirrorService mirror = new MirrorService(db);
    // In step: left alone.
    item(completedPublic("u1", "fine"));
    mirror.sync("u1", "fine");
    // Public and completed, its mirror lost.
    item(completedPublic("u1", "missing"));
    // Mirrored while public, then made private (the trigger never ran).
    item(completedPublic("u1", "private"));
    mirror.sync("u1", "private");
    item(
        completedPublic("u1", "private").toBuilder()
            .visibility(Visibility.PRIVATE)
            .isPublic(false)
            .build());
    // Mirrored, then soft-deleted.
    item(completedPublic("u1", "deleted"));
    mirror.sync("u1", "deleted");
    item(
        completedPublic("u1", "deleted").toBuilder()
            .isDeleted(true)
            .deletedAt(clock.instant().minus(Duration.ofDays(1)))
            .build());
    // Mirrored, then the prompt edited.
    item(completedPublic("u1", "stale"));
    mirror.sync("u1", "stale");
    item(completedPublic("u1", "stale").toBuilder().prompt("a lighthouse at dawn").build());
    // A mirror whose item does not exist, and one naming no owner at all.
    db.set(
        FirestorePaths.mirror("ghost"), Documents.encode(project(completedPublic("u1", "ghost"))));
    db.set(FirestorePaths.mirror("nobody"), Map.of("prompt", "who?"));
    LoopbackHttpHost host = serve(ReconcileJob.Settings.defaults());

    JsonObject first = post(host);
    assertEquals(2, first.get("mirrorsWritten").getAsInt(), first.toString());
    assertEquals(4, first.get("mirrorsRemoved").getAsInt(), first.toString());
    assertEquals(6, first.get("alertsRaised").getAsInt());
    for (String gone : List.of("private", "deleted", "ghost", "nobody")) {
      assertNull(raw(FirestorePaths.mirror(gone)), gone + " must be out of the feed");
    }
    for (String id : List.of("fine", "missing", "stale", "private", "deleted")) {
      assertInstanceOf(
          MirrorService.Synced.Unchanged.class,
          mirror.sync("u1", id),
          id + " is now what the trigger makes it");
    }
    assertEquals("a lighthouse at dawn", raw(FirestorePaths.mirror("stale")).get("prompt"));
    List<Snapshot> alerts = alerts(AlertType.MIRROR_DRIFT);
    assertEquals(6, alerts.size());
    Map<String, Integer> bySeverity = new HashMap<>();
    alerts.forEach(a -> bySeverity.merge(a.getString("severity"), 1, Integer::sum));
    assertEquals(
        Map.of(AlertSeverity.CRITICAL.wire(), 4, AlertSeverity.WARNING.wire(), 2),
        bySeverity,
        "a removed mirror may have shown a private item: it pages");

    JsonObject second = post(host);
    assertEquals(0, second.get("mirrorsWritten").getAsInt());
    assertEquals(0, second.get("mirrorsRemoved").getAsInt());
    assertEquals(0, second.get("alertsRaised").getAsInt());
    assertEquals(6, alerts(AlertType.MIRROR_DRIFT).size());
  }

  @Test
  void itemsChangedWithinTheGraceAreLeftToTheTrigger() throws Exception {
    profile("u1", "ada");
    item(completedPublic("u1", "just-published"));
    clock.set(Instant.now());
    LoopbackHttpHost host = serve(ReconcileJob.Settings.defaults());

    JsonObject first = post(host);
    assertEquals(1, first.get("leftToTrigger").getAsInt());
    assertEquals(0, first.get("mirrorsWritten").getAsInt());
    assertNull(raw(FirestorePaths.mirror("just-published")));

    clock.set(Instant.now().plus(Duration.ofHours(1)));
    JsonObject later = post(host);
    assertEquals(0, later.get("leftToTrigger").getAsInt());
    assertEquals(1, later.get("mirrorsWritten").getAsInt());
    assertNotNull(raw(FirestorePaths.mirror("just-published")));
  }

  // ---- media ----

  @Test
  void mediaOfItemsDeletedMoreThan30DaysAgoIsPurgedAndMarked() throws Exception {
    Instant now = clock.instant();
    List<String> old = deletedWithMedia("u1", "old", now.minus(Duration.ofDays(31)), 2);
    List<String> young = deletedWithMedia("u1", "young", now.minus(Duration.ofDays(29)), 1);
    List<String> kept = deletedWithMedia("u1", "kept", null, 1);
    item(
        completedPublic("u1", "empty").toBuilder()
            .images(List.of())
            .isDeleted(true)
            .deletedAt(now.minus(Duration.ofDays(40)))
            .build());
    LoopbackHttpHost host = serve(ReconcileJob.Settings.defaults());

    JsonObject first = post(host);
    assertEquals(1, first.get("mediaItemsPurged").getAsInt());
    assertEquals(2, first.get("mediaObjectsDeleted").getAsInt());
    old.forEach(path -> assertFalse(stored(path), path + " purged"));
    young.forEach(path -> assertTrue(stored(path), path + " kept: deleted 29 days ago"));
    kept.forEach(path -> assertTrue(stored(path), path + " kept: not deleted"));
    assertNotNull(raw(FirestorePaths.historyItem("u1", "old")).get("mediaPurgedAt"));
    assertNull(raw(FirestorePaths.historyItem("u1", "young")).get("mediaPurgedAt"));
    assertNull(raw(FirestorePaths.historyItem("u1", "empty")).get("mediaPurgedAt"));

    JsonObject second = post(host);
    assertEquals(0, second.get("mediaItemsPurged").getAsInt());
    assertEquals(0, second.get("mediaObjectsDeleted").getAsInt());
    assertEquals(
        0,
        second.get("deletedItemsChecked").getAsInt(),
        "the watermark: items already seen are not read again");

    clock.set(now.plus(Duration.ofDays(2)));
    JsonObject later = post(host);
    assertEquals(1, later.get("mediaItemsPurged").getAsInt());
    assertEquals(1, later.get("mediaObjectsDeleted").getAsInt());
    young.forEach(path -> assertFalse(stored(path), path + " purged once 30 days passed"));
    kept.forEach(path -> assertTrue(stored(path), path + " kept: not deleted"));
  }

  // ---- bounded runs ----

  @Test
  void aDeadlineStopsTheRunAndTheNextRunsResumeVisitingNothingTwice() throws Exception {
    int accounts = 9;
    for (int i = 0; i < accounts; i++) {
      String uid = "u" + i;
      credits.openAccount(uid);
      db.update(FirestorePaths.balance(uid), Map.of("creditBalance", 1000L + i));
    }
    profile("u0", "ada");
    int mirrored = 3;
    for (int i = 0; i < mirrored; i++) {
      item(completedPublic("u0", "pub" + i));
      new MirrorService(db).sync("u0", "pub" + i);
    }
    // Every reading of the clock takes a second: a run of 20 s sees a handful of pages.
    clock.step(Duration.ofSeconds(1));
    LoopbackHttpHost host =
        serve(ReconcileJob.Settings.defaults().withPageSize(2), Duration.ofSeconds(20));

    List<JsonObject> runs = new ArrayList<>();
    do {
      runs.add(post(host));
      assertTrue(runs.size() < 20, "runs keep making progress");
    } while (!runs.get(runs.size() - 1).get("finished").getAsBoolean());

    assertTrue(runs.size() >= 2, "the first run stopped at its deadline: " + runs.get(0));
    JsonObject firstLedger = runs.get(0).getAsJsonObject("phases").getAsJsonObject("ledger");
    assertFalse(firstLedger.get("finished").getAsBoolean());
    assertTrue(firstLedger.get("visited").getAsInt() > 0, "the first run made progress");
    assertFalse(runs.get(0).get("resumed").getAsBoolean());
    int checked = 0;
    int visited = 0;
    int repaired = 0;
    int mirrorsChecked = 0;
    int itemsChecked = 0;
    for (int i = 0; i < runs.size(); i++) {
      JsonObject run = runs.get(i);
      checked += run.get("accountsChecked").getAsInt();
      mirrorsChecked += run.get("mirrorsChecked").getAsInt();
      itemsChecked += run.get("publicItemsChecked").getAsInt();
      visited += run.getAsJsonObject("phases").getAsJsonObject("ledger").get("visited").getAsInt();
      repaired += run.get("balancesRepaired").getAsInt();
      if (i > 0) {
        assertTrue(run.get("resumed").getAsBoolean(), "run " + i + " resumed: " + run);
      }
    }
    assertEquals(accounts, checked, "every account visited exactly once over the runs");
    // Phases that finished early in the pass are not walked again by the runs that finish it.
    assertEquals(mirrored, mirrorsChecked, "every mirror once: " + runs);
    assertEquals(mirrored, itemsChecked, "every public item once");
    assertEquals(accounts, visited);
    assertEquals(accounts, repaired);
    for (int i = 0; i < accounts; i++) {
      assertEquals(100L, balance("u" + i));
    }
    assertEquals(accounts, alerts(AlertType.LEDGER_DRIFT).size());
    Map<String, Object> state = raw(FirestorePaths.maintenanceState(ReconcileJob.JOB));
    assertNull(
        ((Map<?, ?>) state.get("cursors")).get(ReconcileJob.LEDGER),
        "a finished walk leaves no cursor");
    assertNull(state.get("done"), "the pass is closed: the next run starts a new one");

    JsonObject next = post(host);
    assertFalse(next.get("resumed").getAsBoolean(), "a new pass: " + next);
    JsonObject nextLedger = next.getAsJsonObject("phases").getAsJsonObject("ledger");
    assertFalse(nextLedger.get("skipped").getAsBoolean());
    assertFalse(nextLedger.get("resumed").getAsBoolean());
    assertTrue(
        nextLedger.get("visited").getAsInt() > 0, "the new pass starts from the first account");
  }

  @Test
  void twoConcurrentRunsRepairAndAlertEachFindingOnce() throws Exception {
    int accounts = 10;
    for (int i = 0; i < accounts; i++) {
      String uid = "u" + i;
      credits.openAccount(uid);
      db.update(FirestorePaths.balance(uid), Map.of("creditBalance", 7L * i));
    }
    ledgerEntry("u0", "op-grant", "GRANT", 25L, "CONFIRMED");
    profile("u1", "ada");
    item(completedPublic("u1", "missing"));
    db.set(
        FirestorePaths.mirror("ghost"), Documents.encode(project(completedPublic("u1", "ghost"))));
    ReconcileJob.Settings settings = ReconcileJob.Settings.defaults().withPageSize(2);
    LoopbackHttpHost a = serve(settings);
    LoopbackHttpHost b = serve(settings);

    // Slow every answer down so that the two runs walk the same pages side by side.
    emulator.delayResponses(Duration.ofMillis(10));
    CyclicBarrier together = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<JsonObject>> results = new ArrayList<>();
      for (LoopbackHttpHost host : List.of(a, b)) {
        results.add(
            pool.submit(
                () -> {
                  together.await();
                  return post(host);
                }));
      }
      int repaired = 0;
      int applied = 0;
      int written = 0;
      int removed = 0;
      int raised = 0;
      List<Integer> split = new ArrayList<>();
      for (Future<JsonObject> f : results) {
        JsonObject s = f.get();
        split.add(s.get("balancesRepaired").getAsInt());
        repaired += s.get("balancesRepaired").getAsInt();
        applied += s.get("entriesApplied").getAsInt();
        written += s.get("mirrorsWritten").getAsInt();
        removed += s.get("mirrorsRemoved").getAsInt();
        raised += s.get("alertsRaised").getAsInt();
      }
      // u0 drifted (0 instead of 100) and had a grant to apply: one repair, then 125.
      assertEquals(accounts, repaired, "repairs per run: " + split);
      assertEquals(1, applied);
      assertEquals(1, written);
      assertEquals(1, removed);
      assertEquals(accounts + 2, raised, "each finding alerted by one run");
      assertEquals(accounts, alerts(AlertType.LEDGER_DRIFT).size());
      assertEquals(2, alerts(AlertType.MIRROR_DRIFT).size());
      assertEquals(125L, balance("u0"));
      for (int i = 1; i < accounts; i++) {
        assertEquals(100L, balance("u" + i));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void twoRepairsRacingOnOneAccountRepairItOnceAndAlertOnce() throws Exception {
    int accounts = 8;
    for (int i = 0; i < accounts; i++) {
      credits.openAccount("u" + i);
      db.update(FirestorePaths.balance("u" + i), Map.of("creditBalance", 3L + i));
    }
    BalanceRepair repair = new BalanceRepair(db, new Alerts(db, clock, JsonLog.forFunction("t")));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int i = 0; i < accounts; i++) {
        String uid = "u" + i;
        CyclicBarrier together = new CyclicBarrier(2);
        List<Future<BalanceRepair.Outcome>> both = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
          both.add(
              pool.submit(
                  () -> {
                    together.await();
                    return repair.reconcile(uid, uid + "/2026-11-21");
                  }));
        }
        List<Class<?>> outcomes = new ArrayList<>();
        for (Future<BalanceRepair.Outcome> f : both) {
          outcomes.add(f.get().getClass());
        }
        assertTrue(
            outcomes.contains(BalanceRepair.Outcome.Repaired.class)
                && outcomes.contains(BalanceRepair.Outcome.InStep.class),
            uid + ": one repair, the other finds it in step: " + outcomes);
        assertEquals(100L, balance(uid));
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(accounts, alerts(AlertType.LEDGER_DRIFT).size());
  }

  // ---- helpers ----

  private LoopbackHttpHost serve(ReconcileJob.Settings settings) {
    return serve(settings, Config.DEFAULT_RUN_BUDGET);
  }

  private LoopbackHttpHost serve(ReconcileJob.Settings settings, Duration budget) {
    Config base = rig.config("reconcile");
    Config config =
        new Config(
            base.projectId(),
            base.firestoreEmulatorHost(),
            base.authEmulatorHost(),
            base.functionName(),
            base.maxEventAge(),
            base.maxBodyBytes(),
            base.allowedOrigins(),
            base.deliveryToken(),
            budget);
    return rig.serve(
        "reconcile", new ReconcileFunction(config, db, clock, rig.mediaStore(), settings));
  }

  /** POST {} as Cloud Scheduler does; the JSON summary. */
  private static JsonObject post(LoopbackHttpHost host) {
    HttpResponse<String> response = host.post("", null, "{}");
    assertEquals(200, response.statusCode(), response.body());
    return JsonParser.parseString(response.body()).getAsJsonObject();
  }

  private long balance(String uid) throws Exception {
    return db.get(FirestorePaths.balance(uid)).getLong("creditBalance");
  }

  private Map<String, Object> applied(String uid, String entryId) throws Exception {
    return raw(FirestorePaths.appliedEntry(uid, entryId));
  }

  private long appliedSum(String uid) throws Exception {
    long sum = 0;
    for (Snapshot r : db.collection(FirestorePaths.appliedEntries(uid)).get()) {
      sum += r.getLong("appliedAmount");
    }
    return sum;
  }

  private Map<String, Object> raw(String path) throws Exception {
    return db.get(path).getData();
  }

  private List<Snapshot> alerts(AlertType type) throws Exception {
    List<Snapshot> out = new ArrayList<>();
    for (Snapshot a : db.collection(FirestorePaths.routerAlerts()).get()) {
      if (type.wire().equals(a.getString("type"))) {
        out.add(a);
      }
    }
    return out;
  }

  /** An entry as an operator writes it in the console: no appliedAmount, no applied record. */
  private void ledgerEntry(String uid, String id, String type, long amount, String status)
      throws Exception {
    db.set(
        FirestorePaths.ledgerEntry(uid, id),
        Map.of(
            "type",
            type,
            "amount",
            amount,
            "status",
            status,
            "reason",
            "console",
            "createdAt",
            Instant.now()));
  }

  private void profile(String uid, String username) throws Exception {
    Instant at = Instant.parse("2026-11-01T10:00:00Z");
    db.set(
        FirestorePaths.user(uid),
        Documents.encode(
            new UserProfile(
                uid,
                uid + "@example.test",
                username,
                "Ada Lovelace",
                null,
                ProviderId.GOOGLE,
                true,
                true,
                at,
                at,
                1,
                null,
                null,
                null,
                null,
                null,
                false,
                at,
                null)));
  }

  private void item(GenerationItem item) throws Exception {
    db.set(FirestorePaths.historyItem(item.uid(), item.id()), Documents.encode(item));
  }

  private static PublicGeneration project(GenerationItem item) {
    return PublicGeneration.project(item).orElseThrow();
  }

  private static GenerationItem completedPublic(String uid, String id) {
    Instant created = Instant.parse("2026-11-20T10:00:00Z");
    return GenerationItem.builder(uid, id)
        .prompt("a lighthouse in a storm, oil on canvas")
        .model("flux-schnell")
        .generationType(GenerationType.TEXT_TO_IMAGE)
        .status(GenerationStatus.COMPLETED)
        .visibility(Visibility.PUBLIC)
        .isPublic(true)
        .images(
            List.of(
                new ImageMedia(
                    "m1",
                    "https://media.example/" + id + "/m1.png?token=t1",
                    "generations/" + uid + "/" + id + "/m1.png",
                    null)))
        .createdBy(new CreatedBy(uid, "ada", null, "Ada Lovelace", null))
        .createdAt(created)
        .updatedAt(created.plusSeconds(5))
        .completedAt(created.plusSeconds(5))
        .provider("replicate")
        .cost(2L)
        .holdEntryId("sys_hold_" + id)
        .build();
  }

  /** A completed item with {@code count} images stored, deleted at {@code deletedAt} (or not). */
  private List<String> deletedWithMedia(String uid, String id, Instant deletedAt, int count)
      throws Exception {
    List<ImageMedia> images = new ArrayList<>();
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      StoredMedia stored =
          rig.mediaStore()
              .upload(
                  new MediaPath(uid, id, "m" + i, MediaFormat.PNG),
                  ("png " + id + i).getBytes(StandardCharsets.UTF_8),
                  Map.of())
              .media();
      images.add(new ImageMedia("m" + i, stored.url(), stored.storagePath(), null));
      paths.add(stored.storagePath());
      assertTrue(stored(stored.storagePath()));
    }
    item(
        completedPublic(uid, id).toBuilder()
            .visibility(Visibility.PRIVATE)
            .isPublic(false)
            .images(images)
            .isDeleted(deletedAt != null)
            .deletedAt(deletedAt)
            .build());
    return paths;
  }

  private boolean stored(String path) {
    Storage storage = MediaStorage.client(rig.mediaConfig());
    return storage.get(BlobId.of(GenerationRig.MEDIA_BUCKET, path)) != null;
  }

  /**
   * A clock the test sets; with a step, every reading moves it on by that much (a run then sees its
   * deadline come after a number of readings).
   */
  static final class TestClock extends Clock {
    private final AtomicReference<Instant> now;
    private volatile Duration step = Duration.ZERO;

    TestClock(Instant start) {
      this.now = new AtomicReference<>(start);
    }

    void set(Instant instant) {
      now.set(instant);
    }

    void step(Duration step) {
      this.step = step;
    }

    @Override
    public Instant instant() {
      Duration s = step;
      return now.getAndUpdate(t -> t.plus(s));
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
