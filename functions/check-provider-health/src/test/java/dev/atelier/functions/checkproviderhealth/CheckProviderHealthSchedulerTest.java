package dev.atelier.functions.checkproviderhealth;

import static dev.atelier.testsupport.HttpAssertions.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.atelier.emulator.junit.EmulatorHandle;
import dev.atelier.emulator.junit.FirestoreEmulatorExtension;
import dev.atelier.firestore.Database;
import dev.atelier.firestore.Snapshot;
import dev.atelier.health.HealthPolicy;
import dev.atelier.health.SchedulerJobs;
import dev.atelier.platform.Config;
import dev.atelier.testsupport.GenerationRig;
import dev.atelier.testsupport.LoopbackHttpHost;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Cloud Scheduler part through the real google-cloud-scheduler client (HTTP/JSON transport)
 * against a loopback stand-in of the Scheduler API ({@code GET
 * /v1/projects/{project}/locations/{location}/jobs}, paged, proto3 JSON as Google answers it): a
 * job whose last attempt failed raises one alert per attempt, however many runs see it; an
 * unreachable or refusing API, or none at all (locally), skips this part with one line and the run
 * goes on.
 */
@ExtendWith(FirestoreEmulatorExtension.class)
class CheckProviderHealthSchedulerTest {

  private static final String FUNCTION = "check-provider-health";
  private static final String LOCATION = "us-central1";
  private static final String JOBS =
      "/v1/projects/" + FirestoreEmulatorExtension.PROJECT_ID + "/locations/" + LOCATION + "/jobs";
  private static final String PREFIX =
      "projects/" + FirestoreEmulatorExtension.PROJECT_ID + "/locations/" + LOCATION + "/jobs/";

  private GenerationRig rig;
  private Database db;
  private HttpServer api;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final AtomicReference<String> failedAttempt =
      new AtomicReference<>("2026-11-02T03:00:05.250Z");
  private final AtomicInteger refuseWith = new AtomicInteger(0);

  @BeforeEach
  void start(EmulatorHandle emulator) throws Exception {
    rig =
        GenerationRig.start(
            emulator, GenerationRig.options(Duration.ofSeconds(60), Duration.ofSeconds(60)));
    db = rig.db();
    api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    api.createContext("/", this::answer);
    api.start();
  }

  @AfterEach
  void stop() {
    api.stop(0);
    rig.close();
  }

