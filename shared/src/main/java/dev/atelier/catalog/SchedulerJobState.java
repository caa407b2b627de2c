package dev.atelier.catalog;

import dev.atelier.store.WireEnum;

/** A Cloud Scheduler job's state, spelled as the Cloud Scheduler API does. */
public enum SchedulerJobState implements WireEnum {
  ENABLED("ENABLED"),
  PAUSED("PAUSED"),
  DISABLED("DISABLED"),
  UPDATE_FAILED("UPDATE_FAILED"),
  STATE_UNSPECIFIED("STATE_UNSPECIFIED");

  private final String wire;

  SchedulerJobState(String wire) {
    this.wire = wire;
  }

  @Override
  public String wire() {
    return wire;
  }

  public static SchedulerJobState fromWire(String value) {
    return WireEnum.fromWire(SchedulerJobState.class, value);
  }
}
