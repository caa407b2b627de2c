package dev.atelier.functions.checkproviderhealth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.catalog.ModelConfig;
import dev.atelier.catalog.ModelStatus;
import dev.atelier.catalog.ProviderRoute;
import dev.atelier.generations.GenerationType;
import dev.atelier.health.HealthPolicy;
import dev.atelier.health.HealthRules;
import dev.atelier.health.HealthRules.Assessment;
import dev.atelier.health.JobOutcomes;
import dev.atelier.health.ModelAvailability;
import dev.atelier.providers.HealthProbe;
import dev.atelier.router.AlertSeverity;
import dev.atelier.router.AlertType;
import dev.atelier.router.HealthStatus;
import dev.atelier.router.ProbeOutcome;
import dev.atelier.router.ProviderHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The health state machine on its own (no I/O): thresholds, flapping protection, throttling,
 * webhook outcomes, the cooldown and the alerts each change raises; and model availability from
 * routes. The emulator tests run the same rules end to end.
 */
class CheckProviderHealthRulesTest {

  private static final String P = "replicate";
  private static final HealthPolicy POLICY = HealthPolicy.defaults();
  private static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");
  private static final Duration RUN = Duration.ofMinutes(5);

  private static HealthProbe ok(long ms) {
    return new HealthProbe(HealthProbe.Outcome.OK, Duration.ofMillis(ms), 200, null);
  }

  private static HealthProbe failed() {
    return new HealthProbe(HealthProbe.Outcome.FAILED, Duration.ofMillis(40), 503, "answered 503");
  }

  private static HealthProbe timedOut() {
    return new HealthProbe(HealthProbe.Outcome.FAILED, null, 0, "no answer within 5000 ms");
  }

  private static HealthProbe throttled() {
    return new HealthProbe(
        HealthProbe.Outcome.THROTTLED, Duration.ofMillis(30), 429, "answered 429");
  }

  /** Applies probes one run (5 minutes) apart from {@code start}; returns every assessment. */
  private static List<Assessment> runs(
      Optional<ProviderHealth> start, Instant first, JobOutcomes jobs, HealthProbe... probes) {
    Optional<ProviderHealth> state = start;
    Instant at = first;
    List<Assessment> out = new java.util.ArrayList<>();
    for (HealthProbe probe : probes) {
      Assessment a = HealthRules.assess(P, state, at, probe, jobs, POLICY);
      out.add(a);
      state = Optional.of(a.next());
      at = at.plus(RUN);
    }
    return out;
  }

  private static List<Assessment> runs(HealthProbe... probes) {
    return runs(Optional.empty(), T0, JobOutcomes.NONE, probes);
  }

  private static HealthProbe[] times(int n, HealthProbe probe) {
    HealthProbe[] out = new HealthProbe[n];
    java.util.Arrays.fill(out, probe);
    return out;
  }

  @Test
  void aFirstGoodProbeIsHealthyAndRaisesNothing() {
    Assessment a = last(runs(ok(120)));
    assertEquals(HealthStatus.HEALTHY, a.next().status());
    assertEquals(120L, a.next().latencyMs());
    assertEquals(0.0, a.next().errorRate());
    assertEquals(T0, a.next().lastCheck());
    assertEquals(T0, a.next().statusSince());
    assertNull(a.next().lastError());
    assertNull(a.next().cooldownUntil());
    HealthRules.Transition t = a.transition().orElseThrow();
    assertEquals(HealthStatus.UNKNOWN, t.from());
    assertEquals(Optional.empty(), t.alertType(), "unknown -> healthy is no news");
  }

