package dev.atelier.firestore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.Firestore;
import dev.atelier.emulator.junit.EmulatorHandle;
import dev.atelier.emulator.junit.FirestoreEmulatorExtension;
import io.grpc.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Our client against the emulator's gRPC API, checked through the official client where a second
 * opinion helps (what one writes, the other reads the same).
 */
@ExtendWith(FirestoreEmulatorExtension.class)
class DatabaseTest {

  private Firestore official;
  private EmulatorHandle emulator;
  private Database db;

  @BeforeEach
  void connect(Firestore official, Database db, EmulatorHandle emulator) {
    this.official = official;
    this.db = db;
    this.emulator = emulator;
  }

  private static Map<String, Object> everyKindOfValue() {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("deep", List.of(1L, "two", 3.5, true));
    nested.put("empty", Map.of());
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("text", "héllo");
    fields.put("count", 42L);
    fields.put("ratio", 0.25);
    fields.put("flag", false);
    fields.put("nothing", null);
    fields.put("at", Instant.ofEpochSecond(1_700_000_000L, 123_000));
    fields.put("list", List.of("a", 2L));
    fields.put("map", nested);
    fields.put("odd key-with.dots", "kept");
    return fields;
  }

  /**
   * A value as the official client reads it (its Timestamp) made ours (an Instant), or the other
   * way: the one kind whose Java type differs between the two clients.
   */
  @SuppressWarnings("unchecked")
  private static <T> T convert(T value, boolean toOurs) {
    if (toOurs && value instanceof Timestamp t) {
      return (T) Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }
    if (!toOurs && value instanceof Instant i) {
      return (T) Timestamp.ofTimeSecondsAndNanos(i.getEpochSecond(), i.getNano());
    }
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put((String) k, convert(v, toOurs)));
      return (T) out;
    }
    if (value instanceof List<?> l) {
      return (T) l.stream().map(v -> convert(v, toOurs)).toList();
    }
    return value;
  }

  private static Map<String, Object> ours(Map<String, Object> theirs) {
    return convert(theirs, true);
  }

  private static Map<String, Object> theirs(Map<String, Object> ours) {
    return convert(ours, false);
  }

  @Test
  void aMissingDocumentReadsAsNotExisting() {
    Snapshot s = db.get("users/nobody");
    assertFalse(s.exists());
    assertNull(s.getData());
    assertEquals("nobody", s.id());
  }

  @Test
  void whatWeWriteTheOfficialClientReadsAsTheSameValues() throws Exception {
    db.batch().set("things/a", everyKindOfValue()).commit();
    Map<String, Object> theirs = ours(official.document("things/a").get().get().getData());
    assertEquals(theirs, db.get("things/a").getData());
    assertEquals(everyKindOfValue(), theirs);
  }

  @Test
  void whatTheOfficialClientWritesWeReadAsTheSameValues() throws Exception {
    official.document("things/b").set(theirs(everyKindOfValue())).get();
    Snapshot ours = db.get("things/b");
    assertTrue(ours.exists());
    assertEquals(everyKindOfValue(), new HashMap<>(ours.getData()));
    assertEquals(42L, ours.getLong("count"));
    assertEquals(List.of(1L, "two", 3.5, true), ours.get("map.deep"));
    assertTrue(ours.updateTime().isPresent());
  }

  @Test
  void createRefusesADocumentThatExists() {
    db.batch().create("things/c", Map.of("v", 1L)).commit();
    FirestoreError e =
        assertThrows(
            FirestoreError.class, () -> db.batch().create("things/c", Map.of("v", 2L)).commit());
    assertEquals(Status.Code.ALREADY_EXISTS, e.code());
    assertEquals(1L, db.get("things/c").getLong("v"));
  }

  @Test
  void updateRefusesAMissingDocument() {
    FirestoreError e =
        assertThrows(
            FirestoreError.class, () -> db.batch().update("things/none", Map.of("v", 1L)).commit());
    assertEquals(Status.Code.NOT_FOUND, e.code());
    assertFalse(db.get("things/none").exists());
  }

  @Test
  void updateWritesOnlyTheNamedFieldPathsAndDeletesThoseAskedTo() {
    db.batch()
        .set("things/u", Map.of("a", Map.of("x", 1L, "y", 2L), "b", "keep", "c", "drop"))
        .commit();
    db.batch()
        .update("things/u", Map.of("a.x", 10L, "c", FieldValue.delete()))
        .updatePaths("things/u", Map.of(FieldPath.of("m", "id-with.dot"), "v"))
        .commit();
    Map<String, Object> data = db.get("things/u").getData();
    assertEquals(Map.of("x", 10L, "y", 2L), data.get("a"));
    assertEquals("keep", data.get("b"));
    assertFalse(data.containsKey("c"));
    assertEquals(Map.of("id-with.dot", "v"), data.get("m"));
  }

  @Test
  void mergeChangesOnlyTheGivenLeaves() {
    db.batch().set("things/m", Map.of("a", Map.of("x", 1L, "y", 2L), "b", "keep")).commit();
    db.batch()
        .merge("things/m", Map.of("a", Map.of("y", 20L, "z", FieldValue.delete()), "n", 1L))
        .commit();
    assertEquals(
        Map.of("a", Map.of("x", 1L, "y", 20L), "b", "keep", "n", 1L), db.get("things/m").getData());
  }

  @Test
  void serverTimestampsAndIncrementsAreAppliedByTheServer() {
    db.batch()
        .set("things/t", Map.of("n", 5L, "at", FieldValue.serverTimestamp(), "m", Map.of()))
        .commit();
    db.batch()
        .update(
            "things/t", Map.of("n", FieldValue.increment(3), "m.at", FieldValue.serverTimestamp()))
        .commit();
    Snapshot s = db.get("things/t");
    assertEquals(8L, s.getLong("n"));
    assertNotNull(s.getTimestamp("at"));
    assertNotNull(s.getTimestamp("m.at"));
    assertTrue(s.getTimestamp("m.at").compareTo(s.getTimestamp("at")) >= 0);
  }

  @Test
  void getAllAnswersInTheOrderAskedWithMissingOnesMarked() {
    db.batch().set("things/1", Map.of("v", 1L)).set("things/2", Map.of("v", 2L)).commit();
    List<Snapshot> got = db.getAll(List.of("things/2", "things/none", "things/1", "things/2"));
    assertEquals(
        List.of("things/2", "things/none", "things/1", "things/2"),
        got.stream().map(Snapshot::path).toList());
    assertEquals(List.of(true, false, true, true), got.stream().map(Snapshot::exists).toList());
    assertEquals(2L, got.get(0).getLong("v"));
  }

  @Test
  void concurrentReadModifyWriteTransactionsLoseNoUpdate() throws Exception {
    db.batch().set("counters/c", Map.of("n", 0L)).commit();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<?>> calls = new ArrayList<>();
    for (int i = 0; i < 80; i++) {
      calls.add(
          pool.submit(
              () ->
                  db.runTransaction(
                      tx -> {
                        long n = tx.get("counters/c").getLong("n");
                        tx.update("counters/c", "n", n + 1);
                        return null;
                      },
                      50)));
    }
    for (Future<?> f : calls) {
      f.get();
    }
    pool.shutdown();
    assertEquals(80L, db.get("counters/c").getLong("n"));
  }

  @Test
  void anExceptionFromTheBodyRollsBackAndComesOutUnchanged() {
    IllegalStateException refusal = new IllegalStateException("no");
    AtomicInteger runs = new AtomicInteger();
    IllegalStateException thrown =
        assertThrows(
            IllegalStateException.class,
            () ->
                db.runTransaction(
                    tx -> {
                      runs.incrementAndGet();
                      tx.get("things/r");
                      tx.set("things/r", Map.of("v", 1L));
                      throw refusal;
                    },
                    5));
    assertSame(refusal, thrown);
    assertEquals(1, runs.get());
    assertFalse(db.get("things/r").exists());
  }

  @Test
  void anAbortedCommitRunsTheBodyAgainAndItsWritesLandOnce() {
    db.batch().set("counters/a", Map.of("n", 0L)).commit();
    emulator.abortNextCommits(2);
    AtomicInteger runs = new AtomicInteger();
    long result =
        db.runTransaction(
            tx -> {
              runs.incrementAndGet();
              long n = tx.get("counters/a").getLong("n");
              tx.update("counters/a", "n", n + 1);
              return n + 1;
            },
            5);
    assertEquals(1L, result);
    assertEquals(3, runs.get());
    assertEquals(1L, db.get("counters/a").getLong("n"));
  }

  @Test
  void aTransactionGivesUpAfterItsAttempts() {
    emulator.abortNextCommits(3);
    FirestoreError e =
        assertThrows(
            FirestoreError.class,
            () -> db.runTransaction(tx -> tx.set("things/g", Map.of("v", 1L)), 3));
    assertEquals(Status.Code.ABORTED, e.code());
    assertFalse(db.get("things/g").exists());
  }

  @Test
  void aCreateThatFindsItsDocumentIsNotRetried() {
    db.batch().set("things/e", Map.of("v", 1L)).commit();
    AtomicInteger runs = new AtomicInteger();
    FirestoreError e =
        assertThrows(
            FirestoreError.class,
            () ->
                db.runTransaction(
                    tx -> {
                      runs.incrementAndGet();
                      return tx.create("things/e", Map.of("v", 2L));
                    },
                    5));
    assertEquals(Status.Code.ALREADY_EXISTS, e.code());
    assertEquals(1, runs.get());
  }

  @Test
  void aReadAfterAWriteInATransactionIsRefused() {
    assertThrows(
        IllegalStateException.class,
        () ->
            db.runTransaction(
                tx -> {
                  tx.set("things/w", Map.of("v", 1L));
                  return tx.get("things/w");
                },
                1));
    assertFalse(db.get("things/w").exists());
  }

  @Test
  void queriesAnswerAsTheOfficialClientDoes() throws Exception {
    for (int i = 0; i < 6; i++) {
      db.batch()
          .set("items/i" + i, Map.of("n", (long) i, "tag", i % 2 == 0 ? "even" : "odd"))
          .set("users/u" + i + "/items/x", Map.of("n", (long) i))
          .commit();
    }
    assertEquals(
        List.of("i2", "i3", "i4"),
        ids(db.collection("items").where("n", Query.Op.GREATER_THAN, 1L).orderBy("n").limit(3)));
    assertEquals(
        ids(official.collection("items").whereGreaterThan("n", 1L).orderBy("n").limit(3)),
        ids(db.collection("items").where("n", Query.Op.GREATER_THAN, 1L).orderBy("n").limit(3)));
    assertEquals(
        List.of("i0", "i2", "i4"), ids(db.collection("items").whereEqualTo("tag", "even")));
    assertEquals(
        List.of("i4", "i5"),
        ids(
            db.collection("items")
                .orderBy(FieldPath.documentId(), Query.Direction.ASCENDING)
                .startAfter("i3")));
    assertEquals(
        List.of("i5", "i4"),
        ids(db.collection("items").orderBy("n", Query.Direction.DESCENDING).limit(2)));
    assertEquals(
        List.of("i1", "i3"), ids(db.collection("items").where("n", Query.Op.IN, List.of(1L, 3L))));
    assertEquals(12, db.collectionGroup("items").get().size());
    assertEquals(3, db.collection("items").whereEqualTo("tag", "odd").count());
    assertEquals(15L, db.collection("items").sum("n"));
    Snapshot selected = db.collection("items").select("tag").limit(1).get().get(0);
    assertEquals(Map.of("tag", "even"), selected.getData());
  }

  @Test
  void aQueryInATransactionReadsWithIt() {
    db.batch().set("items/q", Map.of("n", 1L)).commit();
    long seen =
        db.runTransaction(
            tx -> {
              long n = tx.get(db.collection("items").whereEqualTo("n", 1L)).size();
              long c = tx.count(db.collection("items"));
              tx.set("items/r", Map.of("n", 2L));
              return n * 10 + c;
            },
            3);
    assertEquals(11L, seen);
    assertEquals(2, db.collection("items").count());
  }

  @Test
  void badPathsAndValuesAreRefusedBeforeAnyCall() {
    emulator.resetCounters();
    assertThrows(IllegalArgumentException.class, () -> db.get("users"));
    assertThrows(IllegalArgumentException.class, () -> db.get("/users/a"));
    assertThrows(IllegalArgumentException.class, () -> db.get("users//a"));
    assertThrows(IllegalArgumentException.class, () -> db.collection("users/a"));
    assertThrows(
        IllegalArgumentException.class,
        () -> db.batch().set("things/x", Map.of("l", List.of(FieldValue.serverTimestamp()))));
    assertThrows(
        IllegalArgumentException.class,
        () -> db.batch().set("things/x", Map.of("d", FieldValue.delete())));
    assertThrows(
        IllegalArgumentException.class,
        () -> db.batch().set("things/x", Map.of("o", new Object())));
    assertEquals(0, emulator.counters().reads() + emulator.counters().writes());
  }

  private static List<String> ids(Query q) {
    return q.get().stream().map(Snapshot::id).toList();
  }

  private static List<String> ids(com.google.cloud.firestore.Query q) throws Exception {
    return q.get().get().getDocuments().stream().map(d -> d.getId()).toList();
  }
}
