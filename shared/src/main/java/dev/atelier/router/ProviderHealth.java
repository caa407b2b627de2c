package dev.atelier.router;

import java.time.Instant;

/**
 * {@code model_provider_health/{provider}}: the last health check of one provider. Nullable:
 * lastCheck before the first check, latencyMs when the probe got no answer, lastError when healthy,
 * cooldownUntil unless a recovering provider is held back (routing skips it until then).
 */
public record ProviderHealth(
    String provider,
    HealthStatus status,
    Instant lastCheck,
    Long latencyMs,
    double errorRate,
    long consecutiveFailures,
    String lastError,
    Instant cooldownUntil) {

  /** Whether routing may send work to this provider at {@code now}. */
  public boolean routable(Instant now) {
    return status != HealthStatus.DOWN && (cooldownUntil == null || !now.isBefore(cooldownUntil));
  }

  public static final class Field {
    public static final String PROVIDER = "provider";
    public static final String STATUS = "status";
    public static final String LAST_CHECK = "last_check";
    public static final String LATENCY_MS = "latency_ms";
    public static final String ERROR_RATE = "error_rate";
    public static final String CONSECUTIVE_FAILURES = "consecutive_failures";
    public static final String LAST_ERROR = "last_error";
    public static final String COOLDOWN_UNTIL = "cooldown_until";

    private Field() {}
  }
}
