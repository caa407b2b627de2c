package dev.atelier.http;

import java.util.Map;

/**
 * A client-visible failure: becomes the SPEC's JSON error with the code's HTTP status. Never
 * carries a stack trace out.
 */
public final class ApiException extends RuntimeException {

  private final transient ApiError error;
  private final transient Map<String, String> headers;

  public ApiException(ApiError error, Map<String, String> headers) {
    super(error.code() + ": " + error.message(), null, false, false);
    this.error = error;
    this.headers = Map.copyOf(headers);
  }

  public ApiException(ErrorCode code, String message) {
    this(new ApiError(code, message, Map.of()), Map.of());
  }

  public ApiException(ErrorCode code, String message, Map<String, Object> details) {
    this(new ApiError(code, message, details), Map.of());
  }

  public ApiError error() {
    return error;
  }

  /** Extra response headers (Allow, Retry-After). */
  public Map<String, String> headers() {
    return headers;
  }
}
