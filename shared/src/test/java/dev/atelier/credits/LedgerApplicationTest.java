package dev.atelier.credits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.atelier.admin.CatalogSeed;
import dev.atelier.emulator.junit.FirestoreEmulatorExtension;
import dev.atelier.firestore.Database;
import dev.atelier.firestore.Snapshot;
import dev.atelier.platform.Refusal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Regressions found by the ledger property test (functions/apply-ledger-entry, LedgerPropertyTest).
 */
@ExtendWith(FirestoreEmulatorExtension.class)
class LedgerApplicationTest {

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

  private Snapshot entry(String uid, String id) throws Exception {
    return db.get("credits/" + uid + "/ledger/" + id);
  }

  @Test
  void anInvalidMarkWrittenOntoAnAppliedEntryIsTakenOff() throws Exception {
    credits.openAccount("mark");
    String id = credits.post("mark", Posting.of(LedgerType.GRANT, 40, "bonus")).entryId();
    // An operator writes back a copy that still carries an old invalid mark: the entry stays
    // counted.
    db.update("credits/mark/ledger/" + id, Map.of("invalid", Map.of("reason", "copied")));
    credits.applyLedgerEntry("mark", id);
    assertFalse(
        entry("mark", id).contains("invalid"),
        "a counted entry must not say it contributes nothing");
    assertEquals(140, balance("mark"));
    assertInstanceOf(
        CreditService.Applied.Unchanged.class, credits.applyLedgerEntry("mark", id), "fixed point");
  }

  @Test
  void aHoldSettledByHandWithAnInvalidMarkLosesTheMark() throws Exception {
    credits.openAccount("settle");
    String id = credits.post("settle", Posting.of(LedgerType.HOLD, 30, "hold")).entryId();
    db.update(
        "credits/settle/ledger/" + id,
        Map.of("status", "REVERSED", "invalid", Map.of("reason", "copied")));
    credits.applyLedgerEntry("settle", id);
    assertEquals("REVERSED", entry("settle", id).getString("status"));
    assertFalse(entry("settle", id).contains("invalid"));
    assertEquals(100, balance("settle"));
  }

  @Test
  void anInvalidEntryWrittenWithAnAppliedAmountClaimsNothing() throws Exception {
    credits.openAccount("claim");
    // Copied from an applied entry, then given the wrong sign: it contributes 0 and must not say
    // otherwise.
    db.set(
        "credits/claim/ledger/copy",
        Map.of("type", "GRANT", "amount", -25L, "status", "CONFIRMED", "appliedAmount", 25L));
    assertInstanceOf(
        CreditService.Applied.Invalid.class, credits.applyLedgerEntry("claim", "copy"));
    assertEquals(0L, entry("claim", "copy").getLong("appliedAmount"));
    assertEquals(100, balance("claim"));
    // Forged again after it was marked: put right again, then a fixed point.
    db.update("credits/claim/ledger/copy", Map.of("appliedAmount", 7.5));
    credits.applyLedgerEntry("claim", "copy");
    assertEquals(0L, entry("claim", "copy").getLong("appliedAmount"));
    assertInstanceOf(
        CreditService.Applied.Unchanged.class, credits.applyLedgerEntry("claim", "copy"));
  }

  @Test
  void aDebitOfLongMinValueIsOutOfBoundsNotMerelyReversed() throws Exception {
    // Math.abs(Long.MIN_VALUE) is negative: the bound check let it through as a valid DEBIT,
    // reversed for overdrawing; then applied, the append-only rule restored that amount over any
    // repair.
    for (long amount : new long[] {Long.MIN_VALUE, Long.MIN_VALUE + 1, -1_000_000_001L}) {
      assertInstanceOf(
          LedgerGuards.Reading.Bad.class,
          LedgerGuards.read(Map.of("type", "DEBIT", "amount", amount, "status", "CONFIRMED")),
          "amount " + amount);
    }
    credits.openAccount("min");
    db.set(
        "credits/min/ledger/m",
        Map.of("type", "HOLD", "amount", Long.MIN_VALUE, "status", "PENDING"));
    assertInstanceOf(CreditService.Applied.Invalid.class, credits.applyLedgerEntry("min", "m"));
    assertEquals("PENDING", entry("min", "m").getString("status"));
    db.update("credits/min/ledger/m", Map.of("amount", -5L));
    assertInstanceOf(
        CreditService.Applied.Moved.class, credits.applyLedgerEntry("min", "m"), "repairable");
    assertEquals(95, balance("min"));
  }

  @Test
  void voidingAHoldNeverTakesTheBalancePastTheCeiling() throws Exception {
    credits.openAccount("cap");
    String hold = credits.post("cap", Posting.of(LedgerType.HOLD, 60, "hold")).entryId();
    // Grants filled the balance while the hold was pending (set directly: 1,000 grants would only
    // be slow).
    db.update(
        "credits/cap/balance/current", Map.of("creditBalance", CreditService.MAX_BALANCE - 10));
    Refusal refused = assertThrows(Refusal.class, () -> credits.voidHold("cap", hold));
    assertEquals(Refusal.Problem.CONFLICT, refused.problem(), "a 409, never a 500");
    assertEquals(CreditService.MAX_BALANCE - 10, balance("cap"));
    assertEquals("PENDING", entry("cap", hold).getString("status"), "the hold waits for room");
    db.update(
        "credits/cap/balance/current", Map.of("creditBalance", CreditService.MAX_BALANCE - 60));
    assertEquals(
        CreditService.MAX_BALANCE,
        credits.voidHold("cap", hold).creditBalance(),
        "exactly up to it");
  }

  @Test
  void aPostingRetriedAfterItsEntryWasDeletedCountsOnce() throws Exception {
    credits.openAccount("retry");
    Posting grant = Posting.of(LedgerType.GRANT, 40, "bonus").withEntryId("sys_idem_1");
    credits.post("retry", grant);
    // An operator deletes the entry; the request is retried before the trigger has put it back.
    db.delete("credits/retry/ledger/sys_idem_1");
    credits.post("retry", grant);
    credits.applyLedgerEntry("retry", "sys_idem_1");
    assertEquals(140, balance("retry"), "the retry is the same posting, not a second one");
    assertEquals(40L, entry("retry", "sys_idem_1").getLong("amount"));
  }
}
