package dev.atelier.http;

/** Every error code an HTTP function answers with, and its HTTP status. */
public enum ErrorCode {
  INVALID_ARGUMENT(400),
  UNAUTHENTICATED(401),
  INSUFFICIENT_CREDITS(402),
  PERMISSION_DENIED(403),
  /** The user is suspended: every write is refused. */
  ACCOUNT_SUSPENDED(403),
  /** A global feature switch (system/config.features) is off. */
  FEATURE_DISABLED(403),
  NOT_FOUND(404),
  CODE_NOT_FOUND(404),
  METHOD_NOT_ALLOWED(405),
  ALREADY_REDEEMED(409),
  USERNAME_TAKEN(409),
  IDEMPOTENCY_KEY_REUSED(409),
  CONFLICT(409),
  CODE_EXPIRED(410),
  CODE_EXHAUSTED(410),
  CODE_DISABLED(410),
  PAYLOAD_TOO_LARGE(413),
  UNSUPPORTED_MEDIA_TYPE(415),
  RATE_LIMITED(429),
  /** The user already has the maximum number of generations running. */
  TOO_MANY_ACTIVE(429),
  INTERNAL(500),
  NO_PROVIDER_AVAILABLE(503),
  /** A transient failure of a dependency (e.g. Firestore); the client should retry. */
  UNAVAILABLE(503);

  private final int httpStatus;

  ErrorCode(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  public int httpStatus() {
    return httpStatus;
  }
}
