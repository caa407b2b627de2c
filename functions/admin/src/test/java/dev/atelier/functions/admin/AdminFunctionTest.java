package dev.atelier.functions.admin;

import static dev.atelier.testsupport.HttpAssertions.assertError;
import static dev.atelier.testsupport.HttpAssertions.json;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.atelier.credits.CreditService;
import dev.atelier.emulator.Counters;
import dev.atelier.emulator.junit.EmulatorHandle;
import dev.atelier.emulator.junit.FirestoreEmulatorExtension;
import dev.atelier.firestore.Database;
import dev.atelier.firestore.Snapshot;
import dev.atelier.testsupport.AuthEmulatorStub;
import dev.atelier.testsupport.FunctionTestRig;
import dev.atelier.testsupport.HostileInputs;
import dev.atelier.testsupport.IdTokens;
import dev.atelier.testsupport.LoopbackHttpHost;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FirestoreEmulatorExtension.class)
class AdminFunctionTest {

  private static final String PROJECT = FirestoreEmulatorExtension.PROJECT_ID;
  private final IdTokens tokens = new IdTokens(PROJECT);
  private LoopbackHttpHost host;
  private Database db;
  private EmulatorHandle emulator;
  private String admin;

  @BeforeEach
  void start(EmulatorHandle emulator) throws Exception {
    this.emulator = emulator;
    db = emulator.database();
    host = FunctionTestRig.serve(emulator, "admin", AdminFunction::new);
    admin = tokens.forAdmin("boss");
  }

  @AfterEach
  void stop() {
    host.close();
  }

  @Test
  void createsCodesInBulkFromAnUnambiguousAlphabet() throws Exception {
    HttpResponse<String> r =
        host.post("/redeem-codes", admin, "{\"type\":\"STUDENT\",\"count\":300,\"maxUses\":3}");
    assertEquals(201, r.statusCode(), r.body());
    Set<String> codes = new HashSet<>();
    json(r).getAsJsonArray("codes").forEach(c -> codes.add(c.getAsString()));
    assertEquals(300, codes.size());
    codes.forEach(c -> assertTrue(c.matches("STUDENT-[23456789ABCDEFGHJKMNPQRSTWXYZ]{8}"), c));
    assertEquals(300, db.collection("redeemCodes").get().size());
    Snapshot one = db.get("redeemCodes/" + codes.iterator().next());
    assertEquals("PLAN_A", one.getString("planCode"));
    assertEquals("ACTIVE", one.getString("status"));
    assertEquals(3L, one.getLong("maxUses"));
    assertEquals("boss", one.getString("createdBy"));
  }

  @Test
  void disablesACode() throws Exception {
    HttpResponse<String> created =
        host.post("/redeem-codes", admin, "{\"type\":\"BUSINESS\",\"count\":1,\"maxUses\":10}");
    String code = json(created).getAsJsonArray("codes").get(0).getAsString();
    assertEquals(200, host.post("/redeem-codes/" + code + ":disable", admin, "{}").statusCode());
    assertEquals("DISABLED", db.get("redeemCodes/" + code).getString("status"));
    assertEquals(404, host.post("/redeem-codes/BUSINESS-NOPE:disable", admin, "{}").statusCode());
  }

  @Test
  void adjustsCreditsWithoutOverdraft() throws Exception {
    new CreditService(db, java.time.Clock.systemUTC()).openAccount("member");
    HttpResponse<String> grant =
        host.post(
            "/credits:adjust",
            admin,
            "{\"uid\":\"member\",\"type\":\"GRANT\",\"credits\":50,\"reason\":\"goodwill\"}");
    assertEquals(200, grant.statusCode(), grant.body());
    assertEquals(150, json(grant).get("creditBalance").getAsLong());
    HttpResponse<String> over =
        host.post(
            "/credits:adjust",
            admin,
            "{\"uid\":\"member\",\"type\":\"DEBIT\",\"credits\":151,\"reason\":\"too much\"}");
    assertEquals(402, over.statusCode());
    assertEquals(150L, db.get("credits/member/balance/current").getLong("creditBalance"));
    Snapshot entry = db.get("credits/member/ledger/" + json(grant).get("entryId").getAsString());
    assertEquals("goodwill", entry.getString("reason"));
    assertEquals(Map.of("adjustedBy", "boss"), entry.get("meta"));
  }

