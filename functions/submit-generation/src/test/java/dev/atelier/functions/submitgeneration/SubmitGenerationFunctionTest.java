package dev.atelier.functions.submitgeneration;

import static dev.atelier.testsupport.HttpAssertions.assertError;
import static dev.atelier.testsupport.HttpAssertions.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.atelier.credits.CreditService;
import dev.atelier.credits.LedgerType;
import dev.atelier.credits.Posting;
import dev.atelier.emulator.Counters;
import dev.atelier.emulator.junit.EmulatorHandle;
import dev.atelier.emulator.junit.FirestoreEmulatorExtension;
import dev.atelier.firestore.Database;
import dev.atelier.firestore.Snapshot;
import dev.atelier.platform.Config;
import dev.atelier.provider.standin.ReceivedPrediction;
import dev.atelier.testsupport.GenerationRig;
import dev.atelier.testsupport.HostileInputs;
import dev.atelier.testsupport.IdTokens;
import dev.atelier.testsupport.LoopbackHttpHost;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * submit-generation against the Firestore emulator (real gRPC) and the stand-in providers (real
 * HTTP). The stand-ins finish late and their webhooks go nowhere: these tests are about what submit
 * itself does.
 */
@ExtendWith(FirestoreEmulatorExtension.class)
class SubmitGenerationFunctionTest {

  /** flux-schnell: 2 credits per image, routed to replicate then selfhost. */
  private static final String FLUX =
      "{\"prompt\":\"a lighthouse at dusk\",\"model\":\"flux-schnell\"}";

  private GenerationRig rig;
  private LoopbackHttpHost host;
  private Database db;
  private EmulatorHandle emulator;
  private IdTokens tokens;

  @BeforeEach
  void start(EmulatorHandle emulator) throws Exception {
    this.emulator = emulator;
    rig =
        GenerationRig.start(
            emulator, GenerationRig.options(Duration.ofSeconds(60), Duration.ofSeconds(60)));
    db = rig.db();
    tokens = rig.tokens();
    Config config = rig.config("submit-generation");
    // Stopped mid-minute, so a rate-limit test cannot straddle a window boundary.
    Clock clock =
        Clock.fixed(Instant.now().truncatedTo(ChronoUnit.MINUTES).plusSeconds(30), ZoneOffset.UTC);
    host =
        rig.serve(
            "submit-generation",
            new SubmitGenerationFunction(
                config,
                db,
                rig.authenticator(config),
                clock,
                rig.providers(),
                URI.create("http://127.0.0.1:9/provider-webhook")));
  }

  @AfterEach
  void stop() {
    rig.close();
  }

  private HttpResponse<String> submit(String uid, String body, String... headers) {
    return host.post("", tokens.forUser(uid), body, headers);
  }

  /** Opens {@code uid}'s account (FREE grant) and moves the balance to {@code credits}. */
  private void credits(String uid, long credits) {
    CreditService service = new CreditService(db, java.time.Clock.systemUTC());
    long balance = service.openAccount(uid).creditBalance();
    if (credits > balance) {
      service.post(uid, Posting.of(LedgerType.GRANT, credits - balance, "test top-up"));
    } else if (credits < balance) {
      service.post(uid, Posting.of(LedgerType.DEBIT, balance - credits, "test spend"));
    }
  }

  private long balance(String uid) throws Exception {
    return db.get("credits/" + uid + "/balance/current").getLong("creditBalance");
  }

  /** Σ of non-REVERSED ledger amounts: the balance rule. */
  private long ledgerSum(String uid) throws Exception {
    long sum = 0;
    for (Snapshot e : db.collection("credits/" + uid + "/ledger").get()) {
      if (!"REVERSED".equals(e.getString("status"))) {
        sum += e.getLong("amount");
      }
    }
    return sum;
  }

  private List<Snapshot> items(String uid) throws Exception {
    return db.collection("generationHistory/" + uid + "/items").get();
  }

  private Snapshot item(String uid, String id) throws Exception {
    return db.get("generationHistory/" + uid + "/items/" + id);
  }

  private void limits(Map<String, Object> fieldValues) throws Exception {
    for (Map.Entry<String, Object> e : fieldValues.entrySet()) {
      db.update("system/config", Map.of("config." + e.getKey(), e.getValue()));
    }
  }

  private void generous() throws Exception {
    limits(
        Map.of(
            "limits.maxConcurrentGenerationsPerUser",
            1000L,
            "limits.rateLimit",
            Map.of("requestsPerMinute", 10_000L, "requestsPerHour", 100_000L)));
  }

