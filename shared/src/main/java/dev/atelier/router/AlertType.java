package dev.atelier.router;

import dev.atelier.store.WireEnum;

/** What an alert in {@code model_router_alerts} reports. */
public enum AlertType implements WireEnum {
  PROVIDER_DOWN("provider_down"),
  PROVIDER_DEGRADED("provider_degraded"),
  PROVIDER_RECOVERED("provider_recovered"),
  QUOTA_EXHAUSTED("quota_exhausted"),
  NO_PROVIDER_AVAILABLE("no_provider_available"),
  SCHEDULER_JOB_FAILED("scheduler_job_failed"),
  STALE_JOBS_REAPED("stale_jobs_reaped"),
  /** reconcile found a balance that was not the sum of its ledger, and repaired it. */
  LEDGER_DRIFT("ledger_drift"),
  /** reconcile found the public mirror out of step with a history item, and repaired it. */
  MIRROR_DRIFT("mirror_drift"),
  /**
   * A ledger entry broke a guard (invalid: contributes nothing) or an applied entry was changed
   * (restored).
   */
  LEDGER_INVALID_ENTRY("ledger_invalid_entry");

  private final String wire;

  AlertType(String wire) {
    this.wire = wire;
  }

  @Override
  public String wire() {
    return wire;
  }

  public static AlertType fromWire(String value) {
    return WireEnum.fromWire(AlertType.class, value);
  }
}
