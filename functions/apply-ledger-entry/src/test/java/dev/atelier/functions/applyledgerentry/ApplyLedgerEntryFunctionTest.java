package dev.atelier.functions.applyledgerentry;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.credits.CreditService;
import dev.atelier.credits.LedgerType;
import dev.atelier.credits.Posting;
import dev.atelier.emulator.Counters;
import dev.atelier.emulator.junit.EmulatorHandle;
import dev.atelier.emulator.junit.FirestoreEmulatorExtension;
import dev.atelier.firestore.Database;
import dev.atelier.firestore.Snapshot;
import dev.atelier.platform.Config;
import dev.atelier.platform.Refusal;
import dev.atelier.testsupport.FirestoreEvents;
import dev.atelier.testsupport.FunctionTestRig;
import io.cloudevents.CloudEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FirestoreEmulatorExtension.class)
class ApplyLedgerEntryFunctionTest {

  private static final String PROJECT = FirestoreEmulatorExtension.PROJECT_ID;
  private static final String PREFIX = "projects/" + PROJECT + "/databases/(default)/documents/";
  private static final List<String> USERS = List.of("ua", "ub", "uc", "ud", "ue");

  /**
   * Ledger changes seen by the emulator since the test started, as (path, event data, commit time).
   */
  private record Change(
      String path, com.google.events.cloud.firestore.v1.DocumentEventData data, Instant time) {}

  private static final ConcurrentLinkedQueue<Change> CHANGES = new ConcurrentLinkedQueue<>();

  private final FirestoreEvents events = new FirestoreEvents(PROJECT);
  private Database db;
  private CreditService credits;
  private ApplyLedgerEntryFunction function;

  @BeforeEach
  void start(EmulatorHandle emulator) throws Exception {
    // The extension drops listeners before each test.
    emulator.addChangeListener(
        (name, before, after, commitTime) -> {
          String path = name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name;
          if (path.matches("credits/[^/]+/ledger/[^/]+")) {
            CHANGES.add(
                new Change(
                    path,
                    FirestoreEvents.data(before, after),
                    FirestoreEvents.instant(commitTime)));
          }
        });
    db = emulator.database();
    FunctionTestRig.seedCatalog(db);
    credits = new CreditService(db, java.time.Clock.systemUTC());
    function =
        new ApplyLedgerEntryFunction(
            Config.forEmulators(PROJECT, emulator.host(), null, "apply-ledger-entry"),
            db,
            Clock.systemUTC());
    Thread.sleep(200);
    CHANGES.clear();
  }

