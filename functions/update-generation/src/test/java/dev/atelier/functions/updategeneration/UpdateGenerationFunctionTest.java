package dev.atelier.functions.updategeneration;

import static dev.atelier.testsupport.HttpAssertions.assertError;
import static dev.atelier.testsupport.HttpAssertions.json;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.atelier.credits.CreditService;
import dev.atelier.credits.LedgerType;
import dev.atelier.credits.Posting;
import dev.atelier.emulator.Counters;
import dev.atelier.emulator.junit.EmulatorHandle;
import dev.atelier.emulator.junit.FirestoreEmulatorExtension;
import dev.atelier.firestore.Database;
import dev.atelier.firestore.Snapshot;
import dev.atelier.generations.CreatedBy;
import dev.atelier.generations.GenerationError;
import dev.atelier.generations.GenerationItem;
import dev.atelier.generations.GenerationParams;
import dev.atelier.generations.GenerationStatus;
import dev.atelier.generations.GenerationType;
import dev.atelier.generations.ImageMedia;
import dev.atelier.generations.Visibility;
import dev.atelier.lifecycle.GenerationService;
import dev.atelier.platform.Config;
import dev.atelier.providers.PredictionRequest;
import dev.atelier.providers.PredictionStatus;
import dev.atelier.providers.ProviderException;
import dev.atelier.store.Documents;
import dev.atelier.store.FirestorePaths;
import dev.atelier.testsupport.GenerationRig;
import dev.atelier.testsupport.HostileInputs;
import dev.atelier.testsupport.IdTokens;
import dev.atelier.testsupport.LoopbackHttpHost;
import dev.atelier.users.AccountStatus;
import dev.atelier.users.ProviderId;
import dev.atelier.users.UserMetadata;
import dev.atelier.users.UserProfile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * update-generation against the real pipeline: the Firestore emulator with the seeded catalog,
 * items and HOLDs written with the production codec and CreditService, and a stand-in Replicate
 * provider running real predictions that a cancel has to stop.
 */
@ExtendWith(FirestoreEmulatorExtension.class)
class UpdateGenerationFunctionTest {

  private static final String FUNCTION = "update-generation";
  private static final String MODEL = "flux-schnell";
  private static final String PROVIDER = "replicate";
  private static final String PROVIDER_MODEL = "black-forest-labs/flux-schnell";

  /** flux-schnell: 2 credits per output, 2 outputs. */
  private static final long COST = 4;

  /** The FREE plan's opening grant (seed/catalog.json). */
  private static final long FREE_CREDITS = 100;

  /**
   * A call the rate limiter lets through counts itself in its minute and hour windows: two writes.
   */
  private static final long LIMITER_WRITES = 2;

  private static final Gson GSON =
      new GsonBuilder().disableHtmlEscaping().serializeNulls().create();
  private static final int HOSTILE_BATCH = 8;

  private final List<String> standInLog = new CopyOnWriteArrayList<>();
  private EmulatorHandle emulator;
  private Database db;
  private GenerationRig rig;
  private LoopbackHttpHost host;

