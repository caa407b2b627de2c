package dev.atelier.functions.resetmodelquotas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.atelier.emulator.junit.EmulatorHandle;
import dev.atelier.emulator.junit.FirestoreEmulatorExtension;
import dev.atelier.firestore.Database;
import dev.atelier.firestore.Snapshot;
import dev.atelier.platform.Config;
import dev.atelier.router.ModelQuota;
import dev.atelier.router.QuotaPeriod;
import dev.atelier.store.Documents;
import dev.atelier.store.FirestorePaths;
import dev.atelier.testsupport.AuthEmulatorStub;
import dev.atelier.testsupport.LoopbackHttpHost;
import dev.atelier.testsupport.TestClock;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * reset-model-quotas served on loopback against the Firestore emulator (strict index mode), on a
 * clock the test sets: due quotas are reset to the next future boundary of their period however
 * long the job was missed, a second run changes nothing, concurrent runs reset each quota once, and
 * a run works in bounded pages and stops at its deadline.
 */
@ExtendWith(FirestoreEmulatorExtension.class)
class ResetModelQuotasFunctionTest {

  /** A Thursday, mid-month, mid-hour, in UTC. */
  private static final Instant NOW = Instant.parse("2026-03-12T09:41:17Z");

  private Database db;
  private EmulatorHandle emulator;
  private final List<LoopbackHttpHost> hosts = new ArrayList<>();

  @BeforeEach
  void start(EmulatorHandle emulator) {
    this.emulator = emulator;
    this.db = emulator.database();
  }

  @AfterEach
  void stop() {
    hosts.forEach(LoopbackHttpHost::close);
  }

  private LoopbackHttpHost serve(TestClock clock, int pageSize, Duration budget) {
    Config base =
        Config.forEmulators(
            FirestoreEmulatorExtension.PROJECT_ID,
            emulator.host(),
            AuthEmulatorStub.shared().host(),
            "reset-model-quotas");
    Config config =
        new Config(
            base.projectId(),
            base.firestoreEmulatorHost(),
            base.authEmulatorHost(),
            base.functionName(),
            base.maxEventAge(),
            base.maxBodyBytes(),
            base.allowedOrigins(),
            base.deliveryToken(),
            budget);
    LoopbackHttpHost host =
        LoopbackHttpHost.start(
            "reset-model-quotas", new ResetModelQuotasFunction(config, db, clock, pageSize));
    hosts.add(host);
    return host;
  }

  private LoopbackHttpHost serve(TestClock clock) {
    return serve(clock, 100, Duration.ofSeconds(240));
  }

  private static JsonObject run(LoopbackHttpHost host) {
    HttpResponse<String> r = host.post("", null, "{}");
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(
        r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
        r.headers().toString());
    return JsonParser.parseString(r.body()).getAsJsonObject();
  }

  private void quota(String provider, String model, long used, Instant resetAt, QuotaPeriod period)
      throws Exception {
    db.set(
        FirestorePaths.modelQuota(provider, model),
        Documents.encode(
            new ModelQuota(provider, model, used, 1000, resetAt, period, null),
            ModelQuota.Field.UPDATED_AT));
  }

  private Snapshot quotaDoc(String provider, String model) throws Exception {
    return db.get(FirestorePaths.modelQuota(provider, model));
  }

  private Instant resetAt(String provider, String model) throws Exception {
    return quotaDoc(provider, model).getTimestamp("reset_at");
  }

  private long used(String provider, String model) throws Exception {
    return quotaDoc(provider, model).getLong("tokens_used");
  }