  @Test
  void submitHoldsTheCostCreatesTheItemAndDispatchesIt() throws Exception {
    credits("ada", 100);
    HttpResponse<String> r =
        submit(
            "ada",
            "{\"prompt\":\"  a lighthouse at dusk \",\"model\":\"flux-schnell\","
                + "\"numOutputs\":3,\"aspectRatio\":\"16:9\",\"visibility\":\"public\",\"tags\":[\"Sea\",\"sea\",\" light \"]}");
    assertEquals(202, r.statusCode(), r.body());
    JsonObject body = json(r);
    String id = body.get("id").getAsString();
    assertEquals("generating", body.get("status").getAsString());
    assertEquals(6, body.get("cost").getAsLong());
    assertEquals(94, body.get("balance").getAsLong());

    Snapshot item = item("ada", id);
    assertEquals("generating", item.getString("status"));
    assertEquals("a lighthouse at dusk", item.getString("prompt"));
    assertEquals("flux-schnell", item.getString("model"));
    assertEquals("text-to-image", item.getString("generationType"));
    assertEquals("public", item.getString("visibility"));
    assertEquals(true, item.getBoolean("isPublic"));
    assertEquals(List.of("sea", "light"), item.get("tags"));
    assertEquals(6L, item.getLong("cost"));
    assertEquals("sys_hold_" + id, item.getString("holdEntryId"));
    assertEquals("replicate", item.getString("provider"));
    assertEquals(3L, item.getLong("params.numOutputs"));
    assertEquals("16:9", item.getString("params.aspectRatio"));
    assertEquals("ada", item.getString("createdBy.uid"));
    assertNotNull(item.getTimestamp("createdAt"));

    Snapshot hold = db.get("credits/ada/ledger/sys_hold_" + id);
    assertEquals("HOLD", hold.getString("type"));
    assertEquals("PENDING", hold.getString("status"));
    assertEquals(-6L, hold.getLong("amount"));
    assertEquals(94, balance("ada"));
    assertEquals(94, ledgerSum("ada"));

    ReceivedPrediction sent = rig.standIn("replicate").predictions().get(0);
    assertEquals(item.getString("providerTaskId"), sent.id());
    assertEquals("black-forest-labs/flux-schnell", sent.model());
    assertEquals("a lighthouse at dusk", sent.prompt());
    assertEquals(3, sent.numOutputs());
    assertEquals("16:9", sent.aspectRatio());
    String webhook = sent.webhook().orElseThrow().toString();
    assertTrue(webhook.contains("provider=replicate") && webhook.contains("item=" + id), webhook);
    assertTrue(rig.standIn("selfhost").predictions().isEmpty(), "the first route took it");

    Snapshot decision = db.collection("routing_decisions").whereEqualTo("job_id", id).get().get(0);

    assertEquals("replicate", decision.getString("selected_provider"));
    assertEquals("black-forest-labs/flux-schnell", decision.getString("selected_model"));
    assertNotNull(decision.getTimestamp("expires_at"));
    Snapshot usage = db.collection("usage_logs").whereEqualTo("resource_id", id).get().get(0);

    assertEquals("image_generation", usage.getString("action_type"));
    assertEquals(202L, usage.getLong("status_code"));
    assertEquals(6L, usage.getLong("credits_used"));
  }

  @Test
  void sameIdempotencyKeyTwiceMakesOneItemAndOneHoldAndAnotherBodyIsAConflict() throws Exception {
    credits("kim", 100);
    HttpResponse<String> first = submit("kim", FLUX, "Idempotency-Key", "k-1");
    HttpResponse<String> again = submit("kim", FLUX, "Idempotency-Key", "k-1");
    assertEquals(202, first.statusCode(), first.body());
    assertEquals(202, again.statusCode(), again.body());
    assertEquals(json(first).get("id"), json(again).get("id"));
    assertEquals(1, items("kim").size());
    assertEquals(98, balance("kim"));
    assertEquals(1, rig.standIn("replicate").predictions().size(), "dispatched once");
    HttpResponse<String> other =
        submit("kim", "{\"prompt\":\"something else\"}", "Idempotency-Key", "k-1");
    assertError(other, 409, "IDEMPOTENCY_KEY_REUSED");
    assertEquals(1, items("kim").size());
    assertEquals(98, balance("kim"));
  }