  @BeforeEach
  void start(EmulatorHandle emulator) throws IOException {
    this.emulator = emulator;
    this.db = emulator.database();
    // #slow predictions outlive every test: a cancel always finds them running.
    rig =
        GenerationRig.start(
            emulator,
            GenerationRig.options(Duration.ofSeconds(1), Duration.ofMinutes(5))
                .withLog(standInLog::add));
    host = serve(Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    rig.close();
  }

  // ---------------------------------------------------------------------------------------------
  // 1. visibility

  @Test
  void ownerMovesACompletedItemBetweenPublicUnlistedAndPrivate() {
    item("owner1", "img1", GenerationStatus.COMPLETED, Visibility.PRIVATE, List.of("sea"), null);

    HttpResponse<String> pub = update("owner1", body("id", "img1", "visibility", "public"));
    assertEquals(200, pub.statusCode(), pub.body());
    assertEquals("public", json(pub).get("visibility").getAsString());
    assertTrue(json(pub).get("isPublic").getAsBoolean());
    assertEquals("public", stored("owner1", "img1").getString("visibility"));
    assertEquals(Boolean.TRUE, stored("owner1", "img1").getBoolean("isPublic"));

    assertEquals(200, update("owner1", body("id", "img1", "visibility", "unlisted")).statusCode());
    assertEquals("unlisted", stored("owner1", "img1").getString("visibility"));
    assertEquals(
        Boolean.FALSE, stored("owner1", "img1").getBoolean("isPublic"), "unlisted is never listed");

    assertEquals(200, update("owner1", body("id", "img1", "visibility", "private")).statusCode());
    Snapshot after = stored("owner1", "img1");
    assertEquals("private", after.getString("visibility"));
    assertEquals(Boolean.FALSE, after.getBoolean("isPublic"));
    assertEquals("completed", after.getString("status"));
    assertEquals(List.of("sea"), after.get("tags"), "a visibility change leaves the tags alone");
    assertEquals("CONFIRMED", holdStatus("owner1", "img1"), "and the credits");
    assertEquals(FREE_CREDITS - COST, balance("owner1"));
  }

  // ---------------------------------------------------------------------------------------------
  // 2. ownership

  @Test
  void anotherUsersItemIsNotFoundAndUntouched() throws Exception {
    String task = slowPrediction();
    item("alice", "a-done", GenerationStatus.COMPLETED, Visibility.PRIVATE, List.of("mine"), null);
    item("alice", "a-run", GenerationStatus.GENERATING, Visibility.PRIVATE, List.of(), task);
    Map<String, Object> doneBefore = stored("alice", "a-done").getData();
    Map<String, Object> runBefore = stored("alice", "a-run").getData();
    long aliceBalance = balance("alice");

    HttpResponse<String> missing =
        update("mallory", body("id", "no-such-item", "visibility", "public"));
    assertError(missing, 404, "NOT_FOUND");
    List<String> attempts =
        List.of(
            body("id", "a-done", "visibility", "public"),
            body("id", "a-done", "tags", List.of("pwned")),
            body("id", "a-done", "deleted", true),
            body("id", "a-run", "cancel", true));
    for (String attempt : attempts) {
      emulator.resetCounters();
      HttpResponse<String> r = update("mallory", attempt);
      assertError(r, 404, "NOT_FOUND");
      assertEquals(
          missing.body(),
          r.body(),
          "another user's item looks exactly like a missing one: " + attempt);
      assertWroteOnlyLimiterWindows(emulator.counters());
    }
    assertEquals(
        attempts.size() + 1,
        limiterCount("mallory"),
        "each attempt counted against mallory's limit");
    assertEquals(doneBefore, stored("alice", "a-done").getData());
    assertEquals(runBefore, stored("alice", "a-run").getData());
    assertEquals(aliceBalance, balance("alice"));
    assertEquals("PENDING", holdStatus("alice", "a-run"));
    assertEquals(0, cancelRequests(task), "no cancel reached the provider");
    assertEquals(PredictionStatus.PROCESSING, awaitStarted(task));
  }

  // ---------------------------------------------------------------------------------------------
  // 3. only completed items can be shown

  @Test
  void onlyACompletedItemCanBecomePublicOrUnlistedButAnyCanBecomePrivate() throws Exception {
    // Submitted with visibility public, then still running, failed or cancelled.
    item(
        "u3",
        "running",
        GenerationStatus.GENERATING,
        Visibility.PUBLIC,
        List.of(),
        slowPrediction());
    item("u3", "failed", GenerationStatus.FAILED, Visibility.PUBLIC, List.of(), "task-failed");
    item(
        "u3",
        "cancelled",
        GenerationStatus.CANCELLED,
        Visibility.PUBLIC,
        List.of(),
        "task-cancelled");
    for (String id : List.of("running", "failed", "cancelled")) {
      for (String visibility : List.of("public", "unlisted")) {
        Map<String, Object> before = stored("u3", id).getData();
        emulator.resetCounters();
        HttpResponse<String> r = update("u3", body("id", id, "visibility", visibility));
        assertError(r, 409, "CONFLICT");
        assertEquals(before.get("status"), details(r).get("status").getAsString());
        assertWroteOnlyLimiterWindows(emulator.counters());
        assertEquals(before, stored("u3", id).getData(), id + " → " + visibility);
      }
    }
    for (String id : List.of("running", "failed", "cancelled")) {
      String status = stored("u3", id).getString("status");
      HttpResponse<String> r = update("u3", body("id", id, "visibility", "private"));
      assertEquals(200, r.statusCode(), r.body());
      Snapshot after = stored("u3", id);
      assertEquals("private", after.getString("visibility"));
      assertEquals(Boolean.FALSE, after.getBoolean("isPublic"));
      assertEquals(status, after.getString("status"), "making it private changes nothing else");
    }
    assertEquals("PENDING", holdStatus("u3", "running"), "the running job keeps its hold");
  }

  // ---------------------------------------------------------------------------------------------
  // 4. tags

  @Test
  void tagsAreTrimmedLowerCasedAndDeduplicated() {
    item("u4", "t1", GenerationStatus.COMPLETED, Visibility.PUBLIC, List.of("old"), null);

    HttpResponse<String> r =
        update("u4", body("id", "t1", "tags", List.of("  Cats ", "cats", "DOGS", "dogs ", "ÉTÉ")));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(List.of("cats", "dogs", "été"), stored("u4", "t1").get("tags"));

    // Twelve given, ten once deduplicated: the limit counts distinct tags; 32 characters is
    // allowed.
    List<String> twelve = new ArrayList<>();
    IntStream.range(0, 9).forEach(i -> twelve.add("tag" + i));
    twelve.add("x".repeat(32));
    twelve.add("TAG0");
    twelve.add(" tag1");
    assertEquals(200, update("u4", body("id", "t1", "tags", twelve)).statusCode());
    List<String> ten = new ArrayList<>(twelve.subList(0, 10));
    assertEquals(ten, stored("u4", "t1").get("tags"));

    assertEquals(200, update("u4", body("id", "t1", "tags", List.of())).statusCode());
    assertEquals(List.of(), stored("u4", "t1").get("tags"), "an empty list clears the tags");
    assertEquals(
        "public", stored("u4", "t1").getString("visibility"), "tags leave visibility alone");
  }

  @Test
  void tooManyTagsOrATooLongTagIsRejectedWithAFieldErrorAndWritesNothing() {
    item("u4b", "t2", GenerationStatus.COMPLETED, Visibility.PRIVATE, List.of("keep"), null);
    Map<String, Object> before = stored("u4b", "t2").getData();
    List<List<String>> refused =
        List.of(
            IntStream.range(0, 11).mapToObj(i -> "tag" + i).toList(),
            List.of("ok", "y".repeat(33)),
            List.of("ok", " " + "z".repeat(33) + " "),
            List.of("ok", "   "),
            List.of(""),
            IntStream.range(0, 51).mapToObj(i -> "t").toList());
    for (List<String> tags : refused) {
      emulator.resetCounters();
      HttpResponse<String> r = update("u4b", body("id", "t2", "tags", tags));
      assertError(r, 400, "INVALID_ARGUMENT");
      assertTrue(fields(r).has("tags"), r.body());
      assertNothingWritten(emulator.counters());
    }
    assertEquals(before, stored("u4b", "t2").getData());
    assertEquals(0, limiterCount("u4b"), "a refused body does not even reach the rate limiter");
  }

  // ---------------------------------------------------------------------------------------------
  // 5. soft delete

  @Test
  void softDeleteKeepsTheItemAndNothingChangesItAfterwards() throws Exception {
    item("u5", "d1", GenerationStatus.COMPLETED, Visibility.PUBLIC, List.of("gone"), null);
    Map<String, Object> original = stored("u5", "d1").getData();
    Instant sent = Instant.now();

    HttpResponse<String> r = update("u5", body("id", "d1", "deleted", true));
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(json(r).get("isDeleted").getAsBoolean());
    Snapshot deleted = stored("u5", "d1");
    assertTrue(deleted.exists(), "soft delete: the document stays");
    assertEquals(Boolean.TRUE, deleted.getBoolean("isDeleted"));
    Instant deletedAt = deleted.getTimestamp("deletedAt");
    assertNotNull(deletedAt, "deletedAt is set");
    assertEquals(
        deleted.getTimestamp("updatedAt"), deletedAt, "the server's commit time, as updatedAt");
    Instant at = deletedAt;
    assertTrue(
        !at.isBefore(sent.minusSeconds(5)) && !at.isAfter(Instant.now().plusSeconds(5)),
        "deletedAt " + at);
    for (String field :
        List.of(
            "prompt", "model", "status", "images", "tags", "cost", "holdEntryId", "createdAt")) {
      assertEquals(original.get(field), deleted.get(field), field + " is kept");
    }
    assertEquals("CONFIRMED", holdStatus("u5", "d1"), "deleting spends or returns nothing");

    Map<String, Object> afterDelete = deleted.getData();
    for (String change :
        List.of(
            body("id", "d1", "visibility", "private"),
            body("id", "d1", "visibility", "public"),
            body("id", "d1", "tags", List.of("back")),
            body("id", "d1", "cancel", true),
            body("id", "d1", "deleted", true, "visibility", "private"))) {
      emulator.resetCounters();
      assertError(update("u5", change), 404, "NOT_FOUND");
      assertWroteOnlyLimiterWindows(emulator.counters());
    }
    emulator.resetCounters();
    HttpResponse<String> again = update("u5", body("id", "d1", "deleted", true));
    assertEquals(200, again.statusCode(), again.body());
    assertWroteOnlyLimiterWindows(emulator.counters());
    assertEquals(
        afterDelete,
        stored("u5", "d1").getData(),
        "deleting again changes nothing, not even deletedAt");
  }

  // ---------------------------------------------------------------------------------------------
  // 6. cancel

  @Test
  void cancelStopsTheJobReversesTheHoldAndTellsTheProvider() throws Exception {
    String task = slowPrediction();
    awaitStarted(task);
    item("u6", "job", GenerationStatus.GENERATING, Visibility.PRIVATE, List.of(), task);
    assertEquals(FREE_CREDITS - COST, balance("u6"), "the HOLD took the cost");

    HttpResponse<String> r = update("u6", body("id", "job", "cancel", true));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("cancelled", json(r).get("status").getAsString());
    assertEquals("cancelled", stored("u6", "job").getString("status"));
    Snapshot hold = entry("u6", GenerationService.holdEntryId("job"));
    assertEquals("REVERSED", hold.getString("status"));
    assertEquals(0L, hold.getLong("appliedAmount"), "a reversed hold contributes nothing");
    assertEquals(FREE_CREDITS, balance("u6"), "the balance is back where it was before the HOLD");
    assertEquals(FREE_CREDITS, hold.getLong("balanceAfter"));
    assertBalanceIsSumOfLedger("u6");
    assertEquals(
        PredictionStatus.CANCELED, rig.standIn(PROVIDER).prediction(task).orElseThrow().status());
    assertEquals(1, cancelRequests(task));

    Map<String, Object> cancelled = stored("u6", "job").getData();
    emulator.resetCounters();
    HttpResponse<String> again = update("u6", body("id", "job", "cancel", true));
    assertEquals(200, again.statusCode(), again.body());
    assertEquals("cancelled", json(again).get("status").getAsString());
    assertWroteOnlyLimiterWindows(emulator.counters());
    assertEquals(cancelled, stored("u6", "job").getData());
    assertEquals(FREE_CREDITS, balance("u6"));
    assertEquals(1, cancelRequests(task), "a second cancel is not sent to the provider");

    item("u6", "done", GenerationStatus.COMPLETED, Visibility.PRIVATE, List.of(), null);
    Map<String, Object> done = stored("u6", "done").getData();
    long balance = balance("u6");
    emulator.resetCounters();
    HttpResponse<String> late = update("u6", body("id", "done", "cancel", true));
    assertError(late, 409, "CONFLICT");
    assertEquals("completed", details(late).get("status").getAsString());
    assertWroteOnlyLimiterWindows(emulator.counters());
    assertEquals(done, stored("u6", "done").getData());
    assertEquals("CONFIRMED", holdStatus("u6", "done"));
    assertEquals(balance, balance("u6"));
  }

  @Test
  void cancelReversesTheHoldEvenWhenTheProviderCallFailsOrNoTaskExistsYet() {
    // The provider does not know the task (its cancel answers 404), and a job cancelled before
    // dispatch recorded one.
    item(
        "u6b",
        "unknown-task",
        GenerationStatus.GENERATING,
        Visibility.PRIVATE,
        List.of(),
        "unknowntask0000");
    item("u6b", "not-dispatched", GenerationStatus.GENERATING, Visibility.PRIVATE, List.of(), null);
    assertEquals(FREE_CREDITS - 2 * COST, balance("u6b"));
    for (String id : List.of("unknown-task", "not-dispatched")) {
      HttpResponse<String> r = update("u6b", body("id", id, "cancel", true));
      assertEquals(200, r.statusCode(), id + ": " + r.body());
      assertEquals("cancelled", stored("u6b", id).getString("status"));
      assertEquals("REVERSED", holdStatus("u6b", id));
    }
    assertEquals(FREE_CREDITS, balance("u6b"));
    assertBalanceIsSumOfLedger("u6b");
    assertEquals(
        1,
        standInLog.stream().filter(line -> line.contains("/cancel")).count(),
        "only the dispatched job was cancelled at the provider");
  }

  // ---------------------------------------------------------------------------------------------
  // 7. concurrency

  @Test
  void tenParallelCancelsReverseTheHoldExactlyOnce() throws Exception {
    String task = slowPrediction();
    item("u7", "job", GenerationStatus.GENERATING, Visibility.PRIVATE, List.of(), task);
    List<HttpResponse<String>> answers =
        parallel(
            IntStream.range(0, 10)
                .mapToObj(i -> new Call("u7", body("id", "job", "cancel", true)))
                .toList());
    for (HttpResponse<String> r : answers) {
      assertEquals(200, r.statusCode(), r.body());
      assertEquals("cancelled", json(r).get("status").getAsString());
    }
    assertEquals("cancelled", stored("u7", "job").getString("status"));
    assertEquals(
        FREE_CREDITS,
        balance("u7"),
        "restored once (twice would be " + (FREE_CREDITS + COST) + ")");
    Snapshot hold = entry("u7", GenerationService.holdEntryId("job"));
    assertEquals("REVERSED", hold.getString("status"));
    assertEquals(0L, hold.getLong("appliedAmount"));
    assertEquals(2, ledger("u7").size(), "the opening grant and the hold, nothing more");
    assertBalanceIsSumOfLedger("u7");
    assertEquals(1, cancelRequests(task), "one cancel reached the provider");
    assertEquals(
        PredictionStatus.CANCELED, rig.standIn(PROVIDER).prediction(task).orElseThrow().status());
  }

  @Test
  void cancelRacingVisibilityAndTagChangesEndsInOneConsistentState() throws Exception {
    for (int round = 0; round < 3; round++) {
      String uid = "u7b-" + round;
      String task = slowPrediction();
      // Submitted public, still running: cancel, private and tags are all allowed, public never is.
      item(uid, "job", GenerationStatus.GENERATING, Visibility.PUBLIC, List.of(), task);
      List<Call> calls = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        calls.add(new Call(uid, body("id", "job", "cancel", true)));
        calls.add(new Call(uid, body("id", "job", "visibility", "private")));
        calls.add(new Call(uid, body("id", "job", "tags", List.of("Race", "race "))));
        calls.add(new Call(uid, body("id", "job", "visibility", "public")));
      }
      List<HttpResponse<String>> answers = parallel(calls);
      for (int i = 0; i < calls.size(); i++) {
        HttpResponse<String> r = answers.get(i);
        if (calls.get(i).json().contains("\"public\"")) {
          assertError(r, 409, "CONFLICT");
        } else {
          assertEquals(200, r.statusCode(), calls.get(i).json() + " → " + r.body());
        }
      }
      Snapshot after = stored(uid, "job");
      assertEquals("cancelled", after.getString("status"), "no later write put the status back");
      assertEquals("private", after.getString("visibility"), "no write lost the visibility change");
      assertEquals(Boolean.FALSE, after.getBoolean("isPublic"));
      assertEquals(List.of("race"), after.get("tags"), "no write lost the tags");
      assertEquals("REVERSED", holdStatus(uid, "job"));
      assertEquals(FREE_CREDITS, balance(uid));
      assertBalanceIsSumOfLedger(uid);
      assertEquals(1, cancelRequests(task));
    }
  }

