package dev.atelier.credits;

import java.util.Map;
import java.util.Objects;

/**
 * The ledger guards as {@code reconcile} reads them, on documents read outside a transaction (one
 * page of entries and one of applied records at a time): which entries the {@code
 * apply-ledger-entry} projection would still change, and what an entry document itself says it
 * contributes. Hints only: an entry found out of step is handed to {@link
 * CreditService#applyLedgerEntry}, which decides on fresh reads inside its transaction (so a hint
 * that errs costs one transaction that changes nothing, never a wrong balance).
 */
public final class LedgerAudit {

  private LedgerAudit() {}

  /**
   * Whether {@link CreditService#applyLedgerEntry} would find nothing to do for this entry and its
   * applied record: an applied record whose entry still has the same type, amount and status, no
   * {@code invalid} mark and the same {@code appliedAmount} copy; or an invalid record whose entry
   * still breaks the same guard, is marked with that reason and claims no contribution; or a record
   * that never contributed whose entry is gone. Everything else is out of step: an entry without a
   * record (not applied yet), a settlement or an edit the trigger has not seen, a deleted applied
   * entry. Conservative: when unsure it says false.
   *
   * @param entry the fields of {@code credits/{uid}/ledger/{id}}, null when the document is absent
   * @param record {@code credits/{uid}/applied/{id}}, null when absent
   */
  public static boolean inStep(Map<String, Object> entry, AppliedEntry record) {
    if (record != null && record.applied()) {
      if (entry == null || entry.containsKey(LedgerApplication.INVALID)) {
        return false;
      }
      if (!(LedgerGuards.read(entry) instanceof LedgerGuards.Reading.Ok ok)) {
        return false;
      }
      LedgerGuards.Valid now = ok.entry();
      return now.type() == record.type()
          && Objects.equals(now.amount(), record.amount())
          && now.status() == record.status()
          && Objects.equals(
              asLong(entry.get(LedgerEntry.Field.APPLIED_AMOUNT)), record.appliedAmount());
    }
    if (entry == null) {
      return true; // never contributed and gone: the trigger has nothing to do (Missing)
    }
    if (record == null || record.invalidReason() == null) {
      return false; // a valid state never applied, or a record without one: apply it
    }
    String reason = record.invalidReason();
    Object claimed = entry.get(LedgerEntry.Field.APPLIED_AMOUNT);
    return LedgerGuards.read(entry) instanceof LedgerGuards.Reading.Bad bad
        && reason.equals(bad.reason())
        && entry.get(LedgerApplication.INVALID) instanceof Map<?, ?> mark
        && reason.equals(mark.get("reason"))
        && (claimed == null || Objects.equals(asLong(claimed), 0L));
  }

  /**
   * What the entry document says it adds to the balance by the balance rule and the guards: its
   * amount when it passes the guards, is not REVERSED and is not marked invalid; 0 otherwise. Equal
   * to its applied record's {@code appliedAmount} whenever the two are {@link #inStep in step}.
   */
  public static long claimedContribution(Map<String, Object> entry) {
    if (entry == null || entry.containsKey(LedgerApplication.INVALID)) {
      return 0;
    }
    return LedgerGuards.read(entry) instanceof LedgerGuards.Reading.Ok ok
        ? ok.entry().contribution()
        : 0;
  }

  private static Long asLong(Object value) {
    if (value instanceof Long l) {
      return l;
    }
    return value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)
        ? d.longValue()
        : null;
  }
}
