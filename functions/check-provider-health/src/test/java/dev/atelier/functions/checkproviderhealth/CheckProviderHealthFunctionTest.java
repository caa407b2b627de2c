package dev.atelier.functions.checkproviderhealth;

import static dev.atelier.testsupport.HttpAssertions.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.atelier.credits.CreditService;
import dev.atelier.emulator.junit.EmulatorHandle;
import dev.atelier.emulator.junit.FirestoreEmulatorExtension;
import dev.atelier.firestore.Database;
import dev.atelier.firestore.Snapshot;
import dev.atelier.health.HealthPolicy;
import dev.atelier.health.JobOutcomes;
import dev.atelier.health.ProviderHealthCheck;
import dev.atelier.health.SchedulerJobs;
import dev.atelier.idempotency.Idempotency;
import dev.atelier.lifecycle.GenerationService;
import dev.atelier.platform.AuthUser;
import dev.atelier.platform.ClientInfo;
import dev.atelier.platform.Config;
import dev.atelier.platform.JsonLog;
import dev.atelier.platform.Refusal;
import dev.atelier.providers.HealthProbe;
import dev.atelier.providers.ProviderSettings;
import dev.atelier.providers.Providers;
import dev.atelier.submit.SubmitRequest;
import dev.atelier.submit.SubmitService;
import dev.atelier.submit.Submitted;
import dev.atelier.testsupport.GenerationRig;
import dev.atelier.testsupport.LoopbackHttpHost;
import dev.atelier.usage.RateLimiter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * check-provider-health end to end: the function served on loopback and POSTed as Cloud Scheduler
 * does, the Firestore emulator (strict index mode) with the seeded catalog, and one stand-in
 * provider per catalog provider (replicate, selfhost) probed over HTTP — set down, throttled or
 * slow through their own switches. The clock is the system clock shifted by whole runs, so a run is
 * "5 minutes later" and cooldowns pass without waiting.
 */
@ExtendWith(FirestoreEmulatorExtension.class)
class CheckProviderHealthFunctionTest {

  private static final String FUNCTION = "check-provider-health";
  private static final Duration RUN = Duration.ofMinutes(5);

  /** Routed to replicate only (seed/catalog.json). */
  private static final String REPLICATE_ONLY = "ideogram-logo";

  /** Routed to replicate (1) and selfhost (2). */
  private static final String BOTH = "flux-schnell";

  /** Short enough for tests, long enough for loopback on a busy machine. */
  private static final HealthPolicy POLICY =
      HealthPolicy.defaults()
          .withProbeTimeout(Duration.ofMillis(1500))
          .withSlowLatency(Duration.ofMillis(400));

  private final List<String> standInLog = new CopyOnWriteArrayList<>();
  private GenerationRig rig;
  private Database db;
  private ShiftedClock clock;
  private LoopbackHttpHost host;
  private ExecutorService pool;

  /** The system clock moved forward by whole runs. */
  static final class ShiftedClock extends Clock {
    private volatile Duration shift = Duration.ZERO;

