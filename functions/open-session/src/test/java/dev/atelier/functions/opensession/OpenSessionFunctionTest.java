package dev.atelier.functions.opensession;

import static dev.atelier.testsupport.HttpAssertions.errorCode;
import static dev.atelier.testsupport.HttpAssertions.json;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.atelier.emulator.Counters;
import dev.atelier.emulator.junit.EmulatorHandle;
import dev.atelier.emulator.junit.FirestoreEmulatorExtension;
import dev.atelier.firestore.Database;
import dev.atelier.firestore.Snapshot;
import dev.atelier.firestore.WriteBatch;
import dev.atelier.generations.CreatedBy;
import dev.atelier.generations.GenerationItem;
import dev.atelier.generations.GenerationStatus;
import dev.atelier.generations.GenerationType;
import dev.atelier.generations.Visibility;
import dev.atelier.store.Documents;
import dev.atelier.store.FirestorePaths;
import dev.atelier.testsupport.FunctionTestRig;
import dev.atelier.testsupport.HostileInputs;
import dev.atelier.testsupport.HttpAssertions;
import dev.atelier.testsupport.IdTokens;
import dev.atelier.testsupport.LoopbackHttpHost;
import dev.atelier.users.UserProfile;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FirestoreEmulatorExtension.class)
class OpenSessionFunctionTest {

  private static final String PROJECT = FirestoreEmulatorExtension.PROJECT_ID;
  private static final String CHROME_ANDROID =
      "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36";
  private final IdTokens tokens = new IdTokens(PROJECT);
  private LoopbackHttpHost host;
  private Database db;
  private EmulatorHandle emulator;

  @BeforeEach
  void start(EmulatorHandle emulator) throws Exception {
    this.emulator = emulator;
    db = emulator.database();
    host = FunctionTestRig.serve(emulator, "open-session", OpenSessionFunction::new);
  }

  @AfterEach
  void stop() {
    host.close();
  }

  private HttpResponse<String> open(String uid, String body) {
    return host.post(
        "",
        tokens.forUser(uid),
        body,
        "X-Forwarded-For",
        "203.0.113.66, 203.0.113.7",
        "User-Agent",
        CHROME_ANDROID);
  }

  @Test
  void firstSessionCreatesProfileWithTemporaryUsernameAndOpensAccount() throws Exception {
    HttpResponse<String> r = open("s1", "{}");
    assertEquals(200, r.statusCode(), r.body());
    JsonObject body = json(r);
    assertEquals(100, body.get("creditBalance").getAsLong());
    assertEquals("FREE", body.get("planCode").getAsString());
    Snapshot user = db.get("users/s1");
    assertEquals("s1@example.test", user.getString("email"));
    assertEquals("google", user.getString("provider"));
    assertEquals(1L, user.getLong("loginCount"));
    assertEquals("203.0.113.7", user.getString("lastLoginIP"));
    assertEquals(
        Map.of("browser", "Chrome", "os", "Android", "device", "mobile"), user.get("deviceInfo"));
    assertEquals(Boolean.TRUE, user.getBoolean("isUsernameTemporary"));
    String username = user.getString("username");
    assertTrue(username.startsWith("user_"));
    assertEquals("s1", db.get("usernames/" + username.toLowerCase()).getString("uid"));
    assertEquals(
        2L, open("s1", "{}").statusCode() == 200 ? db.get("users/s1").getLong("loginCount") : -1);
  }

  @Test
  void tenConcurrentFirstSessionsMakeOneUserAndOneFreeGrant() throws Exception {
    String token = tokens.forUser("race");
    openAllAtOnce(IntStream.range(0, 10).mapToObj(i -> token).toList())
        .forEach(r -> assertEquals(200, r.statusCode(), r.body()));
    assertEquals(1, db.collection("users").get().size());
    assertEquals(10L, db.get("users/race").getLong("loginCount"));
    assertEquals(1, db.collection("credits/race/ledger").get().size());
    assertEquals(100L, db.get("credits/race/balance/current").getLong("creditBalance"));
    assertEquals(1, db.collection("usernames").get().size());
  }

