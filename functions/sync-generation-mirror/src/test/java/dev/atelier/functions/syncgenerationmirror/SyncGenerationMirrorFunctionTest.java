package dev.atelier.functions.syncgenerationmirror;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.events.cloud.firestore.v1.DocumentEventData;
import dev.atelier.credits.CreditService;
import dev.atelier.emulator.Counters;
import dev.atelier.emulator.junit.EmulatorHandle;
import dev.atelier.emulator.junit.FirestoreEmulatorExtension;
import dev.atelier.firestore.Database;
import dev.atelier.firestore.Snapshot;
import dev.atelier.functions.syncgenerationmirror.ItemChanges.Change;
import dev.atelier.generations.CreatedBy;
import dev.atelier.generations.GenerationError;
import dev.atelier.generations.GenerationItem;
import dev.atelier.generations.GenerationParams;
import dev.atelier.generations.GenerationStatus;
import dev.atelier.generations.GenerationType;
import dev.atelier.generations.ImageMedia;
import dev.atelier.generations.Visibility;
import dev.atelier.platform.AuthUser;
import dev.atelier.platform.ClientInfo;
import dev.atelier.platform.Config;
import dev.atelier.platform.FirestoreTrigger;
import dev.atelier.store.Documents;
import dev.atelier.store.FirestorePaths;
import dev.atelier.testsupport.FirestoreEvents;
import dev.atelier.testsupport.FunctionTestRig;
import dev.atelier.users.ProviderId;
import dev.atelier.users.SessionService;
import dev.atelier.users.UserProfile;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * sync-generation-mirror against the emulator, driven by the CloudEvents Eventarc would deliver for
 * the emulator's real committed changes (protobuf as deployed, JSON as the Functions Framework
 * converts them). Expected mirrors come from {@link MirrorOracle} (SPEC "Mirror" written out on the
 * raw stored maps), not from the production projection.
 */
@ExtendWith(FirestoreEmulatorExtension.class)
class SyncGenerationMirrorFunctionTest {

  private static final String PROJECT = FirestoreEmulatorExtension.PROJECT_ID;
  private static final Instant CREATED = Instant.parse("2026-11-21T10:00:00.123456Z");
  private static final Instant DONE = Instant.parse("2026-11-21T10:00:07.654321Z");
  private static final boolean PROTOBUF = false;
  private static final boolean JSON = true;

  private final FirestoreEvents events = new FirestoreEvents(PROJECT);
  private EmulatorHandle emulator;
  private Database db;
  private ItemChanges changes;
  private SyncGenerationMirrorFunction function;

  @BeforeEach
  void start(EmulatorHandle emulator) {
    this.emulator = emulator;
    this.db = emulator.database();
    this.changes = ItemChanges.attach(emulator);
    this.function =
        new SyncGenerationMirrorFunction(
            Config.forEmulators(PROJECT, emulator.host(), null, "sync-generation-mirror"),
            db,
            Clock.systemUTC());
  }

  // ---- 1. projection ----

  @Test
  void completedPublicItemIsMirroredAsItsProjectionWithTheOwnersCurrentProfile() throws Exception {
    profile("u1", "ada", "Ada Lovelace", "https://img.example/ada.png");
    Change created = put(completedPublic("u1", "g1"));

    function.accept(created.event(events, PROTOBUF));

    Map<String, Object> mirror = raw(FirestorePaths.mirror("g1"));
    assertNotNull(mirror, "a completed public item is mirrored");
    assertEquals(expectedMirror("u1", "g1").orElseThrow(), mirror);
    assertEquals(Boolean.TRUE, mirror.get("isPublic"));
    assertEquals(Boolean.FALSE, mirror.get("isDeleted"), "isDeleted: false is written explicitly");
    // The owner's profile at sync time, not the item's stale copy; never the email.
    assertEquals(
        Map.of(
            "uid",
            "u1",
            "username",
            "ada",
            "displayName",
            "Ada Lovelace",
            "photoURL",
            "https://img.example/ada.png"),
        mirror.get("createdBy"));
    for (String serverOnly : List.of("holdEntryId", "cost", "providerTaskId", "error")) {
      assertFalse(
          mirror.containsKey(serverOnly), serverOnly + " must not be mirrored: " + mirror.keySet());
    }
    Map<?, ?> params = (Map<?, ?>) mirror.get("params");
    assertFalse(
        params.containsKey("negativePrompt"),
        "params.negativePrompt must not be mirrored: " + params);
    assertEquals(2L, params.get("numOutputs"));
    assertEquals("a lighthouse in a storm, oil on canvas", mirror.get("prompt"));
    assertEquals(
        Instant.parse(CREATED.toString()),
        mirror.get("createdAt"),
        "the feed sorts by the item's time");
  }

  // ---- 2. what is never mirrored ----