  @Test
  void missedPeriodsLandOnTheNextFutureBoundaryInUtc() throws Exception {
    // Missed by days: each lands on its period's first boundary after now, not one period later.
    quota("replicate", "hourly", 700, Instant.parse("2026-03-09T07:00:00Z"), QuotaPeriod.HOUR);
    quota("replicate", "daily", 300, Instant.parse("2026-03-05T00:00:00Z"), QuotaPeriod.DAY);
    quota("selfhost", "monthly", 999, Instant.parse("2026-01-01T00:00:00Z"), QuotaPeriod.MONTH);
    // Due exactly now: reset_at has passed.
    quota("selfhost", "edge", 5, NOW, QuotaPeriod.HOUR);
    // Not due yet: untouched.
    quota("selfhost", "later", 42, Instant.parse("2026-03-12T10:00:00Z"), QuotaPeriod.HOUR);
    Instant laterUpdated = quotaDoc("selfhost", "later").getTimestamp("updated_at");

    JsonObject summary = run(serve(new TestClock(NOW)));

    assertEquals(4, summary.get("due").getAsInt(), summary.toString());
    assertEquals(4, summary.get("reset").getAsInt(), summary.toString());
    assertEquals(0, summary.get("alreadyReset").getAsInt());
    assertTrue(summary.get("finished").getAsBoolean());
    assertEquals(Instant.parse("2026-03-12T10:00:00Z"), resetAt("replicate", "hourly"));
    assertEquals(Instant.parse("2026-03-13T00:00:00Z"), resetAt("replicate", "daily"));
    assertEquals(Instant.parse("2026-04-01T00:00:00Z"), resetAt("selfhost", "monthly"));
    assertEquals(Instant.parse("2026-03-12T10:00:00Z"), resetAt("selfhost", "edge"));
    for (String[] q :
        List.of(
            new String[] {"replicate", "hourly"},
            new String[] {"replicate", "daily"},
            new String[] {"selfhost", "monthly"},
            new String[] {"selfhost", "edge"})) {
      assertEquals(0, used(q[0], q[1]), q[1]);
      assertNotNull(quotaDoc(q[0], q[1]).getTimestamp("updated_at"));
      assertEquals(1000L, quotaDoc(q[0], q[1]).getLong("tokens_limit"), "limit kept");
      assertEquals(1L, quotaDoc(q[0], q[1]).getLong("schemaVersion"));
    }
    assertEquals(42, used("selfhost", "later"));
    assertEquals(Instant.parse("2026-03-12T10:00:00Z"), resetAt("selfhost", "later"));
    assertEquals(laterUpdated, quotaDoc("selfhost", "later").getTimestamp("updated_at"));
  }

  @Test
  void monthlyQuotaAtTheEndOfAMonthResetsOnTheFirstOfTheNext() throws Exception {
    quota("replicate", "m", 10, Instant.parse("2026-01-01T00:00:00Z"), QuotaPeriod.MONTH);
    run(serve(new TestClock(Instant.parse("2026-01-31T23:59:59Z"))));
    assertEquals(Instant.parse("2026-02-01T00:00:00Z"), resetAt("replicate", "m"));
  }

  @Test
  void aSecondRunChangesNothingAndTheNextBoundaryResetsAgain() throws Exception {
    quota("replicate", "hourly", 700, Instant.parse("2026-03-10T07:00:00Z"), QuotaPeriod.HOUR);
    quota("replicate", "daily", 300, Instant.parse("2026-03-10T00:00:00Z"), QuotaPeriod.DAY);
    TestClock clock = new TestClock(NOW);
    LoopbackHttpHost host = serve(clock);
    assertEquals(2, run(host).get("reset").getAsInt());
    // Usage counted after the reset is kept by a second run in the same period.
    db.update(
        FirestorePaths.modelQuota("replicate", "hourly"), Map.of(ModelQuota.Field.TOKENS_USED, 3L));

    emulator.resetCounters();
    clock.set(NOW.plus(Duration.ofMinutes(10)));
    JsonObject second = run(host);
    assertEquals(0, second.get("due").getAsInt(), second.toString());
    assertEquals(0, second.get("reset").getAsInt());
    assertEquals(0, emulator.counters().writes(), emulator.counters().toString());
    assertEquals(3, used("replicate", "hourly"));

    // The hourly boundary passes: only the hourly quota is due again.
    clock.set(Instant.parse("2026-03-12T10:00:30Z"));
    JsonObject third = run(host);
    assertEquals(1, third.get("reset").getAsInt(), third.toString());
    assertEquals(0, used("replicate", "hourly"));
    assertEquals(Instant.parse("2026-03-12T11:00:00Z"), resetAt("replicate", "hourly"));
    assertEquals(Instant.parse("2026-03-13T00:00:00Z"), resetAt("replicate", "daily"));
  }