  @Test
  void parallelRetriesWithOneIdempotencyKeyHoldOnce() throws Exception {
    generous();
    credits("ren", 100);
    List<CompletableFuture<HttpResponse<String>>> calls =
        IntStream.range(0, 10)
            .mapToObj(
                i ->
                    host.client()
                        .sendAsync(
                            host.request("", tokens.forUser("ren"), "Idempotency-Key", "same")
                                .POST(HttpRequest.BodyPublishers.ofString(FLUX))
                                .build(),
                            HttpResponse.BodyHandlers.ofString()))
            .toList();
    List<String> ids =
        calls.stream()
            .map(CompletableFuture::join)
            .peek(r -> assertEquals(202, r.statusCode(), r.body()))
            .map(r -> json(r).get("id").getAsString())
            .distinct()
            .toList();
    assertEquals(1, ids.size(), "every retry got the first answer");
    assertEquals(1, items("ren").size());
    assertEquals(98, balance("ren"));
  }

  @Test
  void hundredParallelSubmitsWithCreditsForThirtyAcceptExactlyThirty() throws Exception {
    generous();
    credits("max", 60);
    String token = tokens.forUser("max");
    List<CompletableFuture<HttpResponse<String>>> calls =
        IntStream.range(0, 100)
            .mapToObj(
                i ->
                    host.client()
                        .sendAsync(
                            host.request("", token)
                                .POST(HttpRequest.BodyPublishers.ofString(FLUX))
                                .build(),
                            HttpResponse.BodyHandlers.ofString()))
            .toList();
    int accepted = 0;
    for (CompletableFuture<HttpResponse<String>> call : calls) {
      HttpResponse<String> r = call.join();
      if (r.statusCode() == 202) {
        accepted++;
      } else {
        assertError(r, 402, "INSUFFICIENT_CREDITS");
      }
    }
    assertEquals(30, accepted);
    assertEquals(30, items("max").size());
    assertEquals(0, balance("max"));
    assertEquals(0, ledgerSum("max"), "balance = Σ of non-reversed entries");
    assertEquals(30, db.collection("credits/max/ledger").whereEqualTo("type", "HOLD").get().size());
    assertEquals(30, rig.standIn("replicate").predictions().size());
  }

  @Test
  void concurrencyCapHoldsUnderParallelSubmits() throws Exception {
    generous();
    limits(Map.of("limits.maxConcurrentGenerationsPerUser", 3L));
    credits("cap", 1000);
    String token = tokens.forUser("cap");
    List<CompletableFuture<HttpResponse<String>>> calls =
        IntStream.range(0, 12)
            .mapToObj(
                i ->
                    host.client()
                        .sendAsync(
                            host.request("", token)
                                .POST(HttpRequest.BodyPublishers.ofString(FLUX))
                                .build(),
                            HttpResponse.BodyHandlers.ofString()))
            .toList();
    int accepted = 0;
    for (CompletableFuture<HttpResponse<String>> call : calls) {
      HttpResponse<String> r = call.join();
      if (r.statusCode() == 202) {
        accepted++;
      } else {
        assertError(r, 429, "TOO_MANY_ACTIVE");
      }
    }
    assertEquals(3, accepted);
    assertEquals(3, items("cap").size());
    assertEquals(1000 - 3 * 2, balance("cap"));
    assertEquals(balance("cap"), ledgerSum("cap"));
  }

  @Test
  void videoAndMusicArePricedBySecondsAndCarryTheirDuration() throws Exception {
    credits("vid", 500);
    HttpResponse<String> video =
        submit("vid", "{\"prompt\":\"waves\",\"model\":\"wan-video\",\"durationSeconds\":10}");
    assertEquals(202, video.statusCode(), video.body());
    assertEquals(10 + 4 * 10, json(video).get("cost").getAsLong());
    HttpResponse<String> music = submit("vid", "{\"prompt\":\"lofi beat\",\"model\":\"musicgen\"}");
    assertEquals(202, music.statusCode(), music.body());
    assertEquals(
        2 + 8, json(music).get("cost").getAsLong(), "the first offered duration (8 s) by default");
    List<ReceivedPrediction> sent = rig.standIn("replicate").predictions();
    assertEquals(10.0, sent.get(0).durationSeconds());
    assertEquals(8.0, sent.get(1).durationSeconds());
    assertEquals(500 - 50 - 10, balance("vid"));
  }

