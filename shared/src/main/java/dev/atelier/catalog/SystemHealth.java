package dev.atelier.catalog;

import dev.atelier.router.HealthStatus;
import java.time.Instant;
import java.util.Map;

/**
 * {@code system/health}: the last health check's view of the services, stored as {@code {type:
 * "health", health: {lastUpdateAt, services: {database, externalApis, schedulerJobs}}, createdAt,
 * updatedAt}}. The maps are keyed by provider name and scheduler job name and are never null.
 */
public record SystemHealth(
    Instant lastUpdateAt,
    Database database,
    Map<String, ExternalApi> externalApis,
    Map<String, SchedulerJob> schedulerJobs,
    Instant createdAt,
    Instant updatedAt) {

  public SystemHealth {
    externalApis = externalApis == null ? Map.of() : Map.copyOf(externalApis);
    schedulerJobs = schedulerJobs == null ? Map.of() : Map.copyOf(schedulerJobs);
  }

  /** Firestore as seen by the check; {@code lastError} null when fine. */
  public record Database(HealthStatus status, long latency, String lastError) {
    public static final class Field {
      public static final String STATUS = "status";
      public static final String LATENCY = "latency";
      public static final String LAST_ERROR = "lastError";

      private Field() {}
    }
  }

  /** A generation provider's API; {@code latency} (ms) null when it did not answer. */
  public record ExternalApi(Reachability status, Long latency, Instant lastCheck, long errorCount) {
    public static final class Field {
      public static final String STATUS = "status";
      public static final String LATENCY = "latency";
      public static final String LAST_CHECK = "lastCheck";
      public static final String ERROR_COUNT = "errorCount";

      private Field() {}
    }
  }

  /** A Cloud Scheduler job; {@code lastAttemptAt} and {@code lastError} may be null. */
  public record SchedulerJob(SchedulerJobState state, Instant lastAttemptAt, String lastError) {
    public static final class Field {
      public static final String STATE = "state";
      public static final String LAST_ATTEMPT_AT = "lastAttemptAt";
      public static final String LAST_ERROR = "lastError";

      private Field() {}
    }
  }

  public static final class Field {
    public static final String TYPE = "type";
    public static final String HEALTH = "health";
    public static final String LAST_UPDATE_AT = "lastUpdateAt";
    public static final String SERVICES = "services";
    public static final String DATABASE = "database";
    public static final String EXTERNAL_APIS = "externalApis";
    public static final String SCHEDULER_JOBS = "schedulerJobs";
    public static final String CREATED_AT = "createdAt";
    public static final String UPDATED_AT = "updatedAt";

    private Field() {}
  }
}