  @Test
  void downOnlyAfterKFailedProbesInARowWithDegradedOnTheWay() {
    List<Assessment> r = runs(ok(100), failed(), failed(), failed());
    assertEquals(HealthStatus.HEALTHY, r.get(1).next().status(), "one failure changes nothing");
    assertEquals(1, r.get(1).next().consecutiveFailures());
    assertEquals("answered 503", r.get(1).next().lastError());
    assertEquals(Optional.empty(), r.get(1).transition());

    assertEquals(HealthStatus.DEGRADED, r.get(2).next().status(), "two in a row: degraded");
    HealthRules.Transition degraded = r.get(2).transition().orElseThrow();
    assertEquals(Optional.of(AlertType.PROVIDER_DEGRADED), degraded.alertType());
    assertEquals(AlertSeverity.WARNING, degraded.severity());

    Assessment down = r.get(3);
    assertEquals(HealthStatus.DOWN, down.next().status(), "K = 3 in a row: down");
    assertEquals(3, down.next().consecutiveFailures());
    HealthRules.Transition t = down.transition().orElseThrow();
    assertEquals(HealthStatus.DEGRADED, t.from());
    assertEquals(Optional.of(AlertType.PROVIDER_DOWN), t.alertType());
    assertEquals(AlertSeverity.CRITICAL, t.severity());
    assertFalse(down.next().routable(T0.plus(Duration.ofHours(1))));
    assertEquals(T0.plus(RUN.multipliedBy(3)), down.next().statusSince());

    Assessment stillDown =
        HealthRules.assess(
            P,
            Optional.of(down.next()),
            T0.plus(RUN.multipliedBy(4)),
            failed(),
            JobOutcomes.NONE,
            POLICY);
    assertEquals(HealthStatus.DOWN, stillDown.next().status());
    assertEquals(Optional.empty(), stillDown.transition(), "no second alert while down");
    assertEquals(T0.plus(RUN.multipliedBy(3)), stillDown.next().statusSince());
  }

  @Test
  void kIsConfigurableButNeverOne() {
    HealthPolicy five = HealthPolicy.fromEnv(Map.of("PROVIDER_HEALTH_DOWN_AFTER", "5"));
    assertEquals(5, five.downAfter());
    Optional<ProviderHealth> state = Optional.empty();
    for (int i = 1; i <= 5; i++) {
      state =
          Optional.of(
              HealthRules.assess(
                      P, state, T0.plus(RUN.multipliedBy(i)), failed(), JobOutcomes.NONE, five)
                  .next());
      assertEquals(i == 5, state.get().status() == HealthStatus.DOWN, "after " + i);
    }
    assertThrows(
        IllegalStateException.class,
        () -> HealthPolicy.fromEnv(Map.of("PROVIDER_HEALTH_DOWN_AFTER", "x")));
    assertThrows(
        IllegalArgumentException.class,
        () -> HealthPolicy.fromEnv(Map.of("PROVIDER_HEALTH_DOWN_AFTER", "1")));
    assertEquals(
        Duration.ofSeconds(60),
        HealthPolicy.fromEnv(Map.of("PROVIDER_HEALTH_COOLDOWN_SECONDS", "60")).cooldown());
    assertEquals(HealthPolicy.defaults(), HealthPolicy.fromEnv(Map.of()));
  }

  @Test
  void aFailureBetweenGoodProbesNeverAddsUp() {
    Assessment a =
        last(runs(ok(90), failed(), ok(90), failed(), ok(90), timedOut(), ok(90), failed()));
    assertEquals(HealthStatus.DEGRADED, a.next().status(), "4 of 8 failed: the error rate says so");
    assertEquals(1, a.next().consecutiveFailures());

    Assessment b = last(runs(ok(90), ok(90), ok(90), ok(90), ok(90), ok(90), ok(90), failed()));
    assertEquals(HealthStatus.HEALTHY, b.next().status(), "1 of 8 is under 25 %");
    assertEquals(0.125, b.next().errorRate());
  }

