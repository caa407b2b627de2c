package dev.atelier.functions.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import dev.atelier.catalog.PlanCode;
import dev.atelier.credits.AppliedEntry;
import dev.atelier.credits.Balance;
import dev.atelier.credits.LedgerEntry;
import dev.atelier.credits.LedgerStatus;
import dev.atelier.credits.LedgerType;
import dev.atelier.emulator.Counters;
import dev.atelier.emulator.junit.EmulatorHandle;
import dev.atelier.emulator.junit.FirestoreEmulatorExtension;
import dev.atelier.firestore.Database;
import dev.atelier.firestore.WriteBatch;
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
import dev.atelier.platform.JsonLog;
import dev.atelier.reconcile.ReconcileJob;
import dev.atelier.store.Documents;
import dev.atelier.store.FirestorePaths;
import dev.atelier.testsupport.FunctionTestRig;
import dev.atelier.testsupport.GenerationRig;
import dev.atelier.users.ProviderId;
import dev.atelier.users.UserProfile;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The scale run (excluded from {@code mvn verify}; run it on purpose with {@code
 * bench/reconcile-scale.sh [-Dscale.users=N] [-Dscale.budgetSeconds=N]}).
 *
 * <p>1,000 users with 100 ledger entries each (100,000 entries, each with its applied record, as
 * postings leave them) and 20 history items each (20,000: completed, public with their mirror,
 * private, failed, soft-deleted with stored media), loaded with batched writes straight into the
 * in-process emulator; then drift is injected (balances set wrong, console entries the trigger
 * never applied, stray, missing and private mirrors). Reconcile then runs with a real clock and a
 * realistic budget until a run reports {@code finished}; a second full pass shows the steady state
 * (a day with nothing to repair). It prints elapsed time, runs, pages and Firestore operations per
 * document (emulator counters) for both.
 */
@ExtendWith(FirestoreEmulatorExtension.class)
class ReconcileScaleTest {

  private static final int USERS = Integer.getInteger("scale.users", 1_000);
  private static final int ENTRIES_PER_USER = Integer.getInteger("scale.entriesPerUser", 100);
  private static final int ITEMS_PER_USER = Integer.getInteger("scale.itemsPerUser", 20);
  private static final Duration BUDGET =
      Duration.ofSeconds(Long.getLong("scale.budgetSeconds", 480));
  private static final int DRIFTED = 10;
  private static final int UNAPPLIED = 20;
  private static final int MIRROR_FAULTS = 10;
  private static final int STORED_OBJECTS = 200;

  /** Ahead of the server so loaded documents are past the trigger grace. */
  private final Clock clock = Clock.offset(Clock.systemUTC(), Duration.ofDays(1));

  private final Random random = new Random(20261121);
  private Database db;
  private Loader loader;
  private final List<String> storedPaths = new ArrayList<>();

  @Test
  void reconcileOfAFullSizeDatabaseFinishesInBoundedRuns(EmulatorHandle emulator) throws Exception {
    db = emulator.database();
    FunctionTestRig.seedCatalog(db);
    try (GenerationRig storage =
        GenerationRig.start(emulator, GenerationRig.options(Duration.ZERO, Duration.ZERO))) {
      long loadStart = System.nanoTime();
      loader = new Loader(db);
      load(storage);
      loader.flush();
      long loadMs = (System.nanoTime() - loadStart) / 1_000_000;
      int documents = loader.written;
      say(
          "loaded %,d documents in %.1f s (%,d ledger entries, %,d history items, %d stored"
              + " objects)",
          documents,
          loadMs / 1000.0,
          USERS * ENTRIES_PER_USER + UNAPPLIED,
          USERS * ITEMS_PER_USER,
          storedPaths.size());

      ReconcileJob job =
          new ReconcileJob(db, clock, storage.mediaStore(), ReconcileJob.Settings.defaults());
      Pass repair = pass("repair pass", job, emulator, documents);
      // Applying a console entry moves balance and record together: no drift.
      assertEquals(DRIFTED, repair.sum("balancesRepaired"));
      assertEquals(UNAPPLIED, repair.sum("entriesApplied"));
      assertEquals(2 * MIRROR_FAULTS, repair.sum("mirrorsRemoved"));
      assertEquals(MIRROR_FAULTS, repair.sum("mirrorsWritten"));
      assertEquals(storedPaths.size(), repair.sum("mediaObjectsDeleted"));
      assertEquals(USERS, repair.sum("accountsChecked"), "every account once");
      Storage client = MediaStorage.client(storage.mediaConfig());
      for (String path : storedPaths) {
        assertNull(client.get(BlobId.of(GenerationRig.MEDIA_BUCKET, path)), path);
      }

      Pass steady = pass("steady pass (nothing to repair)", job, emulator, documents);
      assertEquals(0, steady.sum("balancesRepaired"));
      assertEquals(0, steady.sum("entriesApplied"));
      assertEquals(0, steady.sum("mirrorsWritten") + steady.sum("mirrorsRemoved"));
      assertEquals(0, steady.sum("alertsRaised"));
      assertEquals(USERS, steady.sum("accountsChecked"));
    }
  }

