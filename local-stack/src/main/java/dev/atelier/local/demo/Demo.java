package dev.atelier.local.demo;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import dev.atelier.catalog.ModelConfig;
import dev.atelier.credits.Balance;
import dev.atelier.credits.LedgerEntry;
import dev.atelier.firestore.Database;
import dev.atelier.firestore.FieldValue;
import dev.atelier.firestore.Snapshot;
import dev.atelier.generations.GenerationItem;
import dev.atelier.generations.GenerationStatus;
import dev.atelier.local.StackInfo;
import dev.atelier.local.auth.AuthEmulatorClient;
import dev.atelier.local.manifest.FunctionManifest;
import dev.atelier.local.manifest.FunctionSpec;
import dev.atelier.local.manifest.Trigger;
import dev.atelier.platform.Clients;
import dev.atelier.platform.Config;
import dev.atelier.store.Documents;
import dev.atelier.store.FirestorePaths;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The demo: a new user opens a session (FREE grant), an admin creates a STUDENT code, the user
 * redeems it, an operator writes a GRANT straight to the ledger and the ledger trigger brings the
 * balance in step, and bad requests get their 4xx. Then generations through the stand-in providers:
 * an image completes (media served by the storage emulator, HOLD confirmed), is published to the
 * public mirror and unpublished again; a video and a track complete with the right media; a {@code
 * #fail} job fails and its HOLD is reversed. Runs against {@code .local-stack/stack.json}; exit 0
 * only if all is right.
 */
public final class Demo {

  private static final Gson GSON = new Gson();
  private static final Duration TRIGGER_TIMEOUT = Duration.ofSeconds(30);

  /** The stand-in answers after ~1 s; the webhook copies the media and completes the item. */
  private static final Duration IMAGE_TIMEOUT = Duration.ofSeconds(5);

  private static final Duration MEDIA_TIMEOUT = Duration.ofSeconds(15);
  private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

  private final StackInfo stack;
  private final FunctionManifest manifest;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private int step;

  private Demo(StackInfo stack, FunctionManifest manifest) {
    this.stack = stack;
    this.manifest = manifest;
  }

  public static void main(String[] args) throws Exception {
    Path manifestFile = FunctionManifest.locate(Path.of(""));
    Path root = manifestFile.getParent().getParent();
    StackInfo stack = StackInfo.read(root);
    FunctionManifest manifest = FunctionManifest.load(manifestFile);
    Instant start = Instant.now();
    try {
      new Demo(stack, manifest).run();
      System.out.printf(
          "DEMO PASSED in %.1f s%s%n",
          Duration.between(start, Instant.now()).toMillis() / 1000.0,
          stack.chaos() ? " (chaos: every event delivered twice, shuffled)" : "");
    } catch (DemoFailure e) {
      System.out.println("DEMO FAILED: " + e.getMessage());
      System.exit(1);
    }
  }

  private void run() throws Exception {
    try (Database db =
        Clients.firestore(
            Config.forEmulators(
                stack.projectId(), stack.firestoreHost(), stack.authHost(), "demo"))) {
      long freeCredits = planCredits(db, "FREE");
      long studentCredits = planCredits(db, "PLAN_A");

      String email = "demo-" + UUID.randomUUID().toString().substring(0, 8) + "@atelier.local";
      AuthEmulatorClient auth = new AuthEmulatorClient(stack.authHost(), stack.projectId());
      AuthEmulatorClient.Account user = auth.signUp(email, "demo-password");
      say("sign up " + email + " on the Auth emulator", "uid " + user.uid());

      JsonObject session =
          expect(200, post("open-session", user.idToken(), "{}"), "open a session");
      expectEqual(
          freeCredits, session.get("creditBalance").getAsLong(), "FREE grant on first session");
      expectEqual("FREE", session.get("planCode").getAsString(), "plan after first session");
      say(
          "balance",
          session.get("creditBalance") + " credits, plan " + session.get("planCode").getAsString());

      JsonObject created =
          expect(
              201,
              post(
                  "admin/redeem-codes",
                  stack.adminToken(),
                  "{\"type\":\"STUDENT\",\"count\":1,\"maxUses\":5}"),
              "admin creates a STUDENT code");
      String code = created.getAsJsonArray("codes").get(0).getAsString();
      say("admin created code", code);

      JsonObject redeemed =
          expect(
              200,
              post("redeem-code", user.idToken(), "{\"code\":\" " + code.toLowerCase() + " \"}"),
              "redeem " + code + " (lower case, padded)");
      expectEqual(
          studentCredits,
          redeemed.get("creditsGranted").getAsLong(),
          "credits granted by the code");
      expectEqual("PLAN_A", redeemed.get("planCode").getAsString(), "plan after redeeming");
      long afterRedeem = freeCredits + studentCredits;
      expectEqual(
          afterRedeem, redeemed.get("creditBalance").getAsLong(), "balance after redeeming");
      say("redeemed", redeemed.toString());

      expectError(
          409,
          "ALREADY_REDEEMED",
          post("redeem-code", user.idToken(), "{\"code\":\"" + code + "\"}"),
          "redeem the same code again");

      String entryId = "operator-" + UUID.randomUUID();
      db.set(
          FirestorePaths.ledgerEntry(user.uid(), entryId),
          Map.of(
              LedgerEntry.Field.TYPE,
              "GRANT",
              LedgerEntry.Field.AMOUNT,
              25L,
              LedgerEntry.Field.STATUS,
              "CONFIRMED",
              LedgerEntry.Field.REASON,
              "demo: operator grant written straight to the ledger",
              LedgerEntry.Field.META,
              Map.of("by", "demo"),
              LedgerEntry.Field.CREATED_AT,
              FieldValue.serverTimestamp(),
              Documents.SCHEMA_VERSION_FIELD,
              Documents.SCHEMA_VERSION));
      say(
          "operator writes a GRANT of 25 to " + FirestorePaths.ledgerEntry(user.uid(), entryId),
          "written");
      long expected = afterRedeem + 25;
      Duration took = awaitBalance(db, user.uid(), expected);
      say(
          "ledger trigger brought the balance in step",
          expected + " credits after " + took.toMillis() + " ms");
      Thread.sleep(2000);
      expectEqual(expected, balance(db, user.uid()), "balance 2 s later (no event applied twice)");
      Snapshot entry = db.get(FirestorePaths.ledgerEntry(user.uid(), entryId));
      expectEqual(
          25L,
          entry.getLong(LedgerEntry.Field.APPLIED_AMOUNT),
          "appliedAmount of the operator entry");
      JsonObject again =
          expect(200, post("open-session", user.idToken(), "{}"), "open a session again");
      expectEqual(expected, again.get("creditBalance").getAsLong(), "balance seen by the client");
      say(
          "balance",
          again.get("creditBalance") + " credits, plan " + again.get("planCode").getAsString());

      expectError(
          401,
          "UNAUTHENTICATED",
          post("redeem-code", null, "{\"code\":\"" + code + "\"}"),
          "redeem without a token");
      expectError(
          401,
          "UNAUTHENTICATED",
          post("redeem-code", "not-a-token", "{\"code\":\"" + code + "\"}"),
          "redeem with a garbage token");
      expectError(
          400,
          "INVALID_ARGUMENT",
          post("redeem-code", user.idToken(), "{\"code\":"),
          "redeem with broken JSON");
      expectError(
          400,
          "INVALID_ARGUMENT",
          post("redeem-code", user.idToken(), "{\"code\":42}"),
          "redeem with a number for code");
      expectError(
          404,
          "CODE_NOT_FOUND",
          post("redeem-code", user.idToken(), "{\"code\":\"STUDENT-NOPE1234\"}"),
          "redeem an unknown code");
      expectError(
          403,
          "PERMISSION_DENIED",
          post(
              "admin/redeem-codes",
              user.idToken(),
              "{\"type\":\"STUDENT\",\"count\":1,\"maxUses\":1}"),
          "non-admin creates codes");
      expectError(
          400,
          "INVALID_ARGUMENT",
          post(
              "admin/redeem-codes",
              stack.adminToken(),
              "{\"type\":\"STUDENT\",\"count\":100000,\"maxUses\":1}"),
          "admin asks for too many codes");
      expectStatus(
          405, send(HttpRequest.newBuilder(url("redeem-code")).GET(), null), "GET on redeem-code");
      say("GET on redeem-code", "405");
      expectEqual(expected, balance(db, user.uid()), "balance untouched by the bad requests");
      say("balance after the bad requests", expected + " credits (unchanged)");

      generations(db, user, expected);
      scheduledFunctions();
    }
  }

  /**
   * One run of each scheduled function of the manifest, as Cloud Scheduler would start it: each
   * answers 200 with its JSON summary.
   */
  private void scheduledFunctions() throws Exception {
    for (FunctionSpec function : manifest.functions()) {
      if (!(function.trigger() instanceof Trigger.Schedule)) {
        continue;
      }
      HttpResponse<String> response =
          send(
              HttpRequest.newBuilder(url("_schedules/" + function.name() + ":run"))
                  .POST(HttpRequest.BodyPublishers.noBody()),
              null);
      JsonObject run = expect(200, response, "run " + function.name() + " now");
      if (!run.has("response") || !run.get("response").isJsonObject()) {
        throw new DemoFailure(function.name() + " answered no JSON summary: " + response.body());
      }
      say("scheduled " + function.name(), run.get("response").toString());
    }
  }

  /** Image → completed → media → public mirror → private again; video and music; a failing job. */
  private void generations(Database db, AuthEmulatorClient.Account user, long balanceBefore)
      throws Exception {
    String uid = user.uid();
    long imageCost = cost(db, "flux-schnell", 1, 0);
    Submission image =
        submit(
            user,
            "{\"prompt\":\"a lighthouse at dusk, oil on canvas\",\"model\":\"flux-schnell\"}",
            "submit an image generation (flux-schnell)",
            imageCost,
            balanceBefore - imageCost);
    GenerationItem done = awaitTerminal(db, uid, image, IMAGE_TIMEOUT);
    expectEqual(GenerationStatus.COMPLETED, done.status(), "status of the image generation");
    expectEqual(1, done.images().size(), "images of the completed item");
    say(
        "history item " + image.id + " completed",
        "after "
            + image.waited.toMillis()
            + " ms, provider "
            + done.provider()
            + ", processingTimeMs "
            + done.processingTimeMs());
    String itemPath = FirestorePaths.historyItem(uid, image.id);
    expectStatus(
        403, restGet(itemPath, null), "an anonymous read of a private item (firestore.rules)");
    HttpResponse<String> ownRead = restGet(itemPath, user.idToken());
    expectStatus(200, ownRead, "GET " + itemPath + " over Firestore REST as its owner");
    JsonObject viaRest = GSON.fromJson(ownRead.body(), JsonObject.class);
    expectEqual(
        "completed",
        viaRest
            .getAsJsonObject("fields")
            .getAsJsonObject("status")
            .get("stringValue")
            .getAsString(),
        "status read over the emulator's Firestore REST API");
    say("the same item read over the emulator's Firestore REST API", "status completed");
    openMedia(
        done.images().get(0).url(), "image/png", "PNG", head -> startsWith(head, 0, PNG_MAGIC));
    expectLedger(db, uid, done, "CONFIRMED", balanceBefore - imageCost, "the image");

    expect(
        200,
        post(
            "update-generation",
            user.idToken(),
            "{\"id\":\"" + image.id + "\",\"visibility\":\"public\"}"),
        "publish it (visibility public)");
    Duration appeared = awaitMirror(db, image.id, true);
    Snapshot mirror = db.get(FirestorePaths.mirror(image.id));
    expectEqual(true, mirror.getBoolean("isPublic"), "isPublic of generations/" + image.id);
    expectEqual(false, mirror.getBoolean("isDeleted"), "isDeleted of generations/" + image.id);
    for (String hidden : List.of("cost", "holdEntryId", "providerTaskId", "error")) {
      if (mirror.contains(hidden)) {
        throw new DemoFailure(
            "generations/" + image.id + " carries the server-only field " + hidden);
      }
    }
    say(
        "sync-generation-mirror wrote generations/" + image.id,
        "after " + appeared.toMillis() + " ms, public, no server-only fields");
    expect(
        200,
        post(
            "update-generation",
            user.idToken(),
            "{\"id\":\"" + image.id + "\",\"visibility\":\"private\"}"),
        "unpublish it (visibility private)");
    Duration gone = awaitMirror(db, image.id, false);
    say("generations/" + image.id + " is gone", "after " + gone.toMillis() + " ms");

    // Three at once (the per-user limit): a video, a track and a job the stand-in fails.
    long balance = balanceBefore - imageCost;
    long videoCost = cost(db, "wan-video", 1, 5);
    Submission video =
        submit(
            user,
            "{\"prompt\":\"waves on a pebble beach\",\"model\":\"wan-video\",\"durationSeconds\":5}",
            "submit a 5 s video (wan-video)",
            videoCost,
            balance -= videoCost);
    long musicCost = cost(db, "musicgen", 1, 8);
    Submission music =
        submit(
            user,
            "{\"prompt\":\"calm piano\",\"model\":\"musicgen\",\"durationSeconds\":8}",
            "submit an 8 s track (musicgen)",
            musicCost,
            balance -= musicCost);
    Submission failing =
        submit(
            user,
            "{\"prompt\":\"a cat that cannot be drawn #fail\",\"model\":\"flux-schnell\"}",
            "submit an image the stand-in fails (#fail)",
            imageCost,
            balance -= imageCost);

    GenerationItem clip = awaitTerminal(db, uid, video, MEDIA_TIMEOUT);
    expectEqual(GenerationStatus.COMPLETED, clip.status(), "status of the video generation");
    say("video " + video.id + " completed", "after " + video.waited.toMillis() + " ms");
    openMedia(
        clip.videos().get(0).url(),
        "video/mp4",
        "MP4 (ftyp box)",
        head -> startsWith(head, 4, ascii("ftyp")));
    expectLedger(db, uid, clip, "CONFIRMED", null, "the video");

    GenerationItem track = awaitTerminal(db, uid, music, MEDIA_TIMEOUT);
    expectEqual(GenerationStatus.COMPLETED, track.status(), "status of the music generation");
    say("track " + music.id + " completed", "after " + music.waited.toMillis() + " ms");
    openMedia(
        track.audios().get(0).url(),
        "audio/mpeg",
        "MP3 (ID3 tag or frame sync)",
        head ->
            startsWith(head, 0, ascii("ID3"))
                || (head.length > 1 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xE0) == 0xE0));
    expectLedger(db, uid, track, "CONFIRMED", null, "the track");

    GenerationItem failed = awaitTerminal(db, uid, failing, MEDIA_TIMEOUT);
    expectEqual(GenerationStatus.FAILED, failed.status(), "status of the #fail generation");
    expectEqual(0, failed.mediaCount(), "media of the failed item");
    say(
        "#fail job " + failing.id + " failed",
        "after "
            + failing.waited.toMillis()
            + " ms, error "
            + (failed.error() == null ? "none" : failed.error().code()));
    long expected = balanceBefore - imageCost - videoCost - musicCost;
    expectLedger(db, uid, failed, "REVERSED", expected, "the #fail job");
    JsonObject session =
        expect(200, post("open-session", user.idToken(), "{}"), "open a session again");
    expectEqual(expected, session.get("creditBalance").getAsLong(), "balance seen by the client");
    say(
        "balance",
        expected
            + " = "
            + balanceBefore
            + " - "
            + imageCost
            + " (image) - "
            + videoCost
            + " (video) - "
            + musicCost
            + " (track); the failed job cost nothing");
  }

  /** A 202 from submit-generation and, once awaited, how long the item took to finish. */
  private static final class Submission {
    final String id;
    final Instant accepted;
    Duration waited;

    Submission(String id, Instant accepted) {
      this.id = id;
      this.accepted = accepted;
    }
  }

  private Submission submit(
      AuthEmulatorClient.Account user, String json, String what, long cost, long balance)
      throws Exception {
    HttpResponse<String> response = post("submit-generation", user.idToken(), json);
    Instant accepted = Instant.now();
    expectStatus(202, response, what);
    JsonObject body = GSON.fromJson(response.body(), JsonObject.class);
    expectEqual("generating", body.get("status").getAsString(), what + ": status");
    expectEqual(cost, body.get("cost").getAsLong(), what + ": cost");
    expectEqual(balance, body.get("balance").getAsLong(), what + ": balance after the HOLD");
    say(what, "202 id " + body.get("id").getAsString() + ", cost " + cost + ", balance " + balance);
    return new Submission(body.get("id").getAsString(), accepted);
  }

  /** The model's price from models_config, as submit-generation computes it. */
  private static long cost(Database db, String model, long outputs, long seconds) throws Exception {
    ModelConfig config =
        Documents.read(db.get(FirestorePaths.modelConfig(model)), ModelConfig.class)
            .orElseThrow(
                () ->
                    new DemoFailure(
                        "models_config/" + model + " is missing: is the catalog seeded?"));
    return config.pricing().cost(outputs, seconds);
  }

  private static GenerationItem awaitTerminal(
      Database db, String uid, Submission job, Duration timeout) throws Exception {
    GenerationItem item = null;
    while (Duration.between(job.accepted, Instant.now()).compareTo(timeout) < 0) {
      item =
          Documents.read(db.get(FirestorePaths.historyItem(uid, job.id)), GenerationItem.class)
              .orElse(null);
      if (item != null && item.status().terminal()) {
        job.waited = Duration.between(job.accepted, Instant.now());
        return item;
      }
      Thread.sleep(100);
    }
    throw new DemoFailure(
        "generationHistory/"
            + uid
            + "/items/"
            + job.id
            + " is "
            + (item == null ? "absent" : item.status().wire())
            + " "
            + timeout.toSeconds()
            + " s after the 202"
            + load()
            + ": see .local-stack/logs/provider-webhook.log and .local-stack/logs/standin-*.log");
  }

  private Duration awaitMirror(Database db, String id, boolean present) throws Exception {
    Duration timeout = stack.chaos() ? TRIGGER_TIMEOUT : Duration.ofSeconds(10);
    Instant start = Instant.now();
    while (Duration.between(start, Instant.now()).compareTo(timeout) < 0) {
      if (db.get(FirestorePaths.mirror(id)).exists() == present) {
        return Duration.between(start, Instant.now());
      }
      Thread.sleep(100);
    }
    throw new DemoFailure(
        "generations/"
            + id
            + (present ? " did not appear" : " is still there")
            + " after "
            + timeout.toSeconds()
            + " s"
            + load()
            + ": see .local-stack/logs/sync-generation-mirror.log");
  }

  /**
   * The machine's load, for timeouts: on a shared 2-core machine a busy neighbour explains a slow
   * cold path.
   */
  private static String load() {
    java.lang.management.OperatingSystemMXBean os =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os.getSystemLoadAverage() < 0
        ? ""
        : String.format(
            " (load average %.1f on %d cores)",
            os.getSystemLoadAverage(), os.getAvailableProcessors());
  }

  /** The HOLD of {@code item} has {@code status}; the balance is {@code balance} when given. */
  private void expectLedger(
      Database db, String uid, GenerationItem item, String status, Long balance, String what)
      throws Exception {
    if (item.holdEntryId() == null) {
      throw new DemoFailure(what + ": the item has no holdEntryId");
    }
    Snapshot hold = db.get(FirestorePaths.ledgerEntry(uid, item.holdEntryId()));
    expectEqual(
        "HOLD", hold.getString(LedgerEntry.Field.TYPE), what + ": type of " + item.holdEntryId());
    expectEqual(
        -item.cost(), hold.getLong(LedgerEntry.Field.AMOUNT), what + ": amount of the HOLD");
    expectEqual(status, hold.getString(LedgerEntry.Field.STATUS), what + ": status of the HOLD");
    String result = "HOLD " + item.holdEntryId() + " " + status;
    if (balance != null) {
      expectEqual(balance, balance(db, uid), what + ": balance");
      result += ", balance " + balance;
    }
    say("ledger after " + what, result);
  }

  /** GETs a media URL as a browser would: 200, the content type, the format's magic bytes. */
  private void openMedia(
      String mediaUrl,
      String contentType,
      String format,
      java.util.function.Predicate<byte[]> magic)
      throws Exception {
    HttpResponse<byte[]> response =
        http.send(
            HttpRequest.newBuilder(URI.create(mediaUrl)).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new DemoFailure(
          "GET " + mediaUrl + ": expected HTTP 200, got " + response.statusCode());
    }
    String type = response.headers().firstValue("content-type").orElse("");
    if (!type.startsWith(contentType)) {
      throw new DemoFailure(
          "GET " + mediaUrl + ": expected content-type " + contentType + ", got " + type);
    }
    if (!magic.test(response.body())) {
      throw new DemoFailure("GET " + mediaUrl + ": the body is not " + format);
    }
    say(
        "open the media URL (" + mediaUrl.substring(0, mediaUrl.indexOf("/o/") + 3) + "…)",
        "200 " + type + ", " + response.body().length + " bytes, " + format);
  }

  /**
   * A document read over the emulator's REST API (what the README's curl walkthrough does), as the
   * user whose ID token is given, or anonymously: firestore.rules decide.
   */
  private HttpResponse<String> restGet(String path, String idToken) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
            URI.create(
                "http://"
                    + stack.firestoreHost()
                    + "/v1/projects/"
                    + stack.projectId()
                    + "/databases/(default)/documents/"
                    + path));
    if (idToken != null) {
      request.header("Authorization", "Bearer " + idToken);
    }
    return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static byte[] ascii(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  private static boolean startsWith(byte[] body, int offset, byte[] prefix) {
    if (body.length < offset + prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (body[offset + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private long planCredits(Database db, String plan) throws Exception {
    Long credits = db.get(FirestorePaths.plan(plan)).getLong("credits");
    if (credits == null) {
      throw new DemoFailure("plans/" + plan + " has no credits: is the catalog seeded?");
    }
    return credits;
  }

  private static long balance(Database db, String uid) throws Exception {
    Long value = db.get(FirestorePaths.balance(uid)).getLong(Balance.Field.CREDIT_BALANCE);
    return value == null ? Long.MIN_VALUE : value;
  }

  private static Duration awaitBalance(Database db, String uid, long expected) throws Exception {
    Instant start = Instant.now();
    long last = Long.MIN_VALUE;
    while (Duration.between(start, Instant.now()).compareTo(TRIGGER_TIMEOUT) < 0) {
      last = balance(db, uid);
      if (last == expected) {
        return Duration.between(start, Instant.now());
      }
      Thread.sleep(100);
    }
    throw new DemoFailure(
        "balance is "
            + last
            + ", expected "
            + expected
            + " within "
            + TRIGGER_TIMEOUT.toSeconds()
            + " s: did apply-ledger-entry run? see .local-stack/logs/apply-ledger-entry.log");
  }

  private URI url(String path) {
    return URI.create(stack.frontUrl() + "/" + path);
  }

  private HttpResponse<String> post(String path, String token, String json) throws Exception {
    return send(
        HttpRequest.newBuilder(url(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)),
        token);
  }

  private HttpResponse<String> send(HttpRequest.Builder request, String token) throws Exception {
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    request.header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AtelierDemo/1.0");
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonObject expect(int status, HttpResponse<String> response, String what) {
    expectStatus(status, response, what);
    say(what, response.statusCode() + "");
    return GSON.fromJson(response.body(), JsonObject.class);
  }

  private void expectError(int status, String code, HttpResponse<String> response, String what) {
    expectStatus(status, response, what);
    JsonObject body;
    try {
      body = GSON.fromJson(response.body(), JsonObject.class);
    } catch (RuntimeException e) {
      throw new DemoFailure(what + ": body is not JSON: " + response.body());
    }
    String actual =
        body != null && body.has("error")
            ? body.getAsJsonObject("error").get("code").getAsString()
            : null;
    if (!code.equals(actual)) {
      throw new DemoFailure(what + ": expected error " + code + ", got " + response.body());
    }
    say(what, status + " " + code);
  }

  private static void expectStatus(int status, HttpResponse<String> response, String what) {
    if (response.statusCode() != status) {
      throw new DemoFailure(
          what
              + ": expected HTTP "
              + status
              + ", got "
              + response.statusCode()
              + " "
              + response.body());
    }
  }

  private static void expectEqual(Object expected, Object actual, String what) {
    if (!expected.equals(actual)) {
      throw new DemoFailure(what + ": expected " + expected + ", got " + actual);
    }
  }

  private void say(String what, String result) {
    System.out.printf("%2d. %-62s -> %s%n", ++step, what, result);
  }

  private static final class DemoFailure extends RuntimeException {
    DemoFailure(String message) {
      super(message);
    }
  }
}
