package dev.atelier.redeem;

import dev.atelier.store.WireEnum;

/** Lifecycle of a redeem code; only ACTIVE codes can be redeemed. */
public enum RedeemCodeStatus implements WireEnum {
  ACTIVE,
  USED,
  EXPIRED,
  DISABLED;

  @Override
  public String wire() {
    return name();
  }

  public static RedeemCodeStatus fromWire(String value) {
    return WireEnum.fromWire(RedeemCodeStatus.class, value);
  }
}