  @Test
  void cancelRacingTheProviderCompletionSettlesTheHoldOneWayOnly() throws Exception {
    GenerationService generations =
        new GenerationService(
            db, new CreditService(db, java.time.Clock.systemUTC()), Clock.systemUTC());
    for (int round = 0; round < 5; round++) {
      String id = "job" + round;
      item("u7c", id, GenerationStatus.GENERATING, Visibility.PRIVATE, List.of(), "task-" + round);
      GenerationService.Outputs outputs =
          new GenerationService.Outputs(List.of(image("u7c", id)), List.of(), List.of(), 0);
      CompletableFuture<GenerationService.Transition> webhook =
          CompletableFuture.supplyAsync(() -> generations.complete("u7c", id, outputs));
      HttpResponse<String> cancel = update("u7c", body("id", id, "cancel", true));
      GenerationService.Transition completion = webhook.join();
      String status = stored("u7c", id).getString("status");
      if (status.equals("cancelled")) {
        assertEquals(200, cancel.statusCode(), cancel.body());
        assertTrue(
            completion instanceof GenerationService.Transition.NotGenerating,
            completion.toString());
        assertEquals("REVERSED", holdStatus("u7c", id));
        assertEquals(
            List.of(), stored("u7c", id).get("images"), "a cancelled item stores no media");
      } else {
        assertEquals("completed", status);
        assertError(cancel, 409, "CONFLICT");
        assertTrue(completion instanceof GenerationService.Transition.Done, completion.toString());
        assertEquals("CONFIRMED", holdStatus("u7c", id));
      }
    }
    assertBalanceIsSumOfLedger("u7c");
  }

  // ---------------------------------------------------------------------------------------------
  // 8. no-op

