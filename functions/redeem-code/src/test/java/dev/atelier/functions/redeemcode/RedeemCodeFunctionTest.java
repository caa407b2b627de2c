package dev.atelier.functions.redeemcode;

import static dev.atelier.testsupport.HttpAssertions.assertError;
import static dev.atelier.testsupport.HttpAssertions.errorCode;
import static dev.atelier.testsupport.HttpAssertions.json;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.atelier.emulator.Counters;
import dev.atelier.emulator.junit.EmulatorHandle;
import dev.atelier.emulator.junit.FirestoreEmulatorExtension;
import dev.atelier.firestore.Database;
import dev.atelier.testsupport.FunctionTestRig;
import dev.atelier.testsupport.HostileInputs;
import dev.atelier.testsupport.IdTokens;
import dev.atelier.testsupport.LoopbackHttpHost;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FirestoreEmulatorExtension.class)
class RedeemCodeFunctionTest {

  private static final String PROJECT = FirestoreEmulatorExtension.PROJECT_ID;
  private final IdTokens tokens = new IdTokens(PROJECT);
  private LoopbackHttpHost host;
  private Database db;
  private EmulatorHandle emulator;

  @BeforeEach
  void start(EmulatorHandle emulator) throws Exception {
    this.emulator = emulator;
    this.db = emulator.database();
    host = FunctionTestRig.serve(emulator, "redeem-code", RedeemCodeFunction::new);
  }

  @AfterEach
  void stop() {
    host.close();
  }

  private void code(String code, String status, long maxUses, long currentUses, Instant validUntil)
      throws Exception {
    Map<String, Object> doc = new HashMap<>();
    doc.put("code", code);
    doc.put("type", code.startsWith("BUSINESS") ? "BUSINESS" : "STUDENT");
    doc.put("planCode", code.startsWith("BUSINESS") ? "PLAN_C" : "PLAN_A");
    doc.put("status", status);
    doc.put("maxUses", maxUses);
    doc.put("currentUses", currentUses);
    doc.put("usedBy", List.of());
    doc.put("schemaVersion", 1L);
    if (validUntil != null) {
      doc.put("validUntil", Instant.ofEpochSecond(validUntil.getEpochSecond()));
    }
    db.set("redeemCodes/" + code, doc);
  }

  private HttpResponse<String> redeem(String uid, String code, String... headers) {
    return host.post("", tokens.forUser(uid), "{\"code\":\"" + code + "\"}", headers);
  }

  private long balance(String uid) throws Exception {
    return db.get("credits/" + uid + "/balance/current").getLong("creditBalance");
  }

  @Test
  void redeemGrantsPlanCreditsSetsPlanAndRecordsUsage() throws Exception {
    code("STUDENT-ABCD2345", "ACTIVE", 5, 0, null);
    HttpResponse<String> r = redeem("u1", "  student-abcd2345 ");
    assertEquals(200, r.statusCode(), r.body());
    JsonObject body = json(r);
    assertEquals("STUDENT-ABCD2345", body.get("code").getAsString());
    assertEquals("PLAN_A", body.get("planCode").getAsString());
    assertEquals(1000, body.get("creditsGranted").getAsLong());
    assertEquals(
        1100, body.get("creditBalance").getAsLong(), "FREE opening grant + PLAN_A credits");
    assertEquals(1100, balance("u1"));
    assertEquals("PLAN_A", db.get("credits/u1/balance/current").getString("planCode"));
    var code = db.get("redeemCodes/STUDENT-ABCD2345");
    assertEquals(1L, code.getLong("currentUses"));
    assertEquals(
        List.of(),
        code.get("usedBy"),
        "the usage documents are the record, not an ever-growing array");
    var usage = db.get("redeemCodeUsages/STUDENT-ABCD2345__u1");
    assertTrue(usage.exists());
    assertEquals("u1@example.test", usage.getString("email"));
    var grant = db.get("credits/u1/ledger/sys_redeem_STUDENT-ABCD2345");
    assertEquals("CONFIRMED", grant.getString("status"));
    assertEquals(1000L, grant.getLong("amount"));
    assertEquals(1000L, grant.getLong("appliedAmount"));
  }

