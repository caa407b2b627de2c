package dev.atelier.catalog;

import dev.atelier.router.HealthStatus;
import java.time.Instant;

/**
 * Operational status of a model, kept by the health check; the measurements are null until
 * measured.
 */
public record ModelStatus(
    boolean isAvailable,
    HealthStatus healthStatus,
    Instant lastHealthCheck,
    Long responseTimeMs,
    Double errorRate) {

  public static final class Field {
    public static final String IS_AVAILABLE = "isAvailable";
    public static final String HEALTH_STATUS = "healthStatus";
    public static final String LAST_HEALTH_CHECK = "lastHealthCheck";
    public static final String RESPONSE_TIME_MS = "responseTimeMs";
    public static final String ERROR_RATE = "errorRate";

    private Field() {}
  }
}