  /** Google's Scheduler API, as much of it as listing needs. */
  private void answer(HttpExchange exchange) throws IOException {
    String query = Optional.ofNullable(exchange.getRequestURI().getRawQuery()).orElse("");
    requests.add(
        exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + "?" + query);
    authorizations.add(
        Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")).orElse(""));
    if (refuseWith.get() != 0) {
      reply(
          exchange,
          refuseWith.get(),
          "{\"error\":{\"code\":403,\"message\":\"The principal lacks cloudscheduler.jobs.list\","
              + "\"status\":\"PERMISSION_DENIED\"}}");
      return;
    }
    if (!exchange.getRequestMethod().equals("GET")
        || !exchange.getRequestURI().getPath().equals(JOBS)) {
      reply(
          exchange,
          404,
          "{\"error\":{\"code\":404,\"message\":\"not found\",\"status\":\"NOT_FOUND\"}}");
      return;
    }
    JsonObject page = new JsonObject();
    JsonArray jobs = new JsonArray();
    if (!query.contains("pageToken=page2")) {
      jobs.add(
          job(
              "reconcile",
              "ENABLED",
              failedAttempt.get(),
              status(13, "Upstream returned HTTP 500 Internal Server Error")));
      jobs.add(job(FUNCTION, "ENABLED", "2026-11-02T09:55:00Z", new JsonObject()));
      page.add("jobs", jobs);
      page.addProperty("nextPageToken", "page2");
    } else {
      jobs.add(job("reap-stale-jobs", "PAUSED", null, null));
      page.add("jobs", jobs);
    }
    reply(exchange, 200, page.toString());
  }

  private static JsonObject job(String name, String state, String lastAttempt, JsonObject status) {
    JsonObject job = new JsonObject();
    job.addProperty("name", PREFIX + name);
    job.addProperty("schedule", "*/5 * * * *");
    job.addProperty("timeZone", "Etc/UTC");
    job.addProperty("state", state);
    if (lastAttempt != null) {
      job.addProperty("lastAttemptTime", lastAttempt);
    }
    if (status != null) {
      job.add("status", status);
    }
    JsonObject target = new JsonObject();
    target.addProperty("uri", "https://example.invalid/" + name);
    target.addProperty("httpMethod", "POST");
    job.add("httpTarget", target);
    return job;
  }

  private static JsonObject status(int code, String message) {
    JsonObject status = new JsonObject();
    status.addProperty("code", code);
    status.addProperty("message", message);
    return status;
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
    exchange.close();
  }

  private String endpoint() {
    return "http://127.0.0.1:" + api.getAddress().getPort();
  }

  private LoopbackHttpHost serve(SchedulerJobs scheduler) {
    Config config = rig.config(FUNCTION);
    return rig.serve(
        FUNCTION,
        new CheckProviderHealthFunction(
            config,
            db,
            Clock.systemUTC(),
            rig.providers(),
            HealthPolicy.defaults().withProbeTimeout(Duration.ofMillis(1500)),
            scheduler));
  }

  private SchedulerJobs toStandIn(String endpoint) {
    return toStandIn(endpoint, Duration.ofSeconds(5));
  }

  private SchedulerJobs toStandIn(String endpoint, Duration callTimeout) {
    return new CloudSchedulerJobs(
        FirestoreEmulatorExtension.PROJECT_ID,
        () -> Optional.of(LOCATION),
        Optional.of(endpoint),
        callTimeout,
        Clock.systemUTC());
  }

  private static JsonObject run(LoopbackHttpHost host) {
    HttpResponse<String> r = host.post("", null, "{}");
    assertEquals(200, r.statusCode(), r.body());
    return json(r);
  }

  private List<Snapshot> jobAlerts() throws Exception {
    return db.collection("model_router_alerts").whereEqualTo("type", "scheduler_job_failed").get();
  }

  @Test
  void aJobWhoseLastAttemptFailedRaisesOneAlertPerAttempt() throws Exception {
    LoopbackHttpHost host = serve(toStandIn(endpoint()));

    JsonObject first = run(host);
    assertEquals(3, first.get("schedulerJobsChecked").getAsInt(), first.toString());
    assertEquals(1, first.get("schedulerJobsFailed").getAsInt());
    assertFalse(first.has("schedulerSkipped"), "not skipped");
    assertEquals(1, first.get("alertsRaised").getAsInt());
    assertEquals(2, requests.size(), "two pages: " + requests);
    assertTrue(requests.get(0).startsWith("GET " + JOBS + "?"), requests.get(0));
    assertTrue(requests.get(0).contains("pageSize=100"), requests.get(0));
    assertTrue(requests.get(1).contains("pageToken=page2"), requests.get(1));
    assertEquals(List.of("", ""), authorizations, "a stand-in is asked without credentials");

    List<Snapshot> alerts = jobAlerts();
    assertEquals(1, alerts.size());
    Snapshot alert = alerts.get(0);
    assertEquals("warning", alert.getString("severity"));
    assertNull(alert.get("provider"));
    assertEquals(PREFIX + "reconcile", alert.getString("details.job"));
    assertEquals(13L, alert.getLong("details.statusCode"));
    assertEquals("2026-11-02T03:00:05.250Z", alert.getString("details.lastAttemptAt"));
    assertTrue(alert.getString("message").contains("reconcile"), alert.getString("message"));

    Snapshot health = db.get("system/health");
    assertEquals("ENABLED", health.getString("health.services.schedulerJobs.reconcile.state"));
    assertEquals(
        "code 13: Upstream returned HTTP 500 Internal Server Error",
        health.getString("health.services.schedulerJobs.reconcile.lastError"));
    assertNull(health.get("health.services.schedulerJobs.check-provider-health.lastError"));
    assertEquals("PAUSED", health.getString("health.services.schedulerJobs.reap-stale-jobs.state"));

    JsonObject second = run(host);
    assertEquals(1, second.get("schedulerJobsFailed").getAsInt());
    assertEquals(0, second.get("alertsRaised").getAsInt(), "the same failed attempt: no new alert");
    assertEquals(1, jobAlerts().size());

    failedAttempt.set("2026-11-03T03:00:04Z");
    JsonObject third = run(host);
    assertEquals(1, third.get("alertsRaised").getAsInt(), "the next day's attempt failed too");
    assertEquals(2, jobAlerts().size());
  }

  @Test
  void anUnreachableSchedulerApiIsSkippedAndTheRunGoesOn() throws Exception {
    HttpServer closed =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
    String gone = "http://127.0.0.1:" + closed.getAddress().getPort();
    closed.stop(0);
    LoopbackHttpHost host = serve(toStandIn(gone, Duration.ofSeconds(2)));

    long started = System.nanoTime();
    JsonObject summary = run(host);
    assertTrue(
        Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(8)) < 0,
        "gives up within its call timeout");
    String skipped = summary.get("schedulerSkipped").getAsString();
    // Connection refused is UNAVAILABLE, which the client retries until its call timeout.
    assertTrue(
        skipped.contains("not reachable")
            || skipped.contains("UNAVAILABLE")
            || skipped.contains("DEADLINE_EXCEEDED"),
        skipped);
    assertEquals(0, summary.get("schedulerJobsChecked").getAsInt());
    assertEquals(2, summary.get("providersProbed").getAsInt(), "the providers were still checked");
    assertEquals(6, summary.get("modelsAvailable").getAsInt());
    assertTrue(db.get("system/health").exists());
    assertEquals(0, jobAlerts().size());
  }

