package dev.atelier.users;

import dev.atelier.store.WireEnum;

/** {@code users/{uid}.preferences.theme}. */
public enum Theme implements WireEnum {
  LIGHT("light"),
  DARK("dark");

  private final String wire;

  Theme(String wire) {
    this.wire = wire;
  }

  @Override
  public String wire() {
    return wire;
  }

  public static Theme fromWire(String value) {
    return WireEnum.fromWire(Theme.class, value);
  }
}
