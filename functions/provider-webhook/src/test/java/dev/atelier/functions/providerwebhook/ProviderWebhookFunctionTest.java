package dev.atelier.functions.providerwebhook;

import static dev.atelier.testsupport.HttpAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.Storage;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.atelier.credits.CreditService;
import dev.atelier.credits.LedgerType;
import dev.atelier.credits.Posting;
import dev.atelier.emulator.Counters;
import dev.atelier.emulator.junit.EmulatorHandle;
import dev.atelier.emulator.junit.FirestoreEmulatorExtension;
import dev.atelier.firestore.Database;
import dev.atelier.firestore.Snapshot;
import dev.atelier.generations.GenerationItem;
import dev.atelier.generations.GenerationParams;
import dev.atelier.generations.GenerationStatus;
import dev.atelier.generations.GenerationType;
import dev.atelier.generations.Visibility;
import dev.atelier.idempotency.Idempotency;
import dev.atelier.lifecycle.GenerationService;
import dev.atelier.media.FetchLimits;
import dev.atelier.media.MediaFetcher;
import dev.atelier.media.MediaStorage;
import dev.atelier.platform.AuthUser;
import dev.atelier.platform.ClientInfo;
import dev.atelier.platform.Config;
import dev.atelier.platform.JsonLog;
import dev.atelier.provider.standin.StandInProvider;
import dev.atelier.providers.PredictionRequest;
import dev.atelier.providers.PredictionStatus;
import dev.atelier.providers.StandardWebhooks;
import dev.atelier.store.Documents;
import dev.atelier.submit.SubmitRequest;
import dev.atelier.submit.SubmitService;
import dev.atelier.submit.Submitted;
import dev.atelier.testsupport.GenerationRig;
import dev.atelier.testsupport.HostileInputs;
import dev.atelier.testsupport.LoopbackHttpHost;
import dev.atelier.usage.RateLimiter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole generation path against real parts: a job submitted through the production
 * SubmitService to a stand-in provider (real HTTP), whose signed webhook reaches provider-webhook
 * on loopback, which downloads the media, stores it in the storage emulator and settles the item
 * and its HOLD in the Firestore emulator. Plus the webhook's own guards: signatures, timestamps,
 * replays, bodies.
 */
@ExtendWith(FirestoreEmulatorExtension.class)
class ProviderWebhookFunctionTest {

  private static final Duration DONE = Duration.ofSeconds(5);

  /** Small limits keep #oversize quick: the stand-in serves just over them. */
  private static final long MAX_MEDIA = 1024 * 1024;

