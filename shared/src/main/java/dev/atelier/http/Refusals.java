package dev.atelier.http;

import dev.atelier.usage.RateLimiter;
import java.util.Map;

/** Client-visible refusals shared by several functions. */
public final class Refusals {
  private Refusals() {}

  /** 429 RATE_LIMITED with {@code Retry-After} in whole seconds to the end of the exceeded window. */
  public static ApiException rateLimited(RateLimiter.Decision.Limited limited) {
    long seconds = Math.max(1, (limited.retryAfter().toMillis() + 999) / 1000);
    return new ApiException(new ApiError(ErrorCode.RATE_LIMITED, "too many requests: at most " + limited.limit()
        + " per " + limited.window(), Map.of("window", limited.window(), "limit", limited.limit(), "retryAfterSeconds", seconds)),
        Map.of("Retry-After", String.valueOf(seconds)));
  }
}