  @Test
  void twoHundredMixedEntriesDeliveredThreeTimesShuffledKeepEveryBalanceRight() throws Exception {
    Random random = new Random(42);
    List<String> overdrawing = new ArrayList<>();
    for (String uid : USERS) {
      credits.openAccount(uid);
    }
    List<String[]> holds = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String uid = USERS.get(random.nextInt(USERS.size()));
      int kind = random.nextInt(7);
      try {
        switch (kind) {
          case 0 ->
              credits.post(uid, Posting.of(LedgerType.GRANT, 1 + random.nextInt(20), "grant"));
          case 1 ->
              credits.post(uid, Posting.of(LedgerType.DEBIT, 1 + random.nextInt(15), "debit"));
          case 2 ->
              holds.add(
                  new String[] {
                    uid,
                    credits
                        .post(uid, Posting.of(LedgerType.HOLD, 1 + random.nextInt(10), "hold"))
                        .entryId()
                  });
          case 3 -> {
            if (!holds.isEmpty()) {
              String[] h = holds.remove(random.nextInt(holds.size()));
              if (random.nextBoolean()) {
                credits.capture(h[0], h[1]);
              } else {
                credits.voidHold(h[0], h[1]);
              }
            }
          }
          // Operator writes straight to the ledger: no appliedAmount, the trigger must apply them.
          case 4 -> operatorEntry(uid, "GRANT", 1 + random.nextInt(30), "CONFIRMED");
          case 5 -> operatorEntry(uid, "DEBIT", -(1 + random.nextInt(5)), "CONFIRMED");
          default ->
              overdrawing.add(
                  uid + "/ledger/" + operatorEntry(uid, "DEBIT", -1_000_000, "CONFIRMED"));
        }
      } catch (Refusal refused) {
        assertEquals(Refusal.Problem.INSUFFICIENT_CREDITS, refused.problem());
      }
    }
    // Deliver every event 3 times, shuffled, on parallel threads, half protobuf and half JSON; then
    // the events the trigger's own writes caused, until nothing changes any more (the fixed point).
    ExecutorService pool = Executors.newFixedThreadPool(8);
    for (int round = 0; round < 5; round++) {
      Thread.sleep(300);
      List<Change> batch = new ArrayList<>();
      for (Change c; (c = CHANGES.poll()) != null; ) {
        batch.add(c);
      }
      if (batch.isEmpty()) {
        break;
      }
      assertTrue(round < 3, "no fixed point after " + round + " rounds");
      List<CloudEvent> deliveries = new ArrayList<>();
      for (Change c : batch) {
        for (int copy = 0; copy < 3; copy++) {
          deliveries.add(
              random.nextBoolean()
                  ? events.protobuf(c.path(), c.data(), c.time())
                  : events.json(c.path(), c.data(), c.time()));
        }
      }
      Collections.shuffle(deliveries, random);
      List<Future<?>> done = new ArrayList<>();
      for (CloudEvent e : deliveries) {
        done.add(
            pool.submit(
                () -> {
                  function.accept(e);
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    }
    pool.shutdown();

    for (String uid : USERS) {
      long expected = 0;
      for (Snapshot entry : db.collection("credits/" + uid + "/ledger").get()) {
        long amount = entry.getLong("amount");
        long contribution = "REVERSED".equals(entry.getString("status")) ? 0 : amount;
        expected += contribution;
        assertEquals(
            contribution, entry.getLong("appliedAmount"), "applied exactly once: " + entry.id());
      }
      long balance = db.get("credits/" + uid + "/balance/current").getLong("creditBalance");
      assertEquals(expected, balance, "balance rule for " + uid);
      assertTrue(balance >= 0);
    }
    assertTrue(!overdrawing.isEmpty());
    for (String path : overdrawing) {
      Snapshot entry = db.get("credits/" + path);
      assertEquals("REVERSED", entry.getString("status"), path);
      assertTrue(
          ((Map<?, ?>) entry.get("meta")).get("reversalReason").toString().contains("overdraw"));
    }
  }

  @Test
  void operatorGrantForAUidWithoutAccountOpensItAndApplies() throws Exception {
    String id = operatorEntry("fresh", "GRANT", 25, "CONFIRMED");
    deliverAll();
    assertEquals(
        125L, db.get("credits/fresh/balance/current").getLong("creditBalance"), "FREE 100 + 25");
    assertEquals(25L, db.get("credits/fresh/ledger/" + id).getLong("appliedAmount"));
  }

  @Test
  void eventsOlderThanTheMaximumAgeAreDropped() throws Exception {
    credits.openAccount("late");
    String id = operatorEntry("late", "GRANT", 10, "CONFIRMED");
    Thread.sleep(200);
    Change change = CHANGES.stream().filter(c -> c.path().endsWith(id)).findFirst().orElseThrow();
    function.accept(
        events.protobuf(
            change.path(),
            change.data(),
            Instant.now().minus(Config.DEFAULT_MAX_EVENT_AGE).minus(Duration.ofMinutes(1))));
    assertEquals(100L, db.get("credits/late/balance/current").getLong("creditBalance"));
  }

  @Test
  void garbagePayloadIsDroppedWithoutARetryOrAWrite(EmulatorHandle emulator) throws Exception {
    credits.openAccount("x");
    emulator.resetCounters();
    // Returning normally is what tells Eventarc not to redeliver (a throw would retry it forever).
    assertDoesNotThrow(() -> function.accept(events.garbage("credits/x/ledger/y", Instant.now())));
    assertEquals(0, emulator.counters().writes(), "nothing applied");
    assertEquals(
        0, emulator.counters().reads(), "not even looked up: the payload names no document");
    assertEquals(100L, balance("x"));
  }

  @Test
  void oneRunAndADuplicateDeliveryCostExactlyTheirBudgetOfDocumentOperations(
      EmulatorHandle emulator) throws Exception {
    credits.openAccount("cost");
    String operator = operatorEntry("cost", "GRANT", 40, "CONFIRMED");
    String posted = credits.post("cost", Posting.of(LedgerType.GRANT, 5, "bonus")).entryId();
    CloudEvent written = firstEvent(operator);
    CloudEvent postedWritten = firstEvent(posted);

    emulator.resetCounters();
    function.accept(written);
    Counters applying = emulator.counters();
    emulator.resetCounters();
    function.accept(written);
    Counters duplicate = emulator.counters();
    emulator.resetCounters();
    function.accept(postedWritten);
    Counters alreadyApplied = emulator.counters();

    assertEquals(145L, balance("cost"), "FREE 100 + 40 applied by the trigger + 5 posted");
    System.out.println(
        "apply-ledger-entry cost per run: applying "
            + applying
            + ", duplicate delivery "
            + duplicate
            + ", entry posted by the system "
            + alreadyApplied);
    // Every run reads the entry, its applied record and the balance in one transaction.
    assertAll(
        // writes: the entry (status, appliedAmount, balanceAfter), its applied record, the balance.
        () ->
            assertEquals(
                new Counters(3, 3, 0),
                applying,
                "apply-ledger-entry, applying an entry written by hand"),
        // Entry, record and balance already agree: nothing is written.
        () ->
            assertEquals(
                new Counters(3, 0, 0), duplicate, "apply-ledger-entry, duplicate delivery"),
        () ->
            assertEquals(
                new Counters(3, 0, 0),
                alreadyApplied,
                "apply-ledger-entry, an entry posted (and applied) by the system"));
  }

  /** The event of the first write of ledger entry {@code entryId} the emulator reported. */
  private CloudEvent firstEvent(String entryId) throws Exception {
    for (int waited = 0; waited < 5000; waited += 20) {
      for (Change c : CHANGES) {
        if (c.path().endsWith("/ledger/" + entryId)) {
          return events.protobuf(c.path(), c.data(), c.time());
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no change reported for ledger entry " + entryId);
  }

  // Ledger guards (SPEC "Ledger guards"): what an operator writes by hand cannot break a balance.

  private long balance(String uid) throws Exception {
    return db.get("credits/" + uid + "/balance/current").getLong("creditBalance");
  }

  private Snapshot entry(String uid, String id) throws Exception {
    return db.get("credits/" + uid + "/ledger/" + id);
  }

  private long invalidAlerts(String uid, String entryId) throws Exception {
    return db
        .collection("model_router_alerts")
        .whereEqualTo("type", "ledger_invalid_entry")
        .get()
        .stream()
        .filter(a -> (uid + "/" + entryId).equals(((Map<?, ?>) a.get("details")).get("entry")))
        .count();
  }

  @Test
  void grantWithANegativeAmountIsInvalidAndAlertedOnce() throws Exception {
    credits.openAccount("neg");
    String id = operatorEntry("neg", "GRANT", -500, "CONFIRMED");
    deliverAll();
    assertEquals(100, balance("neg"), "a negative GRANT takes nothing");
    assertTrue(
        entry("neg", id).get("invalid") instanceof Map<?, ?> m
            && m.get("reason").toString().contains("sign"));
    assertEquals(1, invalidAlerts("neg", id));
  }

  @Test
  void debitWithAPositiveAmountIsInvalidAndAddsNothing() throws Exception {
    credits.openAccount("pos");
    String id = operatorEntry("pos", "DEBIT", 700, "CONFIRMED");
    deliverAll();
    assertEquals(100, balance("pos"));
    assertTrue(entry("pos", id).contains("invalid"));
  }

  @Test
  void amountsBeyondTheBoundsAreInvalidAndBalancesNeverWrap() throws Exception {
    credits.openAccount("big");
    String huge = operatorEntry("big", "GRANT", Long.MAX_VALUE - 10, "CONFIRMED");
    deliverAll();
    assertEquals(100, balance("big"), "|amount| > 10^9 is refused");
    assertTrue(entry("big", huge).contains("invalid"));
    // Near the ceiling (set directly: reaching it with 1,000 grants would only make the test slow).
    db.update(
        "credits/big/balance/current", Map.of("creditBalance", 1_000_000_000_000L - 500_000_000L));
    String over = operatorEntry("big", "GRANT", 1_000_000_000L, "CONFIRMED");
    String fits = operatorEntry("big", "GRANT", 400_000_000L, "CONFIRMED");
    deliverAll();
    assertEquals(
        1_000_000_000_000L - 100_000_000L,
        balance("big"),
        "the grant that fits is applied, exactly");
    assertTrue(
        entry("big", over).contains("invalid"), "the grant that would pass 10^12 is refused");
    assertEquals(400_000_000L, entry("big", fits).getLong("appliedAmount"));
  }

  @Test
  void entryRewrittenWithoutItsAppliedAmountIsNotAppliedTwice() throws Exception {
    credits.openAccount("rew");
    String id = credits.post("rew", Posting.of(LedgerType.GRANT, 40, "bonus")).entryId();
    deliverAll();
    assertEquals(140, balance("rew"));
    db.set(
        "credits/rew/ledger/" + id,
        Map.of("type", "GRANT", "amount", 40L, "status", "CONFIRMED", "reason", "bonus"));
    deliverAll();
    assertEquals(140, balance("rew"), "still counted once");
  }

  @Test
  void deletedAndRecreatedEntriesNeverCountTwiceNorLeaveTheSum() throws Exception {
    credits.openAccount("del");
    String id = credits.post("del", Posting.of(LedgerType.GRANT, 30, "bonus")).entryId();
    credits.post("del", Posting.of(LedgerType.DEBIT, 120, "spent it"));
    deliverAll();
    assertEquals(10, balance("del"));
    db.delete("credits/del/ledger/" + id);
    deliverAll();
    assertEquals(10, balance("del"), "a spent grant cannot be taken back by deleting it");
    assertTrue(entry("del", id).exists(), "the append-only ledger restores it");
    assertEquals(ledgerSum("del"), balance("del"));
    db.set(
        "credits/del/ledger/" + id,
        Map.of("type", "GRANT", "amount", 30L, "status", "CONFIRMED", "reason", "again"));
    deliverAll();
    assertEquals(10, balance("del"), "re-created: still once");
    assertEquals(ledgerSum("del"), balance("del"));
  }

  @Test
  void illegalStatusMovesAreUndone() throws Exception {
    credits.openAccount("mov");
    String grant = credits.post("mov", Posting.of(LedgerType.GRANT, 50, "bonus")).entryId();
    deliverAll();
    db.update("credits/mov/ledger/" + grant, Map.of("status", "PENDING"));
    deliverAll();
    assertEquals("CONFIRMED", entry("mov", grant).getString("status"), "CONFIRMED never goes back");
    String debit = operatorEntry("mov", "DEBIT", -20, "CONFIRMED");
    deliverAll();
    db.update("credits/mov/ledger/" + debit, Map.of("status", "REVERSED"));
    deliverAll();
    assertEquals("CONFIRMED", entry("mov", debit).getString("status"), "only PENDING moves");
    assertEquals(130, balance("mov"));
    assertEquals(ledgerSum("mov"), balance("mov"));
  }

  @Test
  void unknownTypeOrStatusIsMarkedInvalidNotDropped() throws Exception {
    credits.openAccount("odd");
    String type = operatorEntry("odd", "BONUS", 10, "CONFIRMED");
    String status = operatorEntry("odd", "GRANT", 10, "DONE");
    deliverAll();
    assertEquals(100, balance("odd"));
    assertTrue(entry("odd", type).contains("invalid"));
    assertTrue(entry("odd", status).contains("invalid"));
  }

  @Test
  void anEntryAtAnyIdCannotLockAUserOutOfOpeningTheAccount() throws Exception {
    db.set(
        "credits/lock/ledger/open-account",
        Map.of("type", "GRANT", "amount", 5L, "status", "CONFIRMED", "reason", "squatting"));
    db.set(
        "credits/lock/ledger/sys_open",
        Map.of("type", "GRANT", "amount", 5L, "status", "CONFIRMED", "reason", "squatting"));
    assertEquals(100, credits.openAccount("lock").creditBalance());
    deliverAll();
    assertEquals(110, balance("lock"), "FREE 100 + both operator grants");
    assertEquals(ledgerSum("lock"), balance("lock"));
  }

  /** Σ of valid, non-REVERSED entries as stored. */
  private long ledgerSum(String uid) throws Exception {
    long sum = 0;
    for (Snapshot e : db.collection("credits/" + uid + "/ledger").get()) {
      if (!"REVERSED".equals(e.getString("status")) && !e.contains("invalid")) {
        sum += e.getLong("amount");
      }
    }
    return sum;
  }

  private void deliverAll() throws Exception {
    for (int round = 0; round < 3; round++) {
      Thread.sleep(200);
      for (Change c; (c = CHANGES.poll()) != null; ) {
        function.accept(events.json(c.path(), c.data(), c.time()));
      }
    }
  }

  private String operatorEntry(String uid, String type, long amount, String status)
      throws Exception {
    String id = Database.autoId();
    db.create(
        "credits/" + uid + "/ledger/" + id,
        Map.of(
            "type",
            type,
            "amount",
            amount,
            "status",
            status,
            "reason",
            "operator",
            "meta",
            Map.of("by", "console")));
    return id;
  }
}