  @Test
  void downFirstProviderFallsBackToTheNextRoute() throws Exception {
    credits("fal", 100);
    rig.standIn("replicate").setHealthy(false);
    HttpResponse<String> r = submit("fal", FLUX);
    assertEquals(202, r.statusCode(), r.body());
    String id = json(r).get("id").getAsString();
    Snapshot item = item("fal", id);
    assertEquals("selfhost", item.getString("provider"));
    assertEquals(
        rig.standIn("selfhost").predictions().get(0).id(), item.getString("providerTaskId"));
    Snapshot decision = db.collection("routing_decisions").whereEqualTo("job_id", id).get().get(0);

    assertEquals("selfhost", decision.getString("selected_provider"));
    List<?> candidates = (List<?>) decision.get("candidates");
    assertEquals("failed", ((Map<?, ?>) candidates.get(0)).get("outcome"));
    assertEquals("selected", ((Map<?, ?>) candidates.get(1)).get("outcome"));
    assertEquals(98, balance("fal"));
  }

  @Test
  void providerDownByItsHealthRecordIsSkippedWithoutACall() throws Exception {
    credits("hlt", 100);
    db.set(
        "model_provider_health/replicate",
        Map.of("provider", "replicate", "status", "down", "error_rate", 1.0, "schemaVersion", 1L));
    assertEquals(202, submit("hlt", FLUX).statusCode());
    assertTrue(rig.standIn("replicate").predictions().isEmpty());
    assertEquals(1, rig.standIn("selfhost").predictions().size());
    Snapshot decision = db.collection("routing_decisions").get().get(0);
    Map<?, ?> skipped = (Map<?, ?>) ((List<?>) decision.get("candidates")).get(0);
    assertEquals("skipped", skipped.get("outcome"));
    assertEquals("provider is down", skipped.get("reason"));
  }

  @Test
  void usedUpQuotaSkipsTheProviderAndTheQuotaCountsWhereTheJobRuns() throws Exception {
    credits("qta", 100);
    // flux-dev has a quota of 5000 per hour at replicate (seed); use it up.
    db.update("model_quotas/replicate_flux-dev", Map.of("tokens_used", 5000L));
    HttpResponse<String> r =
        submit("qta", "{\"prompt\":\"x\",\"model\":\"flux-dev\",\"numOutputs\":2}");
    assertEquals(202, r.statusCode(), r.body());
    assertEquals("selfhost", item("qta", json(r).get("id").getAsString()).getString("provider"));
    assertEquals(5000L, db.get("model_quotas/replicate_flux-dev").getLong("tokens_used"));

    db.update("model_quotas/replicate_flux-dev", Map.of("tokens_used", 0L));
    assertEquals(
        202,
        submit("qta", "{\"prompt\":\"y\",\"model\":\"flux-dev\",\"numOutputs\":2}").statusCode());
    assertEquals(2L, db.get("model_quotas/replicate_flux-dev").getLong("tokens_used"));
  }