  @Test
  void twoHundredUsersRacingForFiftyUsesGetExactlyFifty() throws Exception {
    code("STUDENT-RACE2345", "ACTIVE", 50, 0, null);
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      HttpRequest request =
          host.request("", tokens.forUser("racer" + i))
              .POST(HttpRequest.BodyPublishers.ofString("{\"code\":\"STUDENT-RACE2345\"}"))
              .build();
      calls.add(host.client().sendAsync(request, HttpResponse.BodyHandlers.ofString()));
    }
    int ok = 0;
    int exhausted = 0;
    List<String> okUids = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      HttpResponse<String> r = calls.get(i).join();
      if (r.statusCode() == 200) {
        ok++;
        okUids.add("racer" + i);
      } else {
        assertEquals(410, r.statusCode(), r.body());
        assertEquals("CODE_EXHAUSTED", errorCode(r));
        exhausted++;
      }
    }
    assertEquals(50, ok);
    assertEquals(150, exhausted);
    var code = db.get("redeemCodes/STUDENT-RACE2345");
    assertEquals(50L, code.getLong("currentUses"));
    assertEquals("USED", code.getString("status"));
    assertEquals(List.of(), code.get("usedBy"));
    assertEquals(50, db.collection("redeemCodeUsages").get().size());
    int grants = 0;
    for (String uid : okUids) {
      assertEquals(1100, balance(uid));
      grants +=
          db.collection("credits/" + uid + "/ledger").whereEqualTo("type", "GRANT").get().size()
              - 1;
    }
    assertEquals(50, grants, "one code GRANT per winner (besides the account-opening grant)");
  }

  /** Raises redeem-code's rate limit (10/min in the seed) so a test can send more. */
  private void allowRedeemsPerMinute(long perMinute) throws Exception {
    db.update(
        "system/config",
        Map.of(
            "config.limits.rateLimitByFunction.redeem-code",
            Map.of("requestsPerMinute", perMinute, "requestsPerHour", perMinute * 60)));
  }

  @Test
  void sameUserRedeemingTwentyTimesConcurrentlyGetsOneGrant() throws Exception {
    allowRedeemsPerMinute(100);
    code("STUDENT-SAME2345", "ACTIVE", 100, 0, null);
    String token = tokens.forUser("twin");
    List<CompletableFuture<HttpResponse<String>>> calls =
        IntStream.range(0, 20)
            .mapToObj(
                i ->
                    host.client()
                        .sendAsync(
                            host.request("", token)
                                .POST(
                                    HttpRequest.BodyPublishers.ofString(
                                        "{\"code\":\"STUDENT-SAME2345\"}"))
                                .build(),
                            HttpResponse.BodyHandlers.ofString()))
            .toList();
    long ok =
        calls.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 200).count();
    calls.stream()
        .map(CompletableFuture::join)
        .filter(r -> r.statusCode() != 200)
        .forEach(r -> assertEquals("ALREADY_REDEEMED", errorCode(r)));
    assertEquals(1, ok);
    assertEquals(1100, balance("twin"));
    assertEquals(1L, db.get("redeemCodes/STUDENT-SAME2345").getLong("currentUses"));
    assertEquals(
        2, db.collection("credits/twin/ledger").get().size(), "open-account + one redeem grant");
  }

  @Test
  void idempotencyKeyReplaysTheFirstAnswerAndRejectsAnotherBody() throws Exception {
    code("STUDENT-IDEM2345", "ACTIVE", 5, 0, null);
    code("STUDENT-OTHR2345", "ACTIVE", 5, 0, null);
    HttpResponse<String> first = redeem("k1", "STUDENT-IDEM2345", "Idempotency-Key", "key-1");
    HttpResponse<String> again = redeem("k1", "STUDENT-IDEM2345", "Idempotency-Key", "key-1");
    assertEquals(200, first.statusCode(), first.body());
    assertEquals(200, again.statusCode(), again.body());
    assertEquals(first.body(), again.body());
    HttpResponse<String> other = redeem("k1", "STUDENT-OTHR2345", "Idempotency-Key", "key-1");
    assertEquals(409, other.statusCode());
    assertEquals("IDEMPOTENCY_KEY_REUSED", errorCode(other));
    assertEquals(0L, db.get("redeemCodes/STUDENT-OTHR2345").getLong("currentUses"));
  }

  @Test
  void eleventhRedeemInOneMinuteIsRateLimitedAndChangesNothing() throws Exception {
    // On a clock stopped mid-minute: the wall clock could cross a window boundary between the
    // calls.
    host.close();
    host =
        FunctionTestRig.serve(
            emulator,
            "redeem-code",
            RedeemCodeFunction::new,
            java.time.Clock.fixed(
                Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES).plusSeconds(30),
                java.time.ZoneOffset.UTC));
    code("STUDENT-GUES2345", "ACTIVE", 5, 0, null);
    for (int i = 0; i < 10; i++) {
      assertError(redeem("guesser", "GUESS-" + i), 404, "CODE_NOT_FOUND");
    }
    emulator.resetCounters();
    HttpResponse<String> limited = redeem("guesser", "STUDENT-GUES2345");
    assertError(limited, 429, "RATE_LIMITED");
    long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
    assertEquals(30, retryAfter, "seconds to the end of the minute window");
    assertEquals(0, emulator.counters().writes(), "a refused call writes nothing");
    assertEquals(0L, db.get("redeemCodes/STUDENT-GUES2345").getLong("currentUses"));
    assertEquals(
        200, redeem("someone-else", "STUDENT-GUES2345").statusCode(), "the limit is per user");
  }

  @Test
  void aCodeWithFiftyThousandUsesKeepsWorkingAndItsDocumentStaysSmall() throws Exception {
    code("BUSINESS-MANY2345", "ACTIVE", 60_000, 50_000, null);
    for (int i = 0; i < 5; i++) {
      assertEquals(200, redeem("many" + i, "BUSINESS-MANY2345").statusCode());
    }
    assertError(redeem("many0", "BUSINESS-MANY2345"), 409, "ALREADY_REDEEMED");
    var code = db.get("redeemCodes/BUSINESS-MANY2345");
    assertEquals(50_005L, code.getLong("currentUses"));
    assertTrue(
        code.getData().toString().length() < 2_000,
        "the code document does not grow with its uses");
  }

  @Test
  void suspendedUserIsRefusedAndNothingIsWritten() throws Exception {
    code("STUDENT-SUSP2345", "ACTIVE", 5, 0, null);
    db.set(
        "users/banned",
        Map.of(
            "uid",
            "banned",
            "username",
            "banned",
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
    assertError(redeem("banned", "STUDENT-SUSP2345"), 403, "ACCOUNT_SUSPENDED");
    assertEquals(0, emulator.counters().writes());
    assertEquals(0L, db.get("redeemCodes/STUDENT-SUSP2345").getLong("currentUses"));
  }

  @Test
  void browsersFromAllowedOriginsGetCorsAndOthersGetNone() throws Exception {
    HttpResponse<String> preflight =
        host.send(
            host.request(
                    "",
                    null,
                    "Origin",
                    "http://localhost:3000",
                    "Access-Control-Request-Method",
                    "POST",
                    "Access-Control-Request-Headers",
                    "authorization, content-type")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .build());
    assertEquals(204, preflight.statusCode());
    assertEquals(
        "http://localhost:3000",
        preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
    assertTrue(
        preflight
            .headers()
            .firstValue("Access-Control-Allow-Headers")
            .orElse("")
            .contains("Authorization"));
    HttpResponse<String> stranger =
        host.send(
            host.request(
                    "",
                    null,
                    "Origin",
                    "https://evil.example",
                    "Access-Control-Request-Method",
                    "POST")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .build());
    assertTrue(stranger.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
    HttpResponse<String> call =
        host.post(
            "",
            tokens.forUser("cors"),
            "{\"code\":\"NOPE-NOPE\"}",
            "Origin",
            "http://127.0.0.1:5173");
    assertEquals(
        "http://127.0.0.1:5173",
        call.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
    HttpResponse<String> lookalike =
        host.post(
            "",
            tokens.forUser("cors"),
            "{\"code\":\"NOPE-NOPE\"}",
            "Origin",
            "http://localhost.evil.example:80");
    assertTrue(lookalike.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
  }

  @Test
  void refusalsHaveTheirCodes() throws Exception {
    code("STUDENT-DSBL2345", "DISABLED", 5, 0, null);
    code("STUDENT-FULL2345", "ACTIVE", 1, 1, null);
    code("STUDENT-OLDD2345", "ACTIVE", 5, 0, Instant.now().minusSeconds(60));
    assertError(redeem("r1", "NOPE-NOPE"), 404, "CODE_NOT_FOUND");
    assertError(redeem("r1", "STUDENT-DSBL2345"), 410, "CODE_DISABLED");
    assertError(redeem("r1", "STUDENT-FULL2345"), 410, "CODE_EXHAUSTED");
    assertError(redeem("r1", "STUDENT-OLDD2345"), 410, "CODE_EXPIRED");
    assertEquals("EXPIRED", db.get("redeemCodes/STUDENT-OLDD2345").getString("status"));
    code("STUDENT-ONCE2345", "ACTIVE", 5, 0, null);
    assertEquals(200, redeem("r1", "STUDENT-ONCE2345").statusCode());
    assertError(redeem("r1", "STUDENT-ONCE2345"), 409, "ALREADY_REDEEMED");
  }

  @Test
  void badRequestsAreRejectedAndChangeNothing() throws Exception {
    code("STUDENT-BADR2345", "ACTIVE", 5, 0, null);
    String good = "{\"code\":\"STUDENT-BADR2345\"}";
    emulator.resetCounters();
    assertError(host.post("", null, good), 401, "UNAUTHENTICATED");
    assertError(host.post("", IdTokens.garbage(), good), 401, "UNAUTHENTICATED");
    assertError(host.post("", tokens.expired("b1"), good), 401, "UNAUTHENTICATED");
    assertError(host.post("", tokens.wrongAudience("b1"), good), 401, "UNAUTHENTICATED");
    HttpResponse<String> get = host.send(host.request("", tokens.forUser("b1")).GET().build());
    assertError(get, 405, "METHOD_NOT_ALLOWED");
    assertEquals("POST", get.headers().firstValue("Allow").orElse(""));
    String token = tokens.forUser("b1");
    assertError(host.post("", token, "not json"), 400, "INVALID_ARGUMENT");
    assertError(host.post("", token, "[1]"), 400, "INVALID_ARGUMENT");
    assertError(host.post("", token, "{\"code\":42}"), 400, "INVALID_ARGUMENT");
    assertError(host.post("", token, "{}"), 400, "INVALID_ARGUMENT");
    HttpResponse<String> unknown =
        host.post("", token, "{\"code\":\"STUDENT-BADR2345\",\"extra\":1}");
    assertError(unknown, 400, "INVALID_ARGUMENT");
    assertEquals(
        "unknown field",
        json(unknown)
            .getAsJsonObject("error")
            .getAsJsonObject("details")
            .getAsJsonObject("fields")
            .get("extra")
            .getAsString());
    assertError(
        host.post("", token, "{\"code\":\"" + "A".repeat(70_000) + "\"}"),
        413,
        "PAYLOAD_TOO_LARGE");
    assertError(
        host.send(
            host.request("", token, "Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(good))
                .build()),
        415,
        "UNSUPPORTED_MEDIA_TYPE");
    Counters after = emulator.counters();
    assertEquals(0, after.writes(), "no writes");
    assertEquals(0, after.deletes(), "no deletes");
    assertEquals(0L, db.get("redeemCodes/STUDENT-BADR2345").getLong("currentUses"));
  }

  @Test
  void aRedeemCostsExactlyItsBudgetOnFirstContactAndOnAnExistingAccount() throws Exception {
    code("STUDENT-COST2345", "ACTIVE", 5, 0, null);
    code("STUDENT-COST6789", "ACTIVE", 5, 0, null);
    emulator.resetCounters();
    assertEquals(200, redeem("c1", "STUDENT-COST2345").statusCode());
    Counters firstContact = emulator.counters();
    emulator.resetCounters();
    assertEquals(200, redeem("c1", "STUDENT-COST6789").statusCode());
    Counters existing = emulator.counters();
    System.out.println(
        "redeem cost: first contact " + firstContact + ", existing account " + existing);
    // Both: reads system/config and the user (one batched read), the minute and hour rate-limit
    // windows (read whether or not they exist yet), the code, the usage (already redeemed?), the
    // code's plan, the balance; writes the 2 windows, the code, the usage, the GRANT and its
    // applied record, the balance.
    assertAll(
        // No account yet: plans/FREE is read too, and the opening GRANT and its applied record are
        // written.
        () -> assertEquals(new Counters(9, 9, 0), firstContact, "redeem-code, first contact"),
        () -> assertEquals(new Counters(8, 7, 0), existing, "redeem-code, existing account"));
  }

  @Test
  void hostileInputIsAnswered4xxWithTheErrorShapeAndWritesNothing() throws Exception {
    code("STUDENT-HOST2345", "ACTIVE", 5, 0, null);
    HostileInputs.assertAllRefused(
        host,
        "",
        () -> tokens.forUser("evil"),
        List.of("code"),
        33L,
        HostileInputs.SUITE_SIZE,
        emulator);
    assertEquals(0L, db.get("redeemCodes/STUDENT-HOST2345").getLong("currentUses"));
  }
}
