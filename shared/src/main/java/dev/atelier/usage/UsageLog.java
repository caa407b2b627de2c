package dev.atelier.usage;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code usage_logs/{id}}: one user action. Nullable: resourceId, ipAddress, userAgent,
 * creditsUsed, responseTimeMs, statusCode; {@code metadata} (Firestore-native values) is never
 * null. {@code expires_at} is the TTL policy's field (90 days).
 */
public record UsageLog(
    String id,
    String userId,
    ActionType actionType,
    String resourceId,
    String ipAddress,
    String userAgent,
    Map<String, Object> metadata,
    Long creditsUsed,
    Long responseTimeMs,
    Long statusCode,
    Instant createdAt,
    Instant expiresAt) {

  /** How long a usage log is kept: {@code expires_at} = {@code created_at} + this. */
  public static final Duration RETENTION = Duration.ofDays(90);

  public UsageLog {
    // Firestore maps may hold nulls, which Map.copyOf rejects.
    metadata =
        metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }

  public static final class Field {
    public static final String USER_ID = "user_id";
    public static final String ACTION_TYPE = "action_type";
    public static final String RESOURCE_ID = "resource_id";
    public static final String IP_ADDRESS = "ip_address";
    public static final String USER_AGENT = "user_agent";
    public static final String METADATA = "metadata";
    public static final String CREDITS_USED = "credits_used";
    public static final String RESPONSE_TIME_MS = "response_time_ms";
    public static final String STATUS_CODE = "status_code";
    public static final String CREATED_AT = "created_at";
    public static final String EXPIRES_AT = "expires_at";

    private Field() {}
  }
}
