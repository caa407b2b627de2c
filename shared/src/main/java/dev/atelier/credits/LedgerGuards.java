package dev.atelier.credits;

import dev.atelier.store.WireEnum;
import java.util.Map;

/**
 * The ledger guards on one stored entry, as pure functions: type and status from their sets, an
 * integer amount whose sign matches the type (GRANT/REFUND &gt; 0, DEBIT/HOLD &lt; 0) and whose
 * size is at most {@link CreditService#MAX_ENTRY_AMOUNT}; statuses move only PENDING → CONFIRMED |
 * REVERSED.
 */
final class LedgerGuards {

  /** An entry that passes the guards. */
  record Valid(LedgerType type, long amount, LedgerStatus status) {
    long contribution() {
      return status == LedgerStatus.REVERSED ? 0 : amount;
    }
  }

  /** What reading a stored entry found. */
  sealed interface Reading {
    record Ok(Valid entry) implements Reading {}

    record Bad(String reason) implements Reading {}
  }

  private LedgerGuards() {}

  static Reading read(Map<String, Object> fields) {
    LedgerType type;
    LedgerStatus status;
    try {
      type =
          WireEnum.fromWire(LedgerType.class, string(fields.get(LedgerEntry.Field.TYPE), "type"));
      status =
          WireEnum.fromWire(
              LedgerStatus.class, string(fields.get(LedgerEntry.Field.STATUS), "status"));
    } catch (IllegalArgumentException e) {
      return new Reading.Bad(e.getMessage());
    }
    Object raw = fields.get(LedgerEntry.Field.AMOUNT);
    long amount;
    if (raw instanceof Long l) {
      amount = l;
    } else if (raw instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e18) {
      amount = d.longValue();
    } else {
      return new Reading.Bad("amount is not an integer: " + raw);
    }
    boolean positive = type == LedgerType.GRANT || type == LedgerType.REFUND;
    if (positive ? amount <= 0 : amount >= 0) {
      return new Reading.Bad(
          "amount sign does not match type: a "
              + type
              + " must be "
              + (positive ? "> 0" : "< 0")
              + ", got "
              + amount);
    }
    // Not Math.abs: it is negative for Long.MIN_VALUE.
    if (amount > CreditService.MAX_ENTRY_AMOUNT || amount < -CreditService.MAX_ENTRY_AMOUNT) {
      return new Reading.Bad("|amount| exceeds " + CreditService.MAX_ENTRY_AMOUNT + ": " + amount);
    }
    return new Reading.Ok(new Valid(type, amount, status));
  }

  /**
   * Whether an applied entry may go from {@code from} to {@code to}: unchanged, or PENDING
   * settling.
   */
  static boolean legalMove(LedgerStatus from, LedgerStatus to) {
    return from == to || (from == LedgerStatus.PENDING && to != LedgerStatus.PENDING);
  }

  private static String string(Object value, String field) {
    if (!(value instanceof String s)) {
      throw new IllegalArgumentException(field + " is missing or not a string: " + value);
    }
    return s;
  }
}
