package dev.atelier.functions.reapstalejobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.Storage;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.atelier.credits.CreditService;
import dev.atelier.credits.LedgerType;
import dev.atelier.credits.Posting;
import dev.atelier.emulator.junit.EmulatorHandle;
import dev.atelier.emulator.junit.FirestoreEmulatorExtension;
import dev.atelier.firestore.Database;
import dev.atelier.firestore.Snapshot;
import dev.atelier.generations.GenerationError;
import dev.atelier.generations.GenerationItem;
import dev.atelier.generations.GenerationParams;
import dev.atelier.generations.GenerationStatus;
import dev.atelier.generations.GenerationType;
import dev.atelier.generations.Visibility;
import dev.atelier.idempotency.Idempotency;
import dev.atelier.lifecycle.GenerationService;
import dev.atelier.media.FetchLimits;
import dev.atelier.media.MediaStorage;
import dev.atelier.platform.AuthUser;
import dev.atelier.platform.ClientInfo;
import dev.atelier.platform.Config;
import dev.atelier.platform.JsonLog;
import dev.atelier.providers.PredictionStatus;
import dev.atelier.store.Documents;
import dev.atelier.store.FirestorePaths;
import dev.atelier.submit.SubmitRequest;
import dev.atelier.submit.SubmitService;
import dev.atelier.submit.Submitted;
import dev.atelier.testsupport.GenerationRig;
import dev.atelier.testsupport.LoopbackHttpHost;
import dev.atelier.testsupport.TestClock;
import dev.atelier.usage.RateLimiter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * reap-stale-jobs against real parts: jobs submitted through the production SubmitService to the
 * stand-in providers (whose prompt markers pick their behaviour: #nowebhook never calls back, #fail
 * fails, #slow runs for two minutes), media landing in the storage emulator, every change in the
 * Firestore emulator (strict index mode). The reaper runs on a clock the test sets minutes or days
 * ahead of the documents' server timestamps; the catalog's staleGenerationMinutes is 30.
 */
@ExtendWith(FirestoreEmulatorExtension.class)
class ReapStaleJobsFunctionTest {

  private static final Duration DONE = Duration.ofSeconds(5);
  private static final Duration BUDGET = Duration.ofSeconds(200);

  private GenerationRig rig;
  private Database db;
  private SubmitService submissions;
  private CreditService credits;
  private final List<String> standInRequests = new CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private Instant t0;

  @BeforeEach
  void start(EmulatorHandle emulator) throws Exception {
    rig =
        GenerationRig.start(
            emulator,
            GenerationRig.options(Duration.ofMillis(200), Duration.ofSeconds(120))
                .withLog(standInRequests::add));
    db = rig.db();
    db.update(
        "system/config",
        Map.of(
            "config.limits.maxConcurrentGenerationsPerUser",
            100L,
            "config.limits.rateLimit",
            Map.of("requestsPerMinute", 1000L, "requestsPerHour", 10_000L)));
    // The providers call back here; a lost webhook is what the reaper is for, so nobody listens.
    LoopbackHttpHost sink =
        rig.serve("webhook-sink", (request, response) -> response.setStatusCode(204));
    credits = new CreditService(db, Clock.systemUTC());
    submissions =
        new SubmitService(
            db,
            credits,
            new GenerationService(db, credits, Clock.systemUTC()),
            rig.providers(),
            new RateLimiter(db, Clock.systemUTC()),
            sink.uri(),
            "submit-generation",
            Clock.systemUTC());
    t0 = Instant.now().truncatedTo(ChronoUnit.MICROS);
  }

  @AfterEach
  void stop() {
    rig.close();
  }

  // ---- the function under test

  private LoopbackHttpHost reaper(TestClock clock, int pageSize, Duration budget) {
    Config base = rig.config("reap-stale-jobs");
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
    return rig.serve(
        "reap-stale-jobs",
        new ReapStaleJobsFunction(
            config, db, clock, rig.providers(), rig.mediaStore(), FetchLimits.local(), pageSize));
  }

  private static JsonObject run(LoopbackHttpHost reaper) {
    HttpResponse<String> r = reaper.post("", null, "{}");
    assertEquals(200, r.statusCode(), r.body());
    return JsonParser.parseString(r.body()).getAsJsonObject();
  }

  /** One run of a fresh reaper at {@code t0 + after}. */
  private JsonObject runAt(Duration after) {
    return run(reaper(new TestClock(t0.plus(after)), 50, BUDGET));
  }

  private static int n(JsonObject summary, String count) {
    return summary.get(count).getAsInt();
  }

  private static int repaired(JsonObject s) {
    return n(s, "rescuedCompleted")
        + n(s, "rescuedFailed")
        + n(s, "timedOut")
        + n(s, "holdsReversed")
        + n(s, "holdsCaptured");
  }

  // ---- fixtures

  private Submitted submit(String uid, String prompt) {
    credits.openAccount(uid);
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
            Optional.of("flux-schnell"),
            Optional.empty(),
            Optional.of(1L),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    Submitted s =
        submissions.submit(
            user,
            request,
            Idempotency.NONE,
            new ClientInfo(Optional.empty(), Optional.empty()),
            JsonLog.forFunction("test"));
    assertEquals(2, s.cost());
    return s;
  }

  private String task(String uid, String id) {
    String task = item(uid, id).getString("providerTaskId");
    assertNotNull(task, "dispatched");
    return task;
  }

  private void awaitPrediction(String task, PredictionStatus status) {
    assertTrue(
        GenerationRig.await(
            DONE, () -> rig.standIn("replicate").prediction(task).orElseThrow().status() == status),
        "stand-in prediction " + task + " never became " + status);
  }

  /**
   * A generating item whose dispatch was never recorded (no provider task), with its HOLD of 2
   * credits: what a crash between commit and dispatch leaves.
   */
  private void undispatchedItem(String uid, String id) throws Exception {
    credits.openAccount(uid);
    credits.post(
        uid,
        new Posting(
            LedgerType.HOLD,
            2,
            "Generation " + id,
            Map.of("historyId", id),
            GenerationService.holdEntryId(id),
            null));
    writeItem(
        item(uid, id, GenerationStatus.GENERATING, GenerationService.holdEntryId(id)).build(),
        true);
  }

  private static GenerationItem.Builder item(
      String uid, String id, GenerationStatus status, String holdEntryId) {
    return GenerationItem.builder(uid, id)
        .prompt("p")
        .model("flux-schnell")
        .generationType(GenerationType.TEXT_TO_IMAGE)
        .status(status)
        .visibility(Visibility.PRIVATE)
        .provider("replicate")
        .cost(2L)
        .holdEntryId(holdEntryId)
        .params(new GenerationParams(1, "1:1", null, null));
  }

  private void writeItem(GenerationItem item, boolean serverTimes) throws Exception {
    db.set(
        FirestorePaths.historyItem(item.uid(), item.id()),
        serverTimes
            ? Documents.encode(
                item, GenerationItem.Field.CREATED_AT, GenerationItem.Field.UPDATED_AT)
            : Documents.encode(item));
  }

  private void hold(String uid, String entryId, long credits, String historyId) {
    this.credits.post(
        uid,
        new Posting(
            LedgerType.HOLD,
            credits,
            "test hold",
            historyId == null ? Map.of() : Map.of("historyId", historyId),
            entryId,
            null));
  }

  // ---- reads

  private Snapshot item(String uid, String id) {
    return get("generationHistory/" + uid + "/items/" + id);
  }

  private Snapshot get(String path) {
    try {
      return db.get(path);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private long balance(String uid) {
    return get("credits/" + uid + "/balance/current").getLong("creditBalance");
  }

  private String ledgerStatus(String uid, String entryId) {
    return get("credits/" + uid + "/ledger/" + entryId).getString("status");
  }

  /**
   * The balance rule checked against the ledger: the balance is Σ amount of the entries not
   * REVERSED, and each entry's applied record says what it contributes.
   */
  private void assertBalanceMatchesLedger(String uid) throws Exception {
    long sum = 0;
    for (Snapshot e : db.collection("credits/" + uid + "/ledger").get()) {
      long contribution = "REVERSED".equals(e.getString("status")) ? 0 : e.getLong("amount");
      sum += contribution;
      Snapshot applied = get("credits/" + uid + "/applied/" + e.id());
      assertEquals(e.getString("status"), applied.getString("status"), e.id());
      assertEquals(contribution, applied.getLong("appliedAmount"), e.id());
      assertEquals(contribution, e.getLong("appliedAmount"), e.id());
    }
    assertEquals(sum, balance(uid), "balance of " + uid + " is the ledger's sum");
  }

  private long getRequests(String task) {
    return standInRequests.stream().filter(l -> l.equals("GET /v1/predictions/" + task)).count();
  }

  private long cancelRequests(String task) {
    return standInRequests.stream()
        .filter(l -> l.equals("POST /v1/predictions/" + task + "/cancel"))
        .count();
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

  private List<Snapshot> reaperAlerts() throws Exception {
    List<Snapshot> out = new ArrayList<>();
    for (Snapshot a : db.collection(FirestorePaths.routerAlerts()).get()) {
      if ("stale_jobs_reaped".equals(a.getString("type"))) {
        out.add(a);
      }
    }
    return out;
  }

  // ---- polling rescue

  @Test
  void lostWebhookCompletesThroughPollingWithItsMediaAndTheHoldCaptured() throws Exception {
    Submitted s = submit("nil", "a fox #nowebhook");
    String task = task("nil", s.id());
    awaitPrediction(task, PredictionStatus.SUCCEEDED);

    // One minute on, the item is not quiet yet: nobody asks the provider.
    JsonObject early = runAt(Duration.ofMinutes(1));
    assertEquals(0, n(early, "polled"), early.toString());
    assertEquals("generating", item("nil", s.id()).getString("status"));
    assertEquals(0, getRequests(task));

    JsonObject run = runAt(Duration.ofMinutes(6));
    assertEquals(1, n(run, "polled"), run.toString());
    assertEquals(1, n(run, "rescuedCompleted"));
    assertTrue(run.get("finished").getAsBoolean());
    assertTrue(run.get("alerted").getAsBoolean());
    Snapshot item = item("nil", s.id());
    assertEquals("completed", item.getString("status"));
    assertNotNull(item.getTimestamp("completedAt"));
    List<?> images = (List<?>) item.get("images");
    assertEquals(1, images.size());
    Map<?, ?> image = (Map<?, ?>) images.get(0);
    assertEquals("generations/nil/" + s.id() + "/" + s.id() + "-0.png", image.get("storagePath"));
    HttpResponse<byte[]> media =
        http.send(
            HttpRequest.newBuilder(URI.create((String) image.get("url"))).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, media.statusCode());
    assertArrayEquals(
        new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(media.body(), 4));
    assertEquals(1, stored("nil", s.id()).size());
    assertEquals("CONFIRMED", ledgerStatus("nil", GenerationService.holdEntryId(s.id())));
    assertEquals(98, balance("nil"));
    assertBalanceMatchesLedger("nil");
    List<Snapshot> alerts = reaperAlerts();
    assertEquals(1, alerts.size());
    assertEquals("warning", alerts.get(0).getString("severity"));

    // A second run finds nothing.
    JsonObject again = runAt(Duration.ofMinutes(7));
    assertEquals(0, n(again, "polled"), again.toString());
    assertEquals(0, repaired(again));
    assertEquals(1, getRequests(task));
  }

  @Test
  void failedPredictionFoundByPollingFailsTheItemAndReversesTheHold() throws Exception {
    Submitted s = submit("fay", "this will #fail and #nowebhook");
    String task = task("fay", s.id());
    awaitPrediction(task, PredictionStatus.FAILED);
    assertEquals(98, balance("fay"));

    JsonObject run = runAt(Duration.ofMinutes(6));
    assertEquals(1, n(run, "rescuedFailed"), run.toString());
    Snapshot item = item("fay", s.id());
    assertEquals("failed", item.getString("status"));
    assertEquals(GenerationError.PROVIDER_FAILED, item.getString("error.code"));
    assertEquals("REVERSED", ledgerStatus("fay", GenerationService.holdEntryId(s.id())));
    assertEquals(100, balance("fay"));
    assertBalanceMatchesLedger("fay");
    assertTrue(stored("fay", s.id()).isEmpty());
  }

  @Test
  void stillRunningJobIsPolledOncePerQuietWindow() throws Exception {
    Submitted s = submit("sam", "take it #slow");
    String task = task("sam", s.id());
    Instant first = t0.plus(Duration.ofMinutes(6));

    JsonObject one = run(reaper(new TestClock(first), 50, BUDGET));
    assertEquals(1, n(one, "polled"), one.toString());
    assertEquals(1, n(one, "stillRunning"));
    assertEquals(0, repaired(one));
    assertFalse(one.get("alerted").getAsBoolean());
    assertEquals(1, getRequests(task), "asked once in the run");
    Snapshot item = item("sam", s.id());
    assertEquals("generating", item.getString("status"));
    assertEquals(first, item.getTimestamp("polledAt"));
    assertEquals("PENDING", ledgerStatus("sam", GenerationService.holdEntryId(s.id())));

    // The next run, within five minutes of the poll: it waits.
    JsonObject two = run(reaper(new TestClock(first.plus(Duration.ofMinutes(4))), 50, BUDGET));
    assertEquals(0, n(two, "polled"), two.toString());
    assertEquals(1, n(two, "waiting"));
    assertEquals(1, getRequests(task));

    // Five minutes after the poll it is asked again.
    Instant third = first.plus(Duration.ofMinutes(5)).plusSeconds(1);
    JsonObject three = run(reaper(new TestClock(third), 50, BUDGET));
    assertEquals(1, n(three, "polled"), three.toString());
    assertEquals(2, getRequests(task));
    assertEquals(third, item("sam", s.id()).getTimestamp("polledAt"));
    assertEquals(98, balance("sam"));
    assertTrue(reaperAlerts().isEmpty(), "nothing was repaired");
  }

  // ---- stale rule

  @Test
  void stuckJobTimesOutWithItsHoldReversedAndTheProviderToldToCancel() throws Exception {
    Submitted s = submit("tim", "forever #slow");
    String task = task("tim", s.id());
    undispatchedItem("tim", "never-sent");
    assertEquals(96, balance("tim"));

    // Within the 30 minutes nothing times out.
    JsonObject young = runAt(Duration.ofMinutes(29));
    assertEquals(0, n(young, "timedOut"), young.toString());
    assertEquals(1, n(young, "undispatched"));

    JsonObject run = runAt(Duration.ofMinutes(31));
    assertEquals(2, n(run, "timedOut"), run.toString());
    assertEquals(1, n(run, "cancelsSent"));
    assertEquals(0, n(run, "rescuedCompleted") + n(run, "rescuedFailed"));
    for (String id : List.of(s.id(), "never-sent")) {
      Snapshot item = item("tim", id);
      assertEquals("failed", item.getString("status"), id);
      assertEquals(GenerationError.TIMED_OUT, item.getString("error.code"), id);
      assertEquals("REVERSED", ledgerStatus("tim", GenerationService.holdEntryId(id)), id);
    }
    assertEquals(100, balance("tim"));
    assertBalanceMatchesLedger("tim");
    assertEquals(1, cancelRequests(task));
    assertEquals(
        PredictionStatus.CANCELED,
        rig.standIn("replicate").prediction(task).orElseThrow().status());
    assertEquals(1, reaperAlerts().size());

    JsonObject again = runAt(Duration.ofMinutes(32));
    assertEquals(0, repaired(again), again.toString());
    assertEquals(0, n(again, "polled"));
    assertEquals(1, cancelRequests(task));
  }

  // ---- orphaned holds

  @Test
  void orphanedHoldsAreReversedAndLiveOnesLeftAlone() throws Exception {
    credits.openAccount("orph");
    hold("orph", GenerationService.holdEntryId("gone"), 3, "gone");
    hold("orph", GenerationService.holdEntryId("done"), 4, "done");
    writeItem(item("orph", "done", GenerationStatus.FAILED, "sys_hold_done").build(), true);
    hold("orph", GenerationService.holdEntryId("live"), 5, "live");
    Instant runAt = t0.plus(Duration.ofMinutes(31));
    // Live: created a minute before the run (not quiet, not stale), still generating.
    writeItem(
        item("orph", "live", GenerationStatus.GENERATING, "sys_hold_live")
            .createdAt(runAt.minus(Duration.ofMinutes(1)))
            .updatedAt(runAt.minus(Duration.ofMinutes(1)))
            .build(),
        false);
    assertEquals(88, balance("orph"));

    // Holds younger than the window are left alone, orphaned or not.
    JsonObject young = runAt(Duration.ofMinutes(10));
    assertEquals(0, n(young, "holdsReversed"), young.toString());

    JsonObject run = run(reaper(new TestClock(runAt), 50, BUDGET));
    assertEquals(2, n(run, "holdsReversed"), run.toString());
    assertEquals(1, n(run, "holdsLive"));
    assertEquals(0, n(run, "timedOut"));
    assertEquals("REVERSED", ledgerStatus("orph", "sys_hold_gone"));
    assertEquals("REVERSED", ledgerStatus("orph", "sys_hold_done"));
    assertEquals("PENDING", ledgerStatus("orph", "sys_hold_live"));
    assertEquals(95, balance("orph"));
    assertBalanceMatchesLedger("orph");
    assertEquals("generating", item("orph", "live").getString("status"));
    assertEquals(1, reaperAlerts().size());

    JsonObject again = run(reaper(new TestClock(runAt.plusSeconds(60)), 50, BUDGET));
    assertEquals(0, n(again, "holdsReversed"), again.toString());
    assertEquals(1, n(again, "holdsLive"));
    assertEquals(95, balance("orph"));
  }

  @Test
  void aPendingHoldOfACompletedItemIsCapturedNotReversed() throws Exception {
    credits.openAccount("kept");
    hold("kept", GenerationService.holdEntryId("made"), 6, "made");
    writeItem(item("kept", "made", GenerationStatus.COMPLETED, "sys_hold_made").build(), true);
    assertEquals(94, balance("kept"));

    JsonObject run = runAt(Duration.ofMinutes(31));
    assertEquals(1, n(run, "holdsCaptured"), run.toString());
    assertEquals(0, n(run, "holdsReversed"));
    assertEquals(1, repaired(run));
    assertEquals("CONFIRMED", ledgerStatus("kept", "sys_hold_made"));
    // The user has the result: the credits stay spent.
    assertEquals(94, balance("kept"));
    assertBalanceMatchesLedger("kept");
    assertEquals(1, reaperAlerts().size());

    JsonObject again = runAt(Duration.ofMinutes(41));
    assertEquals(0, repaired(again), again.toString());
    assertEquals("CONFIRMED", ledgerStatus("kept", "sys_hold_made"));
  }

  // ---- concurrency

  @Test
  void twoConcurrentRunsSettleEachItemOnceAndReverseEachHoldOnce() throws Exception {
    List<String> users = List.of("c0", "c1", "c2");
    List<Submitted> lost = new ArrayList<>();
    for (String uid : users) {
      lost.add(submit(uid, "lost #nowebhook"));
      undispatchedItem(uid, "stuck-" + uid);
      hold(uid, "sys_hold_orphan-" + uid, 7, "orphan-" + uid);
    }
    for (int i = 0; i < users.size(); i++) {
      awaitPrediction(task(users.get(i), lost.get(i).id()), PredictionStatus.SUCCEEDED);
    }
    TestClock clock = new TestClock(t0.plus(Duration.ofMinutes(31)));
    // Two instances with small pages, so their pages interleave.
    LoopbackHttpHost a = reaper(clock, 2, BUDGET);
    LoopbackHttpHost b = reaper(clock, 2, BUDGET);
    CountDownLatch go = new CountDownLatch(1);
    CompletableFuture<JsonObject> ra = CompletableFuture.supplyAsync(() -> runAfter(go, a));
    CompletableFuture<JsonObject> rb = CompletableFuture.supplyAsync(() -> runAfter(go, b));
    go.countDown();
    JsonObject sa = ra.get();
    JsonObject sb = rb.get();
    String both = sa + " " + sb;

    assertEquals(3, n(sa, "rescuedCompleted") + n(sb, "rescuedCompleted"), both);
    assertEquals(3, n(sa, "timedOut") + n(sb, "timedOut"), both);
    assertEquals(3, n(sa, "holdsReversed") + n(sb, "holdsReversed"), both);
    assertEquals(0, n(sa, "rescuedFailed") + n(sb, "rescuedFailed"), both);
    for (int i = 0; i < users.size(); i++) {
      String uid = users.get(i);
      String id = lost.get(i).id();
      assertEquals("completed", item(uid, id).getString("status"));
      assertEquals("CONFIRMED", ledgerStatus(uid, GenerationService.holdEntryId(id)));
      assertEquals(1, stored(uid, id).size());
      assertEquals("failed", item(uid, "stuck-" + uid).getString("status"));
      assertEquals("REVERSED", ledgerStatus(uid, "sys_hold_stuck-" + uid));
      assertEquals("REVERSED", ledgerStatus(uid, "sys_hold_orphan-" + uid));
      // Opening grant 100, the rescued job's 2 spent, the rest back.
      assertEquals(98, balance(uid), uid);
      assertBalanceMatchesLedger(uid);
    }
    assertEquals(1, reaperAlerts().size(), "one alert for the window");

    // A later run finds nothing left to do.
    clock.set(clock.peek().plus(Duration.ofMinutes(10)));
    JsonObject again = run(a);
    assertEquals(0, repaired(again), again.toString());
    assertEquals(0, n(again, "polled"));
  }

  @Test
  void twoConcurrentRunsReverseEachOrphanedHoldOnce() throws Exception {
    // Only orphaned holds, so both runs reach the hold phase together and contend for the same
    // entries and balances.
    List<String> users = List.of("h0", "h1", "h2");
    for (String uid : users) {
      credits.openAccount(uid);
      for (int i = 0; i < 5; i++) {
        hold(uid, "sys_hold_orphan-" + i, 1 + i, "orphan-" + i);
      }
      assertEquals(85, balance(uid));
    }
    TestClock clock = new TestClock(t0.plus(Duration.ofMinutes(31)));
    LoopbackHttpHost a = reaper(clock, 2, BUDGET);
    LoopbackHttpHost b = reaper(clock, 2, BUDGET);
    CountDownLatch go = new CountDownLatch(1);
    CompletableFuture<JsonObject> ra = CompletableFuture.supplyAsync(() -> runAfter(go, a));
    CompletableFuture<JsonObject> rb = CompletableFuture.supplyAsync(() -> runAfter(go, b));
    go.countDown();
    JsonObject sa = ra.get();
    JsonObject sb = rb.get();
    String both = sa + " " + sb;

    assertEquals(15, n(sa, "holdsReversed") + n(sb, "holdsReversed"), both);
    for (String uid : users) {
      for (int i = 0; i < 5; i++) {
        assertEquals("REVERSED", ledgerStatus(uid, "sys_hold_orphan-" + i));
      }
      assertEquals(100, balance(uid), uid);
      assertBalanceMatchesLedger(uid);
    }
    assertEquals(1, reaperAlerts().size(), "one alert for the window");
  }

  private static JsonObject runAfter(CountDownLatch go, LoopbackHttpHost reaper) {
    try {
      go.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return run(reaper);
  }

  // ---- bounded batches

  @Test
  void moreItemsThanOnePageAreAllReapedInOneRun() throws Exception {
    for (int i = 0; i < 7; i++) {
      undispatchedItem("many", "item-" + i);
    }
    assertEquals(86, balance("many"));
    JsonObject run = run(reaper(new TestClock(t0.plus(Duration.ofMinutes(31))), 3, BUDGET));
    assertEquals(7, n(run, "timedOut"), run.toString());
    assertEquals(7, n(run, "undispatched"));
    assertTrue(run.get("finished").getAsBoolean());
    assertEquals(100, balance("many"));
    assertBalanceMatchesLedger("many");
  }

  @Test
  void aDeadlineStopsTheRunEarlyAndTheNextRunResumes() throws Exception {
    int items = 7;
    for (int i = 0; i < items; i++) {
      undispatchedItem("late", "item-" + i);
    }
    // A clock that moves a second at every reading and a budget of 15.5 s: the run reads the clock
    // before every page and every document, so it stops part-way through the stale phase.
    TestClock ticking =
        new TestClock(t0.plus(Duration.ofMinutes(31))).ticking(Duration.ofSeconds(1));
    JsonObject first = run(reaper(ticking, 3, Duration.ofMillis(15_500)));
    assertFalse(first.get("finished").getAsBoolean(), first.toString());
    int done = n(first, "timedOut");
    assertTrue(done > 0 && done < items, first.toString());
    assertEquals(0, n(first, "holdsReversed"), "the hold phase did not start");

    JsonObject second = run(reaper(new TestClock(t0.plus(Duration.ofMinutes(32))), 3, BUDGET));
    assertEquals(items - done, n(second, "timedOut"), second.toString());
    assertTrue(second.get("finished").getAsBoolean());
    for (int i = 0; i < items; i++) {
      assertEquals("failed", item("late", "item-" + i).getString("status"));
    }
    assertEquals(100, balance("late"));
    assertBalanceMatchesLedger("late");

    JsonObject third = run(reaper(new TestClock(t0.plus(Duration.ofMinutes(33))), 3, BUDGET));
    assertEquals(0, repaired(third), third.toString());
  }
}