  @Test
  void noUsableRouteAnswers503AndHoldsNothing() throws Exception {
    credits("none", 100);
    for (String p : GenerationRig.PROVIDERS) {
      db.set(
          "model_provider_health/" + p, Map.of("provider", p, "status", "down", "error_rate", 1.0));
    }
    HttpResponse<String> r = submit("none", FLUX);
    assertError(r, 503, "NO_PROVIDER_AVAILABLE");
    assertTrue(Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow()) > 0);
    assertTrue(items("none").isEmpty());
    assertEquals(100, balance("none"));
    assertEquals(1, db.collection("credits/none/ledger").get().size(), "only the opening grant");
    Snapshot decision = db.collection("routing_decisions").get().get(0);
    assertNull(decision.getString("selected_provider"));
    assertEquals(2, ((List<?>) decision.get("candidates")).size());
  }

  @Test
  void everyDispatchFailingFailsTheItemReversesTheHoldAndARetryGetsTheSameAnswer()
      throws Exception {
    credits("dwn", 100);
    GenerationRig.PROVIDERS.forEach(p -> rig.standIn(p).setHealthy(false));
    HttpResponse<String> r = submit("dwn", FLUX, "Idempotency-Key", "k-down");
    assertError(r, 503, "NO_PROVIDER_AVAILABLE");
    List<Snapshot> items = items("dwn");
    assertEquals(1, items.size());
    assertEquals("failed", items.get(0).getString("status"));
    assertEquals("PROVIDER_UNAVAILABLE", items.get(0).getString("error.code"));
    assertEquals(
        "REVERSED", db.get("credits/dwn/ledger/sys_hold_" + items.get(0).id()).getString("status"));
    assertEquals(100, balance("dwn"));
    assertEquals(100, ledgerSum("dwn"));
    HttpResponse<String> retry = submit("dwn", FLUX, "Idempotency-Key", "k-down");
    assertError(retry, 503, "NO_PROVIDER_AVAILABLE");
    assertEquals(r.body(), retry.body());
    assertEquals(1, items("dwn").size(), "the retry made nothing new");
  }

  @Test
  void aJobTheProviderTookIsAnswered202WhenItsRecordsCannotBeWritten() throws Exception {
    credits("rec", 100);
    // From the moment the provider has the job, every commit fails (as one does once the
    // client's own retries are spent): the dispatch record, the routing decision, the usage line.
    rig.standIn("replicate")
        .onCreated(p -> emulator.failNextCommits(1_000, io.grpc.Status.Code.PERMISSION_DENIED));
    long started = System.nanoTime();
    HttpResponse<String> r = submit("rec", FLUX, "Idempotency-Key", "k-rec");
    long tookMillis = (System.nanoTime() - started) / 1_000_000;
    emulator.failNextCommits(0, io.grpc.Status.Code.PERMISSION_DENIED);
    assertEquals(202, r.statusCode(), r.body());
    assertTrue(tookMillis < 10_000, "answered in " + tookMillis + " ms");
    String id = json(r).get("id").getAsString();
    Snapshot item = item("rec", id);
    assertEquals("generating", item.getString("status"), "the job runs");
    assertNull(item.getString("providerTaskId"), "its record was not written");
    assertEquals(98, balance("rec"), "the HOLD stands for the running job");
    assertEquals(98, ledgerSum("rec"));
    assertEquals(1, rig.standIn("replicate").predictions().size());

    HttpResponse<String> retry = submit("rec", FLUX, "Idempotency-Key", "k-rec");
    assertEquals(202, retry.statusCode(), retry.body());
    assertEquals(r.body(), retry.body());
    assertEquals(1, items("rec").size(), "the retry made nothing new");
    assertEquals(1, rig.standIn("replicate").predictions().size(), "nor dispatched again");
    assertEquals(98, balance("rec"));
  }

  @Test
  void switchedOffGenerationAndSuspendedUsersAreRefusedWithoutWrites() throws Exception {
    credits("sus", 100);
    db.set(
        "users/sus",
        Map.of(
            "uid",
            "sus",
            "username",
            "sus",
            "provider",
            "google",
            "emailVerified",
            true,
            "isActive",
            true,
            "loginCount",
            1L,
            "metadata",
            Map.of("accountStatus", "suspended"),
            "schemaVersion",
            1L));
    emulator.resetCounters();
    assertError(submit("sus", FLUX), 403, "ACCOUNT_SUSPENDED");
    limits(Map.of("features.generation", false));
    emulator.resetCounters();
    assertError(submit("anyone", FLUX), 403, "FEATURE_DISABLED");
    assertEquals(0, emulator.counters().writes());
    assertTrue(items("sus").isEmpty());
  }

  @Test
  void callsOverTheMinuteLimitAreRateLimited() throws Exception {
    credits("rl", 1000);
    limits(
        Map.of(
            "limits.maxConcurrentGenerationsPerUser",
            100L,
            "limits.rateLimit",
            Map.of("requestsPerMinute", 3L, "requestsPerHour", 100L)));
    for (int i = 0; i < 3; i++) {
      assertEquals(202, submit("rl", FLUX).statusCode());
    }
    emulator.resetCounters();
    HttpResponse<String> limited = submit("rl", FLUX);
    assertError(limited, 429, "RATE_LIMITED");
    long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
    assertEquals(30, retryAfter, "seconds to the end of the minute window");
    assertEquals(0, emulator.counters().writes());
    assertEquals(3, items("rl").size());
  }

  @Test
  void everyFieldIsCheckedAgainstTheModelWithFieldErrorsAndNoWrites() throws Exception {
    credits("val", 100);
    List<String[]> cases =
        List.of(
            new String[] {"{\"prompt\":\"x\",\"model\":\"no-such-model\"}", "model"},
            new String[] {"{\"prompt\":\"x\",\"model\":\"a/b\"}", "model"},
            new String[] {"{\"prompt\":\"x\",\"model\":\"__x__\"}", "model"},
            new String[] {
              "{\"prompt\":\"x\",\"generationType\":\"text-to-video\"}", "generationType"
            },
            new String[] {"{\"prompt\":\"   \"}", "prompt"},
            new String[] {"{\"prompt\":\"" + "p".repeat(2001) + "\"}", "prompt"},
            new String[] {"{\"prompt\":\"bell\\u0007\"}", "prompt"},
            new String[] {"{\"prompt\":\"x\",\"numOutputs\":0}", "numOutputs"},
            new String[] {"{\"prompt\":\"x\",\"numOutputs\":5}", "numOutputs"},
            new String[] {"{\"prompt\":\"x\",\"numOutputs\":1.5}", "numOutputs"},
            new String[] {"{\"prompt\":\"x\",\"numOutputs\":1e10000}", "numOutputs"},
            new String[] {"{\"prompt\":\"x\",\"aspectRatio\":\"2:1\"}", "aspectRatio"},
            new String[] {"{\"prompt\":\"x\",\"durationSeconds\":5}", "durationSeconds"},
            new String[] {
              "{\"prompt\":\"x\",\"model\":\"wan-video\",\"durationSeconds\":7}", "durationSeconds"
            },
            new String[] {
              "{\"prompt\":\"x\",\"model\":\"musicgen\",\"aspectRatio\":\"1:1\"}", "aspectRatio"
            },
            new String[] {"{\"prompt\":\"x\",\"visibility\":\"everyone\"}", "visibility"},
            new String[] {
              "{\"prompt\":\"x\",\"tags\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\",\"j\",\"k\"]}",
              "tags"
            },
            new String[] {"{\"prompt\":\"x\",\"tags\":[\"" + "t".repeat(33) + "\"]}", "tags"},
            new String[] {"{\"prompt\":\"x\",\"tags\":\"a\"}", "tags"},
            new String[] {"{\"prompt\":\"x\",\"negativePrompt\":\"blurry\"}", "negativePrompt"},
            new String[] {"{\"prompt\":\"x\",\"colour\":\"red\"}", "colour"},
            new String[] {"{\"prompt\":{\"text\":\"x\"}}", "prompt"},
            new String[] {"{}", "prompt"});
    emulator.resetCounters();
    for (String[] c : cases) {
      HttpResponse<String> r = submit("val", c[0]);
      assertError(r, 400, "INVALID_ARGUMENT");
      JsonObject fields =
          json(r).getAsJsonObject("error").getAsJsonObject("details").getAsJsonObject("fields");
      assertTrue(fields != null && fields.has(c[1]), c[0] + " → " + r.body());
    }
    Counters counters = emulator.counters();
    assertEquals(0, counters.writes(), counters.toString());
    assertEquals(0, counters.deletes(), counters.toString());
    assertEquals(100, balance("val"));
  }

  @Test
  void hostileInputIsAnswered4xxWithTheErrorShapeAndWritesNothing() throws Exception {
    credits("evil", 100);
    HostileInputs.assertAllRefused(
        host,
        "",
        () -> tokens.forUser("evil"),
        List.of(
            "prompt",
            "model",
            "generationType",
            "numOutputs",
            "aspectRatio",
            "durationSeconds",
            "visibility",
            "tags",
            "negativePrompt"),
        20261202L,
        HostileInputs.SUITE_SIZE,
        emulator);
    assertTrue(items("evil").isEmpty());
    assertEquals(100, balance("evil"));
  }

  @Test
  void aSubmitCostsExactlyItsBudgetOfDocumentOperations() throws Exception {
    credits("ops", 100);
    assertEquals(
        202,
        submit("ops", FLUX).statusCode(),
        "warm-up: the measured submit finds its rate-limit windows and one running job");
    emulator.resetCounters();
    HttpResponse<String> r = submit("ops", FLUX);
    assertEquals(202, r.statusCode(), r.body());
    Counters counters = emulator.counters();
    System.out.println("submit-generation cost: " + counters);
    // reads: system/config + the user + the model (one batched read) 3, the 2 rate-limit windows,
    // health + quota of each of flux-schnell's 2 routes 4, the count of running jobs 1 (an
    // aggregation: one read per 1000 entries, at least one), the balance 1, the item again when
    // the dispatch is recorded 1;
    // writes: the 2 windows, the HOLD + its applied record + the balance + the item 4, the
    // dispatch (task id on the item) 1, the routing decision 1, the usage log 1 (flux-schnell has
    // no quota document in the seed, so no quota write).
    assertEquals(new Counters(12, 9, 0), counters, "submit-generation, one accepted submit");
  }
}
