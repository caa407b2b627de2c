package dev.atelier.router;

import dev.atelier.store.WireEnum;

/** Health of a provider, a model or a service, as the health check last saw it. */
public enum HealthStatus implements WireEnum {
  HEALTHY("healthy"),
  DEGRADED("degraded"),
  DOWN("down"),
  UNKNOWN("unknown");

  private final String wire;

  HealthStatus(String wire) {
    this.wire = wire;
  }

  @Override
  public String wire() {
    return wire;
  }

  public static HealthStatus fromWire(String value) {
    return WireEnum.fromWire(HealthStatus.class, value);
  }
}