  @Test
  void itemsOutsideTheFeedAreNeverMirroredAndLeavingTheFeedRemovesTheMirror() throws Exception {
    profile("u2", "bo", "Bo", null);
    Map<String, UnaryOperator<GenerationItem.Builder>> outside = new LinkedHashMap<>();
    outside.put("private", b -> b.visibility(Visibility.PRIVATE).isPublic(false));
    outside.put("unlisted", b -> b.visibility(Visibility.UNLISTED).isPublic(false));
    outside.put("deleted", b -> b.isDeleted(true).deletedAt(DONE.plusSeconds(60)));
    outside.put(
        "generating",
        b -> b.status(GenerationStatus.GENERATING).images(List.of()).completedAt(null));
    outside.put("failed", b -> b.status(GenerationStatus.FAILED).images(List.of()));
    outside.put("cancelled", b -> b.status(GenerationStatus.CANCELLED).images(List.of()));
    outside.put("unlisted-with-public-flag", b -> b.visibility(Visibility.UNLISTED).isPublic(true));
    outside.put("public-without-flag", b -> b.visibility(Visibility.PUBLIC).isPublic(false));

    boolean json = false;
    for (Map.Entry<String, UnaryOperator<GenerationItem.Builder>> state : outside.entrySet()) {
      // Created in that state: never mirrored.
      String born = "born-" + state.getKey();
      function.accept(
          put(state.getValue().apply(completedPublic("u2", born).toBuilder()).build())
              .event(events, json));
      assertNull(raw(FirestorePaths.mirror(born)), born + " must not be mirrored");

      // Mirrored, then moved to that state: removed.
      String moved = "moved-" + state.getKey();
      GenerationItem item = completedPublic("u2", moved);
      function.accept(put(item).event(events, json));
      assertNotNull(raw(FirestorePaths.mirror(moved)), moved + " starts mirrored");
      function.accept(
          put(state.getValue().apply(item.toBuilder().updatedAt(DONE.plusSeconds(90))).build())
              .event(events, !json));
      assertNull(raw(FirestorePaths.mirror(moved)), moved + ": the mirror must be removed");
      json = !json;
    }

    // The item document itself deleted (delete event: old_value only).
    function.accept(put(completedPublic("u2", "erased")).event(events, PROTOBUF));
    assertNotNull(raw(FirestorePaths.mirror("erased")));
    db.delete(itemPath("u2", "erased"));
    Change erased = changes.next(itemPath("u2", "erased"));
    assertFalse(erased.data().hasValue());
    function.accept(erased.event(events, JSON));
    assertNull(
        raw(FirestorePaths.mirror("erased")), "a deleted item document takes its mirror with it");

    assertEquals(
        0, db.collection(FirestorePaths.mirror()).get().size(), "no mirror is left at all");
  }

  // ---- 3. order ----

  @Test
  void eventsDeliveredInReverseOrderLeaveTheMirrorMatchingTheLatestItem() throws Exception {
    profile("u3", "cy", "Cy", null);
    GenerationItem a = completedPublic("u3", "a");
    Change aPublic = put(a);
    Change aPrivate = put(a.toBuilder().visibility(Visibility.PRIVATE).isPublic(false).build());

    function.accept(aPrivate.event(events, JSON));
    function.accept(aPublic.event(events, PROTOBUF));

    assertNull(
        raw(FirestorePaths.mirror("a")), "public then private, delivered backwards: no mirror");

    GenerationItem b =
        completedPublic("u3", "b").toBuilder()
            .visibility(Visibility.PRIVATE)
            .isPublic(false)
            .build();
    Change bPrivate = put(b);
    Change bPublic = put(b.toBuilder().visibility(Visibility.PUBLIC).isPublic(true).build());

    function.accept(bPublic.event(events, PROTOBUF));
    function.accept(bPrivate.event(events, JSON));

    assertEquals(
        expectedMirror("u3", "b"),
        Optional.ofNullable(raw(FirestorePaths.mirror("b"))),
        "private then public, delivered backwards: mirrored");
    assertTrue(expectedMirror("u3", "b").isPresent());
  }

  // ---- 4. duplicates ----

  @Test
  void duplicateDeliveriesWriteOnceThenNothing() throws Exception {
    profile("u4", "di", "Di", "https://img.example/di.png");
    GenerationItem item = completedPublic("u4", "dup");
    Change published = put(item);
    CloudEvent event = published.event(events, PROTOBUF);

    List<Counters> runs = new ArrayList<>();
    List<Instant> updateTimes = new ArrayList<>();
    for (CloudEvent copy : List.of(event, event, published.event(events, JSON))) {
      emulator.resetCounters();
      function.accept(copy);
      runs.add(emulator.counters());
      updateTimes.add(db.get(FirestorePaths.mirror("dup")).updateTime().orElse(null));
    }

    assertEquals(1, runs.get(0).writes(), "the first run writes the mirror: " + runs);
    for (Counters again : runs.subList(1, 3)) {
      assertEquals(0, again.writes() + again.deletes(), "a repeated run writes nothing: " + runs);
    }
    assertEquals(
        1, updateTimes.stream().distinct().count(), "the mirror was written once: " + updateTimes);
    assertEquals(expectedMirror("u4", "dup"), Optional.of(raw(FirestorePaths.mirror("dup"))));

    // The same for a removal: one delete, then nothing.
    Change hidden = put(item.toBuilder().visibility(Visibility.PRIVATE).isPublic(false).build());
    List<Counters> removals = new ArrayList<>();
    for (int copy = 0; copy < 3; copy++) {
      emulator.resetCounters();
      function.accept(hidden.event(events, copy == 1));
      removals.add(emulator.counters());
    }
    assertEquals(
        List.of(1L, 0L, 0L),
        removals.stream().map(c -> c.deletes() + c.writes()).toList(),
        removals.toString());
    assertNull(raw(FirestorePaths.mirror("dup")));
  }

