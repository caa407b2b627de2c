package dev.atelier.catalog;

import dev.atelier.store.WireEnum;

/** Where a build runs, as recorded in {@code system/version}. */
public enum DeploymentEnvironment implements WireEnum {
  DEVELOPMENT("development"),
  STAGING("staging"),
  PRODUCTION("production");

  private final String wire;

  DeploymentEnvironment(String wire) {
    this.wire = wire;
  }

  @Override
  public String wire() {
    return wire;
  }

  public static DeploymentEnvironment fromWire(String value) {
    return WireEnum.fromWire(DeploymentEnvironment.class, value);
  }
}
