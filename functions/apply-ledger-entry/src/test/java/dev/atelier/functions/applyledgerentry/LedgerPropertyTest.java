package dev.atelier.functions.applyledgerentry;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.atelier.credits.CreditService;
import dev.atelier.credits.LedgerType;
import dev.atelier.credits.Posting;
import dev.atelier.emulator.junit.EmulatorHandle;
import dev.atelier.emulator.junit.FirestoreEmulatorExtension;
import dev.atelier.firestore.Database;
import dev.atelier.firestore.FieldValue;
import dev.atelier.firestore.Snapshot;
import dev.atelier.firestore.WriteBatch;
import dev.atelier.platform.Config;
import dev.atelier.platform.Refusal;
import dev.atelier.testsupport.FunctionTestRig;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The ledger property (issue 9): random histories — seeded, at least 10,000 operations over a
 * handful of users — of system postings (some refused with 402), captures and voids, operator
 * writes straight to the ledger (valid and invalid), rewrites, stale write-backs, deletes,
 * re-creates, writes for uids without an account, interleaved with deliveries of the captured
 * change events to the real function (1–3 copies, shuffled, some held back, on parallel threads;
 * see {@link EventPump}). Every {@value #CHECK_EVERY} operations and at the end the test waits for
 * quiescence and checks every uid against {@link LedgerOracle}.
 *
 * <p>{@code -Dledger.seed=N} replays a seed (the deliveries' thread timing is not replayed, so a
 * race may need a few runs); {@code -Dledger.operations=N} changes the length.
 */
@ExtendWith(FirestoreEmulatorExtension.class)
class LedgerPropertyTest {

  private static final String PROJECT = FirestoreEmulatorExtension.PROJECT_ID;
  private static final long DEFAULT_SEED = 9_2026_0109L;
  private static final int OPERATIONS = Integer.getInteger("ledger.operations", 10_000);
  private static final int CHECK_EVERY = 1_000;
  private static final int DELIVERY_THREADS = 4;
  private static final List<String> USERS = List.of("u0", "u1", "u2", "u3", "u4", "u5", "u6", "u7");

  /**
   * Receives bulk grants of up to 10^9 so that its balance reaches the 10^12 ceiling during the
   * run.
   */
  private static final String WHALE = "u0";

  private static final long MAX_ENTRY = LedgerOracle.MAX_ENTRY;
  private static final List<String> TYPES = List.of("GRANT", "DEBIT", "REFUND", "HOLD");

  private Database db;
  private CreditService credits;
  private EventPump pump;
  private Random random;

  private final Set<String> uids = new TreeSet<>();

  /**
   * Every entry id written or posted, per uid (deleted ones too: they are rewritten and
   * re-created).
   */
  private final Map<String, List<String>> ids = new HashMap<>();

  private final Map<String, List<String>> holds = new HashMap<>();
  private final List<String[]> deleted = new ArrayList<>();

  /**
   * The content of an entry as the test last read or wrote it ("uid/id"), for stale write-backs.
   */
  private final Map<String, Map<String, Object>> seen = new HashMap<>();

  private final Map<String, List<String>> seenIds = new HashMap<>();

  /** Postings with an entry id: uid, id, type, credits — reposted as retries. */
  private final List<Object[]> idempotent = new ArrayList<>();

  /** What the test did to each entry ("uid/id"), to explain a failure. */
  private final Map<String, List<String>> history = new HashMap<>();

  private final Map<String, List<String>> byUid = new HashMap<>();
  private final Deque<String> recent = new ArrayDeque<>();
  private final Map<String, Integer> counts = new TreeMap<>();
  private final List<String> unexpected = new ArrayList<>();
  private int op;
  private int freshUids;
  private long writes;

  @Test
  void randomLedgerHistoriesKeepEveryBalanceEqualToTheSumOfItsValidEntries(EmulatorHandle emulator)
      throws Exception {
    long seed = Long.getLong("ledger.seed", DEFAULT_SEED);
    System.out.println(
        "LedgerPropertyTest: seed "
            + seed
            + " (replay with -Dledger.seed="
            + seed
            + "), "
            + OPERATIONS
            + " operations");
    long started = System.nanoTime();
    random = new Random(seed);
    db = emulator.database();
    FunctionTestRig.seedCatalog(db);
    credits = new CreditService(db, java.time.Clock.systemUTC());
    LogTally log = new LogTally();
    PrintStream stdout = System.out;
    ApplyLedgerEntryFunction function;
    System.setOut(log.stream());
    try {
      function =
          new ApplyLedgerEntryFunction(
              Config.forEmulators(PROJECT, emulator.host(), null, "apply-ledger-entry"),
              db,
              Clock.systemUTC());
    } finally {
      System.setOut(stdout);
    }
    LedgerOracle oracle = new LedgerOracle(db);
    try (EventPump events =
        new EventPump(
            PROJECT, db, function::accept, new Random(random.nextLong()), DELIVERY_THREADS)) {
      pump = events;
      emulator.addChangeListener(events::onChange);
      for (String uid : USERS) {
        uids.add(uid);
        ids.put(uid, new ArrayList<>());
        holds.put(uid, new ArrayList<>());
      }
      for (String uid : USERS.subList(0, 4)) {
        credits.openAccount(uid);
      }
      int untilPump = 1;
      LedgerOracle.Totals totals = null;
      while (op < OPERATIONS) {
        op++;
        // Each operation draws from its own stream: when a race turns out differently in a replay
        // (a debit refused, a hold not there), the operations after it are still the same.
        random = new Random(seed + op * 0x9E3779B97F4A7C15L);
        step();
        // A write fires the trigger, whose write fires it once more (a no-op): about 2–3 changes a
        // write; 10 is a storm.
        events.allowChanges(10 * (op + writes) + 1_000);
        if (--untilPump == 0) {
          events.pump();
          untilPump = 1 + random.nextInt(30);
        }
        if (op % CHECK_EVERY == 0 || op == OPERATIONS) {
          totals = checkpoint(oracle, log, started);
        }
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.println(
          "LedgerPropertyTest: seed "
              + seed
              + ", "
              + op
              + " operations ("
              + writes
              + " ledger writes) in "
              + String.format("%.1f", seconds)
              + " s");
      System.out.println("  operations by kind: " + counts);
      System.out.println(
          "  changes captured "
              + events.changes.get()
              + ", copies made "
              + events.copies
              + " (held back "
              + events.heldBack
              + "), deliveries "
              + events.deliveries.get()
              + " (redeliveries after a transient failure "
              + events.redeliveries.get()
              + "), drain rounds "
              + events.drainRounds
              + " (max "
              + events.maxDrainRounds
              + ")");
      System.out.println("  function log lines by severity: " + log.bySeverity());
      log.warnings().stream().limit(3).forEach(w -> System.out.println("  e.g. " + w));
      System.out.println("  final ledger: " + totals);
      assertTrue(
          totals.invalid > 0
              && totals.reversed > 0
              && totals.restoredMarks > 0
              && totals.invalidByCap > 0
              && counts.getOrDefault("post.DEBIT.refused402", 0) > 0,
          "the run did not reach every kind of outcome: " + totals + " " + counts);
    }
  }

  private LedgerOracle.Totals checkpoint(LedgerOracle oracle, LogTally log, long started)
      throws Exception {
    long t0 = System.nanoTime();
    int rounds = pump.drain();
    List<String> violations = new ArrayList<>();
    LedgerOracle.Totals totals = oracle.check(uids, violations);
    violations.addAll(pump.failures());
    log.errors().forEach(e -> violations.add("the function logged an ERROR: " + e));
    unexpected.forEach(u -> violations.add("unexpected: " + u));
    System.out.printf(
        "  after %5d operations (%5.1f s): quiescent in %d rounds, %d ms; %s%n",
        op,
        (System.nanoTime() - started) / 1e9,
        rounds,
        (System.nanoTime() - t0) / 1_000_000,
        totals);
    if (!violations.isEmpty()) {
      StringBuilder why =
          new StringBuilder(
              "ledger property broken after operation "
                  + op
                  + " (seed "
                  + Long.getLong("ledger.seed", DEFAULT_SEED)
                  + "): "
                  + violations.size()
                  + " violations\n");
      violations.stream().limit(25).forEach(v -> why.append("  ").append(v).append('\n'));
      for (String entry :
          LedgerOracle.entriesNamed(violations).stream().distinct().limit(6).toList()) {
        why.append("history of ").append(entry).append(":\n");
        history
            .getOrDefault(entry, List.of())
            .forEach(h -> why.append("    ").append(h).append('\n'));
      }
      for (String uid : LedgerOracle.uidsNamed(violations).stream().distinct().limit(3).toList()) {
        List<String> ofUid = byUid.getOrDefault(uid, List.of());
        why.append("last operations on ").append(uid).append(":\n");
        ofUid
            .subList(Math.max(0, ofUid.size() - 30), ofUid.size())
            .forEach(h -> why.append("    ").append(h).append('\n'));
      }
      why.append("last operations:\n");
      recent.forEach(r -> why.append("    ").append(r).append('\n'));
      fail(why.toString());
    }
    return totals;
  }

  // --- Operations
  // --------------------------------------------------------------------------------------

  private void step() throws Exception {
    String uid = USERS.get(random.nextInt(USERS.size()));
    int r = random.nextInt(1000);
    if (r < 80) {
      systemPost(uid, LedgerType.GRANT);
    } else if (r < 110) {
      systemPost(uid, LedgerType.REFUND);
    } else if (r < 200) {
      systemPost(uid, LedgerType.DEBIT);
    } else if (r < 300) {
      systemPost(uid, LedgerType.HOLD);
    } else if (r < 320) {
      idempotentPost(uid);
    } else if (r < 370) {
      settle(uid, true);
    } else if (r < 410) {
      settle(uid, false);
    } else if (r < 530) {
      operatorWrite(uid, newId(uid), validContent(uid), "operator.valid");
    } else if (r < 620) {
      operatorWrite(uid, newId(uid), invalidContent(), "operator.invalid");
    } else if (r < 780) {
      rewrite(uid);
    } else if (r < 820) {
      staleWriteBack(uid);
    } else if (r < 890) {
      delete(uid);
    } else if (r < 940) {
      recreate();
    } else if (r < 965) {
      freshUid();
    } else if (r < 980) {
      bulk();
    } else {
      systemPost(WHALE, random.nextBoolean() ? LedgerType.HOLD : LedgerType.GRANT);
    }
  }

  private void systemPost(String uid, LedgerType type) {
    long magnitude =
        uid.equals(WHALE) && random.nextBoolean()
            ? 1 + (long) (random.nextDouble() * MAX_ENTRY)
            : magnitude();
    String kind = "post." + type;
    try {
      String id = credits.post(uid, Posting.of(type, magnitude, "property " + type)).entryId();
      remember(uid, id, kind + " " + magnitude);
      if (type == LedgerType.HOLD) {
        holds.get(uid).add(id);
      }
      count(kind);
    } catch (Refusal e) {
      if (isCeiling(e)) {
        // Account.post refuses a posting that would take the balance past 10^12.
        count(kind + ".refusedCeiling");
      } else {
        expect(
            kind,
            e,
            (type == LedgerType.DEBIT || type == LedgerType.HOLD)
                ? Refusal.Problem.INSUFFICIENT_CREDITS
                : null);
      }
    }
  }

  /**
   * A posting with an entry id (as derived from an idempotency key), or a retry of an earlier one.
   */
  private void idempotentPost(String uid) throws Exception {
    Object[] p;
    List<Object[]> mine = idempotent.stream().filter(q -> q[0].equals(uid)).toList();
    if (mine.isEmpty() || random.nextBoolean()) {
      LedgerType type =
          List.of(LedgerType.GRANT, LedgerType.REFUND, LedgerType.DEBIT).get(random.nextInt(3));
      p = new Object[] {uid, CreditService.SYSTEM_PREFIX + "idem_" + op, type, magnitude()};
      idempotent.add(p);
    } else {
      p = mine.get(random.nextInt(mine.size()));
    }
    String id = (String) p[1];
    LedgerType type = (LedgerType) p[2];
    String kind = "post.withId";
    if (history.containsKey(uid + "/" + id) && random.nextInt(3) == 0) {
      // An operator deletes the entry just before the request is retried (the trigger has not
      // restored it).
      db.delete(entryPath(uid, id));
      writes++;
      deleted.add(new String[] {uid, id});
      remember(uid, id, "delete before the retry");
      kind = "post.withId.retryAfterDelete";
    }
    try {
      credits.post(uid, Posting.of(type, (Long) p[3], "property idempotent").withEntryId(id));
      remember(uid, id, kind + " " + type + " " + p[3]);
      count(kind);
    } catch (Refusal e) {
      if (isCeiling(e)) {
        count(kind + ".refusedCeiling");
      } else {
        expect(kind, e, type == LedgerType.DEBIT ? Refusal.Problem.INSUFFICIENT_CREDITS : null);
      }
    } catch (RuntimeException e) {
      // The entry document was rewritten by hand into something that does not decode.
      refusedOrUnexpected(
          kind + ".unreadable", kind, e, e.getClass().getSimpleName().equals("MappingException"));
    }
  }

  private void settle(String uid, boolean capture) {
    String kind = capture ? "capture" : "void";
    List<String> mine = holds.get(uid);
    List<String> all = ids.get(uid);
    if (all.isEmpty()) {
      count(kind + ".nothing");
      return;
    }
    // Mostly the system's own holds; sometimes any entry (not a hold, or rewritten by hand).
    String id =
        !mine.isEmpty() && random.nextInt(10) > 0
            ? mine.get(random.nextInt(mine.size()))
            : all.get(random.nextInt(all.size()));
    try {
      if (capture) {
        credits.capture(uid, id);
      } else {
        credits.voidHold(uid, id);
      }
      remember(uid, id, kind);
      count(kind);
    } catch (Refusal e) {
      remember(uid, id, kind + " refused " + e.problem() + ": " + e.getMessage());
      if (!capture && isCeiling(e)) {
        // Voiding would take the balance past 10^12: the hold stays PENDING.
        count(kind + ".refusedCeiling");
      } else {
        expect(kind, e, Refusal.Problem.CONFLICT, Refusal.Problem.NOT_FOUND);
      }
    } catch (RuntimeException e) {
      remember(uid, id, kind + " failed " + e);
      refusedOrUnexpected(
          kind + ".failed." + e.getClass().getSimpleName(), kind, e, settleFailureIsExplained(e));
    }
  }

  /**
   * A settle whose entry document was deleted or rewritten by hand, before the trigger put it back:
   * the transaction's update of the missing document fails (NOT_FOUND), or the rewritten document
   * does not decode. The caller sees an error and retries; the balance is untouched.
   */
  private static boolean settleFailureIsExplained(RuntimeException e) {
    String text = String.valueOf(e) + " " + e.getCause();
    return text.contains("NOT_FOUND") || e.getClass().getSimpleName().equals("MappingException");
  }

  private void operatorWrite(String uid, String id, Map<String, Object> content, String kind)
      throws Exception {
    db.set(entryPath(uid, id), content);
    writes++;
    remember(uid, id, kind + " " + content);
    see(uid, id, content);
    count(kind);
  }

  /** Read-modify-write of an existing entry, as in the console. */
  private void rewrite(String uid) throws Exception {
    List<String> all = ids.get(uid);
    if (all.isEmpty()) {
      count("rewrite.nothing");
      return;
    }
    String id = all.get(random.nextInt(all.size()));
    String ref = entryPath(uid, id);
    Snapshot snap = db.get(ref);
    if (!snap.exists()) {
      operatorWrite(
          uid,
          id,
          random.nextInt(3) > 0 ? validContent(uid) : invalidContent(),
          "rewrite.ofDeleted");
      return;
    }
    Map<String, Object> current = snap.getData();
    see(uid, id, current);
    Object type = current.get("type");
    Object status = current.get("status");
    Map<String, Object> update = new LinkedHashMap<>();
    String kind;
    switch (random.nextInt(13)) {
      case 0 -> {
        kind = "rewrite.amount";
        long m = magnitude();
        update.put("amount", "GRANT".equals(type) || "REFUND".equals(type) ? m : -m);
      }
      case 1 -> {
        kind = "rewrite.amountInvalid";
        update.put("amount", invalidAmount(String.valueOf(type)));
      }
      case 2 -> {
        kind = "rewrite.type";
        update.put("type", random.nextInt(6) == 0 ? "BONUS" : TYPES.get(random.nextInt(4)));
      }
      case 3, 4 -> {
        kind = "PENDING".equals(status) ? "rewrite.settleByHand" : "rewrite.settleNotPending";
        update.put("status", random.nextBoolean() ? "CONFIRMED" : "REVERSED");
      }
      case 5 -> {
        kind = "rewrite.statusIllegal";
        update.put(
            "status",
            List.of("PENDING", "CONFIRMED", "REVERSED", "DONE", "pending").get(random.nextInt(5)));
      }
      case 6 -> {
        kind = "rewrite.dropAppliedAmount";
        update.put("appliedAmount", FieldValue.delete());
      }
      case 7 -> {
        kind = "rewrite.forgeAppliedAmount";
        update.put("appliedAmount", random.nextBoolean() ? (long) random.nextInt(1000) : 7.5);
      }
      case 8 -> {
        kind = "rewrite.invalidMark";
        update.put(
            "invalid",
            current.containsKey("invalid") ? FieldValue.delete() : Map.of("reason", "forged"));
      }
      case 9, 10 -> {
        kind = "rewrite.replace";
        Map<String, Object> content = random.nextInt(3) > 0 ? validContent(uid) : invalidContent();
        db.set(ref, content);
        writes++;
        remember(uid, id, kind + " " + content);
        see(uid, id, content);
        count(kind);
        return;
      }
      case 11 -> {
        kind = "rewrite.reason";
        update.put("reason", "edited " + op);
      }
      default -> {
        kind = "rewrite.dropMarksAndDates";
        update.put("restored", FieldValue.delete());
        update.put("createdAt", FieldValue.delete());
        update.put("balanceAfter", FieldValue.delete());
      }
    }
    db.update(ref, update);
    writes++;
    Map<String, Object> described = new LinkedHashMap<>(update);
    described.replaceAll((k, v) -> v instanceof FieldValue ? "<deleted>" : v);
    remember(uid, id, kind + " " + described);
    count(kind);
  }

  /** An operator writes back a copy of the entry read earlier (over whatever happened since). */
  private void staleWriteBack(String uid) throws Exception {
    List<String> mine = seenIds.getOrDefault(uid, List.of());
    if (mine.isEmpty()) {
      count("staleWriteBack.nothing");
      return;
    }
    String id = mine.get(random.nextInt(mine.size()));
    Map<String, Object> copy = new LinkedHashMap<>(seen.get(uid + "/" + id));
    if (random.nextBoolean()) {
      copy.put("reason", "stale copy " + op);
    }
    db.set(entryPath(uid, id), copy);
    writes++;
    remember(uid, id, "staleWriteBack " + copy);
    count("staleWriteBack");
  }

  private void delete(String uid) throws Exception {
    List<String> all = ids.get(uid);
    if (all.isEmpty()) {
      count("delete.nothing");
      return;
    }
    String id = all.get(random.nextInt(all.size()));
    db.delete(entryPath(uid, id));
    writes++;
    deleted.add(new String[] {uid, id});
    remember(uid, id, "delete");
    count("delete");
  }

  /** Re-creates a deleted entry at its id: as it was (a copy) or with new content. */
  private void recreate() throws Exception {
    if (deleted.isEmpty()) {
      count("recreate.nothing");
      return;
    }
    String[] d = deleted.remove(random.nextInt(deleted.size()));
    Map<String, Object> before = seen.get(d[0] + "/" + d[1]);
    Map<String, Object> content =
        before != null && random.nextBoolean()
            ? before
            : random.nextInt(3) > 0 ? validContent(d[0]) : invalidContent();
    operatorWrite(d[0], d[1], content, before == content ? "recreate.same" : "recreate.other");
  }

  /** An operator entry for a uid that has no account yet (valid ones open it). */
  private void freshUid() throws Exception {
    String uid = "nx" + freshUids++;
    uids.add(uid);
    ids.put(uid, new ArrayList<>());
    holds.put(uid, new ArrayList<>());
    boolean valid = random.nextInt(4) > 0;
    operatorWrite(
        uid,
        newId(uid),
        valid ? validContent(uid) : invalidContent(),
        valid ? "noAccount.valid" : "noAccount.invalid");
  }

  /**
   * A batch of operator entries of up to 10^9 for the whale: 30, mostly grants, until its balance
   * nears 10^12; then 10, grants or debits, so that it stays around the ceiling without thousands
   * more entries.
   */
  private void bulk() throws Exception {
    Long balance = db.get("credits/" + WHALE + "/balance/current").getLong("creditBalance");
    boolean nearCeiling = balance != null && balance > LedgerOracle.MAX_BALANCE - 40 * MAX_ENTRY;
    int size = nearCeiling ? 10 : 30;
    boolean grants = nearCeiling ? random.nextBoolean() : random.nextInt(5) > 0;
    WriteBatch batch = db.batch();
    for (int i = 0; i < size; i++) {
      String id = newId(WHALE);
      long m =
          grants
              ? MAX_ENTRY - random.nextInt(3)
              : MAX_ENTRY / 2 + random.nextInt((int) (MAX_ENTRY / 2));
      Map<String, Object> content = entry(grants ? "GRANT" : "DEBIT", grants ? m : -m, "CONFIRMED");
      batch.set(entryPath(WHALE, id), content);
      remember(WHALE, id, "bulk " + content);
    }
    batch.commit();
    writes += size;
    count(grants ? "bulk.grants" : "bulk.debits");
  }

  // --- Content
  // -----------------------------------------------------------------------------------------

  private long magnitude() {
    int k = random.nextInt(100);
    if (k < 80) {
      return 1 + random.nextInt(200);
    }
    if (k < 95) {
      return 1 + random.nextInt(5_000);
    }
    return 1 + (long) (random.nextDouble() * (MAX_ENTRY - 1));
  }

  private static Map<String, Object> entry(String type, Object amount, String status) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("type", type);
    e.put("amount", amount);
    e.put("status", status);
    e.put("reason", "operator");
    e.put("meta", Map.of("by", "console"));
    return e;
  }

  private Map<String, Object> validContent(String uid) {
    String type = TYPES.get(random.nextInt(4));
    long m =
        uid.equals(WHALE) && random.nextInt(4) == 0
            ? MAX_ENTRY - random.nextInt(1000)
            : magnitude();
    long amount = type.equals("GRANT") || type.equals("REFUND") ? m : -m;
    int s = random.nextInt(20);
    String status =
        type.equals("HOLD")
            ? (s < 17 ? "PENDING" : s < 19 ? "CONFIRMED" : "REVERSED")
            : (s < 17 ? "CONFIRMED" : s < 19 ? "PENDING" : "REVERSED");
    // Integer-valued doubles are integers too (some clients write every number as a double).
    Map<String, Object> e = entry(type, random.nextInt(10) == 0 ? (double) amount : amount, status);
    int extra = random.nextInt(20);
    if (extra < 3) {
      e.put("appliedAmount", amount); // copied from an applied entry
    } else if (extra < 4) {
      e.put("invalid", Map.of("reason", "copied")); // copied from an invalid entry
    } else if (extra < 8) {
      e.put("createdAt", Instant.now());
    }
    return e;
  }

  private Map<String, Object> invalidContent() {
    String type = TYPES.get(random.nextInt(4));
    Map<String, Object> e;
    switch (random.nextInt(5)) {
      case 0 -> e = entry(type, invalidAmount(type), "CONFIRMED");
      case 1 -> {
        long m = magnitude();
        e = entry(type, type.equals("GRANT") || type.equals("REFUND") ? -m : m, "CONFIRMED");
      }
      case 2 ->
          e =
              entry(
                  List.of("BONUS", "grant", "", "GRANT ").get(random.nextInt(4)),
                  magnitude(),
                  "CONFIRMED");
      case 3 ->
          e =
              entry(
                  type,
                  type.equals("GRANT") || type.equals("REFUND") ? 10L : -10L,
                  List.of("DONE", "confirmed", "").get(random.nextInt(3)));
      default -> {
        e = entry(type, magnitude(), "CONFIRMED");
        e.remove(List.of("type", "amount", "status").get(random.nextInt(3)));
      }
    }
    if (random.nextInt(5) == 0) {
      e.put("appliedAmount", random.nextInt(100) + 1L); // claims to be applied already
    }
    return e;
  }

  /** An amount no entry of {@code type} may have. */
  private Object invalidAmount(String type) {
    boolean credit = type.equals("GRANT") || type.equals("REFUND");
    List<Object> amounts =
        List.of(
            0L,
            credit ? -magnitude() : magnitude(),
            credit ? MAX_ENTRY + 1 : -(MAX_ENTRY + 1),
            credit ? Long.MAX_VALUE : Long.MIN_VALUE,
            credit ? Long.MAX_VALUE - random.nextInt(1000) : Long.MIN_VALUE + random.nextInt(1000),
            credit ? 1_000_000_000_000L : -Long.MAX_VALUE,
            credit ? 1.5 : -2.5,
            credit ? 1e19 : -4e9,
            Double.NaN,
            credit ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY,
            "10",
            true,
            List.of(5L));
    return amounts.get(random.nextInt(amounts.size()));
  }

  // --- Bookkeeping
  // -------------------------------------------------------------------------------------

  private String newId(String uid) {
    return random.nextInt(3) == 0 ? "op_" + op + "_" + random.nextInt(1000) : Database.autoId();
  }

  private static String entryPath(String uid, String id) {
    return "credits/" + uid + "/ledger/" + id;
  }

  private void remember(String uid, String id, String what) {
    String key = uid + "/" + id;
    List<String> h = history.computeIfAbsent(key, k -> new ArrayList<>());
    if (h.isEmpty()) {
      ids.get(uid).add(id);
    }
    String line = "#" + op + " " + key + " " + what;
    h.add(line);
    byUid.computeIfAbsent(uid, k -> new ArrayList<>()).add(line);
    recent.addLast(line);
    if (recent.size() > 30) {
      recent.removeFirst();
    }
  }

  private void see(String uid, String id, Map<String, Object> content) {
    if (seen.put(uid + "/" + id, new LinkedHashMap<>(content)) == null) {
      seenIds.computeIfAbsent(uid, k -> new ArrayList<>()).add(id);
    }
  }

  private void count(String kind) {
    counts.merge(kind, 1, Integer::sum);
  }

  private static boolean isCeiling(Refusal e) {
    return e.problem() == Refusal.Problem.CONFLICT
        && e.getMessage().contains("would pass its limit");
  }

  private void expect(String kind, Refusal e, Refusal.Problem... allowed) {
    for (Refusal.Problem code : allowed) {
      if (code != null && e.problem() == code) {
        count(
            kind
                + ".refused"
                + (code == Refusal.Problem.INSUFFICIENT_CREDITS ? "402" : code.name()));
        return;
      }
    }
    unexpected.add("#" + op + " " + kind + " refused: " + e.getMessage());
  }

  private void refusedOrUnexpected(
      String countAs, String kind, RuntimeException e, boolean explained) {
    if (explained) {
      count(countAs);
    } else {
      unexpected.add("#" + op + " " + kind + " threw " + e);
    }
  }
}
