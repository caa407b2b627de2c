package dev.atelier.generations;

import dev.atelier.store.WireEnum;

/**
 * Who may see a generation. Only {@code public} items (with {@code isPublic}) are mirrored to the
 * public feed.
 */
public enum Visibility implements WireEnum {
  PRIVATE("private"),
  PUBLIC("public"),
  UNLISTED("unlisted");

  private final String wire;

  Visibility(String wire) {
    this.wire = wire;
  }

  @Override
  public String wire() {
    return wire;
  }

  public static Visibility fromWire(String value) {
    return WireEnum.fromWire(Visibility.class, value);
  }
}
