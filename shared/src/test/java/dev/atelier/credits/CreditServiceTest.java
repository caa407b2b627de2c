package dev.atelier.credits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.admin.CatalogSeed;
import dev.atelier.emulator.junit.FirestoreEmulatorExtension;
import dev.atelier.firestore.Database;
import dev.atelier.platform.Refusal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FirestoreEmulatorExtension.class)
class CreditServiceTest {

  private Database db;
  private CreditService credits;

  @BeforeEach
  void seed(Database db) throws Exception {
    this.db = db;
    Path seed = Path.of("..", "seed", "catalog.json");
    CatalogSeed.load(db, Files.exists(seed) ? seed : Path.of("seed", "catalog.json"));
    credits = new CreditService(db, java.time.Clock.systemUTC());
  }

  private long balance(String uid) throws Exception {
    return db.get("credits/" + uid + "/balance/current").getLong("creditBalance");
  }

  @Test
  void hundredConcurrentDebitsOfOneOnThirtySpendExactlyThirty() throws Exception {
    credits.openAccount("d1");
    credits.post("d1", Posting.of(LedgerType.DEBIT, 70, "bring the balance to 30"));
    assertEquals(30, balance("d1"));
    ExecutorService pool = Executors.newFixedThreadPool(32);
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    List<Future<?>> calls = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      calls.add(
          pool.submit(
              () -> {
                try {
                  long after =
                      credits.post("d1", Posting.of(LedgerType.DEBIT, 1, "spend")).creditBalance();
                  assertTrue(after >= 0);
                  ok.incrementAndGet();
                } catch (Refusal e) {
                  assertEquals(Refusal.Problem.INSUFFICIENT_CREDITS, e.problem());
                  refused.incrementAndGet();
                }
              }));
    }
    for (Future<?> f : calls) {
      f.get();
    }
    pool.shutdown();
    assertEquals(30, ok.get());
    assertEquals(70, refused.get());
    assertEquals(0, balance("d1"));
    assertEquals(
        30, db.collection("credits/d1/ledger").whereEqualTo("reason", "spend").get().size());
  }

  @Test
  void tenConcurrentOpeningsGrantOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(10);
    List<Future<?>> calls = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      calls.add(pool.submit(() -> credits.openAccount("o1")));
    }
    for (Future<?> f : calls) {
      f.get();
    }
    pool.shutdown();
    assertEquals(100, balance("o1"));
    assertEquals(1, db.collection("credits/o1/ledger").get().size());
  }

  @Test
  void holdIsCapturedOrVoidedExactlyOnce() throws Exception {
    credits.openAccount("h1");
    String captured = credits.post("h1", Posting.of(LedgerType.HOLD, 40, "job 1")).entryId();
    String voided = credits.post("h1", Posting.of(LedgerType.HOLD, 30, "job 2")).entryId();
    assertEquals(30, balance("h1"));
    assertEquals(LedgerStatus.CONFIRMED, credits.capture("h1", captured).status());
    assertEquals(LedgerStatus.CONFIRMED, credits.capture("h1", captured).status());
    assertEquals(60, credits.voidHold("h1", voided).creditBalance());
    assertEquals(60, credits.voidHold("h1", voided).creditBalance());
    assertEquals(60, balance("h1"));
    assertThrows(Refusal.class, () -> credits.voidHold("h1", captured));
    assertThrows(Refusal.class, () -> credits.capture("h1", voided));
    assertEquals(60, balance("h1"));
  }

  @Test
  void holdBeyondTheBalanceIsRefused() throws Exception {
    credits.openAccount("h2");
    Refusal e =
        assertThrows(
            Refusal.class, () -> credits.post("h2", Posting.of(LedgerType.HOLD, 101, "too much")));
    assertEquals(Refusal.Problem.INSUFFICIENT_CREDITS, e.problem());
    assertEquals(100, balance("h2"));
  }
}