  // ---- 5. profile changes ----

  @Test
  void profileChangeReachesTheMirrorWhenTheSessionRefreshTouchesTheItems() throws Exception {
    FunctionTestRig.seedCatalog(db);
    SessionService sessions =
        new SessionService(
            db,
            new CreditService(db, java.time.Clock.systemUTC()),
            Clock.systemUTC(),
            dev.atelier.platform.JsonLog.forFunction("open-session"));
    ClientInfo client = new ClientInfo(Optional.empty(), Optional.empty());
    SessionService.SessionRequest keepName =
        new SessionService.SessionRequest(Optional.of("ada_l"), Optional.empty());
    UserProfile before =
        sessions
            .open(user("u5", "Ada Lovelace", "https://img.example/ada-1.png"), client, keepName)
            .profile();
    CreatedBy copy =
        new CreatedBy(
            "u5", before.username(), before.email(), before.displayName(), before.photoURL());
    List<String> ids = List.of("p1", "p2");
    for (String id : ids) {
      function.accept(
          put(completedPublic("u5", id).toBuilder().createdBy(copy).build())
              .event(events, PROTOBUF));
      assertEquals("Ada Lovelace", createdBy(id).get("displayName"));
    }
    put(
        completedPublic("u5", "own-eyes-only").toBuilder()
            .visibility(Visibility.PRIVATE)
            .isPublic(false)
            .createdBy(copy)
            .build());

    sessions.open(user("u5", "Ada King", "https://img.example/ada-2.png"), client, keepName);

    List<Change> refreshed = changes.next(ids.size());
    assertEquals(0, changes.pending(), "only the public items were touched");
    for (Change change : refreshed) {
      function.accept(change.event(events, JSON));
    }
    for (String id : ids) {
      assertEquals(
          Map.of(
              "uid",
              "u5",
              "username",
              "ada_l",
              "displayName",
              "Ada King",
              "photoURL",
              "https://img.example/ada-2.png"),
          createdBy(id),
          id);
      assertEquals(expectedMirror("u5", id), Optional.of(raw(FirestorePaths.mirror(id))));
    }
  }

  // ---- 6. foreign mirror ----

  @Test
  void mirrorOfAnotherUsersItemIsNeverOverwrittenOrDeleted() throws Exception {
    profile("owner", "own", "Owner", null);
    profile("intruder", "int", "Intruder", null);
    function.accept(put(completedPublic("owner", "same-id")).event(events, PROTOBUF));
    Snapshot theirs = db.get(FirestorePaths.mirror("same-id"));
    assertEquals("owner", theirs.getString("uid"));

    emulator.resetCounters();
    GenerationItem mine =
        completedPublic("intruder", "same-id").toBuilder()
            .prompt("something else entirely")
            .build();
    function.accept(put(mine).event(events, PROTOBUF));
    function.accept(
        put(mine.toBuilder().visibility(Visibility.PRIVATE).isPublic(false).build())
            .event(events, JSON));
    db.delete(itemPath("intruder", "same-id"));
    function.accept(changes.next(itemPath("intruder", "same-id")).event(events, PROTOBUF));

    Counters counters = emulator.counters();
    Snapshot after = db.get(FirestorePaths.mirror("same-id"));
    assertEquals(theirs.getData(), after.getData(), "the other user's mirror is untouched");
    assertEquals(theirs.updateTime().orElse(null), after.updateTime().orElse(null));
    // Our own writes to the intruder's item: one set, one set, one delete; the trigger adds
    // nothing.
    assertEquals(2, counters.writes(), counters.toString());
    assertEquals(1, counters.deletes(), counters.toString());
  }

  // ---- 7. events to drop ----