  @Test
  void usernamesAreUniqueCaseInsensitivelyAndChangingReleasesTheOld() throws Exception {
    assertEquals(200, open("a", "{\"username\":\"Painter\"}").statusCode());
    HttpResponse<String> taken = open("b", "{\"username\":\"painter\"}");
    assertEquals(409, taken.statusCode());
    assertEquals("USERNAME_TAKEN", errorCode(taken));
    assertFalse(db.get("users/b").exists(), "a refused session changes nothing");
    assertEquals(200, open("a", "{\"username\":\"Sculptor\"}").statusCode());
    assertFalse(db.get("usernames/painter").exists());
    assertEquals(
        200,
        open("b", "{\"username\":\"painter\",\"preferences\":{\"theme\":\"dark\"}}").statusCode());
    Snapshot b = db.get("users/b");
    assertEquals("painter", b.getString("username"));
    assertEquals(Boolean.FALSE, b.getBoolean("isUsernameTemporary"));
    assertEquals(Map.of("theme", "dark"), b.get("preferences"));
  }

  @Test
  void suspendedUserCannotOpenASessionAndNothingIsWritten() throws Exception {
    assertEquals(200, host.post("", tokens.forUser("banned"), "{}").statusCode());
    db.update("users/banned", Map.of("metadata.accountStatus", "suspended"));
    emulator.resetCounters();
    HttpResponse<String> r = host.post("", tokens.forUser("banned"), "{}");
    assertEquals(403, r.statusCode(), r.body());
    assertEquals("ACCOUNT_SUSPENDED", HttpAssertions.errorCode(r));
    assertEquals(0, emulator.counters().writes());
  }

  @Test
  void clientIpIsTheRightMostForwardedForAddress() throws Exception {
    assertEquals(
        200,
        host.post(
                "", tokens.forUser("ipuser"), "{}", "X-Forwarded-For", "203.0.113.5, 198.51.100.7")
            .statusCode());
    assertEquals("198.51.100.7", db.get("users/ipuser").getString("lastLoginIP"));
  }