    void advance(Duration d) {
      shift = shift.plus(d);
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(shift);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  @BeforeEach
  void start(EmulatorHandle emulator) throws Exception {
    rig =
        GenerationRig.start(
            emulator,
            GenerationRig.options(Duration.ofSeconds(60), Duration.ofSeconds(60))
                .withLog(standInLog::add));
    db = rig.db();
    clock = new ShiftedClock();
    host = rig.serve(FUNCTION, function(rig.providers(), skippedScheduler()));
    // The JVM's first HTTP call loads its classes: not a latency any probe under test should carry.
    rig.providers().adapter("replicate").orElseThrow().probe(POLICY.probeTimeout());
    standInLog.clear();
    pool = Executors.newFixedThreadPool(8);
  }

  @AfterEach
  void stop() {
    pool.shutdownNow();
    rig.close();
  }

  private CheckProviderHealthFunction function(Providers providers, SchedulerJobs scheduler) {
    Config config = rig.config(FUNCTION);
    return new CheckProviderHealthFunction(config, db, clock, providers, POLICY, scheduler);
  }

  private static SchedulerJobs skippedScheduler() {
    return SchedulerJobs.skipped("no Scheduler API in this test", true);
  }

  /** One scheduled run, 5 minutes after the last one; its summary. */
  private JsonObject run() {
    clock.advance(RUN);
    return runNow(host);
  }

  private static JsonObject runNow(LoopbackHttpHost on) {
    HttpResponse<String> r =
        on.post("", null, "{}", "X-CloudScheduler-ScheduleTime", Instant.now().toString());
    assertEquals(200, r.statusCode(), r.body());
    return json(r);
  }

  private Snapshot health(String provider) throws Exception {
    return db.get("model_provider_health/" + provider);
  }

  private Snapshot model(String id) throws Exception {
    return db.get("models_config/" + id);
  }

  private List<Snapshot> alerts(String type) throws Exception {
    return db.collection("model_router_alerts").whereEqualTo("type", type).get();
  }

  private int alertCount() throws Exception {
    return db.collection("model_router_alerts").get().size();
  }

  private static List<String> strings(JsonObject o, String field) {
    List<String> out = new ArrayList<>();
    o.getAsJsonArray(field).forEach(e -> out.add(e.getAsString()));
    return out;
  }

  private long probes(String path) {
    return standInLog.stream().filter(l -> l.equals("GET " + path)).count();
  }

  // ---------------------------------------------------------------------------------------------

  @Test
  void aRunProbesEveryRoutedProviderAndWritesStateModelsAndSystemHealth() throws Exception {
    JsonObject summary = run();

    assertTrue(summary.get("ran").getAsBoolean(), summary.toString());
    assertEquals(2, summary.get("providersProbed").getAsInt());
    assertEquals("healthy", summary.getAsJsonObject("providers").get("replicate").getAsString());
    assertEquals("healthy", summary.getAsJsonObject("providers").get("selfhost").getAsString());
    assertEquals(
        List.of("replicate: unknown -> healthy", "selfhost: unknown -> healthy"),
        strings(summary, "transitions"));
    assertEquals(0, summary.get("alertsRaised").getAsInt(), "a first healthy check is no news");
    assertEquals(6, summary.get("modelsChecked").getAsInt());
    assertEquals(6, summary.get("modelsUpdated").getAsInt());
    assertEquals(6, summary.get("modelsAvailable").getAsInt());
    assertEquals("no Scheduler API in this test", summary.get("schedulerSkipped").getAsString());
    assertEquals(2, probes("/v1/account"), "the production probe: Replicate's account endpoint");

    for (String provider : GenerationRig.PROVIDERS) {
      Snapshot h = health(provider);
      assertEquals(provider, h.getString("provider"));
      assertEquals("healthy", h.getString("status"));
      assertNotNull(h.getTimestamp("last_check"));
      assertNotNull(h.getLong("latency_ms"));
      assertEquals(0.0, h.getDouble("error_rate"));
      assertEquals(0L, h.getLong("consecutive_failures"));
      assertNull(h.get("cooldown_until"));
      assertNull(h.get("last_error"));
      assertEquals(1L, h.getLong("schemaVersion"));
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> history = (List<Map<String, Object>>) h.get("probe_history");
      assertEquals(1, history.size());
      assertEquals("ok", history.get(0).get("outcome"));
    }

    Snapshot flux = model(BOTH);
    assertEquals(Boolean.TRUE, flux.getBoolean("status.isAvailable"));
    assertEquals("healthy", flux.getString("status.healthStatus"));
    assertNotNull(flux.getTimestamp("status.lastHealthCheck"));
    assertNotNull(flux.getLong("status.responseTimeMs"));
    assertEquals("FLUX.1 [schnell]", flux.getString("name"), "only status.* is the check's");

    Snapshot system = db.get("system/health");
    assertEquals("health", system.getString("type"));
    assertEquals("reachable", system.getString("health.services.externalApis.replicate.status"));
    assertEquals("reachable", system.getString("health.services.externalApis.selfhost.status"));
    assertEquals(0L, system.getLong("health.services.externalApis.replicate.errorCount"));
    assertEquals("healthy", system.getString("health.services.database.status"));
    assertNotNull(system.getTimestamp("health.lastUpdateAt"));
    assertNotNull(system.getTimestamp("createdAt"));

    Snapshot lease = db.get("maintenance/" + FUNCTION);
    assertNull(lease.get("leaseHolder"), "the run gave its lease back");
  }

  @Test
  void aSecondRunWithNothingChangedRaisesNothingAndWritesNoModel() throws Exception {
    run();
    Map<String, Instant> written = new java.util.HashMap<>();
    for (Snapshot m : db.collection("models_config").get()) {
      written.put(m.id(), m.updateTime().orElse(null));
    }
    Instant created = db.get("system/health").getTimestamp("createdAt");

    JsonObject second = run();
    assertEquals(List.of(), strings(second, "transitions"));
    assertEquals(0, second.get("alertsRaised").getAsInt());
    assertEquals(0, second.get("modelsUpdated").getAsInt());
    assertEquals(6, second.get("modelsAvailable").getAsInt());
    for (Snapshot m : db.collection("models_config").get()) {
      assertEquals(written.get(m.id()), m.updateTime().orElse(null), m.id() + " was not rewritten");
    }
    assertEquals(0, alertCount());
    assertEquals(2L, ((List<?>) health("replicate").get("probe_history")).size());
    assertEquals(created, db.get("system/health").getTimestamp("createdAt"));

    // An hour on, the measurements are refreshed once (availability unchanged).
    clock.advance(ProviderHealthCheck.MODEL_REFRESH);
    assertEquals(6, run().get("modelsUpdated").getAsInt());
    assertEquals(0, run().get("modelsUpdated").getAsInt());
  }

  @Test
  void downAfterThreeFailedProbesInARowOneAlertPerTransitionAndTheModelFollows() throws Exception {
    ByteArrayOutputStream logged = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    LoopbackHttpHost logging;
    System.setOut(new PrintStream(new TeeStream(stdout, logged), true, StandardCharsets.UTF_8));
    try {
      logging = rig.serve(FUNCTION + "-logged", function(rig.providers(), skippedScheduler()));
    } finally {
      System.setOut(stdout);
    }
    clock.advance(RUN);
    runNow(logging);
    rig.standIn("replicate").setHealthy(false);

    clock.advance(RUN);
    JsonObject first = runNow(logging);
    assertEquals("healthy", first.getAsJsonObject("providers").get("replicate").getAsString());
    assertEquals(1L, health("replicate").getLong("consecutive_failures"));
    assertTrue(health("replicate").getString("last_error").contains("503"));
    assertEquals(0, alertCount(), "one failed probe changes nothing");

    clock.advance(RUN);
    JsonObject second = runNow(logging);
    assertEquals(List.of("replicate: healthy -> degraded"), strings(second, "transitions"));
    assertEquals(1, alerts("provider_degraded").size());
    assertEquals(Boolean.TRUE, model(REPLICATE_ONLY).getBoolean("status.isAvailable"));

    clock.advance(RUN);
    JsonObject third = runNow(logging);
    assertEquals(List.of("replicate: degraded -> down"), strings(third, "transitions"));
    assertEquals(1, third.get("alertsRaised").getAsInt());
    List<Snapshot> down = alerts("provider_down");
    assertEquals(1, down.size());
    Snapshot alert = down.get(0);
    assertEquals("critical", alert.getString("severity"));
    assertEquals("replicate", alert.getString("provider"));
    assertEquals(Boolean.FALSE, alert.getBoolean("acknowledged"));
    assertNull(alert.get("expireAt"), "only acknowledging sets the TTL field");
    assertEquals("degraded", alert.getString("details.from"));
    assertEquals(3L, alert.getLong("details.consecutive_failures"));
    assertTrue(
        alert.getString("message").contains("3 failed probes in a row"),
        alert.getString("message"));

    Snapshot h = health("replicate");
    assertEquals("down", h.getString("status"));
    assertEquals(3L, h.getLong("consecutive_failures"));
    assertEquals(0.75, h.getDouble("error_rate"), "3 of 4 probes failed");
    Snapshot ideogram = model(REPLICATE_ONLY);
    assertEquals(Boolean.FALSE, ideogram.getBoolean("status.isAvailable"));
    assertEquals("down", ideogram.getString("status.healthStatus"));
    Snapshot flux = model(BOTH);
    assertEquals(Boolean.TRUE, flux.getBoolean("status.isAvailable"), "selfhost still takes it");
    assertEquals("healthy", flux.getString("status.healthStatus"));
    assertEquals(
        "unreachable",
        db.get("system/health").getString("health.services.externalApis.replicate.status"));

    clock.advance(RUN);
    JsonObject fourth = runNow(logging);
    assertEquals(List.of(), strings(fourth, "transitions"));
    assertEquals(0, fourth.get("alertsRaised").getAsInt(), "still down: no second alert");
    assertEquals(0, fourth.get("modelsUpdated").getAsInt());
    assertEquals(1, alerts("provider_down").size());
    assertEquals(4L, health("replicate").getLong("consecutive_failures"));

    List<JsonObject> lines =
        logged
            .toString(StandardCharsets.UTF_8)
            .lines()
            .filter(l -> l.startsWith("{"))
            .map(l -> JsonParser.parseString(l).getAsJsonObject())
            .filter(
                l ->
                    (FUNCTION + "-logged").equals(string(l, "function"))
                        || FUNCTION.equals(string(l, "function")))
            .toList();
    List<JsonObject> paging =
        lines.stream().filter(l -> "ALERT".equals(string(l, "severity"))).toList();
    assertEquals(1, paging.size(), "the critical alert is logged at ALERT, once: " + paging);
    assertEquals("provider_down", string(paging.get(0), "alertType"));
    assertEquals(alert.id(), string(paging.get(0), "alertId"));
    assertEquals(
        1,
        lines.stream()
            .filter(
                l ->
                    "WARNING".equals(string(l, "severity"))
                        && "provider_degraded".equals(string(l, "alertType")))
            .count());
    List<JsonObject> finished =
        lines.stream().filter(l -> "run finished".equals(string(l, "message"))).toList();
    assertEquals(5, finished.size(), "one summary line per run");
    assertEquals(1, finished.get(3).getAsJsonObject("summary").get("alertsRaised").getAsInt());
  }

  private static String string(JsonObject o, String field) {
    JsonElement e = o.get(field);
    return e == null || e.isJsonNull() ? null : e.getAsString();
  }

  @Test
  void bothRoutesDownMakesAModelUnavailableAndOneUpMakesItAvailable() throws Exception {
    rig.standIn("replicate").setHealthy(false);
    for (int i = 0; i < 3; i++) {
      run();
    }
    assertEquals("down", health("replicate").getString("status"));
    assertEquals(Boolean.TRUE, model(BOTH).getBoolean("status.isAvailable"));
    assertEquals(Boolean.FALSE, model(REPLICATE_ONLY).getBoolean("status.isAvailable"));

    rig.standIn("selfhost").setHealthy(false);
    JsonObject summary = null;
    for (int i = 0; i < 3; i++) {
      summary = run();
    }
    assertEquals("down", health("selfhost").getString("status"));
    assertEquals(0, summary.get("modelsAvailable").getAsInt());
    for (Snapshot m : db.collection("models_config").get()) {
      assertEquals(Boolean.FALSE, m.getBoolean("status.isAvailable"), m.id());
      assertEquals("down", m.getString("status.healthStatus"), m.id());
    }
    assertEquals(2, alerts("provider_down").size(), "one per provider");

    // submit-generation now answers 503 with Retry-After (a passing state), and charges nothing.
    Refusal refused = assertThrows(Refusal.class, () -> submit("cat", BOTH));
    assertEquals(Refusal.Problem.NO_PROVIDER_AVAILABLE, refused.problem());
    assertEquals(Optional.of(Duration.ofSeconds(30)), refused.retryAfter());
    assertEquals("down", refused.details().get("healthStatus"));
    assertEquals(100L, db.get("credits/cat/balance/current").getLong("creditBalance"));
    assertTrue(db.collection("generationHistory/cat/items").get().isEmpty());
  }

  @Test
  void aSingleFailedOrSlowProbeNeverTakesAProviderDown() throws Exception {
    for (int i = 0; i < 6; i++) {
      run();
    }
    rig.standIn("replicate").setHealthy(false);
    run();
    rig.standIn("replicate").setHealthy(true);
    run();
    assertEquals("healthy", health("replicate").getString("status"));
    assertEquals(0L, health("replicate").getLong("consecutive_failures"));

    // A probe with no answer within the timeout is one failed probe, not down.
    rig.standIn("replicate").setHealthLatency(POLICY.probeTimeout().plusMillis(700));
    JsonObject timedOut = run();
    assertEquals(
        "healthy",
        timedOut.getAsJsonObject("providers").get("replicate").getAsString(),
        "2 failed of 9 probes, not in a row: " + timedOut);
    assertTrue(health("replicate").getString("last_error").contains("no answer within"));
    assertEquals(1L, health("replicate").getLong("consecutive_failures"));

    // Slow answers (over 400 ms, under the timeout): one is nothing, many degrade, none is down.
    rig.standIn("replicate").setHealthLatency(Duration.ofMillis(550));
    for (int i = 0; i < 8; i++) {
      JsonObject s = run();
      String status = s.getAsJsonObject("providers").get("replicate").getAsString();
      if (i == 0) {
        assertEquals("healthy", status, "one slow answer among fast ones: " + s);
      }
      assertFalse(status.equals("down"), "run " + i + ": " + s);
    }
    Snapshot h = health("replicate");
    assertEquals("degraded", h.getString("status"));
    assertEquals(0L, h.getLong("consecutive_failures"));
    assertTrue(h.getLong("latency_ms") >= 400, "mean latency " + h.getLong("latency_ms"));
    assertEquals(0, alerts("provider_down").size());
    assertEquals(1, alerts("provider_degraded").size());
  }

  @Test
  void throttlingIsNotAFailure() throws Exception {
    run();
    rig.standIn("replicate").setThrottled(true);
    for (int i = 0; i < 5; i++) {
      JsonObject s = run();
      assertEquals(
          "healthy", s.getAsJsonObject("providers").get("replicate").getAsString(), s.toString());
    }
    Snapshot h = health("replicate");
    assertEquals(0L, h.getLong("consecutive_failures"));
    assertEquals(0.0, h.getDouble("error_rate"));
    assertTrue(h.getString("last_error").contains("429"), h.getString("last_error"));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> history = (List<Map<String, Object>>) h.get("probe_history");
    assertEquals("throttled", history.get(history.size() - 1).get("outcome"));
    assertEquals(0, alertCount());
    assertEquals(Boolean.TRUE, model(REPLICATE_ONLY).getBoolean("status.isAvailable"));
    assertEquals(
        "reachable",
        db.get("system/health").getString("health.services.externalApis.replicate.status"));
  }

  @Test
  void webhookOutcomesOfTheLastQuarterHourCountIntoTheErrorRate() throws Exception {
    Instant now = clock.instant().plus(RUN);
    for (int i = 0; i < 3; i++) {
      item("u1", "fail" + i, "replicate", "failed", "PROVIDER_FAILED", now.minusSeconds(60));
      item("u2", "done" + i, "replicate", "completed", null, now.minusSeconds(90));
    }
    item("u1", "media", "replicate", "failed", "MEDIA_REJECTED", now.minusSeconds(30));
    item("u1", "timeout", "replicate", "failed", "TIMED_OUT", now.minusSeconds(30));
    item("u1", "running", "replicate", "generating", null, now.minusSeconds(30));
    item("u3", "old", "replicate", "failed", "PROVIDER_FAILED", now.minus(Duration.ofMinutes(20)));
    item("u3", "other", "selfhost", "failed", "PROVIDER_FAILED", now.minusSeconds(30));

    JsonObject summary = run();
    assertEquals("degraded", summary.getAsJsonObject("providers").get("replicate").getAsString());
    Snapshot h = health("replicate");
    assertEquals(3L, h.getLong("recent_jobs_failed"), "only PROVIDER_FAILED, only the last 15 min");
    assertEquals(3L, h.getLong("recent_jobs_completed"));
    assertEquals(3.0 / 7, h.getDouble("error_rate"), 1e-9, "3 failed jobs of 1 probe + 6 jobs");
    assertEquals(0L, h.getLong("consecutive_failures"), "jobs never count towards down");
    assertEquals(1, alerts("provider_degraded").size());
    assertEquals("healthy", health("selfhost").getString("status"), "1 of 2 samples: too few");
  }

  private void item(
      String uid, String id, String provider, String status, String errorCode, Instant updated)
      throws Exception {
    Map<String, Object> fields = new java.util.LinkedHashMap<>();
    fields.put("uid", uid);
    fields.put("provider", provider);
    fields.put("status", status);
    if (errorCode != null) {
      fields.put("error", Map.of("code", errorCode, "message", "from the test"));
    }
    fields.put("updatedAt", updated);
    db.set("generationHistory/" + uid + "/items/" + id, fields);
  }

  @Test
  void leavingDownGoesThroughACooldownDuringWhichRoutingSkipsIt() throws Exception {
    rig.standIn("replicate").setHealthy(false);
    for (int i = 0; i < 3; i++) {
      run();
    }
    rig.standIn("replicate").setHealthy(true);

    JsonObject back = run();
    assertEquals(List.of("replicate: down -> degraded"), strings(back, "transitions"));
    Snapshot h = health("replicate");
    assertEquals("degraded", h.getString("status"));
    Instant until = h.getTimestamp("cooldown_until");
    assertTrue(until.isAfter(clock.instant().plus(POLICY.cooldown()).minusSeconds(30)));
    assertEquals(2, alerts("provider_degraded").size(), "healthy->degraded, then down->degraded");
    assertEquals(
        Boolean.FALSE,
        model(REPLICATE_ONLY).getBoolean("status.isAvailable"),
        "held back: its only route is cooling down");

    // Submit now: the stand-in answers, but routing skips replicate until cooldown_until.
    Submitted cooling = submit("ada");
    assertEquals("selfhost", itemProvider("ada", cooling.id()));
    Snapshot decision =
        db.collection("routing_decisions").whereEqualTo("job_id", cooling.id()).get().get(0);

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> candidates = (List<Map<String, Object>>) decision.get("candidates");
    assertTrue(
        candidates.stream()
            .anyMatch(
                c ->
                    "replicate".equals(c.get("provider"))
                        && "skipped".equals(c.get("outcome"))
                        && String.valueOf(c.get("reason")).contains("cooling down")),
        candidates.toString());

    JsonObject still = run();
    assertEquals(List.of(), strings(still, "transitions"), "5 of 10 minutes");
    assertEquals("degraded", health("replicate").getString("status"));

    clock.advance(Duration.ofMinutes(1));
    JsonObject recovered = run();
    assertEquals(List.of("replicate: degraded -> healthy"), strings(recovered, "transitions"));
    List<Snapshot> info = alerts("provider_recovered");
    assertEquals(1, info.size());
    assertEquals("info", info.get(0).getString("severity"));
    assertNull(health("replicate").get("cooldown_until"));
    assertEquals(Boolean.TRUE, model(REPLICATE_ONLY).getBoolean("status.isAvailable"));
    assertEquals("healthy", model(REPLICATE_ONLY).getString("status.healthStatus"));

    Submitted after = submit("bob");
    assertEquals("replicate", itemProvider("bob", after.id()), "the first route again");
  }

  private Submitted submit(String uid) {
    return submit(uid, BOTH);
  }

  private Submitted submit(String uid, String model) {
    CreditService credits = new CreditService(db, clock);
    credits.openAccount(uid);
    SubmitService submit =
        new SubmitService(
            db,
            credits,
            new GenerationService(db, credits, clock),
            rig.providers(),
            new RateLimiter(db, clock),
            URI.create("http://127.0.0.1:9/provider-webhook"),
            "submit-generation",
            clock);
    return submit.submit(
        new AuthUser(
            uid, Optional.empty(), false, Optional.empty(), Optional.empty(), "password", false),
        new SubmitRequest(
            "a quiet harbour",
            Optional.of(model),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty()),
        Idempotency.NONE,
        new ClientInfo(Optional.empty(), Optional.empty()),
        JsonLog.forFunction("submit-generation"));
  }

  private String itemProvider(String uid, String id) throws Exception {
    return db.get("generationHistory/" + uid + "/items/" + id).getString("provider");
  }

  @Test
  void twoRunsAtOnceMakeOneTransitionAndOneAlert() throws Exception {
    run();
    rig.standIn("replicate").setHealthy(false);
    run();
    run();
    assertEquals("degraded", health("replicate").getString("status"));
    // Slow probes, so the two runs overlap for certain.
    rig.standIn("replicate").setHealthLatency(Duration.ofMillis(250));
    rig.standIn("selfhost").setHealthLatency(Duration.ofMillis(250));
    clock.advance(RUN);

    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<JsonObject>> runs =
        IntStream.range(0, 2)
            .mapToObj(
                i ->
                    CompletableFuture.supplyAsync(
                        () -> {
                          try {
                            go.await();
                          } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                          }
                          return runNow(host);
                        },
                        pool))
            .toList();
    go.countDown();
    List<JsonObject> summaries = runs.stream().map(CompletableFuture::join).toList();

    List<String> transitions =
        summaries.stream().flatMap(s -> strings(s, "transitions").stream()).toList();
    assertEquals(List.of("replicate: degraded -> down"), transitions, summaries.toString());
    assertEquals(1, alerts("provider_down").size());
    assertEquals(1, summaries.stream().mapToInt(s -> s.get("alertsRaised").getAsInt()).sum());
    assertTrue(
        summaries.stream().anyMatch(s -> !s.get("ran").getAsBoolean()),
        "the second found the lease taken: " + summaries);
    assertEquals(3L, health("replicate").getLong("consecutive_failures"), "one probe counted");
  }

