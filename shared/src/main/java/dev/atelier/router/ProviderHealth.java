package dev.atelier.router;

import java.time.Instant;
import java.util.List;

/**
 * {@code model_provider_health/{provider}}: the health check's view of one provider (snake_case, as
 * the router's schema spells it). Nullable: lastCheck before the first check, latencyMs when no
 * probe in the window got an answer, lastError when the last probe was fine, cooldownUntil unless a
 * provider that was down is held back (routing skips it until then), statusSince before the first
 * check. {@code probeHistory} (never null) is the rolling window of the last probes, oldest first;
 * {@code recentJobsCompleted}/{@code recentJobsFailed} are the webhook outcomes the last check
 * counted into {@code errorRate}.
 */
public record ProviderHealth(
    String provider,
    HealthStatus status,
    Instant lastCheck,
    Long latencyMs,
    double errorRate,
    long consecutiveFailures,
    String lastError,
    Instant cooldownUntil,
    Instant statusSince,
    List<Probe> probeHistory,
    long recentJobsCompleted,
    long recentJobsFailed) {

  public ProviderHealth {
    probeHistory = probeHistory == null ? List.of() : List.copyOf(probeHistory);
  }

  /** A provider health as the first version of the schema had it (no history, no job counts). */
  public ProviderHealth(
      String provider,
      HealthStatus status,
      Instant lastCheck,
      Long latencyMs,
      double errorRate,
      long consecutiveFailures,
      String lastError,
      Instant cooldownUntil) {
    this(
        provider,
        status,
        lastCheck,
        latencyMs,
        errorRate,
        consecutiveFailures,
        lastError,
        cooldownUntil,
        null,
        List.of(),
        0,
        0);
  }

  /** Whether routing may send work to this provider at {@code now}. */
  public boolean routable(Instant now) {
    return status != HealthStatus.DOWN && !coolingDown(now);
  }

  /** Whether a provider that was down is still held back at {@code now}. */
  public boolean coolingDown(Instant now) {
    return cooldownUntil != null && now.isBefore(cooldownUntil);
  }

  /** One probe of the rolling window; {@code latencyMs} null when it got no answer. */
  public record Probe(Instant at, ProbeOutcome outcome, Long latencyMs) {
    public static final class Field {
      public static final String AT = "at";
      public static final String OUTCOME = "outcome";
      public static final String LATENCY_MS = "latency_ms";

      private Field() {}
    }
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
    public static final String STATUS_SINCE = "status_since";
    public static final String PROBE_HISTORY = "probe_history";
    public static final String RECENT_JOBS_COMPLETED = "recent_jobs_completed";
    public static final String RECENT_JOBS_FAILED = "recent_jobs_failed";

    private Field() {}
  }
}