  @Test
  void slowProbesDegradeButNeverTakeAProviderDown() {
    long slow = POLICY.slowLatency().toMillis() + 500;
    Assessment oneSlow = last(runs(ok(100), ok(100), ok(100), ok(100), ok(slow)));
    assertEquals(ProbeOutcome.SLOW, last(oneSlow.next().probeHistory()).outcome());
    assertEquals(HealthStatus.HEALTHY, oneSlow.next().status(), "one slow answer among fast ones");
    assertEquals(0, oneSlow.next().consecutiveFailures());

    List<Assessment> allSlow = runs(times(12, ok(slow)));
    for (Assessment a : allSlow) {
      assertEquals(HealthStatus.DEGRADED, a.next().status(), "slow is degraded, never down");
      assertEquals(0, a.next().consecutiveFailures());
    }
    assertEquals(slow, last(allSlow).next().latencyMs());
    assertEquals(POLICY.window(), last(allSlow).next().probeHistory().size(), "a rolling window");

    Assessment timeout = last(runs(ok(100), ok(100), timedOut()));
    assertEquals(
        HealthStatus.HEALTHY, timeout.next().status(), "a probe past the timeout is one failure");
    assertNull(last(timeout.next().probeHistory()).latencyMs());
  }

  private static <T> T last(List<T> list) {
    return list.get(list.size() - 1);
  }

  @Test
  void throttlingIsNeitherAFailureNorASample() {
    List<Assessment> r = runs(times(6, throttled()));
    for (Assessment a : r) {
      assertNotEquals(HealthStatus.DOWN, a.next().status());
      assertEquals(0, a.next().consecutiveFailures());
      assertEquals(0.0, a.next().errorRate());
    }
    assertEquals(HealthStatus.HEALTHY, last(r).next().status());
    assertEquals("answered 429", last(r).next().lastError());
    assertEquals(ProbeOutcome.THROTTLED, last(last(r).next().probeHistory()).outcome());

    Assessment a = last(runs(failed(), failed(), throttled(), failed(), failed()));
    assertEquals(HealthStatus.DEGRADED, a.next().status(), "a 429 answered: the run starts again");
    assertEquals(2, a.next().consecutiveFailures());
    assertEquals(1.0, a.next().errorRate(), "4 failures of 4 samples: the 429 is not one");
  }

  @Test
  void providerFailedJobsCountIntoTheErrorRateButNeverMakeItDown() {
    JobOutcomes bad = new JobOutcomes(5, 4, false);
    List<Assessment> r = runs(Optional.empty(), T0, bad, times(5, ok(100)));
    for (Assessment a : r) {
      assertEquals(HealthStatus.DEGRADED, a.next().status());
      assertEquals(4, a.next().recentJobsFailed());
      assertEquals(5, a.next().recentJobsCompleted());
    }
    assertEquals(4.0 / 14, last(r).next().errorRate(), 1e-9, "4 failed jobs of 5 probes + 9 jobs");

    JobOutcomes fine = new JobOutcomes(20, 2, false);
    assertEquals(
        HealthStatus.HEALTHY,
        last(runs(Optional.empty(), T0, fine, ok(100))).next().status(),
        "2 of 23 samples");
  }

