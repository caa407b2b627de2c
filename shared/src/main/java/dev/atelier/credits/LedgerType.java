package dev.atelier.credits;

import dev.atelier.store.WireEnum;

/**
 * Kind of ledger entry. GRANT and REFUND add credits (amount &gt; 0); DEBIT and HOLD take them
 * (amount &lt; 0).
 */
public enum LedgerType implements WireEnum {
  GRANT(1),
  DEBIT(-1),
  REFUND(1),
  HOLD(-1);

  private final int sign;

  LedgerType(int sign) {
    this.sign = sign;
  }

  /** +1 if entries of this type add credits, −1 if they take them. */
  public int sign() {
    return sign;
  }

  @Override
  public String wire() {
    return name();
  }

  public static LedgerType fromWire(String value) {
    return WireEnum.fromWire(LedgerType.class, value);
  }
}