  @Test
  void concurrentRecordsOfOneProviderTransitionOnceEvenWithoutTheLease() throws Exception {
    ProviderHealthCheck check =
        new ProviderHealthCheck(db, rig.providers(), skippedScheduler(), POLICY, clock);
    JsonLog log = JsonLog.forFunction("test");
    HealthProbe failed = new HealthProbe(HealthProbe.Outcome.FAILED, null, 0, "no answer");
    Instant t0 = clock.instant();
    check.record("replicate", t0, failed, JobOutcomes.NONE, log);
    check.record("replicate", t0.plusSeconds(300), failed, JobOutcomes.NONE, log);
    assertEquals("degraded", health("replicate").getString("status"));

    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<ProviderHealthCheck.Applied>> applied =
        IntStream.range(0, 4)
            .mapToObj(
                i ->
                    CompletableFuture.supplyAsync(
                        () -> {
                          try {
                            go.await();
                          } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                          }
                          return check.record(
                              "replicate", t0.plusSeconds(600 + i), failed, JobOutcomes.NONE, log);
                        },
                        pool))
            .toList();
    go.countDown();
    List<ProviderHealthCheck.Applied> results =
        applied.stream().map(CompletableFuture::join).toList();

    assertEquals(
        1, results.stream().filter(a -> a.transition().isPresent()).count(), results.toString());
    assertEquals(1, results.stream().filter(ProviderHealthCheck.Applied::alertRaised).count());
    assertEquals(1, alerts("provider_down").size());
    assertEquals("down", health("replicate").getString("status"));
    assertEquals(
        t0.plusSeconds(603).getEpochSecond(),
        health("replicate").getTimestamp("last_check").getEpochSecond(),
        "the newest probe is the stored one; older ones were dropped or applied before it");
  }