  @Test
  void garbageOtherPathsAndTooOldEventsWriteNothingAndDoNotThrow() throws Exception {
    profile("u7", "eve", "Eve", null);
    String path = itemPath("u7", "fresh");
    Change change = put(completedPublic("u7", "fresh"));
    CloudEvent garbage = events.garbage(path, Instant.now());
    List<CloudEvent> dropped = new ArrayList<>();
    dropped.add(garbage);
    dropped.add(
        CloudEventBuilder.v1(garbage)
            .withDataContentType("application/json")
            .withData("{\"value\": {\"name\": 42".getBytes(StandardCharsets.UTF_8))
            .build());
    for (String other :
        List.of(
            FirestorePaths.mirror("fresh"),
            FirestorePaths.user("u7"),
            path + "/comments/c1",
            "generationHistory/u7/drafts/fresh")) {
      dropped.add(events.protobuf(other, retarget(change.data(), other), Instant.now()));
      dropped.add(events.json(other, retarget(change.data(), other), Instant.now()));
    }
    Instant tooOld = Instant.now().minus(Config.DEFAULT_MAX_EVENT_AGE).minus(Duration.ofMinutes(1));
    dropped.add(events.protobuf(path, change.data(), tooOld));
    dropped.add(events.json(path, change.data(), tooOld));

    emulator.resetCounters();
    for (CloudEvent event : dropped) {
      assertDoesNotThrow(() -> function.accept(event), event.getType() + " " + event.getSubject());
    }

    Counters counters = emulator.counters();
    assertEquals(0, counters.writes() + counters.deletes(), counters.toString());
    assertNull(raw(FirestorePaths.mirror("fresh")));
    // The same change delivered in time is mirrored: the drops above were the only reason nothing
    // happened.
    function.accept(change.event(events, PROTOBUF));
    assertNotNull(raw(FirestorePaths.mirror("fresh")));
  }

  // ---- 8. scale and order ----

  @Test
  void twoHundredRandomWritesDeliveredThreeTimesShuffledInParallelConverge() throws Exception {
    Random random = new Random(20261121);
    List<String> users = List.of("u8a", "u8b");
    profile("u8a", "fox", "Fox", "https://img.example/fox.png");
    profile("u8b", "owl", "Owl", null);
    Map<String, GenerationItem> items = new LinkedHashMap<>();
    for (int i = 0; i < 20; i++) {
      GenerationItem.Builder initial =
          completedPublic(users.get(i % 2), String.format("g%02d", i)).toBuilder();
      GenerationItem item = randomState(initial, random).updatedAt(DONE.plusSeconds(i)).build();
      items.put(itemPath(item.uid(), item.id()), item);
      write(item);
    }
    List<String> paths = new ArrayList<>(items.keySet());
    for (int i = 20; i < 200; i++) {
      String path = paths.get(random.nextInt(paths.size()));
      GenerationItem current = items.get(path);
      if (current != null && random.nextInt(10) == 0) {
        db.delete(path);
        items.put(path, null);
        continue;
      }
      GenerationItem base =
          current != null ? current : completedPublic(path.split("/")[1], path.split("/")[3]);
      GenerationItem next =
          randomState(base.toBuilder(), random).updatedAt(DONE.plusSeconds(i)).build();
      items.put(path, next);
      write(next);
    }
    List<Change> fired = changes.next(200);
    assertEquals(0, changes.pending(), "every write fired exactly one event");

    List<CloudEvent> deliveries = new ArrayList<>();
    for (Change change : fired) {
      for (int copy = 0; copy < 3; copy++) {
        deliveries.add(change.event(events, random.nextBoolean()));
      }
    }
    Collections.shuffle(deliveries, random);
    long startedAt = System.nanoTime();
    deliverInParallel(deliveries, 4);
    long elapsedMs = (System.nanoTime() - startedAt) / 1_000_000;
    // 3.5-5 s for the 600 runs on the shared 2-core machine (Nov 2026).
    System.out.println(
        "sync-generation-mirror: 600 deliveries of 200 events on 4 threads in "
            + elapsedMs
            + " ms");

    int mirrored = 0;
    for (String path : paths) {
      String[] ids = path.split("/");
      Optional<Map<String, Object>> expected = expectedMirror(ids[1], ids[3]);
      assertEquals(expected, Optional.ofNullable(raw(FirestorePaths.mirror(ids[3]))), path);
      mirrored += expected.isPresent() ? 1 : 0;
    }
    assertTrue(
        mirrored > 0 && mirrored < paths.size(),
        "both outcomes are exercised: " + mirrored + " mirrored");
  }

  // ---- 9. racing writes and deliveries ----

