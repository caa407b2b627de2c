package dev.atelier.health;

import dev.atelier.providers.HealthProbe;
import dev.atelier.router.AlertSeverity;
import dev.atelier.router.AlertType;
import dev.atelier.router.HealthStatus;
import dev.atelier.router.ProbeOutcome;
import dev.atelier.router.ProviderHealth;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The provider health state machine: the last stored state, one new probe and the recent webhook
 * outcomes give the next state. Pure (no I/O); {@link ProviderHealthCheck} runs it inside a
 * transaction per provider.
 *
 * <pre>
 * probe     2xx → ok (slow when its latency ≥ slowLatency) · 408/429 → throttled · else failed
 * failures  consecutive_failures = failed ? +1 : 0 (a throttled probe answered: it resets too)
 * window    probe_history = the last `window` probes; a throttled probe counts in neither the
 *           error rate nor its samples
 * rate      error_rate = (failed probes + PROVIDER_FAILED jobs) / (non-throttled probes + jobs)
 * latency   latency_ms = mean latency of the answered probes in the window
 *
 * down      consecutive_failures ≥ K (downAfter): only failed probes in a row, never one probe,
 *           never a slow one, never throttling, never job outcomes
 * leaving   the first probe that is not failed after down: degraded and held back
 * down        (cooldown_until = now + cooldown; the window starts afresh); routing skips it
 * cooldown  until cooldown_until: degraded; a failed probe restarts the cooldown (also one just
 *           after it ended: recovery needs a good probe once the cooldown is over); K failed → down
 * degraded  consecutive_failures ≥ degradedAfter, or error_rate ≥ degradedErrorRate over at least
 *           minSamples samples, or latency_ms ≥ slowLatency
 * healthy   otherwise
 * </pre>
 *
 * A status change is a {@link Transition}: to down → PROVIDER_DOWN (critical), to degraded →
 * PROVIDER_DEGRADED (warning), degraded or down → healthy: PROVIDER_RECOVERED (info). The first
 * classification of a new provider as healthy (from unknown) raises nothing.
 */
public final class HealthRules {

  private HealthRules() {}

  /** The next state, and the status change it makes, if any. */
  public record Assessment(ProviderHealth next, Optional<Transition> transition) {}

  /** A status change of one provider, at the time of the probe that made it. */
  public record Transition(
      String provider, HealthStatus from, HealthStatus to, Instant at, String reason) {

    /** The alert this change raises; empty for a new provider's first healthy check. */
    public Optional<AlertType> alertType() {
      return switch (to) {
        case DOWN -> Optional.of(AlertType.PROVIDER_DOWN);
        case DEGRADED -> Optional.of(AlertType.PROVIDER_DEGRADED);
        case HEALTHY ->
            from == HealthStatus.DEGRADED || from == HealthStatus.DOWN
                ? Optional.of(AlertType.PROVIDER_RECOVERED)
                : Optional.empty();
        case UNKNOWN -> Optional.empty();
      };
    }

    public AlertSeverity severity() {
      return switch (to) {
        case DOWN -> AlertSeverity.CRITICAL;
        case DEGRADED -> AlertSeverity.WARNING;
        default -> AlertSeverity.INFO;
      };
    }

    /**
     * The alert's dedupe key: one alert per provider, change and time of change (a retried
     * transaction or a second run that sees the same change raises nothing new).
     */
    public String dedupeKey() {
      return provider + "|" + from.wire() + "->" + to.wire() + "|" + at.toEpochMilli();
    }

    public String message() {
      return "provider "
          + provider
          + " is "
          + (to == HealthStatus.HEALTHY && from != HealthStatus.UNKNOWN
              ? "healthy again"
              : to.wire())
          + " (was "
          + from.wire()
          + "): "
          + reason;
    }
  }

  /** How {@code probe} classifies under {@code policy}. */
  public static ProbeOutcome classify(HealthProbe probe, HealthPolicy policy) {
    return switch (probe.outcome()) {
      case OK ->
          probe.latency() != null && probe.latency().compareTo(policy.slowLatency()) >= 0
              ? ProbeOutcome.SLOW
              : ProbeOutcome.OK;
      case THROTTLED -> ProbeOutcome.THROTTLED;
      case FAILED -> ProbeOutcome.FAILED;
    };
  }