  @Test
  void parallelAdjustmentsIntoOneInstanceLandOnceEachAndNeverOverdraw() throws Exception {
    new CreditService(db, java.time.Clock.systemUTC()).openAccount("crowd");
    // 16 operators at once on one account: 8 grants of 10 and 8 debits of 30 against 100 + 80.
    ExecutorService pool = Executors.newFixedThreadPool(16);
    CyclicBarrier together = new CyclicBarrier(16);
    List<Future<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      String body =
          i % 2 == 0
              ? "{\"uid\":\"crowd\",\"type\":\"GRANT\",\"credits\":10,\"reason\":\"g\"}"
              : "{\"uid\":\"crowd\",\"type\":\"DEBIT\",\"credits\":30,\"reason\":\"d\"}";
      answers.add(
          pool.submit(
              () -> {
                together.await();
                return host.post("/credits:adjust", admin, body);
              }));
    }
    int landed = 0;
    for (Future<HttpResponse<String>> answer : answers) {
      HttpResponse<String> r = answer.get(60, TimeUnit.SECONDS);
      assertTrue(r.statusCode() == 200 || r.statusCode() == 402, r.statusCode() + " " + r.body());
      landed += r.statusCode() == 200 ? 1 : 0;
    }
    pool.shutdown();
    long balance = db.get("credits/crowd/balance/current").getLong("creditBalance");
    long grants = ledgerCount("crowd", "GRANT");
    long debits = ledgerCount("crowd", "DEBIT");
    assertEquals(1 + 8, grants, "the opening grant and every one of the 8 grants");
    assertEquals(landed, 8 + debits, "a 200 for each adjustment that landed, 402 for the others");
    assertEquals(100 + 8 * 10 - 30 * debits, balance, "the balance is the ledger's sum");
    assertTrue(balance >= 0, "never overdrawn: " + balance);
    assertEquals(landed, audits("credits_adjusted").size(), "one audit per landed adjustment");
  }

  private long ledgerCount(String uid, String type) throws Exception {
    return db.collection("credits/" + uid + "/ledger").whereEqualTo("type", type).get().size();
  }

  @Test
  void aCreditAdjustmentCostsExactlyItsBudgetOfDocumentOperations() throws Exception {
    new CreditService(db, java.time.Clock.systemUTC()).openAccount("member");
    Counters granting =
        costOfAdjusting(
            "{\"uid\":\"member\",\"type\":\"GRANT\",\"credits\":50,\"reason\":\"goodwill\"}");
    Counters debiting =
        costOfAdjusting(
            "{\"uid\":\"member\",\"type\":\"DEBIT\",\"credits\":20,\"reason\":\"refund\"}");
    // reads: the balance (the account must exist; without an Idempotency-Key no record is read);
    // writes: the entry, its applied record, the balance, the admin_audit record.
    assertAll(
        () -> assertEquals(new Counters(1, 4, 0), granting, "admin credits:adjust, GRANT"),
        () -> assertEquals(new Counters(1, 4, 0), debiting, "admin credits:adjust, DEBIT"));
  }

  /** The document operations of one successful {@code /credits:adjust} with {@code body}. */
  private Counters costOfAdjusting(String body) {
    emulator.resetCounters();
    HttpResponse<String> r = host.post("/credits:adjust", admin, body);
    Counters cost = emulator.counters();
    assertEquals(200, r.statusCode(), r.body());
    return cost;
  }

  @Test
  void aGrantPastTheBalanceLimitIs409AndChangesNothing() throws Exception {
    new CreditService(db, java.time.Clock.systemUTC()).openAccount("whale");
    db.update(
        "credits/whale/balance/current", Map.of("creditBalance", CreditService.MAX_BALANCE - 10));
    HttpResponse<String> grant =
        host.post(
            "/credits:adjust",
            admin,
            "{\"uid\":\"whale\",\"type\":\"GRANT\",\"credits\":11,\"reason\":\"too much\"}");
    assertEquals(409, grant.statusCode(), grant.body());
    assertEquals("CONFLICT", json(grant).getAsJsonObject("error").get("code").getAsString());
    assertEquals(
        CreditService.MAX_BALANCE - 10,
        db.get("credits/whale/balance/current").getLong("creditBalance"));
    assertEquals(1, db.collection("credits/whale/ledger").get().size(), "the opening only");
  }

  @Test
  void acknowledgingAnAlertSetsItsTtl() throws Exception {
    db.set(
        "model_router_alerts/a1",
        Map.of(
            "type",
            "provider_down",
            "severity",
            "critical",
            "message",
            "down",
            "details",
            Map.of(),
            "acknowledged",
            false,
            "created_at",
            Instant.now(),
            "schemaVersion",
            1L));
    HttpResponse<String> r = host.post("/alerts/a1:acknowledge", admin, "{}");
    assertEquals(200, r.statusCode(), r.body());
    Snapshot alert = db.get("model_router_alerts/a1");
    assertEquals(Boolean.TRUE, alert.getBoolean("acknowledged"));
    Instant expireAt = alert.getTimestamp("expireAt");
    assertTrue(Duration.between(Instant.now(), expireAt).toDays() >= 89);
  }

  @Test
  void nonAdminsAndBadRequestsAreRejectedAndChangeNothing() throws Exception {
    String body = "{\"type\":\"STUDENT\",\"count\":1,\"maxUses\":1}";
    emulator.resetCounters();
    assertError(host.post("/redeem-codes", tokens.forUser("pleb"), body), 403, "PERMISSION_DENIED");
    assertError(host.post("/redeem-codes", null, body), 401, "UNAUTHENTICATED");
    assertError(host.post("/redeem-codes", IdTokens.garbage(), body), 401, "UNAUTHENTICATED");
    assertError(host.post("/redeem-codes", tokens.expired("boss"), body), 401, "UNAUTHENTICATED");
    assertError(
        host.post("/redeem-codes", tokens.wrongAudience("boss"), body), 401, "UNAUTHENTICATED");
    assertError(
        host.send(host.request("/redeem-codes", admin).GET().build()), 405, "METHOD_NOT_ALLOWED");
    assertError(host.post("/redeem-codes", admin, "nope"), 400, "INVALID_ARGUMENT");
    assertError(
        host.post("/redeem-codes", admin, "{\"type\":\"STUDENT\",\"count\":1001,\"maxUses\":1}"),
        400,
        "INVALID_ARGUMENT");
    assertError(
        host.post("/redeem-codes", admin, "{\"type\":\"TEACHER\",\"count\":1,\"maxUses\":1}"),
        400,
        "INVALID_ARGUMENT");
    assertError(
        host.post("/redeem-codes", admin, "{\"type\":\"STUDENT\",\"count\":\"1\",\"maxUses\":1}"),
        400,
        "INVALID_ARGUMENT");
    assertError(
        host.post("/redeem-codes", admin, "{\"type\":\"STUDENT\",\"maxUses\":1}"),
        400,
        "INVALID_ARGUMENT");
    assertError(
        host.post(
            "/redeem-codes", admin, "{\"type\":\"STUDENT\",\"count\":1,\"maxUses\":1,\"x\":0}"),
        400,
        "INVALID_ARGUMENT");
    assertError(
        host.post(
            "/credits:adjust",
            admin,
            "{\"uid\":\"u\",\"type\":\"HOLD\",\"credits\":1,\"reason\":\"r\"}"),
        400,
        "INVALID_ARGUMENT");
    assertError(
        host.post("/redeem-codes", admin, "{\"pad\":\"" + "x".repeat(70_000) + "\"}"),
        413,
        "PAYLOAD_TOO_LARGE");
    assertError(
        host.send(
            host.request("/redeem-codes", admin, "Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build()),
        415,
        "UNSUPPORTED_MEDIA_TYPE");
    assertError(host.post("/nowhere", admin, "{}"), 404, "NOT_FOUND");
    Counters after = emulator.counters();
    assertEquals(0, after.writes());
    assertEquals(0, after.deletes());
  }

  @Test
  void idsThatCannotBeDocumentIdsAre400NotServerErrors() throws Exception {
    new CreditService(db, java.time.Clock.systemUTC()).openAccount("member");
    emulator.resetCounters();
    for (String uid :
        List.of(
            "a/b",
            "",
            ".",
            "..",
            "__x__",
            "x".repeat(200),
            "sp ace",
            "\\u0007bell",
            "\\u00e9t\\u00e9")) {
      HttpResponse<String> r =
          host.post(
              "/credits:adjust",
              admin,
              "{\"uid\":\"" + uid + "\",\"type\":\"GRANT\",\"credits\":5,\"reason\":\"r\"}");
      assertError(r, 400, "INVALID_ARGUMENT");
      JsonObject details = json(r).getAsJsonObject("error").getAsJsonObject("details");
      assertTrue(
          details.has("fields") && details.getAsJsonObject("fields").has("uid"),
          uid + " → " + r.body());
    }
    assertError(host.post("/redeem-codes/__X__:disable", admin, "{}"), 400, "INVALID_ARGUMENT");
    assertError(host.post("/redeem-codes/-ABC:disable", admin, "{}"), 400, "INVALID_ARGUMENT");
    assertError(host.post("/alerts/__x__:acknowledge", admin, "{}"), 400, "INVALID_ARGUMENT");
    assertEquals(0, emulator.counters().writes());
  }

  @Test
  void datesAndNumbersOutOfRangeAre400NotServerErrors() throws Exception {
    new CreditService(db, java.time.Clock.systemUTC()).openAccount("member");
    emulator.resetCounters();
    for (String validUntil :
        List.of(
            "+10000-01-01T00:00:00Z",
            "9999-12-31T23:59:59Z",
            "1969-01-01T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "tomorrow")) {
      HttpResponse<String> r =
          host.post(
              "/redeem-codes",
              admin,
              "{\"type\":\"STUDENT\",\"count\":1,\"maxUses\":1,\"validUntil\":\""
                  + validUntil
                  + "\"}");
      assertError(r, 400, "INVALID_ARGUMENT");
    }
    for (String n :
        List.of("1e10000", "-1e10000", "1e400", "1.5", "9223372036854775808", "-1", "0")) {
      assertError(
          host.post(
              "/credits:adjust",
              admin,
              "{\"uid\":\"member\",\"type\":\"GRANT\",\"credits\":" + n + ",\"reason\":\"r\"}"),
          400,
          "INVALID_ARGUMENT");
      assertError(
          host.post(
              "/redeem-codes", admin, "{\"type\":\"STUDENT\",\"count\":" + n + ",\"maxUses\":1}"),
          400,
          "INVALID_ARGUMENT");
    }
    assertEquals(0, emulator.counters().writes());
  }

  private void profile(String uid) throws Exception {
    db.set(
        "users/" + uid,
        Map.of(
            "uid",
            uid,
            "username",
            uid,
            "provider",
            "google",
            "emailVerified",
            true,
            "isActive",
            true,
            "loginCount",
            1L,
            "metadata",
            Map.of("accountStatus", "active", "roles", List.of()),
            "schemaVersion",
            1L));
  }

  private List<Snapshot> audits(String action) throws Exception {
    return List.copyOf(db.collection("admin_audit").whereEqualTo("action", action).get());
  }

  @Test
  void suspendingSetsTheStatusRevokesTheUsersTokensAndIsAudited() throws Exception {
    profile("rogue");
    HttpResponse<String> r = host.post("/users/rogue:suspend", admin, "{\"reason\":\"spam\"}");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("suspended", db.get("users/rogue").getString("metadata.accountStatus"));
    assertTrue(AuthEmulatorStub.shared().validSince("rogue") > 0, "refresh tokens revoked");
    List<Snapshot> audits = audits("user_suspended");
    assertEquals(1, audits.size());
    Snapshot audit = audits.get(0);
    assertEquals("boss", audit.getString("actor"));
    assertEquals("users/rogue", audit.getString("target"));
    assertEquals(Map.of("accountStatus", "active"), audit.get("before"));
    assertEquals(Map.of("accountStatus", "suspended", "reason", "spam"), audit.get("after"));
    assertTrue(audit.getTimestamp("at") != null && audit.getString("requestId") != null);

    assertEquals(
        200, host.post("/users/rogue:suspend", admin, "{\"reason\":\"again\"}").statusCode());
    assertEquals(1, audits("user_suspended").size(), "suspending twice changes nothing");
    assertEquals(200, host.post("/users/rogue:restore", admin, "{}").statusCode());
    assertEquals("active", db.get("users/rogue").getString("metadata.accountStatus"));
    assertEquals(1, audits("user_restored").size());
    assertError(host.post("/users/nobody:suspend", admin, "{\"reason\":\"x\"}"), 404, "NOT_FOUND");
    assertError(
        host.post("/users/__x__:suspend", admin, "{\"reason\":\"x\"}"), 400, "INVALID_ARGUMENT");
  }

  @Test
  void everyAdminActionWritesItsAuditRecord() throws Exception {
    new CreditService(db, java.time.Clock.systemUTC()).openAccount("member");
    db.set(
        "model_router_alerts/a9",
        Map.of(
            "type",
            "provider_down",
            "severity",
            "critical",
            "message",
            "down",
            "details",
            Map.of(),
            "acknowledged",
            false,
            "created_at",
            Instant.now(),
            "schemaVersion",
            1L));
    String code =
        json(host.post("/redeem-codes", admin, "{\"type\":\"STUDENT\",\"count\":2,\"maxUses\":1}"))
            .getAsJsonArray("codes")
            .get(0)
            .getAsString();
    assertEquals(200, host.post("/redeem-codes/" + code + ":disable", admin, "{}").statusCode());
    assertEquals(
        200,
        host.post(
                "/credits:adjust",
                admin,
                "{\"uid\":\"member\",\"type\":\"GRANT\",\"credits\":7,\"reason\":\"sorry\"}")
            .statusCode());
    assertEquals(200, host.post("/alerts/a9:acknowledge", admin, "{}").statusCode());
    assertEquals(2, ((List<?>) audits("codes_created").get(0).get("after.codes")).size());
    assertEquals(Map.of("status", "ACTIVE"), audits("code_disabled").get(0).get("before"));
    Snapshot adjusted = audits("credits_adjusted").get(0);
    assertEquals(100L, adjusted.getLong("before.creditBalance"));
    assertEquals(107L, adjusted.getLong("after.creditBalance"));
    assertEquals("credits/member/balance/current", adjusted.getString("target"));
    assertEquals(
        Boolean.TRUE, audits("alert_acknowledged").get(0).getBoolean("after.acknowledged"));
    assertEquals(4, db.collection("admin_audit").get().size());
  }

  @Test
  void anAdminTokenRevokedSinceItWasIssuedIsRefused() throws Exception {
    AuthEmulatorStub.shared().revoke("boss", Instant.now().getEpochSecond() + 5);
    try {
      assertError(
          host.post("/redeem-codes", admin, "{\"type\":\"STUDENT\",\"count\":1,\"maxUses\":1}"),
          401,
          "UNAUTHENTICATED");
    } finally {
      AuthEmulatorStub.shared().revoke("boss", 0);
    }
  }

  @Test
  void hostileInputIsAnswered4xxWithTheErrorShapeAndWritesNothing() throws Exception {
    new CreditService(db, java.time.Clock.systemUTC()).openAccount("member");
    int sent = 0;
    for (String action : List.of("/redeem-codes", "/credits:adjust", "/users/member:suspend")) {
      sent +=
          HostileInputs.assertAllRefused(
              host,
              action,
              () -> admin,
              List.of("type", "count", "maxUses", "validUntil", "uid", "credits", "reason"),
              1000L + sent,
              HostileInputs.SUITE_SIZE / 3 + 1,
              emulator);
    }
    assertTrue(sent >= HostileInputs.SUITE_SIZE);
    assertEquals(0, db.collection("admin_audit").get().size());
  }
}
