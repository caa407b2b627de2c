package dev.atelier.platform;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A request the business rules refuse: what is wrong ({@link Problem}), a message for the caller,
 * JSON-ready details (field errors under {@code fields}) and, when waiting helps, how long. Feature
 * code throws it (inside a transaction it aborts the write unchanged); the HTTP layer maps the
 * problem to a status and error code in one table. Carries no stack trace: it is an answer, not a
 * failure.
 */
public final class Refusal extends RuntimeException {

  /** Every reason the rules refuse something, independent of how it reaches the caller. */
  public enum Problem {
    INVALID_ARGUMENT,
    NOT_FOUND,
    CODE_NOT_FOUND,
    ACCOUNT_SUSPENDED,
    FEATURE_DISABLED,
    INSUFFICIENT_CREDITS,
    ALREADY_REDEEMED,
    USERNAME_TAKEN,
    IDEMPOTENCY_KEY_REUSED,
    CONFLICT,
    CODE_EXPIRED,
    CODE_EXHAUSTED,
    CODE_DISABLED,
    RATE_LIMITED,
    TOO_MANY_ACTIVE,
    NO_PROVIDER_AVAILABLE
  }

  private final Problem problem;
  private final transient Map<String, Object> details;
  private final transient Duration retryAfter;

  public Refusal(Problem problem, String message) {
    this(problem, message, Map.of(), null);
  }

  public Refusal(Problem problem, String message, Map<String, Object> details) {
    this(problem, message, details, null);
  }

  public Refusal(
      Problem problem, String message, Map<String, Object> details, Duration retryAfter) {
    super(problem + ": " + message, null, false, false);
    this.problem = problem;
    this.details =
        details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
    this.retryAfter = retryAfter;
  }

  /** 400-style refusal of one field, reported as {@code details.fields.<field>}. */
  public static Refusal invalidField(String field, String message) {
    return invalidFields(Map.of(field, message));
  }

  /** Every field error at once, as {@code details.fields}. */
  public static Refusal invalidFields(Map<String, String> fields) {
    return new Refusal(
        Problem.INVALID_ARGUMENT,
        "request body has invalid fields",
        Map.of("fields", new LinkedHashMap<>(fields)));
  }

  public Problem problem() {
    return problem;
  }

  /** The message without the problem prefix. */
  public String reason() {
    return getMessage().substring(problem.name().length() + 2);
  }

  public Map<String, Object> details() {
    return details;
  }

  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