  // 5-12 s on the shared 2-core machine (Nov 2026): runs on one item serialize on its lock.
  @Test
  void racingTogglesNeverLeaveAStaleMirrorOnceARunBegunAfterTheLatestWriteHasCompleted()
      throws Exception {
    profile("u9", "kit", "Kit", null);
    GenerationItem base = completedPublic("u9", "contested");
    String itemPath = itemPath("u9", "contested");
    // Writes issued and writes committed (incremented before issuing and after the commit
    // returned).
    AtomicLong issued = new AtomicLong();
    AtomicLong committed = new AtomicLong();
    // The largest `committed` seen at the start of a trigger run that has completed since.
    AtomicLong syncedThrough = new AtomicLong(-1);
    AtomicInteger reported = new AtomicInteger();
    AtomicInteger pendingRuns = new AtomicInteger();
    ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    AtomicInteger checkedAfterRuns = new AtomicInteger();
    AtomicInteger checkedByObserver = new AtomicInteger();
    AtomicInteger staleWhilePending = new AtomicInteger();
    AtomicInteger checkedWhileWriting = new AtomicInteger();
    AtomicInteger wroteInFeed = new AtomicInteger();
    AtomicInteger wroteOutOfFeed = new AtomicInteger();
    AtomicBoolean writing = new AtomicBoolean(true);
    Random delays = new Random(9);
    ScheduledExecutorService deliverers = Executors.newScheduledThreadPool(4);

    Map<String, Object> owner = raw(FirestorePaths.user("u9"));
    String mirrorPath = FirestorePaths.mirror("contested");
    AtomicInteger mirrorCommits = new AtomicInteger();
    AtomicReference<Map<String, Object>> itemNow = new AtomicReference<>();

    // The commit log, in commit order. A trigger run reads the item and writes the mirror in one
    // transaction, so right after each mirror commit the mirror must be the projection of the item
    // as it is at that point of the log: a run that read an item since overwritten must not commit.
    // (Reading the item outside the transaction fails this within a few rounds.) Every committed
    // write of the item is delivered twice, after small random delays, on 4 threads.
    ItemChanges.subscribe(
        emulator,
        change -> {
          if (change.path().equals(mirrorPath)) {
            mirrorCommits.incrementAndGet();
            Optional<Map<String, Object>> expected = MirrorOracle.expected(itemNow.get(), owner);
            if (!expected.equals(Optional.ofNullable(change.after()))) {
              violations.add(
                  "mirror committed at "
                      + change.time()
                      + " does not match the item then: "
                      + new View(itemNow.get(), change.after(), owner));
            }
            return;
          }
          if (!change.path().equals(itemPath)) {
            return;
          }
          itemNow.set(change.after());
          reported.incrementAndGet();
          (MirrorOracle.belongsInFeed(change.after()) ? wroteInFeed : wroteOutOfFeed)
              .incrementAndGet();
          for (int copy = 0; copy < 2; copy++) {
            boolean json = copy == 1;
            long delay;
            synchronized (delays) {
              delay = delays.nextInt(15);
            }
            pendingRuns.incrementAndGet();
            deliverers.schedule(
                () -> {
                  try {
                    long issuedAtStart = issued.get();
                    long committedAtStart = committed.get();
                    deliverUntilAcknowledged(change.event(events, json));
                    syncedThrough.accumulateAndGet(committedAtStart, Math::max);
                    if (issuedAtStart == committedAtStart) {
                      // No write was in flight when the run began: unless one is issued meanwhile,
                      // the mirror it left must match the item it read.
                      View view = readTogether("u9", "contested");
                      if (issued.get() == issuedAtStart) {
                        checkedAfterRuns.incrementAndGet();
                        if (!view.consistent()) {
                          violations.add("after a run with no write since it began: " + view);
                        }
                      }
                    }
                  } catch (Throwable t) {
                    failures.add(t);
                  } finally {
                    pendingRuns.decrementAndGet();
                  }
                },
                delay,
                TimeUnit.MILLISECONDS);
          }
        });

    // Observer: reads (item, mirror, owner) in one read-only transaction. A stale mirror is allowed
    // only while no run begun after the latest committed write has completed yet.
    AtomicBoolean observing = new AtomicBoolean(true);
    Thread observer =
        new Thread(
            () -> {
              while (observing.get()) {
                try {
                  long issuedBefore = issued.get();
                  long committedBefore = committed.get();
                  long synced = syncedThrough.get();
                  View view = readTogether("u9", "contested");
                  if (issuedBefore == committedBefore && issued.get() == issuedBefore) {
                    if (synced >= committedBefore) {
                      checkedByObserver.incrementAndGet();
                      if (writing.get()) {
                        checkedWhileWriting.incrementAndGet();
                      }
                      if (!view.consistent()) {
                        violations.add(
                            "observer, synced through write "
                                + synced
                                + " of "
                                + committedBefore
                                + ": "
                                + view);
                      }
                    } else if (!view.consistent()) {
                      staleWhilePending.incrementAndGet();
                    }
                  }
                  Thread.sleep(1);
                } catch (Throwable t) {
                  failures.add(t);
                }
              }
            },
            "mirror-observer");

    writeCounted(itemPath, Documents.encode(base), issued, committed);
    observer.start();

    // Writers, in 20 rounds that race each other: three toggle the visibility, one the status, one
    // the deleted flag. Every write also moves updatedAt, so each one changes the item and fires an
    // event. Between rounds a quiet gap, mostly short (deliveries of several rounds race each
    // other), every third round long enough for the round's deliveries to finish, so the invariant
    // is checked mid-run too.
    int rounds = 20;
    Random gaps = new Random(99);
    CyclicBarrier round =
        new CyclicBarrier(5, () -> sleepQuietly(gaps.nextInt(3) == 0 ? 300 : gaps.nextInt(20)));
    AtomicLong clock = new AtomicLong();
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < 5; w++) {
      int writer = w;
      Random random = new Random(900 + w);
      writers.add(
          new Thread(
              () -> {
                try {
                  for (int k = 0; k < rounds; k++) {
                    round.await(30, TimeUnit.SECONDS);
                    GenerationItem.Builder next =
                        base.toBuilder().updatedAt(DONE.plusMillis(clock.incrementAndGet()));
                    List<String> fields;
                    if (writer < 3) {
                      Visibility v = random.nextBoolean() ? Visibility.PUBLIC : Visibility.PRIVATE;
                      next.visibility(v).isPublic(v == Visibility.PUBLIC);
                      fields =
                          List.of(GenerationItem.Field.VISIBILITY, GenerationItem.Field.IS_PUBLIC);
                    } else if (writer == 3) {
                      next.status(
                          random.nextInt(3) == 0
                              ? GenerationStatus.FAILED
                              : GenerationStatus.COMPLETED);
                      fields = List.of(GenerationItem.Field.STATUS);
                    } else {
                      boolean deleted = random.nextInt(4) == 0;
                      next.isDeleted(deleted).deletedAt(deleted ? DONE : null);
                      fields =
                          List.of(GenerationItem.Field.IS_DELETED, GenerationItem.Field.DELETED_AT);
                    }
                    List<String> withTime = new ArrayList<>(fields);
                    withTime.add(GenerationItem.Field.UPDATED_AT);
                    updateCounted(
                        itemPath, Documents.update(next.build(), withTime), issued, committed);
                  }
                } catch (Throwable t) {
                  failures.add(t);
                }
              },
              "writer-" + w));
    }
    long startedAt = System.nanoTime();
    writers.forEach(Thread::start);
    for (Thread t : writers) {
      t.join();
    }
    writing.set(false);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while ((reported.get() < committed.get() || pendingRuns.get() > 0)
        && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    Thread.sleep(50);
    observing.set(false);
    observer.join();
    deliverers.shutdown();
    assertTrue(deliverers.awaitTermination(10, TimeUnit.SECONDS));
    long elapsedMs = (System.nanoTime() - startedAt) / 1_000_000;

    System.out.println(
        "mirror race ("
            + elapsedMs
            + " ms): "
            + committed.get()
            + " writes, "
            + reported.get()
            + " events, "
            + mirrorCommits.get()
            + " mirror commits; writes leaving the item in/out of the feed "
            + wroteInFeed.get()
            + "/"
            + wroteOutOfFeed.get()
            + "; "
            + checkedAfterRuns.get()
            + " checks after runs, "
            + checkedByObserver.get()
            + " by the observer ("
            + checkedWhileWriting.get()
            + " while writers were active), "
            + staleWhilePending.get()
            + " stale views while a run was pending");
    assertTrue(failures.isEmpty(), () -> "failures: " + failures);
    assertEquals(committed.get(), reported.get(), "every write fired one event");
    assertEquals(0, pendingRuns.get());
    assertTrue(
        violations.isEmpty(),
        () -> violations.size() + " stale mirrors, first: " + violations.peek());
    View last = readTogether("u9", "contested");
    assertTrue(last.consistent(), "at quiescence the mirror matches the final item: " + last);
    assertTrue(
        mirrorCommits.get() > 0 && checkedAfterRuns.get() > 0 && checkedByObserver.get() > 0,
        "the invariants were actually checked");
    assertTrue(
        wroteInFeed.get() > 0 && wroteOutOfFeed.get() > 0,
        "the writes moved the item in and out of the feed");
  }