  /** Runs until a run reports finished; prints the figures. */
  private Pass pass(String name, ReconcileJob job, EmulatorHandle emulator, int documents)
      throws Exception {
    emulator.resetCounters();
    JsonLog log = JsonLog.forFunction("reconcile");
    List<ReconcileJob.Summary> runs = new ArrayList<>();
    long start = System.nanoTime();
    do {
      runs.add(job.run(clock.instant().plus(BUDGET), log));
      assertTrue(runs.size() <= 50, "bounded number of runs");
    } while (!runs.get(runs.size() - 1).finished());
    double seconds = (System.nanoTime() - start) / 1e9;
    Counters ops = emulator.counters();
    Pass pass = new Pass(runs);
    say(
        "%s: %d run(s) of budget %d s, %.1f s in all",
        name, runs.size(), BUDGET.toSeconds(), seconds);
    for (String phase :
        List.of(ReconcileJob.LEDGER, ReconcileJob.MIRRORS, ReconcileJob.FEED, ReconcileJob.MEDIA)) {
      int visited = 0;
      int pages = 0;
      long ms = 0;
      for (ReconcileJob.Summary s : runs) {
        visited += s.phases().get(phase).visited();
        pages += s.phases().get(phase).pages();
        ms += s.phases().get(phase).elapsedMs();
      }
      say(
          "  phase %-7s %,7d documents walked in %,5d pages, %,7.1f s",
          phase, visited, pages, ms / 1000.0);
    }
    say(
        "  Firestore: %,d reads, %,d writes, %,d deletes over %,d documents ="
            + " %.3f reads, %.4f writes, %.4f deletes per document",
        ops.reads(),
        ops.writes(),
        ops.deletes(),
        documents,
        ops.reads() / (double) documents,
        ops.writes() / (double) documents,
        ops.deletes() / (double) documents);
    say("  last summary: %s", runs.get(runs.size() - 1));
    return pass;
  }

  private record Pass(List<ReconcileJob.Summary> runs) {
    long sum(String counter) {
      long total = 0;
      for (ReconcileJob.Summary s : runs) {
        try {
          total += ((Number) ReconcileJob.Summary.class.getMethod(counter).invoke(s)).longValue();
        } catch (ReflectiveOperationException e) {
          throw new IllegalArgumentException(counter, e);
        }
      }
      return total;
    }
  }

  // ---- data ----

  private void load(GenerationRig storage) throws Exception {
    Instant now = clock.instant();
    Instant t0 = now.minus(Duration.ofDays(90));
    int driftEvery = USERS / DRIFTED;
    int unappliedEvery = USERS / UNAPPLIED;
    int mirrorFaultEvery = USERS / MIRROR_FAULTS;
    int storedEvery = Math.max(1, USERS / STORED_OBJECTS);
    for (int u = 0; u < USERS; u++) {
      String uid = String.format(Locale.ROOT, "user%04d", u);
      String username = "user_" + u;
      loader.set(
          FirestorePaths.user(uid),
          Documents.encode(
              new UserProfile(
                  uid,
                  uid + "@example.test",
                  username,
                  "User " + u,
                  null,
                  ProviderId.GOOGLE,
                  true,
                  true,
                  t0,
                  t0,
                  1,
                  null,
                  null,
                  null,
                  null,
                  null,
                  false,
                  t0,
                  null)));
      long balance = ledger(uid, t0);
      if (u % unappliedEvery == 0) {
        // A console grant the trigger never applied.
        loader.set(
            FirestorePaths.ledgerEntry(uid, "console-grant"),
            Map.of(
                "type", "GRANT",
                "amount", 40L,
                "status", "CONFIRMED",
                "reason", "goodwill",
                "createdAt", java.time.Instant.now()));
      }
      long stored = u % driftEvery == 1 ? balance + 37 : balance;
      loader.set(
          FirestorePaths.balance(uid),
          Documents.encode(new Balance(uid, stored, PlanCode.FREE, t0, t0)));
      items(uid, username, u, t0, now, u % mirrorFaultEvery == 2, u % storedEvery == 0, storage);
    }
  }

  /** 100 entries as postings leave them (entry + applied record); returns the balance. */
  private long ledger(String uid, Instant t0) {
    long balance = 0;
    for (int i = 0; i < ENTRIES_PER_USER; i++) {
      LedgerType type;
      LedgerStatus status = LedgerStatus.CONFIRMED;
      long amount;
      if (i == 0) {
        type = LedgerType.GRANT;
        amount = 100;
      } else {
        int pick = random.nextInt(10);
        if (pick < 2 || balance < 20) {
          type = pick == 0 ? LedgerType.REFUND : LedgerType.GRANT;
          amount = 1 + random.nextInt(50);
        } else if (pick < 5) {
          type = LedgerType.DEBIT;
          amount = -(1 + random.nextInt(10));
        } else {
          type = LedgerType.HOLD;
          amount = -(1 + random.nextInt(10));
          int s = random.nextInt(10);
          status =
              s < 7 ? LedgerStatus.CONFIRMED : s < 9 ? LedgerStatus.REVERSED : LedgerStatus.PENDING;
        }
      }
      long contribution = status == LedgerStatus.REVERSED ? 0 : amount;
      balance += contribution;
      String id = String.format(Locale.ROOT, "sys_%s_%03d", uid, i);
      Instant at = t0.plusSeconds(60L * i);
      LedgerEntry entry =
          new LedgerEntry(
              uid, id, type, amount, "scale", status, Map.of(), at, contribution, balance, null);
      loader.set(FirestorePaths.ledgerEntry(uid, id), Documents.encode(entry));
      loader.set(
          FirestorePaths.appliedEntry(uid, id),
          Documents.encode(
              new AppliedEntry(
                  uid, id, contribution, type, amount, status, "scale", at, null, at)));
    }
    return balance;
  }

