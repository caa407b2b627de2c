package dev.atelier.router;

import dev.atelier.store.WireEnum;

/** How often a model quota's {@code tokens_used} goes back to 0. */
public enum QuotaPeriod implements WireEnum {
  HOUR("hour"),
  DAY("day"),
  MONTH("month");

  private final String wire;

  QuotaPeriod(String wire) {
    this.wire = wire;
  }

  @Override
  public String wire() {
    return wire;
  }

  public static QuotaPeriod fromWire(String value) {
    return WireEnum.fromWire(QuotaPeriod.class, value);
  }
}