  // ---- 10. cost ----

  @Test
  void eachKindOfRunCostsExactlyItsBudgetOfDocumentOperations() throws Exception {
    profile("u10", "lu", "Lu", null);
    GenerationItem item = completedPublic("u10", "cost");
    CloudEvent published = put(item).event(events, PROTOBUF);

    emulator.resetCounters();
    function.accept(published);
    Counters writing = emulator.counters();
    emulator.resetCounters();
    function.accept(published);
    Counters noOp = emulator.counters();
    Change hidden = put(item.toBuilder().visibility(Visibility.PRIVATE).isPublic(false).build());
    emulator.resetCounters();
    function.accept(hidden.event(events, PROTOBUF));
    Counters removing = emulator.counters();
    emulator.resetCounters();
    function.accept(hidden.event(events, PROTOBUF));
    Counters absentNoOp = emulator.counters();

    System.out.println(
        "sync-generation-mirror cost per run: writing "
            + writing
            + ", no-op "
            + noOp
            + ", removing "
            + removing
            + ", no-op without mirror "
            + absentNoOp);
    // Every run reads the item and the mirror in one transaction, and writes at most the mirror;
    // the owner's profile is read only for an item that belongs in the feed (its public name goes
    // into the mirror).
    assertAll(
        () ->
            assertEquals(
                new Counters(3, 1, 0), writing, "sync-generation-mirror, writing the mirror"),
        () ->
            assertEquals(
                new Counters(3, 0, 0), noOp, "sync-generation-mirror, mirror already in step"),
        () ->
            assertEquals(
                new Counters(2, 0, 1), removing, "sync-generation-mirror, removing the mirror"),
        () ->
            assertEquals(
                new Counters(2, 0, 0),
                absentNoOp,
                "sync-generation-mirror, private item without a mirror"));
  }

