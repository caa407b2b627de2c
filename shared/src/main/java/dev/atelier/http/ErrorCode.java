package dev.atelier.http;

import dev.atelier.platform.Refusal.Problem;
import java.util.EnumMap;
import java.util.Map;

/**
 * Every error code an HTTP function answers with and its HTTP status — the one table from a {@link
 * Problem} the rules raise to what the client sees; the rest are the HTTP layer's own.
 */
public enum ErrorCode {
  INVALID_ARGUMENT(400, Problem.INVALID_ARGUMENT),
  UNAUTHENTICATED(401, null),
  INSUFFICIENT_CREDITS(402, Problem.INSUFFICIENT_CREDITS),
  PERMISSION_DENIED(403, null),
  /** The user is suspended: every write is refused. */
  ACCOUNT_SUSPENDED(403, Problem.ACCOUNT_SUSPENDED),
  /** A global feature switch (system/config.features) is off. */
  FEATURE_DISABLED(403, Problem.FEATURE_DISABLED),
  NOT_FOUND(404, Problem.NOT_FOUND),
  CODE_NOT_FOUND(404, Problem.CODE_NOT_FOUND),
  METHOD_NOT_ALLOWED(405, null),
  ALREADY_REDEEMED(409, Problem.ALREADY_REDEEMED),
  USERNAME_TAKEN(409, Problem.USERNAME_TAKEN),
  IDEMPOTENCY_KEY_REUSED(409, Problem.IDEMPOTENCY_KEY_REUSED),
  CONFLICT(409, Problem.CONFLICT),
  CODE_EXPIRED(410, Problem.CODE_EXPIRED),
  CODE_EXHAUSTED(410, Problem.CODE_EXHAUSTED),
  CODE_DISABLED(410, Problem.CODE_DISABLED),
  PAYLOAD_TOO_LARGE(413, null),
  UNSUPPORTED_MEDIA_TYPE(415, null),
  RATE_LIMITED(429, Problem.RATE_LIMITED),
  /** The user already has the maximum number of generations running. */
  TOO_MANY_ACTIVE(429, Problem.TOO_MANY_ACTIVE),
  INTERNAL(500, null),
  NO_PROVIDER_AVAILABLE(503, Problem.NO_PROVIDER_AVAILABLE),
  /** A transient failure of a dependency (e.g. Firestore); the client should retry. */
  UNAVAILABLE(503, null);

  private static final Map<Problem, ErrorCode> BY_PROBLEM = new EnumMap<>(Problem.class);

  static {
    for (ErrorCode code : values()) {
      if (code.problem != null && BY_PROBLEM.put(code.problem, code) != null) {
        throw new IllegalStateException("two codes for " + code.problem);
      }
    }
    for (Problem p : Problem.values()) {
      if (!BY_PROBLEM.containsKey(p)) {
        throw new IllegalStateException("no error code for " + p);
      }
    }
  }

  private final int httpStatus;
  private final Problem problem;

  ErrorCode(int httpStatus, Problem problem) {
    this.httpStatus = httpStatus;
    this.problem = problem;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** The code a refusal of {@code problem} is answered with. */
  public static ErrorCode of(Problem problem) {
    return BY_PROBLEM.get(problem);
  }
}
