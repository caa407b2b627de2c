package dev.atelier.idempotency;

import java.time.Instant;

/**
 * {@code idempotencyKeys/{uid}__{sha256(key)}}: the first answer to a write sent with an {@code
 * Idempotency-Key}, replayed to retries with the same request ({@code requestHash}). {@code
 * response} is the answer's JSON; when the request was finally refused instead (e.g. its job could
 * not be dispatched after the HOLD was taken), {@code refusal} holds that refusal as JSON and
 * retries get it again. {@code expireAt} is the TTL policy's field.
 */
public record IdempotencyRecord(
    String id,
    String uid,
    String key,
    String requestHash,
    String response,
    String refusal,
    Instant createdAt,
    Instant expireAt) {

  public static final class Field {
    public static final String UID = "uid";
    public static final String KEY = "key";
    public static final String REQUEST_HASH = "requestHash";
    public static final String RESPONSE = "response";
    public static final String REFUSAL = "refusal";
    public static final String CREATED_AT = "createdAt";
    public static final String EXPIRE_AT = "expireAt";

    private Field() {}
  }
}