  // ---- 11. documents the trigger cannot decode ----

  @Test
  void ownerProfileThatDoesNotDecodeNeitherBlocksRemovalNorLeaksIntoTheMirror() throws Exception {
    profile("u11", "gus", "Gus", null);
    GenerationItem item = completedPublic("u11", "g11");
    function.accept(put(item).event(events, PROTOBUF));
    assertNotNull(raw(FirestorePaths.mirror("g11")));
    // A console edit leaves the profile unreadable for the codec (an unknown sign-in provider).
    db.update(FirestorePaths.user("u11"), Map.of("provider", "myspace", "displayName", "Gus G."));

    function.accept(
        put(item.toBuilder().prompt("a lighthouse, retitled").build()).event(events, JSON));
    assertEquals(
        "Gus G.",
        createdBy("g11").get("displayName"),
        "the creator's public fields still come from the profile");
    assertEquals(expectedMirror("u11", "g11"), Optional.of(raw(FirestorePaths.mirror("g11"))));

    GenerationItem hidden = item.toBuilder().visibility(Visibility.PRIVATE).isPublic(false).build();
    function.accept(put(hidden).event(events, PROTOBUF));
    assertNull(
        raw(FirestorePaths.mirror("g11")),
        "the item went private: its mirror goes whatever the profile holds");
  }

  @Test
  void itemThatDoesNotDecodeTakesItsMirrorOutOfTheFeed() throws Exception {
    profile("u12", "hal", "Hal", null);
    function.accept(put(completedPublic("u12", "g12")).event(events, PROTOBUF));
    assertNotNull(raw(FirestorePaths.mirror("g12")));

    // Hand-edited into a state the codec cannot read: it can no longer be shown to be completed and
    // public.
    db.update(itemPath("u12", "g12"), Map.of("status", "processing"));
    assertDoesNotThrow(
        () -> function.accept(changes.next(itemPath("u12", "g12")).event(events, JSON)));

    assertNull(raw(FirestorePaths.mirror("g12")), "an unreadable item is not published");

    // Fixed by a later write: published again.
    db.update(itemPath("u12", "g12"), Map.of("status", "completed"));
    function.accept(changes.next(itemPath("u12", "g12")).event(events, PROTOBUF));
    assertEquals(
        expectedMirror("u12", "g12"), Optional.ofNullable(raw(FirestorePaths.mirror("g12"))));
    assertTrue(expectedMirror("u12", "g12").isPresent());
  }

  // ---- helpers ----

  /**
   * A completed public item with every field set, including the server-only ones and a stale
   * creator copy.
   */
  private static GenerationItem completedPublic(String uid, String id) {
    return GenerationItem.builder(uid, id)
        .prompt("a lighthouse in a storm, oil on canvas")
        .model("flux-schnell")
        .generationType(GenerationType.TEXT_TO_IMAGE)
        .status(GenerationStatus.COMPLETED)
        .visibility(Visibility.PUBLIC)
        .isPublic(true)
        .tags(List.of("sea", "storm"))
        .images(
            List.of(
                new ImageMedia(
                    "m1",
                    "https://media.example/" + id + "/m1.png?token=t1",
                    "generations/" + uid + "/" + id + "/m1.png",
                    "https://provider.example/out/m1.png")))
        .aspectRatio("16:9")
        .style("oil")
        .error(new GenerationError("PARTIAL_OUTPUT", "1 of 2 outputs arrived"))
        .createdBy(
            new CreatedBy(
                uid,
                "stale_name",
                uid + "@example.test",
                "Stale Name",
                "https://img.example/stale.png"))
        .createdAt(CREATED)
        .updatedAt(DONE)
        .provider("replicate")
        .providerTaskId("task-" + id)
        .cost(8L)
        .holdEntryId("hold-" + id)
        .processingTimeMs(4321L)
        .completedAt(DONE)
        .params(new GenerationParams(2, "16:9", null, "blurry, watermark"))
        .build();
  }

