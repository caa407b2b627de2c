package dev.atelier.providers;

import dev.atelier.store.WireEnum;

/** Replicate's prediction statuses. */
public enum PredictionStatus implements WireEnum {
  STARTING("starting"),
  PROCESSING("processing"),
  SUCCEEDED("succeeded"),
  FAILED("failed"),
  CANCELED("canceled");

  private final String wire;

  PredictionStatus(String wire) {
    this.wire = wire;
  }

  @Override
  public String wire() {
    return wire;
  }

  /** Whether the prediction will not change any more. */
  public boolean terminal() {
    return this == SUCCEEDED || this == FAILED || this == CANCELED;
  }

  public static PredictionStatus fromWire(String value) {
    return WireEnum.fromWire(PredictionStatus.class, value);
  }
}