  private void items(
      String uid,
      String username,
      int u,
      Instant t0,
      Instant now,
      boolean mirrorFaults,
      boolean storeMedia,
      GenerationRig storage) {
    CreatedBy creator = new CreatedBy(uid, username, null, "User " + u, null);
    for (int i = 0; i < ITEMS_PER_USER; i++) {
      String id = String.format(Locale.ROOT, "g%04d_%02d", u, i);
      int kind = i % 10;
      Instant created = t0.plusSeconds(3600L * i);
      GenerationItem.Builder b =
          GenerationItem.builder(uid, id)
              .prompt("scale item " + i)
              .model("flux-schnell")
              .generationType(GenerationType.TEXT_TO_IMAGE)
              .status(GenerationStatus.COMPLETED)
              .visibility(Visibility.PRIVATE)
              .images(
                  List.of(
                      new ImageMedia(
                          "m0",
                          "https://media.example/" + id,
                          "generations/" + uid + "/" + id + "/m0.png",
                          null)))
              .createdBy(creator)
              .createdAt(created)
              .updatedAt(created.plusSeconds(3))
              .completedAt(created.plusSeconds(3))
              .provider("replicate")
              .cost(2L)
              .holdEntryId("sys_hold_" + id);
      if (kind < 3) {
        b.visibility(Visibility.PUBLIC).isPublic(true);
      } else if (kind == 7) {
        b.status(GenerationStatus.FAILED).images(List.of());
      } else if (kind == 8) {
        b.isDeleted(true).deletedAt(now.minus(Duration.ofDays(31 + i)));
        if (storeMedia && i == 8) {
          MediaPath path = new MediaPath(uid, id, "m0", MediaFormat.PNG);
          storage
              .mediaStore()
              .upload(path, ("png " + id).getBytes(StandardCharsets.UTF_8), Map.of());
          storedPaths.add(path.objectName());
        }
      }
      GenerationItem item = b.build();
      boolean mirrored = item.belongsInPublicFeed();
      if (mirrorFaults && i == 0) {
        mirrored = false; // public, its mirror missing
      }
      loader.set(FirestorePaths.historyItem(uid, id), Documents.encode(item));
      if (mirrored) {
        loader.set(
            FirestorePaths.mirror(id),
            Documents.encode(PublicGeneration.project(item, creator).orElseThrow()));
      }
      if (mirrorFaults && i == 3) {
        // private, but a mirror of it is in the feed
        GenerationItem wasPublic = b.visibility(Visibility.PUBLIC).isPublic(true).build();
        loader.set(
            FirestorePaths.mirror(id),
            Documents.encode(PublicGeneration.project(wasPublic, creator).orElseThrow()));
      }
    }
    if (mirrorFaults) {
      // a mirror whose item never existed
      GenerationItem ghost =
          GenerationItem.builder(uid, "ghost" + u)
              .prompt("ghost")
              .status(GenerationStatus.COMPLETED)
              .generationType(GenerationType.TEXT_TO_IMAGE)
              .visibility(Visibility.PUBLIC)
              .isPublic(true)
              .createdAt(t0)
              .build();
      loader.set(
          FirestorePaths.mirror("ghost" + u),
          Documents.encode(PublicGeneration.project(ghost, creator).orElseThrow()));
    }
  }

  /** Batched writes of 500, a few commits in flight. */
  private static final class Loader {
    private static final int BATCH = 500;
    private static final int IN_FLIGHT = 4;
    private final Database db;
    private final Deque<CompletableFuture<Void>> pending = new ArrayDeque<>();
    private WriteBatch batch;
    private int inBatch;
    int written;

    Loader(Database db) {
      this.db = db;
      this.batch = db.batch();
    }

    void set(String path, Map<String, Object> fields) {
      batch.set(path, fields);
      written++;
      if (++inBatch == BATCH) {
        commit();
      }
    }

    void flush() throws Exception {
      if (inBatch > 0) {
        commit();
      }
      while (!pending.isEmpty()) {
        pending.poll().join();
      }
    }

    private void commit() {
      pending.add(batch.commitAsync());
      batch = db.batch();
      inBatch = 0;
      while (pending.size() >= IN_FLIGHT) {
        pending.poll().join();
      }
    }
  }

  private static void say(String format, Object... args) {
    System.out.println("[scale] " + String.format(Locale.ROOT, format, args));
  }
}