  /**
   * A random visibility, status, deleted flag and prompt; half the time straight back into the
   * feed.
   */
  private static GenerationItem.Builder randomState(GenerationItem.Builder b, Random random) {
    if (random.nextInt(3) == 0) {
      return b.status(GenerationStatus.COMPLETED)
          .visibility(Visibility.PUBLIC)
          .isPublic(true)
          .isDeleted(false)
          .deletedAt(null)
          .prompt("back in the feed " + random.nextInt(1000));
    }
    Visibility v = Visibility.values()[random.nextInt(Visibility.values().length)];
    boolean deleted = random.nextInt(4) == 0;
    return b.visibility(v)
        .isPublic(random.nextInt(10) == 0 ? random.nextBoolean() : v == Visibility.PUBLIC)
        .status(GenerationStatus.values()[random.nextInt(GenerationStatus.values().length)])
        .isDeleted(deleted)
        .deletedAt(deleted ? DONE : null)
        .prompt("prompt " + random.nextInt(1000))
        .tags(random.nextBoolean() ? List.of("a") : List.of("b", "c"));
  }

  private static AuthUser user(String uid, String name, String picture) {
    return new AuthUser(
        uid,
        Optional.of(uid + "@example.test"),
        true,
        Optional.of(name),
        Optional.of(picture),
        "google.com",
        false);
  }

  private void profile(String uid, String username, String displayName, String photoURL)
      throws Exception {
    db.set(
        FirestorePaths.user(uid),
        Documents.encode(
            new UserProfile(
                uid,
                uid + "@example.test",
                username,
                displayName,
                photoURL,
                ProviderId.GOOGLE,
                true,
                true,
                CREATED,
                CREATED,
                1,
                null,
                null,
                null,
                null,
                null,
                false,
                CREATED,
                null)));
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String itemPath(String uid, String id) {
    return FirestorePaths.historyItem(uid, id);
  }

  /** Stores {@code item} with the production codec and returns the change it fired. */
  private Change put(GenerationItem item) throws Exception {
    write(item);
    return changes.next(itemPath(item.uid(), item.id()));
  }

  private void write(GenerationItem item) throws Exception {
    db.set(itemPath(item.uid(), item.id()), Documents.encode(item));
  }

  private void writeCounted(
      String path, Map<String, Object> fields, AtomicLong issued, AtomicLong committed)
      throws Exception {
    issued.incrementAndGet();
    db.set(path, fields);
    committed.incrementAndGet();
  }

  private void updateCounted(
      String path, Map<String, Object> fields, AtomicLong issued, AtomicLong committed)
      throws Exception {
    issued.incrementAndGet();
    db.update(path, fields);
    committed.incrementAndGet();
  }

  private Map<String, Object> raw(String path) throws Exception {
    return db.get(path).getData();
  }

  private Map<?, ?> createdBy(String id) throws Exception {
    return (Map<?, ?>) raw(FirestorePaths.mirror(id)).get("createdBy");
  }

  private Optional<Map<String, Object>> expectedMirror(String uid, String id) throws Exception {
    return MirrorOracle.expected(raw(itemPath(uid, id)), raw(FirestorePaths.user(uid)));
  }

  /** The same payload naming another document (as a misrouted event would). */
  private DocumentEventData retarget(DocumentEventData data, String path) {
    return data.toBuilder()
        .setValue(data.getValue().toBuilder().setName(events.documentName(path)))
        .build();
  }

  /** As Eventarc with retries on: a transient failure is redelivered. */
  private void deliverUntilAcknowledged(CloudEvent event) {
    for (int attempt = 1; ; attempt++) {
      try {
        function.accept(event);
        return;
      } catch (FirestoreTrigger.TransientFailure e) {
        if (attempt == 5) {
          throw e;
        }
      }
    }
  }

  private void deliverInParallel(List<CloudEvent> deliveries, int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (CloudEvent event : deliveries) {
        runs.add(pool.submit(() -> deliverUntilAcknowledged(event)));
      }
      for (Future<?> run : runs) {
        run.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Item, mirror and owner as one consistent snapshot. */
  private record View(
      Map<String, Object> item, Map<String, Object> mirror, Map<String, Object> owner) {
    Optional<Map<String, Object>> expected() {
      return MirrorOracle.expected(item, owner);
    }

    boolean consistent() {
      return expected().equals(Optional.ofNullable(mirror));
    }

    @Override
    public String toString() {
      return "item "
          + (item == null
              ? "absent"
              : item.get("status")
                  + "/"
                  + item.get("visibility")
                  + "/isPublic="
                  + item.get("isPublic")
                  + "/isDeleted="
                  + item.get("isDeleted")
                  + "/updatedAt="
                  + item.get("updatedAt"))
          + ", mirror "
          + (mirror == null ? "absent" : "updatedAt=" + mirror.get("updatedAt"));
    }
  }

  /** The three documents at one read time (a batched read is one consistent snapshot). */
  private View readTogether(String uid, String id) {
    List<Snapshot> docs =
        db.getAll(itemPath(uid, id), FirestorePaths.mirror(id), FirestorePaths.user(uid));
    return new View(docs.get(0).getData(), docs.get(1).getData(), docs.get(2).getData());
  }
}
