package dev.atelier.router;

import dev.atelier.store.WireEnum;

/** How urgent an alert is. */
public enum AlertSeverity implements WireEnum {
  INFO("info"),
  WARNING("warning"),
  CRITICAL("critical");

  private final String wire;

  AlertSeverity(String wire) {
    this.wire = wire;
  }

  @Override
  public String wire() {
    return wire;
  }

  public static AlertSeverity fromWire(String value) {
    return WireEnum.fromWire(AlertSeverity.class, value);
  }
}