  @Test
  void leavingDownGoesThroughTheCooldownAndAFailureStartsItAgain() {
    Assessment down = last(runs(failed(), failed(), failed()));
    Instant t = T0.plus(RUN.multipliedBy(3));
    Assessment back =
        HealthRules.assess(P, Optional.of(down.next()), t, ok(80), JobOutcomes.NONE, POLICY);
    assertEquals(HealthStatus.DEGRADED, back.next().status());
    assertEquals(t.plus(POLICY.cooldown()), back.next().cooldownUntil());
    assertEquals(1, back.next().probeHistory().size(), "the window starts afresh");
    assertFalse(back.next().routable(t), "routing skips it while it cools down");
    HealthRules.Transition tr = back.transition().orElseThrow();
    assertEquals(HealthStatus.DOWN, tr.from());
    assertEquals(Optional.of(AlertType.PROVIDER_DEGRADED), tr.alertType());

    Instant t2 = t.plus(RUN);
    Assessment cooling =
        HealthRules.assess(P, Optional.of(back.next()), t2, ok(80), JobOutcomes.NONE, POLICY);
    assertEquals(HealthStatus.DEGRADED, cooling.next().status());
    assertEquals(Optional.empty(), cooling.transition(), "no alert while cooling down");

    Instant t3 = t2.plus(RUN).minusSeconds(1);
    Assessment relapse =
        HealthRules.assess(P, Optional.of(cooling.next()), t3, failed(), JobOutcomes.NONE, POLICY);
    assertEquals(HealthStatus.DEGRADED, relapse.next().status(), "one failure: not down again");
    assertEquals(
        t3.plus(POLICY.cooldown()), relapse.next().cooldownUntil(), "but the wait restarts");

    Instant t4 = relapse.next().cooldownUntil();
    Assessment ended =
        HealthRules.assess(P, Optional.of(relapse.next()), t4, ok(80), JobOutcomes.NONE, POLICY);
    assertNull(ended.next().cooldownUntil(), "the cooldown is over");
    assertEquals(
        HealthStatus.DEGRADED,
        ended.next().status(),
        "but the relapse is 1 failure of 4 probes in its window: 25 %");
    Instant t5 = t4.plus(RUN);
    Assessment recovered =
        HealthRules.assess(P, Optional.of(ended.next()), t5, ok(80), JobOutcomes.NONE, POLICY);
    assertEquals(HealthStatus.HEALTHY, recovered.next().status());
    assertNull(recovered.next().cooldownUntil());
    assertTrue(recovered.next().routable(t5));
    HealthRules.Transition r = recovered.transition().orElseThrow();
    assertEquals(Optional.of(AlertType.PROVIDER_RECOVERED), r.alertType());
    assertEquals(AlertSeverity.INFO, r.severity());
    assertTrue(r.message().contains("healthy again"), r.message());
  }

  @Test
  void aCleanRecoveryIsHealthyAtTheFirstGoodProbeAfterTheCooldown() {
    List<Assessment> r = runs(failed(), failed(), failed(), ok(80), ok(80), ok(80));
    assertEquals(HealthStatus.DEGRADED, r.get(3).next().status());
    assertEquals(
        T0.plus(RUN.multipliedBy(3)).plus(POLICY.cooldown()), r.get(3).next().cooldownUntil());
    assertEquals(HealthStatus.DEGRADED, r.get(4).next().status(), "5 of 10 minutes");
    assertEquals(HealthStatus.HEALTHY, r.get(5).next().status(), "10 of 10 minutes");
    assertEquals(
        Optional.of(AlertType.PROVIDER_RECOVERED), r.get(5).transition().orElseThrow().alertType());
  }

  @Test
  void aFailedProbeJustAfterTheCooldownEndedStartsItAgain() {
    List<Assessment> r = runs(failed(), failed(), failed(), ok(80), ok(80), failed());
    assertEquals(HealthStatus.DEGRADED, r.get(5).next().status());
    assertEquals(
        T0.plus(RUN.multipliedBy(5)).plus(POLICY.cooldown()), r.get(5).next().cooldownUntil());
  }

  @Test
  void downThenFailingDuringTheCooldownGoesBackDownAfterKMore() {
    Assessment down = last(runs(failed(), failed(), failed(), ok(50)));
    assertEquals(HealthStatus.DEGRADED, down.next().status());
    Optional<ProviderHealth> state = Optional.of(down.next());
    Instant at = T0.plus(RUN.multipliedBy(4));
    for (int i = 1; i <= 3; i++) {
      at = at.plus(RUN);
      Assessment a = HealthRules.assess(P, state, at, failed(), JobOutcomes.NONE, POLICY);
      state = Optional.of(a.next());
      assertEquals(i == 3 ? HealthStatus.DOWN : HealthStatus.DEGRADED, a.next().status());
    }
    assertNull(state.get().cooldownUntil(), "down has no cooldown; leaving down sets one");
  }

