package dev.atelier.generations;

import dev.atelier.store.WireEnum;

/**
 * Status of a generation: {@code generating} until the provider reports (or the owner cancels),
 * then exactly one of the terminal statuses, which never change again.
 */
public enum GenerationStatus implements WireEnum {
  GENERATING("generating"),
  COMPLETED("completed"),
  FAILED("failed"),
  CANCELLED("cancelled");

  private final String wire;

  GenerationStatus(String wire) {
    this.wire = wire;
  }

  @Override
  public String wire() {
    return wire;
  }

  /** Whether the item reached its final state (no webhook, poll or cancel changes it any more). */
  public boolean terminal() {
    return this != GENERATING;
  }

  public static GenerationStatus fromWire(String value) {
    return WireEnum.fromWire(GenerationStatus.class, value);
  }
}
