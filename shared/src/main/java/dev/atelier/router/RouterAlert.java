package dev.atelier.router;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code model_router_alerts/{id}}. {@code provider} is null for alerts not about one provider;
 * {@code details} (Firestore-native values) is never null. Acknowledging sets {@code acknowledged},
 * {@code acknowledged_at}, {@code acknowledged_by} and {@code expireAt} (90 days on), the field the
 * TTL policy deletes by; unacknowledged alerts have no {@code expireAt} and are kept.
 */
public record RouterAlert(
    String id,
    AlertType type,
    AlertSeverity severity,
    String provider,
    String message,
    Map<String, Object> details,
    boolean acknowledged,
    Instant createdAt,
    Instant acknowledgedAt,
    String acknowledgedBy,
    Instant expireAt) {

  /** How long an acknowledged alert is kept: {@code expireAt} = acknowledgement time + this. */
  public static final Duration ACKNOWLEDGED_RETENTION = Duration.ofDays(90);

  public RouterAlert {
    // Firestore maps may hold nulls, which Map.copyOf rejects.
    details =
        details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  public static final class Field {
    public static final String TYPE = "type";
    public static final String SEVERITY = "severity";
    public static final String PROVIDER = "provider";
    public static final String MESSAGE = "message";
    public static final String DETAILS = "details";
    public static final String ACKNOWLEDGED = "acknowledged";
    public static final String CREATED_AT = "created_at";
    public static final String ACKNOWLEDGED_AT = "acknowledged_at";
    public static final String ACKNOWLEDGED_BY = "acknowledged_by";

    /** TTL field (camelCase as the TTL policy names it). */
    public static final String EXPIRE_AT = "expireAt";

    private Field() {}
  }
}