  @Test
  void twoConcurrentRunsResetEachQuotaOnce() throws Exception {
    int quotas = 24;
    for (int i = 0; i < quotas; i++) {
      quota(
          "replicate",
          "model-" + i,
          100 + i,
          Instant.parse("2026-03-11T00:00:00Z").plusSeconds(60L * i),
          i % 2 == 0 ? QuotaPeriod.HOUR : QuotaPeriod.DAY);
    }
    TestClock clock = new TestClock(NOW);
    // Two instances (as two overlapping Scheduler attempts would be), small pages so they
    // interleave.
    LoopbackHttpHost a = serve(clock, 5, Duration.ofSeconds(240));
    LoopbackHttpHost b = serve(clock, 5, Duration.ofSeconds(240));
    emulator.resetCounters();
    CountDownLatch go = new CountDownLatch(1);
    CompletableFuture<JsonObject> ra =
        CompletableFuture.supplyAsync(
            () -> {
              await(go);
              return run(a);
            });
    CompletableFuture<JsonObject> rb =
        CompletableFuture.supplyAsync(
            () -> {
              await(go);
              return run(b);
            });
    go.countDown();
    JsonObject sa = ra.get();
    JsonObject sb = rb.get();

    assertEquals(
        quotas,
        sa.get("reset").getAsInt() + sb.get("reset").getAsInt(),
        "each quota reset by exactly one run: " + sa + " " + sb);
    assertEquals(
        quotas,
        emulator.counters().writes(),
        "one committed write per quota: " + emulator.counters());
    for (int i = 0; i < quotas; i++) {
      assertEquals(0, used("replicate", "model-" + i));
      assertEquals(
          i % 2 == 0
              ? Instant.parse("2026-03-12T10:00:00Z")
              : Instant.parse("2026-03-13T00:00:00Z"),
          resetAt("replicate", "model-" + i));
    }
  }

  @Test
  void pagesAreBoundedAndTheDeadlineStopsARunThatTheNextOneFinishes() throws Exception {
    int quotas = 8;
    for (int i = 0; i < quotas; i++) {
      quota(
          "selfhost",
          "q-" + i,
          50,
          Instant.parse("2026-03-12T08:00:00Z").plusSeconds(i),
          QuotaPeriod.HOUR);
    }
    // More quotas than one page: a run with time to spare reads three pages of three.
    JsonObject all = run(serve(new TestClock(NOW), 3, Duration.ofSeconds(240)));
    assertEquals(quotas, all.get("reset").getAsInt(), all.toString());
    assertTrue(all.get("finished").getAsBoolean());

    // Due again an hour later, on a clock that moves a second per reading with a budget of 2.5 s:
    // the run starts (reading 1), takes its "now" (2), checks the deadline before page one (3)
    // and before page two (4, past the deadline): one page of three, then it stops.
    TestClock ticking =
        new TestClock(Instant.parse("2026-03-12T10:05:00Z")).ticking(Duration.ofSeconds(1));
    JsonObject first = run(serve(ticking, 3, Duration.ofMillis(2500)));
    assertFalse(first.get("finished").getAsBoolean(), first.toString());
    int done = first.get("reset").getAsInt();
    assertTrue(done > 0 && done < quotas, first.toString());

    // The next run resumes: the quotas reset already are no longer due.
    JsonObject second =
        run(
            serve(
                new TestClock(Instant.parse("2026-03-12T10:06:00Z")), 3, Duration.ofSeconds(240)));
    assertEquals(quotas - done, second.get("due").getAsInt(), second.toString());
    assertEquals(quotas - done, second.get("reset").getAsInt());
    assertTrue(second.get("finished").getAsBoolean());
    for (int i = 0; i < quotas; i++) {
      assertEquals(0, used("selfhost", "q-" + i));
      assertEquals(Instant.parse("2026-03-12T11:00:00Z"), resetAt("selfhost", "q-" + i));
    }
  }

  @Test
  void onlyPostRunsTheJob() throws Exception {
    quota("replicate", "hourly", 700, Instant.parse("2026-03-10T07:00:00Z"), QuotaPeriod.HOUR);
    LoopbackHttpHost host = serve(new TestClock(NOW));
    HttpResponse<String> get = host.send(host.request("", null).GET().build());
    assertEquals(405, get.statusCode());
    assertEquals(700, used("replicate", "hourly"));
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