  @Test
  void theDedupeKeyNamesProviderChangeAndTime() {
    HealthRules.Transition t =
        new HealthRules.Transition(P, HealthStatus.DEGRADED, HealthStatus.DOWN, T0, "x");
    assertEquals("replicate|degraded->down|" + T0.toEpochMilli(), t.dedupeKey());
    assertNotEquals(
        t.dedupeKey(),
        new HealthRules.Transition(
                P, HealthStatus.DEGRADED, HealthStatus.DOWN, T0.plusMillis(1), "x")
            .dedupeKey());
  }

  // ---------------------------------------------------------------------------------------------
  // models follow their routes

  private static ModelConfig model(String id, ProviderRoute... routes) {
    return new ModelConfig(
        id,
        id,
        routes.length == 0 ? "replicate" : routes[0].provider(),
        GenerationType.TEXT_TO_IMAGE,
        List.of(routes),
        null,
        null,
        new ModelStatus(true, HealthStatus.UNKNOWN, null, null, null),
        null,
        0,
        null,
        null,
        null,
        null);
  }

  private static ProviderHealth health(
      String provider, HealthStatus status, Instant cooldownUntil) {
    return new ProviderHealth(provider, status, T0, 100L, 0.1, 0, null, cooldownUntil);
  }

  @Test
  void aModelIsAvailableWhileOneRouteIsRoutableAndTakesItsHealth() {
    ModelConfig m =
        model("m", new ProviderRoute("replicate", "a/b", 1), new ProviderRoute("selfhost", "b", 2));
    Set<String> both = Set.of("replicate", "selfhost");

    ModelStatus up =
        ModelAvailability.derive(
            m,
            Map.of(
                "replicate",
                health("replicate", HealthStatus.DEGRADED, null),
                "selfhost",
                health("selfhost", HealthStatus.HEALTHY, null)),
            both,
            T0);
    assertTrue(up.isAvailable());
    assertEquals(HealthStatus.DEGRADED, up.healthStatus(), "the route a job would take first");
    assertEquals(100L, up.responseTimeMs());
    assertEquals(T0, up.lastHealthCheck());

    ModelStatus oneDown =
        ModelAvailability.derive(
            m,
            Map.of(
                "replicate",
                health("replicate", HealthStatus.DOWN, null),
                "selfhost",
                health("selfhost", HealthStatus.HEALTHY, null)),
            both,
            T0);
    assertTrue(oneDown.isAvailable());
    assertEquals(HealthStatus.HEALTHY, oneDown.healthStatus());

    ModelStatus cooling =
        ModelAvailability.derive(
            m,
            Map.of(
                "replicate",
                health("replicate", HealthStatus.DOWN, null),
                "selfhost",
                health("selfhost", HealthStatus.DEGRADED, T0.plusSeconds(60))),
            both,
            T0);
    assertFalse(cooling.isAvailable(), "down and cooling down: nothing can take a job");
    assertEquals(HealthStatus.DEGRADED, cooling.healthStatus(), "the least bad route");

    ModelStatus bothDown =
        ModelAvailability.derive(
            m,
            Map.of(
                "replicate",
                health("replicate", HealthStatus.DOWN, null),
                "selfhost",
                health("selfhost", HealthStatus.DOWN, null)),
            both,
            T0);
    assertFalse(bothDown.isAvailable());
    assertEquals(HealthStatus.DOWN, bothDown.healthStatus());

    ModelStatus unconfigured =
        ModelAvailability.derive(
            m,
            Map.of("replicate", health("replicate", HealthStatus.DOWN, null)),
            Set.of("replicate"),
            T0);
    assertFalse(
        unconfigured.isAvailable(), "a route to a provider this deployment lacks is no route");

    ModelStatus neverChecked = ModelAvailability.derive(m, Map.of(), both, T0);
    assertTrue(neverChecked.isAvailable(), "as routing: no health document, no reason to skip");
    assertEquals(HealthStatus.UNKNOWN, neverChecked.healthStatus());

    ModelStatus noRoutes = ModelAvailability.derive(model("lonely"), Map.of(), both, T0);
    assertFalse(noRoutes.isAvailable());
    assertEquals(HealthStatus.UNKNOWN, noRoutes.healthStatus());
  }
}