  @Test
  void badRequestsAreRejectedAndChangeNothing() throws Exception {
    emulator.resetCounters();
    String token = tokens.forUser("bad");
    assertError(host.post("", null, "{}"), 401);
    assertError(host.post("", IdTokens.garbage(), "{}"), 401);
    assertError(host.post("", tokens.expired("bad"), "{}"), 401);
    assertError(host.post("", tokens.wrongAudience("bad"), "{}"), 401);
    assertError(host.send(host.request("", token).GET().build()), 405);
    assertError(host.post("", token, "{"), 400);
    assertError(host.post("", token, "{\"username\":7}"), 400);
    assertError(host.post("", token, "{\"nickname\":\"x\"}"), 400);
    assertError(host.post("", token, "{\"username\":\"a b\"}"), 400);
    assertError(host.post("", token, "{\"preferences\":{\"theme\":\"blue\"}}"), 400);
    assertError(host.post("", token, "{\"preferences\":{\"colour\":\"blue\"}}"), 400);
    assertError(host.post("", token, "{\"username\":\"" + "x".repeat(70_000) + "\"}"), 413);
    assertError(
        host.send(
            host.request("", token, "Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build()),
        415);
    Counters after = emulator.counters();
    assertEquals(0, after.writes());
    assertEquals(0, after.deletes());
  }

  private static void assertError(HttpResponse<String> r, int status) {
    assertEquals(status, r.statusCode(), r.body());
    assertTrue(errorCode(r).matches("[A-Z_]+"));
  }

  @Test
  void firstAndRepeatSessionsCostExactlyTheirBudgetOfDocumentOperations() throws Exception {
    emulator.resetCounters();
    assertEquals(200, open("cost", "{}").statusCode());
    Counters first = emulator.counters();
    emulator.resetCounters();
    assertEquals(200, open("cost", "{}").statusCode());
    Counters again = emulator.counters();
    System.out.println("open-session cost: first " + first + ", returning " + again);
    assertAll(
        // reads: the user, the temporary username's reservation, the balance (absent), plans/FREE;
        // writes: the user, the reservation, the opening GRANT, its applied record, the balance.
        () -> assertEquals(new Counters(4, 5, 0), first, "open-session, first session"),
        // reads: the user, the balance; writes: the user (login count, time, client).
        () -> assertEquals(new Counters(2, 1, 0), again, "open-session, repeat session"));
  }

  // ---- creator refresh: the createdBy copy on the user's public items ----

  @Test
  void changedNameRewritesTheCreatorOfPublicItemsOnlyAndAnUnchangedProfileRewritesNothing()
      throws Exception {
    IdTokens.Identity first = IdTokens.Identity.of("painter");
    assertEquals(200, openAs(first).statusCode());
    CreatedBy before = creatorOf("painter");
    List<String> publicIds = List.of("pub1", "pub2", "pub3");
    WriteBatch items = db.batch();
    for (String id : publicIds) {
      items.set(itemRef("painter", id), Documents.encode(item("painter", id, true, before)));
    }
    items.set(itemRef("painter", "mine"), Documents.encode(item("painter", "mine", false, before)));
    items.commit();
    Snapshot privateBefore = db.get(itemRef("painter", "mine"));
    IdTokens.Identity renamed =
        new IdTokens.Identity(
            "painter",
            first.email(),
            true,
            "Painter Renamed",
            "https://img.example/painter-2.png",
            first.provider(),
            Map.of());

    emulator.resetCounters();
    assertEquals(200, openAs(renamed).statusCode());
    Counters renaming = emulator.counters();

    Map<String, Object> expected =
        Map.of(
            "uid",
            "painter",
            "username",
            before.username(),
            "email",
            before.email(),
            "displayName",
            "Painter Renamed",
            "photoURL",
            "https://img.example/painter-2.png");
    for (String id : publicIds) {
      assertEquals(expected, db.get(itemRef("painter", id)).get("createdBy"), id);
    }
    Snapshot privateAfter = db.get(itemRef("painter", "mine"));
    assertEquals(
        privateBefore.getData(), privateAfter.getData(), "the private item is not touched");
    assertEquals(privateBefore.updateTime().orElse(null), privateAfter.updateTime().orElse(null));

    // Unchanged profile: exactly what a returning user without items costs, so no item is read or
    // rewritten.
    assertEquals(200, openAs(IdTokens.Identity.of("control")).statusCode());
    Map<String, Instant> itemTimes = updateTimes("painter");
    emulator.resetCounters();
    assertEquals(200, openAs(renamed).statusCode());
    Counters unchanged = emulator.counters();
    emulator.resetCounters();
    assertEquals(200, openAs(IdTokens.Identity.of("control")).statusCode());
    Counters control = emulator.counters();

    System.out.println(
        "open-session creator refresh: renaming "
            + renaming
            + ", unchanged "
            + unchanged
            + ", returning user without items "
            + control);
    assertEquals(control, unchanged);
    // reads: the user, the balance, the public items, the user again (the pending mark);
    // writes: the user, each public item, the pending mark's removal.
    int n = publicIds.size();
    assertEquals(new Counters(3 + n, 2 + n, 0), renaming, "open-session, creator changed");
    assertEquals(itemTimes, updateTimes("painter"), "no item was rewritten");
  }

  @Test
  void creatorRefreshReachesEveryPublicItemAcrossBatches() throws Exception {
    IdTokens.Identity first = IdTokens.Identity.of("prolific");
    assertEquals(200, openAs(first).statusCode());
    CreatedBy before = creatorOf("prolific");
    int count = 450;
    WriteBatch items = db.batch();
    for (int i = 0; i < count; i++) {
      String id = String.format("item%04d", i);
      items.set(itemRef("prolific", id), Documents.encode(item("prolific", id, true, before)));
    }
    items.commit();
    IdTokens.Identity renamed =
        new IdTokens.Identity(
            "prolific", first.email(), true, "Prolific Renamed", null, first.provider(), Map.of());

    emulator.resetCounters();
    assertEquals(200, openAs(renamed).statusCode());
    Counters renaming = emulator.counters();

    List<Snapshot> all = db.collection(FirestorePaths.historyItems("prolific")).get();
    assertEquals(count, all.size());
    List<String> stale =
        all.stream()
            .filter(d -> !"Prolific Renamed".equals(d.getString("createdBy.displayName")))
            .map(Snapshot::id)
            .toList();
    assertEquals(List.of(), stale, "every public item carries the new name");
    System.out.println("open-session creator refresh of " + count + " items: " + renaming);
    assertEquals(
        count + 2,
        renaming.writes(),
        "the profile, one write per item, the pending mark's removal: " + renaming);
  }

  @Test
  void creatorRefreshThatFailedAfterTheSessionCommittedIsFinishedByTheNextSession()
      throws Exception {
    List<String> ids = List.of("p1", "p2");
    CreatedBy before = openWithPublicItems("unlucky", ids);
    IdTokens.Identity renamed = named("unlucky", "Unlucky Renamed");
    // The profile's transaction commits; the items' batch after it fails.
    emulator.failNextCommitsUnder(
        FirestorePaths.historyItems("unlucky"), 1, io.grpc.Status.Code.INTERNAL);

    HttpResponse<String> failed = openAs(renamed);

    assertEquals(200, failed.statusCode(), "the session committed: " + failed.body());
    assertEquals("Unlucky Renamed", creatorOf("unlucky").displayName());
    assertEquals(
        List.of(before.displayName(), before.displayName()),
        displayNamesOf("unlucky", ids),
        "the refresh failed");
    assertTrue(refreshPending("unlucky"));

    // The profile no longer changes, yet this session finishes the refresh the last one left.
    assertEquals(200, openAs(renamed).statusCode());

    assertEquals(List.of("Unlucky Renamed", "Unlucky Renamed"), displayNamesOf("unlucky", ids));
    assertFalse(refreshPending("unlucky"), "nothing left pending");
  }

  @Test
  void concurrentRenamesLeaveEveryPublicItemWithTheNameTheProfileEndsWith() throws Exception {
    List<String> ids = List.of("p1", "p2", "p3");
    openWithPublicItems("fickle", ids);

    openAllAtOnce(
            IntStream.range(0, 8)
                .mapToObj(i -> tokens.valid(named("fickle", "Name " + i)))
                .toList())
        .forEach(r -> assertEquals(200, r.statusCode(), r.body()));

    String last = creatorOf("fickle").displayName();
    if (!refreshPending("fickle")) {
      assertEquals(List.of(last, last, last), displayNamesOf("fickle", ids), "nothing pending");
    }
    // The next session, with the name the profile ended with, leaves nothing behind either way.
    assertEquals(200, openAs(named("fickle", last)).statusCode());
    assertEquals(List.of(last, last, last), displayNamesOf("fickle", ids));
    assertFalse(refreshPending("fickle"));
  }

  @Test
  void publicItemTheCodecRejectsDoesNotStopTheCreatorRefresh() throws Exception {
    List<String> ids = List.of("a", "b", "c");
    openWithPublicItems("legacy", ids);
    // An old document with a status this codebase does not know.
    db.update(itemRef("legacy", "b"), Map.of("status", "processing"));

    HttpResponse<String> r = openAs(named("legacy", "Legacy Renamed"));

    assertEquals(200, r.statusCode(), r.body());
    assertEquals(
        List.of("Legacy Renamed", "Legacy Renamed", "Legacy Renamed"),
        displayNamesOf("legacy", ids));
  }

  /** Opens {@code uid}'s first session and gives it public items; their creator copy. */
  private CreatedBy openWithPublicItems(String uid, List<String> ids) throws Exception {
    assertEquals(200, openAs(IdTokens.Identity.of(uid)).statusCode());
    CreatedBy creator = creatorOf(uid);
    for (String id : ids) {
      db.set(itemRef(uid, id), Documents.encode(item(uid, id, true, creator)));
    }
    return creator;
  }

  /** {@code uid}'s identity as {@link IdTokens.Identity#of} makes it, with another name. */
  private static IdTokens.Identity named(String uid, String displayName) {
    IdTokens.Identity usual = IdTokens.Identity.of(uid);
    return new IdTokens.Identity(
        uid, usual.email(), true, displayName, null, usual.provider(), Map.of());
  }

  private List<String> displayNamesOf(String uid, List<String> ids) throws Exception {
    List<String> names = new java.util.ArrayList<>();
    for (String id : ids) {
      names.add(db.get(itemRef(uid, id)).getString("createdBy.displayName"));
    }
    return names;
  }

  private boolean refreshPending(String uid) throws Exception {
    return db.get(FirestorePaths.user(uid)).contains(UserProfile.Field.CREATOR_REFRESH_PENDING);
  }

  /** One open-session call per token, all sent before any answer is awaited. */
  private List<HttpResponse<String>> openAllAtOnce(List<String> idTokens) {
    return host.sendAllAtOnce(
        idTokens.stream()
            .map(
                token ->
                    host.request("", token).POST(HttpRequest.BodyPublishers.ofString("{}")).build())
            .toList());
  }

  private HttpResponse<String> openAs(IdTokens.Identity identity) {
    return host.post("", tokens.valid(identity), "{}");
  }

  private String itemRef(String uid, String id) {
    return FirestorePaths.historyItem(uid, id);
  }

  private CreatedBy creatorOf(String uid) throws Exception {
    UserProfile profile =
        Documents.read(db.get(FirestorePaths.user(uid)), UserProfile.class).orElseThrow();
    return new CreatedBy(
        uid, profile.username(), profile.email(), profile.displayName(), profile.photoURL());
  }

  private Map<String, Instant> updateTimes(String uid) throws Exception {
    Map<String, Instant> times = new TreeMap<>();
    for (Snapshot doc : db.collection(FirestorePaths.historyItems(uid)).get()) {
      times.put(doc.id(), doc.updateTime().orElse(null));
    }
    return times;
  }

  /** A completed item, public or private, carrying {@code creator} as its createdBy copy. */
  private static GenerationItem item(String uid, String id, boolean isPublic, CreatedBy creator) {
    Instant at = Instant.parse("2026-11-21T10:00:00Z");
    return GenerationItem.builder(uid, id)
        .prompt("a quiet harbour at dawn")
        .model("flux-schnell")
        .generationType(GenerationType.TEXT_TO_IMAGE)
        .status(GenerationStatus.COMPLETED)
        .visibility(isPublic ? Visibility.PUBLIC : Visibility.PRIVATE)
        .isPublic(isPublic)
        .createdBy(creator)
        .createdAt(at)
        .updatedAt(at)
        .completedAt(at)
        .cost(4L)
        .build();
  }

  @Test
  void hostileInputIsAnswered4xxWithTheErrorShapeAndWritesNothing() throws Exception {
    HostileInputs.assertAllRefused(
        host,
        "",
        () -> tokens.forUser("evil"),
        List.of("username", "preferences"),
        7L,
        HostileInputs.SUITE_SIZE,
        emulator);
    assertFalse(db.get("users/evil").exists());
  }
}
