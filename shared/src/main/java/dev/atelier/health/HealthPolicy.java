package dev.atelier.health;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The thresholds of the provider health check ({@link HealthRules} applies them).
 *
 * @param probeTimeout a probe without a whole answer by then FAILED (SPEC: 5 s)
 * @param slowLatency the mean latency of the answered probes in the window at or above this makes a
 *     provider degraded (a slow answer is still an answer: it never counts towards down)
 * @param downAfter K: this many failed probes in a row make a provider down (at least 2, so a
 *     single failed or slow probe never does)
 * @param degradedAfter this many failed probes in a row make it degraded (1..K)
 * @param degradedErrorRate an error rate at or above this makes it degraded, once the window holds
 *     {@code minSamples} probes and jobs
 * @param minSamples how many samples the error rate needs before it counts
 * @param window how many probes the rolling window keeps
 * @param jobWindow how far back webhook outcomes (completed vs PROVIDER_FAILED items) count
 * @param jobSampleLimit at most this many recent items are read per provider and run
 * @param cooldown how long a provider that was down is held back after it answers again (routing
 *     skips it until then; a failed probe during the cooldown starts it again)
 */
public record HealthPolicy(
    Duration probeTimeout,
    Duration slowLatency,
    int downAfter,
    int degradedAfter,
    double degradedErrorRate,
    int minSamples,
    int window,
    Duration jobWindow,
    int jobSampleLimit,
    Duration cooldown) {

  public static final Duration DEFAULT_PROBE_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_SLOW_LATENCY = Duration.ofSeconds(2);
  public static final int DEFAULT_DOWN_AFTER = 3;
  public static final Duration DEFAULT_COOLDOWN = Duration.ofMinutes(10);

  public HealthPolicy {
    positive(probeTimeout, "probeTimeout");
    positive(slowLatency, "slowLatency");
    positive(jobWindow, "jobWindow");
    if (cooldown == null || cooldown.isNegative()) {
      throw new IllegalArgumentException("cooldown must not be negative");
    }
    if (downAfter < 2) {
      throw new IllegalArgumentException(
          "downAfter must be at least 2: a single probe never takes a provider down");
    }
    if (degradedAfter < 1 || degradedAfter > downAfter) {
      throw new IllegalArgumentException("degradedAfter must be in 1..downAfter");
    }
    if (!(degradedErrorRate > 0 && degradedErrorRate <= 1)) {
      throw new IllegalArgumentException("degradedErrorRate must be in (0, 1]");
    }
    if (minSamples < 1 || window < downAfter || jobSampleLimit < 0) {
      throw new IllegalArgumentException(
          "minSamples >= 1, window >= downAfter, jobSampleLimit >= 0");
    }
  }

  /**
   * 5 s probes; slow at a mean of 2 s; degraded after 2 failed probes in a row or an error rate of
   * 25 % over at least 4 samples; down after 3 failed probes in a row; a window of 10 probes and 15
   * minutes of webhook outcomes (at most 200 items); 10 minutes of cooldown.
   */
  public static HealthPolicy defaults() {
    return new HealthPolicy(
        DEFAULT_PROBE_TIMEOUT,
        DEFAULT_SLOW_LATENCY,
        DEFAULT_DOWN_AFTER,
        2,
        0.25,
        4,
        10,
        Duration.ofMinutes(15),
        200,
        DEFAULT_COOLDOWN);
  }

  /**
   * The defaults with what the environment overrides (all optional):
   *
   * <pre>
   * PROVIDER_HEALTH_COOLDOWN_SECONDS=600   e.g. 60 locally, to see a recovery within a minute or two
   * PROVIDER_HEALTH_DOWN_AFTER=3           K, failed probes in a row before down (&gt;= 2)
   * PROVIDER_HEALTH_SLOW_MS=2000           mean latency that makes a provider degraded
   * </pre>
   */
  public static HealthPolicy fromEnv(Map<String, String> env) {
    HealthPolicy d = defaults();
    int downAfter = number(env, "PROVIDER_HEALTH_DOWN_AFTER").map(Math::toIntExact).orElse(3);
    return new HealthPolicy(
        d.probeTimeout(),
        number(env, "PROVIDER_HEALTH_SLOW_MS").map(Duration::ofMillis).orElse(d.slowLatency()),
        downAfter,
        Math.min(d.degradedAfter(), downAfter),
        d.degradedErrorRate(),
        d.minSamples(),
        Math.max(d.window(), downAfter),
        d.jobWindow(),
        d.jobSampleLimit(),
        number(env, "PROVIDER_HEALTH_COOLDOWN_SECONDS")
            .map(Duration::ofSeconds)
            .orElse(d.cooldown()));
  }

  public HealthPolicy withProbeTimeout(Duration value) {
    return new HealthPolicy(
        value,
        slowLatency,
        downAfter,
        degradedAfter,
        degradedErrorRate,
        minSamples,
        window,
        jobWindow,
        jobSampleLimit,
        cooldown);
  }

  public HealthPolicy withSlowLatency(Duration value) {
    return new HealthPolicy(
        probeTimeout,
        value,
        downAfter,
        degradedAfter,
        degradedErrorRate,
        minSamples,
        window,
        jobWindow,
        jobSampleLimit,
        cooldown);
  }

  public HealthPolicy withCooldown(Duration value) {
    return new HealthPolicy(
        probeTimeout,
        slowLatency,
        downAfter,
        degradedAfter,
        degradedErrorRate,
        minSamples,
        window,
        jobWindow,
        jobSampleLimit,
        value);
  }

  private static void positive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }

  private static Optional<Long> number(Map<String, String> env, String name) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    try {
      long n = Long.parseLong(value.trim());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return Optional.of(n);
    } catch (NumberFormatException e) {
      throw new IllegalStateException(name + " must be a non-negative integer, got " + value);
    }
  }
}