  private GenerationRig rig;
  private Database db;
  private EmulatorHandle emulator;
  private LoopbackHttpHost webhook;
  private SubmitService submissions;
  private GenerationService generations;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start(EmulatorHandle emulator) throws Exception {
    this.emulator = emulator;
    rig =
        GenerationRig.start(
            emulator,
            GenerationRig.options(Duration.ofMillis(300), Duration.ofSeconds(3))
                .withOversizeBytes(MAX_MEDIA + 1));
    db = rig.db();
    db.update(
        "system/config",
        Map.of(
            "config.limits.maxConcurrentGenerationsPerUser",
            100L,
            "config.limits.rateLimit",
            Map.of("requestsPerMinute", 1000L, "requestsPerHour", 10_000L)));
    Config config = rig.config("provider-webhook");
    webhook =
        rig.serve(
            "provider-webhook",
            new ProviderWebhookFunction(
                config,
                db,
                Clock.systemUTC(),
                rig.providers(),
                rig.mediaStore(),
                fetcher(new FetchLimits(MAX_MEDIA, Duration.ofSeconds(10), false, true))));
    CreditService credits = new CreditService(db, java.time.Clock.systemUTC());
    generations = new GenerationService(db, credits, Clock.systemUTC());
    submissions =
        new SubmitService(
            db,
            credits,
            generations,
            rig.providers(),
            new RateLimiter(db, Clock.systemUTC()),
            webhook.uri(),
            "submit-generation",
            Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    rig.close();
  }

  private Submitted submit(String uid, String prompt, String model, long outputs) {
    new CreditService(db, java.time.Clock.systemUTC()).openAccount(uid);
    AuthUser user =
        new AuthUser(
            uid,
            Optional.of(uid + "@example.test"),
            true,
            Optional.of("User " + uid),
            Optional.empty(),
            "password",
            false);
    SubmitRequest request =
        new SubmitRequest(
            prompt,
            Optional.of(model),
            Optional.empty(),
            model.startsWith("flux") ? Optional.of(outputs) : Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    return submissions.submit(
        user,
        request,
        Idempotency.NONE,
        new ClientInfo(Optional.empty(), Optional.empty()),
        JsonLog.forFunction("test"));
  }

  private Snapshot item(String uid, String id) {
    try {
      return db.get("generationHistory/" + uid + "/items/" + id);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private String awaitTerminal(String uid, String id, Duration timeout) {
    GenerationRig.await(timeout, () -> !"generating".equals(item(uid, id).getString("status")));
    return item(uid, id).getString("status");
  }

  private long balance(String uid) throws Exception {
    return db.get("credits/" + uid + "/balance/current").getLong("creditBalance");
  }

  private Snapshot ledger(String uid, String entryId) throws Exception {
    return db.get("credits/" + uid + "/ledger/" + entryId);
  }

  private List<Blob> stored(String uid, String id) {
    Storage storage = MediaStorage.client(rig.mediaConfig());
    List<Blob> out = new ArrayList<>();
    storage
        .list(
            GenerationRig.MEDIA_BUCKET,
            Storage.BlobListOption.prefix("generations/" + uid + "/" + id + "/"))
        .iterateAll()
        .forEach(out::add);
    return out;
  }

  private HttpResponse<byte[]> open(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  /** A Replicate-shaped prediction body as a provider would post it. */
  private static String predictionJson(
      String id, String status, List<String> output, String error) {
    JsonObject p = new JsonObject();
    p.addProperty("id", id);
    p.addProperty("version", "test");
    p.addProperty("status", status);
    JsonArray out = new JsonArray();
    output.forEach(out::add);
    p.add("output", output.isEmpty() ? null : out);
    p.addProperty("error", error);
    return p.toString();
  }

  /**
   * POSTs {@code body} to the webhook signed with {@code secret} at {@code time}, under {@code
   * query}.
   */
  private HttpResponse<String> deliver(
      String query, String body, String secret, String webhookId, Instant time) {
    long ts = time.getEpochSecond();
    String signature =
        StandardWebhooks.sign(secret, webhookId, ts, body.getBytes(StandardCharsets.UTF_8));
    return webhook.send(
        webhook
            .request(
                "?" + query,
                null,
                StandardWebhooks.ID_HEADER,
                webhookId,
                StandardWebhooks.TIMESTAMP_HEADER,
                Long.toString(ts),
                StandardWebhooks.SIGNATURE_HEADER,
                signature)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  /**
   * Waits until the stand-in has finished {@code task} (a {@code #nowebhook} job, so nothing was
   * delivered) and returns the completion body it would have posted.
   */
  private String succeededCompletion(String task) {
    assertTrue(
        GenerationRig.await(
            DONE,
            () ->
                replicate().prediction(task).orElseThrow().status() == PredictionStatus.SUCCEEDED));
    return predictionJson(
        task, "succeeded", replicate().prediction(task).orElseThrow().output(), null);
  }

  private StandInProvider replicate() {
    return rig.standIn("replicate");
  }

  private static MediaFetcher fetcher(FetchLimits limits) {
    return new MediaFetcher(MediaFetcher.httpClient(limits), limits);
  }

  @Test
  void successStoresEveryOutputCompletesTheItemAndCapturesTheHold() throws Exception {
    Submitted s = submit("ada", "a red fox", "flux-schnell", 2);
    assertEquals("completed", awaitTerminal("ada", s.id(), DONE));
    Snapshot item = item("ada", s.id());
    List<?> images = (List<?>) item.get("images");
    assertEquals(2, images.size());
    for (int i = 0; i < 2; i++) {
      Map<?, ?> image = (Map<?, ?>) images.get(i);
      assertEquals(
          "generations/ada/" + s.id() + "/" + s.id() + "-" + i + ".png", image.get("storagePath"));
      HttpResponse<byte[]> media = open((String) image.get("url"));
      assertEquals(200, media.statusCode());
      assertEquals("image/png", media.headers().firstValue("Content-Type").orElse(""));
      assertArrayEquals(
          new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(media.body(), 4));
      assertTrue(
          ((String) image.get("url")).contains("token="), "a Firebase download URL with its token");
    }
    assertTrue(item.getLong("processingTimeMs") > 0);
    assertNotNull(item.getTimestamp("completedAt"));
    assertEquals("CONFIRMED", ledger("ada", "sys_hold_" + s.id()).getString("status"));
    assertEquals(100 - 4, balance("ada"));
    assertEquals(2, stored("ada", s.id()).size());
  }

  @Test
  void videoAndMusicAreStoredWithTheirContentTypes() throws Exception {
    Submitted video = submit("vic", "surf", "wan-video", 1);
    Submitted music = submit("vic", "piano", "musicgen", 1);
    assertEquals("completed", awaitTerminal("vic", video.id(), DONE));
    assertEquals("completed", awaitTerminal("vic", music.id(), DONE));
    Map<?, ?> clip = (Map<?, ?>) ((List<?>) item("vic", video.id()).get("videos")).get(0);
    Map<?, ?> song = (Map<?, ?>) ((List<?>) item("vic", music.id()).get("audios")).get(0);
    HttpResponse<byte[]> mp4 = open((String) clip.get("url"));
    assertEquals("video/mp4", mp4.headers().firstValue("Content-Type").orElse(""));
    assertEquals("ftyp", new String(mp4.body(), 4, 4, StandardCharsets.US_ASCII));
    assertEquals(
        "audio/mpeg",
        open((String) song.get("url")).headers().firstValue("Content-Type").orElse(""));
    assertTrue(((String) song.get("storagePath")).endsWith(".mp3"));
  }

  @Test
  void providerFailureFailsTheItemAndReversesTheHold() throws Exception {
    Submitted s = submit("fay", "this will #fail", "flux-schnell", 1);
    assertEquals("failed", awaitTerminal("fay", s.id(), DONE));
    assertEquals("PROVIDER_FAILED", item("fay", s.id()).getString("error.code"));
    assertEquals("REVERSED", ledger("fay", "sys_hold_" + s.id()).getString("status"));
    assertEquals(100, balance("fay"));
    assertTrue(stored("fay", s.id()).isEmpty());
  }

  @Test
  void slowJobStaysGeneratingUntilItsResultArrives() throws Exception {
    Submitted s = submit("sam", "take it #slow", "flux-schnell", 1);
    Thread.sleep(1500);
    assertEquals("generating", item("sam", s.id()).getString("status"));
    assertEquals("completed", awaitTerminal("sam", s.id(), Duration.ofSeconds(8)));
  }

  @Test
  void lostWebhookLeavesTheItemGeneratingForPollingToFind() throws Exception {
    Submitted s = submit("nil", "#nowebhook please", "flux-schnell", 1);
    String task = item("nil", s.id()).getString("providerTaskId");
    assertTrue(
        GenerationRig.await(
            DONE,
            () ->
                replicate().prediction(task).orElseThrow().status() == PredictionStatus.SUCCEEDED));
    Thread.sleep(500);
    assertEquals("generating", item("nil", s.id()).getString("status"));
    assertTrue(
        replicate().webhookDeliveries().stream().noneMatch(d -> d.predictionId().equals(task)));
    assertEquals("PENDING", ledger("nil", "sys_hold_" + s.id()).getString("status"));
  }

  @Test
  void duplicatedWebhookConfirmsOnce() throws Exception {
    Submitted s = submit("dup", "twice #dupwebhook", "flux-schnell", 1);
    assertEquals("completed", awaitTerminal("dup", s.id(), DONE));
    String task = item("dup", s.id()).getString("providerTaskId");
    assertTrue(
        GenerationRig.await(
            DONE,
            () ->
                replicate().webhookDeliveries().stream()
                        .filter(d -> d.predictionId().equals(task) && d.delivered())
                        .count()
                    == 2));
    assertEquals("CONFIRMED", ledger("dup", "sys_hold_" + s.id()).getString("status"));
    assertEquals(98, balance("dup"));
    assertEquals(2, db.collection("credits/dup/ledger").get().size(), "opening grant + one HOLD");
    assertEquals(1, stored("dup", s.id()).size());
  }

  @Test
  void oversizeMediaFailsTheItemAndStoresNothing() throws Exception {
    Submitted s = submit("big", "huge #oversize", "flux-schnell", 1);
    assertEquals("failed", awaitTerminal("big", s.id(), DONE));
    assertEquals("MEDIA_REJECTED", item("big", s.id()).getString("error.code"));
    assertEquals("REVERSED", ledger("big", "sys_hold_" + s.id()).getString("status"));
    assertEquals(100, balance("big"));
    assertTrue(stored("big", s.id()).isEmpty());
  }

  @Test
  void mediaOfTheWrongTypeFailsTheItem() throws Exception {
    Submitted s = submit("typ", "html instead #badtype", "flux-schnell", 1);
    assertEquals("failed", awaitTerminal("typ", s.id(), DONE));
    assertEquals("MEDIA_REJECTED", item("typ", s.id()).getString("error.code"));
    assertEquals(100, balance("typ"));
    assertTrue(stored("typ", s.id()).isEmpty());
  }

  @Test
  void partialOutputsKeepWhatArrivedAndRefundTheMissingShare() throws Exception {
    Submitted s = submit("par", "three please #partial", "flux-schnell", 3);
    assertEquals(6, s.cost());
    assertEquals("completed", awaitTerminal("par", s.id(), DONE));
    assertEquals(2, ((List<?>) item("par", s.id()).get("images")).size());
    Snapshot refund = ledger("par", "sys_refund_" + s.id());
    assertEquals("REFUND", refund.getString("type"));
    assertEquals(2L, refund.getLong("amount"));
    assertEquals("CONFIRMED", ledger("par", "sys_hold_" + s.id()).getString("status"));
    assertEquals(100 - 6 + 2, balance("par"));
  }

  @Test
  void partialOfASingleOutputIsNoOutputAndReversesTheHold() throws Exception {
    Submitted s = submit("one", "just one #partial", "flux-schnell", 1);
    assertEquals("failed", awaitTerminal("one", s.id(), DONE));
    assertEquals("NO_OUTPUT", item("one", s.id()).getString("error.code"));
    assertEquals(100, balance("one"));
  }

  @Test
  void badMissingOrStaleSignaturesAre401AndChangeNothing() throws Exception {
    Submitted s = submit("sig", "#nowebhook wait", "flux-schnell", 1);
    String task = item("sig", s.id()).getString("providerTaskId");
    String body = predictionJson(task, "failed", List.of(), "forged");
    String secret = replicate().webhookSecret();
    emulator.resetCounters();
    assertError(
        deliver("provider=replicate", body, StandardWebhooks.newSecret(), "msg_1", Instant.now()),
        401,
        "UNAUTHENTICATED");
    assertError(
        deliver(
            "provider=replicate",
            body,
            secret,
            "msg_2",
            Instant.now().minus(Duration.ofMinutes(6))),
        401,
        "UNAUTHENTICATED");
    assertError(
        deliver(
            "provider=replicate", body, secret, "msg_3", Instant.now().plus(Duration.ofMinutes(6))),
        401,
        "UNAUTHENTICATED");
    assertError(
        deliver("provider=nobody", body, secret, "msg_4", Instant.now()), 401, "UNAUTHENTICATED");
    assertError(deliver("", body, secret, "msg_5", Instant.now()), 401, "UNAUTHENTICATED");
    HttpResponse<String> unsigned = webhook.post("?provider=replicate", null, body);
    assertError(unsigned, 401, "UNAUTHENTICATED");
    long ts = Instant.now().getEpochSecond();
    String good = StandardWebhooks.sign(secret, "msg_6", ts, body.getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> tampered =
        webhook.send(
            webhook
                .request(
                    "?provider=replicate",
                    null,
                    StandardWebhooks.ID_HEADER,
                    "msg_6",
                    StandardWebhooks.TIMESTAMP_HEADER,
                    Long.toString(ts),
                    StandardWebhooks.SIGNATURE_HEADER,
                    good)
                .POST(HttpRequest.BodyPublishers.ofString(body.replace("forged", "Forged")))
                .build());
    assertError(tampered, 401, "UNAUTHENTICATED");
    Counters counters = emulator.counters();
    assertEquals(0, counters.writes(), counters.toString());
    assertEquals("generating", item("sig", s.id()).getString("status"));
  }

  @Test
  void oneValidSignatureAmongSeveralIsEnough() throws Exception {
    Submitted s = submit("sev", "#nowebhook then mine", "flux-schnell", 1);
    String task = item("sev", s.id()).getString("providerTaskId");
    String body = predictionJson(task, "failed", List.of(), "provider says no");
    long ts = Instant.now().getEpochSecond();
    String valid =
        StandardWebhooks.sign(
            replicate().webhookSecret(), "msg_multi", ts, body.getBytes(StandardCharsets.UTF_8));
    String other =
        StandardWebhooks.sign(
            StandardWebhooks.newSecret(), "msg_multi", ts, body.getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> r =
        webhook.send(
            webhook
                .request(
                    "?provider=replicate",
                    null,
                    StandardWebhooks.ID_HEADER,
                    "msg_multi",
                    StandardWebhooks.TIMESTAMP_HEADER,
                    Long.toString(ts),
                    StandardWebhooks.SIGNATURE_HEADER,
                    other + " v2,ignored " + valid)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    assertEquals(204, r.statusCode(), r.body());
    assertEquals("failed", item("sev", s.id()).getString("status"));
  }

  @Test
  void eightParallelDeliveriesOfOneCompletionIntoOneInstanceSettleItOnce() throws Exception {
    Submitted s = submit("par", "#nowebhook in parallel", "flux-schnell", 1);
    String task = item("par", s.id()).getString("providerTaskId");
    String body = succeededCompletion(task);
    // Eight provider retries (distinct webhook ids) released together into one function instance.
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CyclicBarrier together = new CyclicBarrier(8);
    List<Future<Integer>> statuses = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String webhookId = "msg_parallel_" + i;
      statuses.add(
          pool.submit(
              () -> {
                together.await();
                return deliver(
                        "provider=replicate",
                        body,
                        replicate().webhookSecret(),
                        webhookId,
                        Instant.now())
                    .statusCode();
              }));
    }
    for (Future<Integer> status : statuses) {
      assertEquals(204, status.get(30, TimeUnit.SECONDS));
    }
    pool.shutdown();
    assertEquals("completed", item("par", s.id()).getString("status"));
    assertEquals("CONFIRMED", ledger("par", "sys_hold_" + s.id()).getString("status"));
    assertEquals(100 - s.cost(), balance("par"));
    assertEquals(2, db.collection("credits/par/ledger").get().size(), "opening grant + one HOLD");
    assertEquals(1, stored("par", s.id()).size(), "the media stored once");
  }

  @Test
  void replayedDeliveryIsANoOp() throws Exception {
    Submitted s = submit("rep", "#nowebhook replay", "flux-schnell", 1);
    String task = item("rep", s.id()).getString("providerTaskId");
    String body = succeededCompletion(task);
    Instant now = Instant.now();
    assertEquals(
        204,
        deliver("provider=replicate", body, replicate().webhookSecret(), "msg_replay", now)
            .statusCode());
    assertEquals("completed", item("rep", s.id()).getString("status"));
    long balance = balance("rep");
    emulator.resetCounters();
    assertEquals(
        204,
        deliver("provider=replicate", body, replicate().webhookSecret(), "msg_replay", now)
            .statusCode());
    assertEquals(
        204,
        deliver(
                "provider=replicate",
                predictionJson(task, "failed", List.of(), "late"),
                replicate().webhookSecret(),
                "msg_late",
                Instant.now())
            .statusCode());
    assertEquals(0, emulator.counters().writes(), emulator.counters().toString());
    assertEquals("completed", item("rep", s.id()).getString("status"));
    assertEquals(balance, balance("rep"));
    assertEquals(1, stored("rep", s.id()).size());
  }

  @Test
  void unknownTaskIdAnswers204AndChangesNothing() throws Exception {
    emulator.resetCounters();
    HttpResponse<String> r =
        deliver(
            "provider=replicate",
            predictionJson("nosuchtask", "succeeded", List.of("http://127.0.0.1:9/x.png"), null),
            replicate().webhookSecret(),
            "msg_unknown",
            Instant.now());
    assertEquals(204, r.statusCode(), r.body());
    assertEquals(0, emulator.counters().writes());
  }

  @Test
  void signedButMalformedBodyIs400() throws Exception {
    emulator.resetCounters();
    for (String body :
        List.of(
            "{}",
            "{\"id\":\"x\"}",
            "{\"id\":\"a/b\",\"status\":\"succeeded\"}",
            "{\"id\":\"x\",\"status\":\"weird\"}",
            "{\"id\":\"x\",\"status\":\"succeeded\",\"output\":42}",
            "[1]")) {
      HttpResponse<String> r =
          deliver(
              "provider=replicate", body, replicate().webhookSecret(), "msg_bad", Instant.now());
      assertError(r, 400, "INVALID_ARGUMENT");
    }
    assertEquals(0, emulator.counters().writes());
  }

  @Test
  void taskIdNotRecordedYetIsFoundThroughTheWebhookUrl() throws Exception {
    new CreditService(db, java.time.Clock.systemUTC()).openAccount("early");
    String id = "early-item";
    new CreditService(db, java.time.Clock.systemUTC())
        .post(
            "early",
            new Posting(
                LedgerType.HOLD,
                2,
                "test hold",
                Map.of(),
                GenerationService.holdEntryId(id),
                null));
    GenerationItem item =
        GenerationItem.builder("early", id)
            .prompt("p")
            .model("flux-schnell")
            .generationType(GenerationType.TEXT_TO_IMAGE)
            .status(GenerationStatus.GENERATING)
            .visibility(Visibility.PRIVATE)
            .provider("replicate")
            .cost(2L)
            .holdEntryId(GenerationService.holdEntryId(id))
            .params(new GenerationParams(1, "1:1", null, null))
            .build();
    db.set("generationHistory/early/items/" + id, Documents.encode(item, "createdAt", "updatedAt"));
    String task =
        rig.providers()
            .adapter("replicate")
            .orElseThrow()
            .create(
                new PredictionRequest(
                    "black-forest-labs/flux-schnell", Map.of("prompt", "#nowebhook"), null))
            .id();
    String body = succeededCompletion(task);
    assertEquals(
        204,
        deliver(
                "provider=selfhost&uid=early&item=" + id,
                body,
                rig.standIn("selfhost").webhookSecret(),
                "msg_wrong_provider",
                Instant.now())
            .statusCode());
    assertEquals(
        "generating",
        item("early", id).getString("status"),
        "another provider's delivery does not match");
    assertEquals(
        204,
        deliver(
                "provider=replicate&uid=early&item=" + id,
                body,
                replicate().webhookSecret(),
                "msg_early",
                Instant.now())
            .statusCode());
    assertEquals("completed", item("early", id).getString("status"));
    assertEquals(
        "CONFIRMED", ledger("early", GenerationService.holdEntryId(id)).getString("status"));
  }

  @Test
  void lateResultOfACancelledItemIsIgnoredAndItsMediaNotStored() throws Exception {
    Submitted s = submit("can", "#slow then cancel", "flux-schnell", 1);
    String task = item("can", s.id()).getString("providerTaskId");
    generations.update(
        "can",
        s.id(),
        new GenerationService.Changes(Optional.empty(), Optional.empty(), false, true));
    assertEquals("cancelled", item("can", s.id()).getString("status"));
    assertEquals(100, balance("can"));
    assertTrue(
        GenerationRig.await(
            Duration.ofSeconds(8),
            () ->
                replicate().prediction(task).orElseThrow().status() == PredictionStatus.SUCCEEDED),
        "the stand-in was not told; it finishes and reports");
    assertTrue(
        GenerationRig.await(
            DONE,
            () ->
                replicate().webhookDeliveries().stream()
                    .anyMatch(d -> d.predictionId().equals(task) && d.delivered())));
    assertEquals("cancelled", item("can", s.id()).getString("status"));
    assertTrue(stored("can", s.id()).isEmpty());
    assertEquals(100, balance("can"));
    assertEquals("REVERSED", ledger("can", "sys_hold_" + s.id()).getString("status"));
  }

  @Test
  void hostileInputIsAnswered4xxWithTheErrorShapeAndWritesNothing() throws Exception {
    // Unsigned: every case must be refused before its body is even looked at.
    HostileInputs.assertAllRefused(
        webhook,
        "?provider=replicate",
        () -> null,
        List.of("id", "status", "output", "error"),
        8L,
        HostileInputs.SUITE_SIZE,
        emulator);
  }

  @Test
  void aCompletionAndItsReplayCostExactlyTheirBudgetOfDocumentOperations() throws Exception {
    Submitted s = submit("ops", "#nowebhook count", "flux-schnell", 1);
    String task = item("ops", s.id()).getString("providerTaskId");
    String body = succeededCompletion(task);
    emulator.resetCounters();
    assertEquals(
        204,
        deliver("provider=replicate", body, replicate().webhookSecret(), "msg_ops", Instant.now())
            .statusCode());
    Counters completion = emulator.counters();
    emulator.resetCounters();
    assertEquals(
        204,
        deliver("provider=replicate", body, replicate().webhookSecret(), "msg_ops", Instant.now())
            .statusCode());
    Counters replay = emulator.counters();
    System.out.println("provider-webhook cost: completion " + completion + ", replay " + replay);
    assertAll(
        // reads: the lookup by task id 1 (a query returning the item), then in the transaction the
        // item, the hold, its applied record and the balance 4; writes: the item, the hold, its
        // applied record (a capture leaves the balance as it is, so it is not rewritten).
        () -> assertEquals(new Counters(5, 3, 0), completion, "provider-webhook, completion"),
        // The lookup finds the item completed: nothing else is read or written.
        () -> assertEquals(new Counters(1, 0, 0), replay, "provider-webhook, replayed completion"));
  }
}