  @Test
  void theHealthUrlCanBeTheStandInsHealthEndpoint() throws Exception {
    List<ProviderSettings> settings =
        rig.providerSettings().stream().map(s -> s.withHealthUrl("/health")).toList();
    LoopbackHttpHost viaHealth =
        rig.serve(
            FUNCTION + "-health",
            function(new Providers(settings, Duration.ofSeconds(5)), skippedScheduler()));
    rig.standIn("selfhost").setHealthy(false);
    clock.advance(RUN);
    runNow(viaHealth);

    assertEquals(2, probes("/health"));
    assertEquals(0, probes("/v1/account"));
    assertEquals("healthy", health("replicate").getString("status"));
    assertEquals(1L, health("selfhost").getLong("consecutive_failures"));
    assertTrue(health("selfhost").getString("last_error").startsWith("answered 503"));
  }

  @Test
  void aRouteToAProviderWithoutSettingsIsReportedNotProbed() throws Exception {
    List<ProviderSettings> onlyReplicate =
        rig.providerSettings().stream().filter(s -> s.id().equals("replicate")).toList();
    LoopbackHttpHost partial =
        rig.serve(
            FUNCTION + "-partial",
            function(new Providers(onlyReplicate, Duration.ofSeconds(5)), skippedScheduler()));
    rig.standIn("replicate").setHealthy(false);
    JsonObject summary = null;
    for (int i = 0; i < 3; i++) {
      clock.advance(RUN);
      summary = runNow(partial);
    }
    assertEquals(1, summary.get("providersProbed").getAsInt());
    assertEquals(List.of("selfhost"), strings(summary, "unconfiguredProviders"));
    assertFalse(health("selfhost").exists());
    assertEquals(0, summary.get("modelsAvailable").getAsInt(), "no usable route anywhere");
    assertEquals(
        "down",
        model(BOTH).getString("status.healthStatus"),
        "the configured route's health: " + summary);
  }

  @Test
  void aGetIsRefusedAndNothingRuns() throws Exception {
    HttpResponse<String> r = host.send(host.request("", null).GET().build());
    assertEquals(405, r.statusCode());
    assertFalse(health("replicate").exists());
    assertEquals(0, probes("/v1/account"));
  }

  /** Copies everything written to {@code a} and {@code b}. */
  private static final class TeeStream extends java.io.OutputStream {
    private final java.io.OutputStream a;
    private final java.io.OutputStream b;

    TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public synchronized void write(int c) throws java.io.IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public synchronized void write(byte[] bytes, int off, int len) throws java.io.IOException {
      a.write(bytes, off, len);
      b.write(bytes, off, len);
    }

    @Override
    public synchronized void flush() throws java.io.IOException {
      a.flush();
      b.flush();
    }
  }
}
