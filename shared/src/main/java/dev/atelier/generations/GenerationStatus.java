package dev.atelier.generations;

import dev.atelier.store.WireEnum;

/** Status of a generation: {@code generating} until the provider reports, then {@code completed} or {@code failed}. */
public enum GenerationStatus implements WireEnum {
  GENERATING("generating"),
  COMPLETED("completed"),
  FAILED("failed");

  private final String wire;

  GenerationStatus(String wire) {
    this.wire = wire;
  }

  @Override
  public String wire() {
    return wire;
  }

  public static GenerationStatus fromWire(String value) {
    return WireEnum.fromWire(GenerationStatus.class, value);
  }
}
