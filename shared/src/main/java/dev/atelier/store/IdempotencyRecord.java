package dev.atelier.store;

import java.time.Instant;

/**
 * {@code idempotencyKeys/{uid}__{sha256(key)}}: the first answer to an HTTP write sent with an
 * {@code Idempotency-Key}, replayed to retries with the same request ({@code requestHash}).
 * {@code response} is the answer's JSON; {@code statusCode} its HTTP status when it was an error
 * (null: the success the write itself answered) with the error's {@code headers} (e.g. Retry-After);
 * {@code expireAt} is the TTL policy's field.
 */
public record IdempotencyRecord(
    String id,
    String uid,
    String key,
    String requestHash,
    String response,
    Instant createdAt,
    Instant expireAt,
    Long statusCode,
    java.util.Map<String, Object> headers) {

  public IdempotencyRecord {
    headers = headers == null ? java.util.Map.of() : java.util.Map.copyOf(headers);
  }

  public static final class Field {
    public static final String UID = "uid";
    public static final String KEY = "key";
    public static final String REQUEST_HASH = "requestHash";
    public static final String RESPONSE = "response";
    public static final String CREATED_AT = "createdAt";
    public static final String EXPIRE_AT = "expireAt";
    public static final String STATUS_CODE = "statusCode";
    public static final String HEADERS = "headers";

    private Field() {}
  }
}
