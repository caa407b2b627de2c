package dev.atelier.router;

import dev.atelier.store.WireEnum;

/** How one health probe of a provider went, as the health check classified it. */
public enum ProbeOutcome implements WireEnum {
  /** Answered 2xx in time. */
  OK("ok"),
  /** Answered 2xx, but slower than the health policy's slow threshold. */
  SLOW("slow"),
  /** Answered 429 or 408: rate-limited, not failing (neither a failure nor a success). */
  THROTTLED("throttled"),
  /** Any other answer, or none within the probe timeout. */
  FAILED("failed");

  private final String wire;

  ProbeOutcome(String wire) {
    this.wire = wire;
  }

  @Override
  public String wire() {
    return wire;
  }

  public static ProbeOutcome fromWire(String value) {
    return WireEnum.fromWire(ProbeOutcome.class, value);
  }
}
