package dev.atelier.usage;

import java.time.Duration;
import java.time.Instant;

/**
 * {@code rate_limit_logs/{id}}: requests of one user to one endpoint in one fixed window. {@code
 * expires_at} is the TTL policy's field (1 hour).
 */
public record RateLimitLog(
    String id,
    String userId,
    String endpoint,
    long requestCount,
    Instant windowStart,
    Instant windowEnd,
    Instant lastRequestAt,
    boolean isBlocked,
    Instant expiresAt) {

  /** How long a rate-limit window is kept: {@code expires_at} = {@code window_end} + this. */
  public static final Duration RETENTION = Duration.ofHours(1);

  public static final class Field {
    public static final String USER_ID = "user_id";
    public static final String ENDPOINT = "endpoint";
    public static final String REQUEST_COUNT = "request_count";
    public static final String WINDOW_START = "window_start";
    public static final String WINDOW_END = "window_end";
    public static final String LAST_REQUEST_AT = "last_request_at";
    public static final String IS_BLOCKED = "is_blocked";
    public static final String EXPIRES_AT = "expires_at";

    private Field() {}
  }
}