  @Test
  void anUpdateThatChangesNothingWritesNothing() {
    item("u8", "same", GenerationStatus.COMPLETED, Visibility.PUBLIC, List.of("a", "b"), null);
    Map<String, Object> before = stored("u8", "same").getData();
    for (String noop :
        List.of(
            body("id", "same", "visibility", "public"),
            body("id", "same", "tags", List.of(" A", "b", "B ")),
            body("id", "same", "visibility", "public", "tags", List.of("a", "b")))) {
      emulator.resetCounters();
      HttpResponse<String> r = update("u8", noop);
      assertEquals(200, r.statusCode(), r.body());
      assertEquals("public", json(r).get("visibility").getAsString());
      assertWroteOnlyLimiterWindows(emulator.counters());
      assertEquals(before, stored("u8", "same").getData(), "not even updatedAt moves: " + noop);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 9. suspended users

  @Test
  void aSuspendedUserIsRefusedEveryChangeAndNothingIsWritten() throws Exception {
    String task = slowPrediction();
    item("u9", "job", GenerationStatus.GENERATING, Visibility.PRIVATE, List.of(), task);
    item("u9", "done", GenerationStatus.COMPLETED, Visibility.PRIVATE, List.of(), null);
    user("u9", AccountStatus.SUSPENDED);
    Map<String, Object> job = stored("u9", "job").getData();
    Map<String, Object> done = stored("u9", "done").getData();
    for (String change :
        List.of(
            body("id", "job", "cancel", true),
            body("id", "done", "visibility", "public"),
            body("id", "done", "tags", List.of("x")),
            body("id", "done", "deleted", true))) {
      emulator.resetCounters();
      HttpResponse<String> r = update("u9", change);
      assertError(r, 403, "ACCOUNT_SUSPENDED");
      assertNothingWritten(emulator.counters());
    }
    assertEquals(job, stored("u9", "job").getData());
    assertEquals(done, stored("u9", "done").getData());
    assertEquals("PENDING", holdStatus("u9", "job"));
    assertEquals(0, cancelRequests(task));

    user("u9", AccountStatus.ACTIVE);
    assertEquals(
        200,
        update("u9", body("id", "done", "visibility", "public")).statusCode(),
        "restored: allowed again");
  }

  // ---------------------------------------------------------------------------------------------
  // 10. rate limit

  @Test
  void theCallOverTheMinuteLimitIs429WithRetryAfterAndChangesNothing() throws Exception {
    db.update(
        FirestorePaths.systemConfig(), Map.of("config.limits.rateLimit.requestsPerMinute", 3L));
    // A fixed clock 15 s into a minute: all four calls fall in one window, 45 s before its end.
    Instant fixed = Instant.ofEpochSecond(Instant.now().getEpochSecond() / 60 * 60 + 15);
    LoopbackHttpHost limited = serve(Clock.fixed(fixed, ZoneOffset.UTC));
    item("u10", "r", GenerationStatus.COMPLETED, Visibility.PRIVATE, List.of(), null);
    item("u10b", "r", GenerationStatus.COMPLETED, Visibility.PRIVATE, List.of(), null);
    String token = rig.tokens().forUser("u10");
    for (int i = 1; i <= 3; i++) {
      HttpResponse<String> ok = limited.post("", token, body("id", "r", "tags", List.of("t" + i)));
      assertEquals(200, ok.statusCode(), "call " + i + ": " + ok.body());
    }
    emulator.resetCounters();
    HttpResponse<String> fourth = limited.post("", token, body("id", "r", "tags", List.of("t4")));
    assertError(fourth, 429, "RATE_LIMITED");
    assertEquals(
        "45", fourth.headers().firstValue("Retry-After").orElse(""), "seconds to the window's end");
    assertEquals("minute", details(fourth).get("window").getAsString());
    assertEquals(3, details(fourth).get("limit").getAsLong());
    assertNothingWritten(emulator.counters());
    assertEquals(
        List.of("t3"), stored("u10", "r").get("tags"), "the fourth change was not applied");
    HttpResponse<String> other =
        limited.post("", rig.tokens().forUser("u10b"), body("id", "r", "tags", List.of("t")));
    assertEquals(200, other.statusCode(), "the limit is per user: " + other.body());
  }

  // ---------------------------------------------------------------------------------------------
  // 11. hostile input

  @Test
  void hostileRequestsGetTheErrorShapeAndWriteNothing() {
    item("u11", "mine", GenerationStatus.COMPLETED, Visibility.PRIVATE, List.of("keep"), null);
    Map<String, Object> before = stored("u11", "mine").getData();
    long ledgerBefore = ledger("u11").size();
    List<Hostile> cases = new ArrayList<>(fixedHostileCases("u11", "mine"));
    int fixed = cases.size();
    cases.addAll(randomHostileCases(new Random(20_240_611L), "u11", "mine", 240));
    long started = System.nanoTime();
    List<String> failures = new ArrayList<>();
    // Small parallel batches keep it quick; the counters are read after each batch, so a write
    // names its batch.
    for (int from = 0; from < cases.size(); from += HOSTILE_BATCH) {
      List<Hostile> batch = cases.subList(from, Math.min(cases.size(), from + HOSTILE_BATCH));
      emulator.resetCounters();
      List<CompletableFuture<HttpResponse<String>>> answers =
          batch.stream()
              .map(c -> host.client().sendAsync(c.request(), HttpResponse.BodyHandlers.ofString()))
              .toList();
      for (int i = 0; i < batch.size(); i++) {
        try {
          checkRefusal(batch.get(i), answers.get(i).join());
        } catch (AssertionError e) {
          failures.add(e.getMessage());
        }
      }
      Counters counters = emulator.counters();
      if (counters.writes() != 0 || counters.deletes() != 0) {
        failures.add(
            "wrote " + counters + " in the batch of " + batch.stream().map(Hostile::name).toList());
      }
    }
    System.out.printf(
        "update-generation hostile input: %d cases (%d fixed, %d seeded) in %d ms%n",
        cases.size(),
        fixed,
        cases.size() - fixed,
        Duration.ofNanos(System.nanoTime() - started).toMillis());
    assertEquals(
        List.of(), failures, failures.size() + " of " + cases.size() + " refusals went wrong");
    assertEquals(before, stored("u11", "mine").getData());
    assertEquals(ledgerBefore, ledger("u11").size());
    assertEquals(0, limiterCount("u11"));
  }

  /**
   * The answer to {@code c}: its status and code, the SPEC's error shape, and the field it names.
   */
  private static void checkRefusal(Hostile c, HttpResponse<String> r) {
    String what = c.name() + " → " + r.statusCode() + " " + abbreviate(r.body());
    assertEquals(c.status(), r.statusCode(), what);
    JsonObject error = assertErrorShape(r, what);
    assertEquals(c.code(), error.get("code").getAsString(), what);
    if (!c.fields().isEmpty()) {
      JsonObject fields = error.getAsJsonObject("details").getAsJsonObject("fields");
      assertNotNull(fields, what);
      assertTrue(
          c.fields().stream().anyMatch(fields::has),
          "expected an error on one of " + c.fields() + ": " + what);
    }
    if (r.statusCode() == 405) {
      assertEquals("POST", r.headers().firstValue("Allow").orElse(""), what);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 12. cost

  @Test
  void aVisibilityChangeAndACancelCostExactlyTheirBudgetOfDocumentOperations() throws Exception {
    item("u12", "img", GenerationStatus.COMPLETED, Visibility.PRIVATE, List.of(), null);
    item(
        "u12", "job", GenerationStatus.GENERATING, Visibility.PRIVATE, List.of(), slowPrediction());
    emulator.resetCounters();
    assertEquals(200, update("u12", body("id", "img", "visibility", "public")).statusCode());
    Counters visibility = emulator.counters();
    emulator.resetCounters();
    assertEquals(200, update("u12", body("id", "job", "cancel", true)).statusCode());
    Counters cancel = emulator.counters();
    System.out.println(
        "update-generation cost: visibility change " + visibility + ", cancel " + cancel);
    // Both: reads system/config + users/{uid} (one batched read), the two limiter windows, the
    // item; writes the windows and the item.
    assertAll(
        () ->
            assertEquals(
                new Counters(5, LIMITER_WRITES + 1, 0),
                visibility,
                "update-generation, visibility change"),
        // A cancel also reads the hold, its applied record and the balance, and writes all three.
        () ->
            assertEquals(
                new Counters(8, LIMITER_WRITES + 4, 0), cancel, "update-generation, cancel"));
  }

  // =============================================================================================
  // Hostile request tables

  /**
   * One request that must be refused: its status, error code and (for 400s) the fields one of which
   * must be named.
   */
  private record Hostile(
      String name, HttpRequest request, int status, String code, List<String> fields) {}

  private List<Hostile> fixedHostileCases(String uid, String id) {
    String token = rig.tokens().forUser(uid);
    String good = body("id", id, "visibility", "public");
    List<Hostile> cases = new ArrayList<>();
    cases.add(unauthenticated("no token", null, good));
    cases.add(unauthenticated("garbage token", "Bearer " + IdTokens.garbage(), good));
    cases.add(unauthenticated("expired token", "Bearer " + rig.tokens().expired(uid), good));
    cases.add(
        unauthenticated(
            "other project's token", "Bearer " + rig.tokens().wrongAudience(uid), good));
    cases.add(unauthenticated("empty bearer", "Bearer ", good));
    cases.add(unauthenticated("basic scheme", "Basic " + token, good));
    cases.add(unauthenticated("token without scheme", token, good));
    cases.add(unauthenticated("tampered token", "Bearer " + tamper(token), good));
    for (String method : List.of("GET", "PUT", "DELETE", "PATCH")) {
      HttpRequest.BodyPublisher publisher =
          method.equals("GET") || method.equals("DELETE")
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(good);
      cases.add(
          new Hostile(
              method,
              host.request("", token).method(method, publisher).build(),
              405,
              "METHOD_NOT_ALLOWED",
              List.of()));
    }
    cases.add(invalid("not JSON", token, "not json"));
    cases.add(invalid("empty body", token, ""));
    cases.add(invalid("array body", token, "[" + good + "]"));
    cases.add(invalid("null body", token, "null"));
    cases.add(invalid("string body", token, "\"" + id + "\""));
    cases.add(invalid("number body", token, "42"));
    cases.add(invalid("trailing data", token, good + " {}"));
    cases.add(invalid("single quotes", token, "{'id':'" + id + "','cancel':true}"));
    cases.add(invalid("comment", token, "{\"id\":\"" + id + "\",/* x */\"cancel\":true}"));
    cases.add(invalid("trailing comma", token, "{\"id\":\"" + id + "\",\"cancel\":true,}"));
    cases.add(invalid("unquoted key", token, "{id:\"" + id + "\",\"cancel\":true}"));
    cases.add(invalid("NaN", token, "{\"id\":\"" + id + "\",\"cancel\":NaN}"));
    cases.add(invalid("id: 5", token, "{\"id\":5,\"visibility\":\"public\"}", "id"));
    cases.add(invalid("visibility: true", token, body("id", id, "visibility", true), "visibility"));
    cases.add(invalid("tags: \"x\"", token, body("id", id, "tags", "x"), "tags"));
    cases.add(invalid("deleted: \"yes\"", token, body("id", id, "deleted", "yes"), "deleted"));
    cases.add(invalid("cancel: 1", token, body("id", id, "cancel", 1), "cancel"));
    cases.add(
        invalid(
            "unknown field",
            token,
            body("id", id, "visibility", "public", "owner", "mallory"),
            "owner"));
    cases.add(
        invalid("status is not writable", token, body("id", id, "status", "completed"), "status"));
    cases.add(invalid("missing id", token, body("visibility", "public"), "id"));
    cases.add(invalid("id: null", token, body("id", null, "visibility", "public"), "id"));
    cases.add(invalid("{}", token, "{}", "id"));
    for (String bad :
        List.of("a/b", "", ".", "..", "__x__", "/", "x".repeat(2_000), "x".repeat(129))) {
      cases.add(
          invalid("id " + abbreviate(bad), token, body("id", bad, "visibility", "private"), "id"));
    }
    for (String bad : List.of("PUBLIC", "everyone", "Private", " public", "", "null")) {
      cases.add(
          invalid("visibility " + bad, token, body("id", id, "visibility", bad), "visibility"));
    }
    cases.add(invalid("deleted: false", token, body("id", id, "deleted", false), "deleted"));
    cases.add(invalid("cancel: false", token, body("id", id, "cancel", false), "cancel"));
    cases.add(invalid("nothing to change", token, body("id", id), "id"));
    cases.add(invalid("only nulls", token, body("id", id, "visibility", null, "tags", null), "id"));
    cases.add(
        invalid(
            "duplicate key",
            token,
            "{\"id\":\"" + id + "\",\"visibility\":\"private\",\"visibility\":\"public\"}",
            "visibility"));
    cases.add(
        invalid(
            "duplicate id",
            token,
            "{\"id\":\"other\",\"id\":\"" + id + "\",\"cancel\":true}",
            "id"));
    cases.add(
        invalid(
            "nested duplicate",
            token,
            "{\"id\":\"" + id + "\",\"cancel\":true,\"x\":{\"a\":1,\"a\":2}}",
            "a"));
    cases.add(invalid("NUL in id", token, body("id", id + "\u0000", "visibility", "public"), "id"));
    cases.add(invalid("escape in tag", token, body("id", id, "tags", List.of("a\u001bb")), "tags"));
    cases.add(invalid("DEL in tag", token, body("id", id, "tags", List.of("a\u007fb")), "tags"));
    cases.add(
        invalid(
            "lone surrogate in id",
            token,
            "{\"id\":\"" + id + "\\ud800\",\"visibility\":\"public\"}"));
    cases.add(
        invalid("lone surrogate in tag", token, "{\"id\":\"" + id + "\",\"tags\":[\"a\\udc00\"]}"));
    cases.add(
        invalid(
            "deep nesting",
            token,
            "{\"id\":\"" + id + "\",\"tags\":" + "[".repeat(20_000) + "]".repeat(20_000) + "}"));
    cases.add(
        invalid(
            "nesting 17",
            token,
            "{\"id\":\""
                + id
                + "\",\"cancel\":true,\"x\":"
                + "[".repeat(16)
                + "]".repeat(16)
                + "}"));
    cases.add(
        new Hostile(
            "oversize body",
            post(
                token,
                "application/json",
                body("id", id, "tags", List.of("x".repeat(70_000)))
                    .getBytes(StandardCharsets.UTF_8)),
            413,
            "PAYLOAD_TOO_LARGE",
            List.of()));
    cases.add(
        new Hostile(
            "oversize whitespace",
            post(
                token,
                "application/json",
                (good + " ".repeat(65_536)).getBytes(StandardCharsets.UTF_8)),
            413,
            "PAYLOAD_TOO_LARGE",
            List.of()));
    for (String type :
        List.of(
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/jsonp",
            "json",
            "")) {
      cases.add(
          new Hostile(
              "content type '" + type + "'",
              post(token, type, good.getBytes(StandardCharsets.UTF_8)),
              415,
              "UNSUPPORTED_MEDIA_TYPE",
              List.of()));
    }
    for (byte[] bad :
        List.of(
            new byte[] {(byte) 0xFF},
            new byte[] {(byte) 0xC3, 0x28},
            new byte[] {(byte) 0xC0, (byte) 0xAF},
            new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})) {
      cases.add(
          new Hostile(
              "invalid UTF-8 " + hex(bad),
              post(token, "application/json", withBytesInId(id, bad)),
              400,
              "INVALID_ARGUMENT",
              List.of()));
    }
    cases.add(
        new Hostile(
            "Idempotency-Key too long",
            post(
                token,
                "application/json",
                good.getBytes(StandardCharsets.UTF_8),
                "Idempotency-Key",
                "k".repeat(300)),
            400,
            "INVALID_ARGUMENT",
            List.of("Idempotency-Key")));
    return cases;
  }

  /**
   * {@code n} refusals drawn from {@code random}: a valid body for the caller's own completed item
   * spoiled by one to three defects (wrong types, bad values, unknown and missing fields), raw
   * bytes that are no JSON object, bad tokens, methods and content types, and oversized bodies. A
   * defect the function missed would go on to write.
   */
  private List<Hostile> randomHostileCases(Random random, String uid, String id, int n) {
    String token = rig.tokens().forUser(uid);
    List<Hostile> cases = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int kind = random.nextInt(100);
      if (kind < 65) {
        JsonObject json = validBody(random, id);
        List<String> fields = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int defects = 1 + random.nextInt(3);
        for (int d = 0; d < defects; d++) {
          Defect defect = DEFECTS.get(random.nextInt(DEFECTS.size()));
          names.add(defect.name());
          fields.add(defect.apply().apply(json, random));
        }
        cases.add(
            new Hostile(
                "#" + i + " " + names + " " + abbreviate(GSON.toJson(json)),
                post(token, "application/json", GSON.toJson(json).getBytes(StandardCharsets.UTF_8)),
                400,
                "INVALID_ARGUMENT",
                fields));
      } else if (kind < 83) {
        byte[] raw = notAJsonObject(random, validBody(random, id));
        cases.add(
            new Hostile(
                "#" + i + " raw " + abbreviate(new String(raw, StandardCharsets.UTF_8)),
                post(token, "application/json", raw),
                400,
                "INVALID_ARGUMENT",
                List.of()));
      } else if (kind < 95) {
        cases.add(badTransport(random, i, uid, token, GSON.toJson(validBody(random, id))));
      } else {
        String padded =
            random.nextBoolean()
                ? GSON.toJson(validBody(random, id)) + " ".repeat(65_537 + random.nextInt(10_000))
                : body("id", id, "tags", List.of("p".repeat(65_537 + random.nextInt(10_000))));
        cases.add(
            new Hostile(
                "#" + i + " oversize",
                post(token, "application/json", padded.getBytes(StandardCharsets.UTF_8)),
                413,
                "PAYLOAD_TOO_LARGE",
                List.of()));
      }
    }
    return cases;
  }

  /**
   * A body that would succeed on the caller's completed item: its id and one or more valid changes.
   */
  private static JsonObject validBody(Random random, String id) {
    JsonObject json = new JsonObject();
    json.addProperty("id", id);
    do {
      if (random.nextBoolean()) {
        json.addProperty(
            "visibility", List.of("private", "public", "unlisted").get(random.nextInt(3)));
      }
      if (random.nextBoolean()) {
        JsonArray tags = new JsonArray();
        IntStream.range(0, random.nextInt(6))
            .forEach(t -> tags.add(randomWord(random, 1 + random.nextInt(12))));
        json.add("tags", tags);
      }
      if (random.nextInt(4) == 0) {
        json.addProperty("deleted", true);
      }
    } while (json.size() == 1);
    return json;
  }

  /** A spoiling change to a body: returns the field whose error the answer must name. */
  private record Defect(String name, BiFunction<JsonObject, Random, String> apply) {}

  private static final List<String> UNKNOWN_FIELDS =
      List.of(
          "ID",
          "Id",
          "visiblity",
          "tag",
          "delete",
          "canceled",
          "uid",
          "owner",
          "status",
          "isPublic",
          "isDeleted",
          "cost",
          "holdEntryId",
          "__proto__",
          "constructor",
          "",
          " id",
          "id ",
          "deletedAt",
          "providerTaskId");

  private static final List<Defect> DEFECTS =
      List.of(
          new Defect("id wrong type", (json, r) -> set(json, "id", notAString(r, true))),
          new Defect("id bad value", (json, r) -> set(json, "id", new JsonPrimitive(badId(r)))),
          new Defect(
              "id missing",
              (json, r) -> {
                json.remove("id");
                return "id";
              }),
          new Defect(
              "visibility wrong type", (json, r) -> set(json, "visibility", notAString(r, false))),
          new Defect(
              "visibility bad value",
              (json, r) -> set(json, "visibility", new JsonPrimitive(badVisibility(r)))),
          new Defect(
              "tags wrong type",
              (json, r) ->
                  set(
                      json,
                      "tags",
                      r.nextBoolean()
                          ? new JsonPrimitive(randomWord(r, 5))
                          : notAString(r, false))),
          new Defect(
              "tags bad item",
              (json, r) -> {
                JsonArray tags = new JsonArray();
                IntStream.range(0, r.nextInt(4)).forEach(t -> tags.add(randomWord(r, 4)));
                JsonElement bad = r.nextInt(4) == 0 ? JsonNull.INSTANCE : notAString(r, false);
                tags.add(bad);
                return set(json, "tags", tags);
              }),
          new Defect(
              "tags too many",
              (json, r) -> {
                JsonArray tags = new JsonArray();
                IntStream.range(0, 11 + r.nextInt(50)).forEach(t -> tags.add("t" + t));
                return set(json, "tags", tags);
              }),
          new Defect(
              "tag too long",
              (json, r) -> {
                JsonArray tags = new JsonArray();
                tags.add(randomWord(r, 3));
                tags.add(randomWord(r, 33 + r.nextInt(300)));
                return set(json, "tags", tags);
              }),
          new Defect(
              "tag blank",
              (json, r) -> {
                JsonArray tags = new JsonArray();
                tags.add(List.of("", " ", "   ", "\t", " \n ").get(r.nextInt(5)));
                return set(json, "tags", tags);
              }),
          new Defect("deleted bad", (json, r) -> set(json, "deleted", notTrue(r))),
          new Defect("cancel bad", (json, r) -> set(json, "cancel", notTrue(r))),
          new Defect(
              "unknown field",
              (json, r) -> {
                String key = UNKNOWN_FIELDS.get(r.nextInt(UNKNOWN_FIELDS.size()));
                json.add(key, randomValue(r));
                return key;
              }));

  private static String set(JsonObject json, String field, JsonElement value) {
    json.add(field, value);
    return field;
  }

  private static String badId(Random r) {
    return switch (r.nextInt(9)) {
      case 0 -> "";
      case 1 -> ".";
      case 2 -> "..";
      case 3 -> "__" + randomWord(r, 1 + r.nextInt(8)) + "__";
      case 4 -> randomWord(r, 1 + r.nextInt(8)) + "/" + randomWord(r, 1 + r.nextInt(8));
      case 5 -> "/";
      case 6 -> "../" + randomWord(r, 4);
      case 7 -> randomWord(r, 129 + r.nextInt(2_000));
      default ->
          randomWord(r, 3)
              + (char) r.nextInt(0x20)
              + randomWord(r, 3).replace("\n", "").replace("\t", "");
    };
  }

  private static String badVisibility(Random r) {
    return switch (r.nextInt(6)) {
      case 0 -> List.of("PUBLIC", "Public", "PRIVATE", "Unlisted", "UNLISTED").get(r.nextInt(5));
      case 1 -> List.of(" public", "public ", "private\n", "\tunlisted").get(r.nextInt(4));
      case 2 ->
          List.of("everyone", "friends", "hidden", "null", "true", "0", "*").get(r.nextInt(7));
      case 3 -> "";
      case 4 -> randomWord(r, 17 + r.nextInt(40));
      default -> randomWord(r, 1 + r.nextInt(16));
    };
  }

  /**
   * Any JSON value but a string (and, unless {@code allowNull}, but null, which means "not given").
   */
  private static JsonElement notAString(Random r, boolean allowNull) {
    return switch (r.nextInt(allowNull ? 9 : 8)) {
      case 0 -> new JsonPrimitive(r.nextInt());
      case 1 -> new JsonPrimitive(r.nextDouble() * 1e6);
      case 2 -> new JsonPrimitive(r.nextBoolean());
      case 3 -> new JsonArray();
      case 4 -> {
        JsonArray a = new JsonArray();
        a.add(randomWord(r, 4));
        yield a;
      }
      case 5 -> new JsonObject();
      case 6 -> {
        JsonObject o = new JsonObject();
        o.addProperty("id", randomWord(r, 4));
        yield o;
      }
      case 7 -> new JsonPrimitive(new java.math.BigDecimal("1e400"));
      default -> JsonNull.INSTANCE;
    };
  }

  /** For deleted / cancel: false, or anything that is not a JSON boolean. */
  private static JsonElement notTrue(Random r) {
    return switch (r.nextInt(5)) {
      case 0 -> new JsonPrimitive(false);
      case 1 -> new JsonPrimitive(List.of("yes", "true", "1", "on", "TRUE").get(r.nextInt(5)));
      case 2 -> new JsonPrimitive(r.nextInt(3));
      default -> {
        JsonElement other = notAString(r, false);
        yield other.isJsonPrimitive() && other.getAsJsonPrimitive().isBoolean()
            ? new JsonArray()
            : other;
      }
    };
  }

  private static JsonElement randomValue(Random r) {
    return r.nextBoolean() ? new JsonPrimitive(randomWord(r, r.nextInt(10))) : notAString(r, true);
  }

  /** Bytes that are not one JSON object: truncated, non-objects, lenient syntax, random bytes. */
  private static byte[] notAJsonObject(Random r, JsonObject valid) {
    String text = GSON.toJson(valid);
    return switch (r.nextInt(6)) {
      case 0 -> text.substring(0, r.nextInt(text.length())).getBytes(StandardCharsets.UTF_8);
      case 1 -> {
        JsonArray array = new JsonArray();
        array.add(valid);
        yield List.of(
                GSON.toJson(array),
                "null",
                "true",
                "\"" + randomWord(r, 6) + "\"",
                String.valueOf(r.nextInt()),
                "[]")
            .get(r.nextInt(6))
            .getBytes(StandardCharsets.UTF_8);
      }
      case 2 -> text.replace('"', '\'').getBytes(StandardCharsets.UTF_8);
      case 3 -> (text.substring(0, text.length() - 1) + ",}").getBytes(StandardCharsets.UTF_8);
      case 4 ->
          (text + List.of(" x", "}", " {}", ",", "\u0000").get(r.nextInt(5)))
              .getBytes(StandardCharsets.UTF_8);
      default -> {
        byte[] bytes = new byte[1 + r.nextInt(64)];
        r.nextBytes(bytes);
        yield bytes;
      }
    };
  }

  private Hostile badTransport(Random r, int i, String uid, String token, String json) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    return switch (r.nextInt(3)) {
      case 0 -> {
        List<String> headers = new ArrayList<>();
        headers.add(null);
        headers.add("Bearer " + IdTokens.garbage());
        headers.add("Bearer " + rig.tokens().expired(uid));
        headers.add("Bearer " + rig.tokens().wrongAudience(uid));
        headers.add("Bearer " + tamper(token));
        headers.add("Bearer " + randomWord(r, 1 + r.nextInt(200)).replaceAll("[^ -~]", "x"));
        headers.add("Token " + token);
        headers.add("bearer");
        String header = headers.get(r.nextInt(headers.size()));
        HttpRequest.Builder b =
            builder("application/json").POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (header != null) {
          b.header("Authorization", header);
        }
        yield new Hostile(
            "#" + i + " auth " + abbreviate(String.valueOf(header)),
            b.build(),
            401,
            "UNAUTHENTICATED",
            List.of());
      }
      case 1 -> {
        String method = List.of("GET", "PUT", "DELETE", "PATCH").get(r.nextInt(4));
        HttpRequest.BodyPublisher publisher =
            method.equals("GET") || method.equals("DELETE")
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(bytes);
        yield new Hostile(
            "#" + i + " " + method,
            host.request("", token).method(method, publisher).build(),
            405,
            "METHOD_NOT_ALLOWED",
            List.of());
      }
      default -> {
        String type =
            List.of(
                    "text/plain",
                    "text/json",
                    "application/xml",
                    "application/octet-stream",
                    "application/json-patch+json",
                    "application/x-json",
                    "multipart/form-data",
                    "")
                .get(r.nextInt(8));
        yield new Hostile(
            "#" + i + " content type '" + type + "'",
            post(token, type, bytes),
            415,
            "UNSUPPORTED_MEDIA_TYPE",
            List.of());
      }
    };
  }

  private static String randomWord(Random r, int length) {
    String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.éßЖ漢😀";
    StringBuilder b = new StringBuilder();
    while (b.length() < length) {
      b.appendCodePoint(
          alphabet
              .codePoints()
              .skip(r.nextInt((int) alphabet.codePoints().count()))
              .findFirst()
              .orElseThrow());
    }
    return b.toString();
  }

  private Hostile unauthenticated(String name, String authorization, String json) {
    HttpRequest.Builder b =
        builder("application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return new Hostile(name, b.build(), 401, "UNAUTHENTICATED", List.of());
  }

  private Hostile invalid(String name, String token, String json, String... fields) {
    return new Hostile(
        name,
        post(token, "application/json", json.getBytes(StandardCharsets.UTF_8)),
        400,
        "INVALID_ARGUMENT",
        List.of(fields));
  }

  private HttpRequest post(String token, String contentType, byte[] bytes, String... headers) {
    HttpRequest.Builder b =
        builder(contentType)
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return b.build();
  }

  /** A request to the function with {@code contentType} (none when empty) and no Authorization. */
  private HttpRequest.Builder builder(String contentType) {
    HttpRequest.Builder b = HttpRequest.newBuilder(host.uri()).timeout(Duration.ofSeconds(30));
    if (!contentType.isEmpty()) {
      b.header("Content-Type", contentType);
    }
    return b;
  }

  private static byte[] withBytesInId(String id, byte[] bad) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(("{\"id\":\"" + id).getBytes(StandardCharsets.UTF_8));
    out.writeBytes(bad);
    out.writeBytes("\",\"visibility\":\"public\"}".getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  /** The same token with one payload character changed (the emulator's tokens are unsigned). */
  private static String tamper(String token) {
    int dot = token.indexOf('.');
    char c = token.charAt(dot + 5);
    return token.substring(0, dot + 5) + (c == 'A' ? 'B' : 'A') + token.substring(dot + 6);
  }

  private static String hex(byte[] bytes) {
    StringBuilder b = new StringBuilder();
    for (byte x : bytes) {
      b.append(String.format("%02X", x));
    }
    return b.toString();
  }

  private static String abbreviate(String s) {
    String shown = s.replaceAll("\\p{Cntrl}", "?");
    return shown.length() <= 160
        ? "'" + shown + "'"
        : "'" + shown.substring(0, 140) + "…' (" + s.length() + " chars)";
  }

  /**
   * The SPEC's error body: {"error":{"code":UPPER_SNAKE,"message":text,"details":{…}}}, no stack
   * trace.
   */
  private static JsonObject assertErrorShape(HttpResponse<String> r, String what) {
    assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, what);
    assertTrue(
        r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), what);
    JsonObject body;
    try {
      body = json(r);
    } catch (RuntimeException e) {
      throw new AssertionError("not a JSON object: " + what, e);
    }
    assertEquals(Set.of("error"), body.keySet(), what);
    JsonObject error = body.getAsJsonObject("error");
    assertEquals(Set.of("code", "message", "details"), error.keySet(), what);
    assertTrue(error.get("code").getAsString().matches("[A-Z][A-Z_]*[A-Z]"), what);
    assertFalse(error.get("message").getAsString().isBlank(), what);
    assertTrue(error.get("details").isJsonObject(), what);
    assertFalse(
        r.body().contains("Exception")
            || r.body().contains("\tat ")
            || r.body().contains("dev.atelier."),
        "no stack trace: " + what);
    return error;
  }

  // =============================================================================================
  // Fixtures

  private LoopbackHttpHost serve(Clock clock) {
    Config config = rig.config(FUNCTION);
    return rig.serve(
        FUNCTION,
        new UpdateGenerationFunction(
            config, db, rig.authenticator(config), clock, rig.providers()));
  }

  /**
   * A history item as submit-generation and the webhook leave it, with its HOLD posted through
   * CreditService (which opens the account with the FREE grant first): PENDING while generating,
   * captured when completed, voided when failed or cancelled.
   */
  private void item(
      String uid,
      String id,
      GenerationStatus status,
      Visibility visibility,
      List<String> tags,
      String taskId) {
    CreditService credits = new CreditService(db, java.time.Clock.systemUTC());
    String hold = GenerationService.holdEntryId(id);
    credits.post(
        uid,
        new Posting(
            LedgerType.HOLD,
            COST,
            "Generation " + id + " (" + MODEL + ")",
            Map.of("historyId", id, "model", MODEL),
            hold,
            null));
    switch (status) {
      case COMPLETED -> credits.capture(uid, hold);
      case FAILED, CANCELLED -> credits.voidHold(uid, hold);
      case GENERATING -> {}
      default -> throw new IllegalArgumentException(status.toString());
    }
    GenerationItem.Builder b =
        GenerationItem.builder(uid, id)
            .prompt("a lighthouse at dusk")
            .model(MODEL)
            .generationType(GenerationType.TEXT_TO_IMAGE)
            .status(status)
            .visibility(visibility)
            .isPublic(visibility == Visibility.PUBLIC)
            .tags(tags)
            .aspectRatio("1:1")
            .frameSize("1:1")
            .createdBy(
                new CreatedBy(uid, "user_" + uid, uid + "@example.test", "User " + uid, null))
            .provider(PROVIDER)
            .providerTaskId(taskId)
            .cost(COST)
            .holdEntryId(hold)
            .params(new GenerationParams(2, "1:1", null, null));
    if (status == GenerationStatus.COMPLETED) {
      b.images(List.of(image(uid, id))).processingTimeMs(1_200L).completedAt(Instant.now());
    } else if (status == GenerationStatus.FAILED) {
      b.error(new GenerationError(GenerationError.PROVIDER_FAILED, "stand-in: failed"));
    }
    db.set(
        FirestorePaths.historyItem(uid, id),
        Documents.encode(
            b.build(), GenerationItem.Field.CREATED_AT, GenerationItem.Field.UPDATED_AT));
  }

  private static ImageMedia image(String uid, String id) {
    String path = "generations/" + uid + "/" + id + "/m0.png";
    return new ImageMedia(
        "m0",
        "http://127.0.0.1/v0/b/" + GenerationRig.MEDIA_BUCKET + "/o/" + path + "?token=t",
        path,
        "http://127.0.0.1/media/p/0.png");
  }

  /** A real prediction at the replicate stand-in that runs for minutes (#slow); its id. */
  private String slowPrediction() throws ProviderException {
    return rig.providers()
        .adapter(PROVIDER)
        .orElseThrow()
        .create(
            new PredictionRequest(
                PROVIDER_MODEL,
                Map.of(
                    "prompt",
                    "a lighthouse at dusk #slow",
                    "num_outputs",
                    2L,
                    "aspect_ratio",
                    "1:1"),
                null))
        .id();
  }

  private PredictionStatus awaitStarted(String task) {
    assertTrue(
        GenerationRig.await(
            Duration.ofSeconds(5),
            () ->
                rig.standIn(PROVIDER).prediction(task).orElseThrow().status()
                    == PredictionStatus.PROCESSING),
        "the stand-in runs " + task);
    return rig.standIn(PROVIDER).prediction(task).orElseThrow().status();
  }

  /** How many cancel requests for {@code task} the stand-in received. */
  private long cancelRequests(String task) {
    return standInLog.stream()
        .filter(line -> line.equals("POST /v1/predictions/" + task + "/cancel"))
        .count();
  }

  private void user(String uid, AccountStatus status) {
    UserProfile profile =
        new UserProfile(
            uid,
            uid + "@example.test",
            "user_" + uid,
            "User " + uid,
            null,
            ProviderId.GOOGLE,
            true,
            true,
            null,
            null,
            1,
            null,
            null,
            null,
            null,
            new UserMetadata(null, status, List.of()),
            false,
            null,
            null);
    db.set(
        FirestorePaths.user(uid),
        Documents.encode(profile, UserProfile.Field.CREATED_AT, UserProfile.Field.UPDATED_AT));
  }

  private HttpResponse<String> update(String uid, String json) {
    return host.post("", rig.tokens().forUser(uid), json);
  }

  private record Call(String uid, String json) {}

  /** Sends every call at once and returns the answers in order. */
  private List<HttpResponse<String>> parallel(List<Call> calls) {
    return host.sendAllAtOnce(
        calls.stream()
            .map(
                c ->
                    host.request("", rig.tokens().forUser(c.uid()))
                        .POST(HttpRequest.BodyPublishers.ofString(c.json()))
                        .build())
            .toList());
  }

  /** A JSON object of alternating names and values (lists, strings, numbers, booleans, null). */
  private static String body(Object... pairs) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      map.put((String) pairs[i], pairs[i + 1]);
    }
    return GSON.toJson(map);
  }

  private static JsonObject details(HttpResponse<String> r) {
    return json(r).getAsJsonObject("error").getAsJsonObject("details");
  }

  private static JsonObject fields(HttpResponse<String> r) {
    return details(r).getAsJsonObject("fields");
  }

  // =============================================================================================
  // Database reads

  private Snapshot stored(String uid, String id) {
    return db.get(FirestorePaths.historyItem(uid, id));
  }

  private Snapshot entry(String uid, String entryId) {
    return db.get(FirestorePaths.ledgerEntry(uid, entryId));
  }

  private String holdStatus(String uid, String itemId) {
    return entry(uid, GenerationService.holdEntryId(itemId)).getString("status");
  }

  private long balance(String uid) {
    return db.get(FirestorePaths.balance(uid)).getLong("creditBalance");
  }

  private List<Snapshot> ledger(String uid) {
    return db.collection(FirestorePaths.ledger(uid)).get();
  }

  /** The Balance rule: creditBalance = Σ amount of the entries that are not REVERSED. */
  private void assertBalanceIsSumOfLedger(String uid) {
    long sum =
        ledger(uid).stream()
            .filter(e -> !"REVERSED".equals(e.getString("status")))
            .mapToLong(e -> e.getLong("amount"))
            .sum();
    assertEquals(sum, balance(uid), "balance of " + uid + " = Σ non-reversed ledger amounts");
  }

  /** Calls of {@code uid} counted in this function's minute windows. */
  private long limiterCount(String uid) {
    return db.collection(FirestorePaths.rateLimitLogs()).get().stream()
        .filter(d -> d.id().startsWith(uid + "_" + FUNCTION + "_m"))
        .mapToLong(d -> d.getLong("request_count"))
        .sum();
  }

  /** A refused call that never reached the rate limiter: no write, no delete. */
  private static void assertNothingWritten(Counters c) {
    assertEquals(0, c.writes(), "no writes: " + c);
    assertEquals(0, c.deletes(), "no deletes: " + c);
  }

  /**
   * A call that passed the rate limiter and changed nothing: exactly the limiter's two window
   * counters were written (callers also compare the documents involved before and after).
   */
  private static void assertWroteOnlyLimiterWindows(Counters c) {
    assertEquals(LIMITER_WRITES, c.writes(), "only the rate-limit windows were written: " + c);
    assertEquals(0, c.deletes(), "no deletes: " + c);
  }

  @Test
  void twoThousandGeneratedHostileRequestsAreRefusedAndWriteNothing() {
    HostileInputs.assertAllRefused(
        host,
        "",
        () -> rig.tokens().forUser("evil"),
        List.of("id", "visibility", "tags", "deleted", "cancel"),
        11L,
        HostileInputs.SUITE_SIZE,
        emulator);
  }
}
