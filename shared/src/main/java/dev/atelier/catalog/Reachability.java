package dev.atelier.catalog;

import dev.atelier.store.WireEnum;

/** Whether an external API answered the last health probe. */
public enum Reachability implements WireEnum {
  REACHABLE("reachable"),
  UNREACHABLE("unreachable");

  private final String wire;

  Reachability(String wire) {
    this.wire = wire;
  }

  @Override
  public String wire() {
    return wire;
  }

  public static Reachability fromWire(String value) {
    return WireEnum.fromWire(Reachability.class, value);
  }
}
