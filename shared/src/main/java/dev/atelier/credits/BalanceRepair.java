package dev.atelier.credits;

import dev.atelier.firestore.Database;
import dev.atelier.firestore.FieldValue;
import dev.atelier.firestore.Snapshot;
import dev.atelier.firestore.Transaction;
import dev.atelier.router.AlertSeverity;
import dev.atelier.router.AlertType;
import dev.atelier.router.Alerts;
import dev.atelier.router.RouterAlert;
import dev.atelier.store.Documents;
import dev.atelier.store.FirestorePaths;
import dev.atelier.store.Transactions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code reconcile}'s balance check and repair, in one transaction per account: {@code
 * balance/current} must equal Σ {@code appliedAmount} of the account's applied records ({@code
 * credits/{uid}/applied}, written only by the system, always together with the balance: every
 * posting, settlement and trigger run moves both). The sum is an aggregation read inside the
 * transaction (one read per 1,000 records), so a concurrent posting or trigger run either commits
 * first and is counted, or waits for this transaction: a repair never undoes one, and two reconcile
 * runs repair an account once (the second finds it in step).
 *
 * <p>The balance is never made negative. A negative Σ means the balance had drifted upwards and the
 * user spent credits that the ledger does not hold (every posting refuses to overdraw the balance
 * it sees); the deficit is then written off with a system GRANT of {@code -Σ} ({@code
 * sys_writeoff_…}, CONFIRMED, recorded and applied like any posting) and the balance set to 0, so
 * the Σ rule holds again exactly and later entries are not eaten by the old deficit. A deficit
 * above {@link CreditService#MAX_ENTRY_AMOUNT} (one entry's limit) is not written off: the balance
 * is set to 0 and the alert says so. A Σ above {@link CreditService#MAX_BALANCE} is not repaired at
 * all (it would break the balance guard): the account is reported and alerted, unchanged.
 *
 * <p>Every repair raises one LEDGER_DRIFT alert (uid, balance before, ledger sum, difference,
 * write-off), created in the repair's own transaction, once per uid and dedupe key (the caller
 * passes uid and day).
 */
public final class BalanceRepair {

  /** The reason of a write-off entry. */
  public static final String WRITE_OFF_REASON =
      "reconcile: write-off of a ledger deficit (the balance had drifted above the ledger)";

  /** What {@link #reconcile} found. */
  public sealed interface Outcome {
    /** The balance equals its ledger. */
    record InStep(long creditBalance) implements Outcome {}

    /**
     * The balance was {@code before} (null: unreadable), the ledger says {@code ledgerSum}; it is
     * now {@code after}, with {@code writtenOff} credits granted to bring a negative sum to 0.
     * {@code alert} is the alert this repair created (null when one for the same dedupe key
     * existed); log it after the commit ({@link Alerts#announce}).
     */
    record Repaired(Long before, long ledgerSum, long after, long writtenOff, RouterAlert alert)
        implements Outcome {
      /** How much the repair moved the balance ({@code after - before}; after when unreadable). */
      public long difference() {
        return before == null ? after : after - before;
      }
    }

    /** Out of step, but not repairable here (alerted, nothing changed). */
    record Unrepairable(Long before, String reason, RouterAlert alert) implements Outcome {}

    /** No {@code balance/current}: nothing to reconcile (opening an account is not reconcile's). */
    record NoAccount() implements Outcome {}
  }

  private final Database db;
  private final Transactions transactions;
  private final Alerts alerts;

  public BalanceRepair(Database db, Alerts alerts) {
    this.db = db;
    this.transactions = new Transactions(db);
    this.alerts = alerts;
  }

  /**
   * Compares {@code uid}'s balance with Σ of its applied records and repairs it, all in one
   * transaction.
   *
   * @param dedupeKey the LEDGER_DRIFT alert's dedupe key (e.g. {@code uid/2026-11-21}: once per uid
   *     and day)
   */
  public Outcome reconcile(String uid, String dedupeKey) {
    return transactions.run(
        tx -> {
          Snapshot balance = tx.get(FirestorePaths.balance(uid));
          if (!balance.exists()) {
            return new Outcome.NoAccount();
          }
          Number total =
              tx.sum(
                  db.collection(FirestorePaths.appliedEntries(uid)),
                  AppliedEntry.Field.APPLIED_AMOUNT);
          Long before = asLong(balance.get(Balance.Field.CREDIT_BALANCE));
          Long ledgerSum = total == null ? Long.valueOf(0) : asLong(total);
          String unrepairable = null;
          if (ledgerSum == null) {
            unrepairable = "the applied amounts do not add up to an integer: " + total;
          } else if (ledgerSum > CreditService.MAX_BALANCE) {
            unrepairable =
                "the ledger sums to "
                    + ledgerSum
                    + ", past the balance limit "
                    + CreditService.MAX_BALANCE;
          }
          if (unrepairable != null) {
            RouterAlert alert =
                alerts.draft(
                    AlertType.LEDGER_DRIFT,
                    AlertSeverity.CRITICAL,
                    null,
                    "credits balance of " + uid + " cannot be repaired: " + unrepairable,
                    details(uid, before, ledgerSum, null, 0, unrepairable),
                    dedupeKey + "/unrepairable");
            boolean fresh = !alerted(tx, alert);
            if (fresh) {
              create(tx, alert);
            }
            return new Outcome.Unrepairable(before, unrepairable, fresh ? alert : null);
          }
          long target = Math.max(0, ledgerSum);
          if (before != null && before == target) {
            return new Outcome.InStep(before);
          }
          long deficit = -Math.min(0, ledgerSum);
          long writeOff = deficit <= CreditService.MAX_ENTRY_AMOUNT ? deficit : 0;
          String note =
              deficit == 0
                  ? null
                  : writeOff > 0
                      ? "deficit of " + deficit + " written off"
                      : "deficit of " + deficit + " too large to write off: balance set to 0";
          long difference = before == null ? target : target - before;
          RouterAlert alert =
              alerts.draft(
                  AlertType.LEDGER_DRIFT,
                  AlertSeverity.CRITICAL,
                  null,
                  "credits balance of "
                      + uid
                      + " drifted from its ledger: balance "
                      + before
                      + ", ledger "
                      + ledgerSum
                      + "; repaired by "
                      + (difference >= 0 ? "+" : "")
                      + difference
                      + (note == null ? "" : " (" + note + ")"),
                  details(uid, before, ledgerSum, target, writeOff, note),
                  dedupeKey);
          boolean fresh = !alerted(tx, alert);
          // Every read is done: the writes.
          if (writeOff > 0) {
            writeOff(tx, uid, writeOff, ledgerSum, before, target);
          }
          Map<String, Object> update = new LinkedHashMap<>();
          update.put(Balance.Field.CREDIT_BALANCE, target);
          update.put(Balance.Field.UPDATED_AT, FieldValue.serverTimestamp());
          tx.update(balance.path(), update);
          if (fresh) {
            create(tx, alert);
          }
          return new Outcome.Repaired(before, ledgerSum, target, writeOff, fresh ? alert : null);
        });
  }

  /** A system GRANT of {@code amount}, posted as {@link Account#write} posts: entry + record. */
  private void writeOff(
      Transaction tx, String uid, long amount, long ledgerSum, Long before, long balanceAfter) {
    String id = CreditService.SYSTEM_PREFIX + "writeoff_" + Database.autoId();
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("reconciledBy", "reconcile");
    meta.put("ledgerSum", ledgerSum);
    if (before != null) {
      meta.put("balanceBefore", before);
    }
    LedgerEntry entry =
        new LedgerEntry(
            uid,
            id,
            LedgerType.GRANT,
            amount,
            WRITE_OFF_REASON,
            LedgerStatus.CONFIRMED,
            meta,
            null,
            amount,
            balanceAfter,
            null);
    tx.create(
        FirestorePaths.ledgerEntry(uid, id), Documents.encode(entry, LedgerEntry.Field.CREATED_AT));
    tx.set(
        FirestorePaths.appliedEntry(uid, id),
        Documents.encode(
            CreditService.appliedRecord(entry, null),
            AppliedEntry.Field.ENTRY_CREATED_AT,
            AppliedEntry.Field.UPDATED_AT));
  }

  private boolean alerted(Transaction tx, RouterAlert alert) {
    return tx.get(FirestorePaths.routerAlert(alert.id())).exists();
  }

  private void create(Transaction tx, RouterAlert alert) {
    tx.create(FirestorePaths.routerAlert(alert.id()), Documents.encode(alert));
  }

  private static Map<String, Object> details(
      String uid, Long before, Long ledgerSum, Long after, long writeOff, String note) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("uid", uid);
    d.put("balanceBefore", before);
    d.put("ledgerSum", ledgerSum);
    if (after != null) {
      d.put("balanceAfter", after);
      d.put("difference", before == null ? after : after - before);
    }
    if (writeOff > 0) {
      d.put("writtenOff", writeOff);
    }
    if (note != null) {
      d.put("note", note);
    }
    return d;
  }

  private static Long asLong(Object value) {
    if (value instanceof Long l) {
      return l;
    }
    if (value instanceof Integer i) {
      return i.longValue();
    }
    return value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 9.0e15
        ? d.longValue()
        : null;
  }
}
