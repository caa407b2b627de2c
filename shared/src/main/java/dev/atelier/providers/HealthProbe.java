package dev.atelier.providers;

import java.time.Duration;

/**
 * One health probe of a provider's API, as the adapter saw it. Whether an answer was slow is the
 * health policy's call, not the adapter's.
 *
 * @param latency how long the answer took (headers and body); null when no answer came
 * @param httpStatus the answer's status, 0 when there was none
 * @param detail what went wrong (safe to log and store: never a token), null when OK
 */
public record HealthProbe(Outcome outcome, Duration latency, int httpStatus, String detail) {

  /** What the probe says about the provider. */
  public enum Outcome {
    /** A 2xx answer. */
    OK,
    /**
     * 429 or 408: the provider is there and answering, but rate-limits us. Not a failure (it never
     * counts towards down, nor in the error rate).
     */
    THROTTLED,
    /** Any other answer, no answer within the timeout, or no connection. */
    FAILED
  }

  public HealthProbe {
    if (outcome == null) {
      throw new IllegalArgumentException("a probe has an outcome");
    }
  }

  /** Whether the provider answered at all (OK or THROTTLED, or FAILED with an HTTP status). */
  public boolean answered() {
    return latency != null;
  }
}