  @Test
  void aRefusingSchedulerApiIsSkippedWithItsStatus() throws Exception {
    refuseWith.set(403);
    LoopbackHttpHost host = serve(toStandIn(endpoint()));
    JsonObject summary = run(host);
    String skipped = summary.get("schedulerSkipped").getAsString();
    assertTrue(skipped.contains("PERMISSION_DENIED"), skipped);
    assertEquals(1, requests.size(), "a refusal is not retried: " + requests);
  }

  @Test
  void locallyThereIsNoSchedulerApiAndThePartIsSkippedWithOneLine() throws Exception {
    Config local = rig.config(FUNCTION);
    SchedulerJobs none = CloudSchedulerJobs.fromEnv(local, Map.of(), Clock.systemUTC());
    SchedulerJobs.Listing listing = none.list(Instant.now().plusSeconds(60));
    SchedulerJobs.Skipped skipped = assertInstanceOf(SchedulerJobs.Skipped.class, listing);
    assertTrue(skipped.expected(), "locally this is expected (logged at INFO)");
    assertTrue(skipped.reason().contains("CLOUD_SCHEDULER_ENDPOINT"), skipped.reason());

    JsonObject summary = run(serve(none));
    assertEquals(skipped.reason(), summary.get("schedulerSkipped").getAsString());
    assertEquals(0, requests.size());

    SchedulerJobs noLocation =
        CloudSchedulerJobs.fromEnv(
            local, Map.of("CLOUD_SCHEDULER_ENDPOINT", endpoint()), Clock.systemUTC());
    SchedulerJobs.Skipped unknown =
        assertInstanceOf(
            SchedulerJobs.Skipped.class, noLocation.list(Instant.now().plusSeconds(60)));
    assertTrue(unknown.reason().contains("SCHEDULER_LOCATION"), unknown.reason());

    SchedulerJobs configured =
        CloudSchedulerJobs.fromEnv(
            local,
            Map.of("CLOUD_SCHEDULER_ENDPOINT", endpoint(), "SCHEDULER_LOCATION", LOCATION),
            Clock.systemUTC());
    SchedulerJobs.Checked checked =
        assertInstanceOf(
            SchedulerJobs.Checked.class, configured.list(Instant.now().plusSeconds(60)));
    assertEquals(3, checked.jobs().size());
    assertTrue(checked.jobs().get(0).lastAttemptFailed());
  }
}