  /**
   * @param previous the stored state; empty for a provider never checked
   * @param at when the probe was sent (the time of the check: cooldowns are measured from it)
   */
  public static Assessment assess(
      String provider,
      Optional<ProviderHealth> previous,
      Instant at,
      HealthProbe probe,
      JobOutcomes jobs,
      HealthPolicy policy) {
    ProbeOutcome outcome = classify(probe, policy);
    HealthStatus from = previous.map(ProviderHealth::status).orElse(HealthStatus.UNKNOWN);
    long consecutive =
        outcome == ProbeOutcome.FAILED
            ? previous.map(ProviderHealth::consecutiveFailures).orElse(0L) + 1
            : 0;
    ProviderHealth.Probe sample =
        new ProviderHealth.Probe(
            at, outcome, probe.latency() == null ? null : probe.latency().toMillis());
    List<ProviderHealth.Probe> history =
        new ArrayList<>(previous.map(ProviderHealth::probeHistory).orElse(List.of()));
    Instant cooldownUntil = previous.map(ProviderHealth::cooldownUntil).orElse(null);

    HealthStatus status;
    String reason;
    if (outcome == ProbeOutcome.FAILED
        && (consecutive >= policy.downAfter() || from == HealthStatus.DOWN)) {
      status = HealthStatus.DOWN;
      cooldownUntil = null;
      reason = consecutive + " failed probes in a row (last: " + probe.detail() + ")";
    } else if (from == HealthStatus.DOWN) {
      // The failures before are what took it down: the cooldown is its probation, measured afresh.
      history.clear();
      status = HealthStatus.DEGRADED;
      cooldownUntil = at.plus(policy.cooldown());
      reason =
          "answering again ("
              + outcome.wire()
              + "); held back until "
              + cooldownUntil
              + " ("
              + policy.cooldown().toSeconds()
              + " s cooldown)";
    } else if (cooldownUntil != null
        && (at.isBefore(cooldownUntil) || outcome == ProbeOutcome.FAILED)) {
      if (outcome == ProbeOutcome.FAILED) {
        cooldownUntil = at.plus(policy.cooldown());
      }
      status = HealthStatus.DEGRADED;
      reason = "cooling down until " + cooldownUntil;
    } else {
      cooldownUntil = null;
      status = null;
      reason = null;
    }
    history.add(sample);
    while (history.size() > policy.window()) {
      history.remove(0);
    }

    long probeSamples = history.stream().filter(p -> p.outcome() != ProbeOutcome.THROTTLED).count();
    long probeFailures = history.stream().filter(p -> p.outcome() == ProbeOutcome.FAILED).count();
    long samples = probeSamples + jobs.total();
    long failures = probeFailures + jobs.failed();
    double errorRate = samples == 0 ? 0 : (double) failures / samples;
    List<Long> latencies =
        history.stream().map(ProviderHealth.Probe::latencyMs).filter(l -> l != null).toList();
    Long meanLatency =
        latencies.isEmpty()
            ? null
            : Math.round(latencies.stream().mapToLong(Long::longValue).average().orElse(0));

    if (status == null) {
      List<String> why = new ArrayList<>();
      if (consecutive >= policy.degradedAfter()) {
        why.add(consecutive + " failed probes in a row (last: " + probe.detail() + ")");
      }
      if (samples >= policy.minSamples() && errorRate >= policy.degradedErrorRate()) {
        why.add(
            String.format(
                Locale.ROOT,
                "error rate %.2f (%d of %d: %d probes, %d jobs)",
                errorRate,
                failures,
                samples,
                probeSamples,
                jobs.total()));
      }
      if (meanLatency != null && meanLatency >= policy.slowLatency().toMillis()) {
        why.add(
            "mean latency "
                + meanLatency
                + " ms ≥ "
                + policy.slowLatency().toMillis()
                + " ms over "
                + latencies.size()
                + " answers");
      }
      status = why.isEmpty() ? HealthStatus.HEALTHY : HealthStatus.DEGRADED;
      reason =
          why.isEmpty()
              ? String.format(
                  Locale.ROOT,
                  "probe %s, error rate %.2f, mean latency %s",
                  outcome.wire(),
                  errorRate,
                  meanLatency == null ? "n/a" : meanLatency + " ms")
              : String.join("; ", why);
    }

    Instant statusSince =
        status != from ? at : previous.map(ProviderHealth::statusSince).orElse(at);
    ProviderHealth next =
        new ProviderHealth(
            provider,
            status,
            at,
            meanLatency,
            errorRate,
            consecutive,
            outcome == ProbeOutcome.OK || outcome == ProbeOutcome.SLOW ? null : probe.detail(),
            cooldownUntil,
            statusSince,
            history,
            jobs.completed(),
            jobs.failed());
    Optional<Transition> transition =
        status == from
            ? Optional.empty()
            : Optional.of(new Transition(provider, from, status, at, reason));
    return new Assessment(next, transition);
  }
}
