package dev.atelier.credits;

import dev.atelier.store.WireEnum;

/**
 * Ledger entry status. A HOLD starts PENDING and ends CONFIRMED (captured) or REVERSED (voided);
 * REVERSED entries do not count towards the balance.
 */
public enum LedgerStatus implements WireEnum {
  PENDING,
  CONFIRMED,
  REVERSED;

  @Override
  public String wire() {
    return name();
  }

  public static LedgerStatus fromWire(String value) {
    return WireEnum.fromWire(LedgerStatus.class, value);
  }
}
