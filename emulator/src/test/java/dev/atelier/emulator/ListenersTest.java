package dev.atelier.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import com.google.cloud.firestore.ListenerRegistration;
import com.google.cloud.firestore.Query;
import com.google.cloud.firestore.QuerySnapshot;
import dev.atelier.emulator.junit.EmulatorHandle;
import dev.atelier.emulator.junit.FirestoreEmulatorExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FirestoreEmulatorExtension.class)
class ListenersTest {

  @Test
  void queryListenerSeesAddedModifiedAndRemoved(Firestore db) throws Exception {
    db.document("items/a").set(Map.of("color", "red", "n", 1)).get();
    BlockingQueue<QuerySnapshot> snapshots = new LinkedBlockingQueue<>();
    Query red = db.collection("items").whereEqualTo("color", "red");
    ListenerRegistration registration =
        red.addSnapshotListener(
            (snapshot, error) -> {
              if (snapshot != null) {
                snapshots.add(snapshot);
              }
            });
    try {
      assertEquals(List.of("ADDED a"), changes(next(snapshots)));
      db.document("items/b").set(Map.of("color", "red", "n", 2)).get();
      assertEquals(List.of("ADDED b"), changes(next(snapshots)));
      db.document("items/a").update("n", 5).get();
      assertEquals(List.of("MODIFIED a"), changes(next(snapshots)));
      db.document("items/a").update("color", "blue").get();
      assertEquals(List.of("REMOVED a"), changes(next(snapshots)));
      db.document("items/b").delete().get();
      QuerySnapshot last = next(snapshots);
      assertEquals(List.of("REMOVED b"), changes(last));
      assertTrue(last.isEmpty());
    } finally {
      long start = System.nanoTime();
      registration.remove();
      assertTrue(
          System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "remove() must return promptly");
    }
  }

  @Test
  void documentListenerSeesCreateUpdateAndDelete(Firestore db) throws Exception {
    BlockingQueue<DocumentSnapshot> snapshots = new LinkedBlockingQueue<>();
    ListenerRegistration registration =
        db.document("items/d")
            .addSnapshotListener(
                (snapshot, error) -> {
                  if (snapshot != null) {
                    snapshots.add(snapshot);
                  }
                });
    try {
      assertTrue(!next(snapshots).exists());
      db.document("items/d").set(Map.of("n", 1)).get();
      assertEquals(1L, next(snapshots).getLong("n"));
      db.document("items/d").update("n", 2).get();
      assertEquals(2L, next(snapshots).getLong("n"));
      db.document("items/d").delete().get();
      assertTrue(!next(snapshots).exists());
    } finally {
      registration.remove();
    }
  }

  @Test
  void limitedQueryListenerKeepsTheTopDocuments(Firestore db) throws Exception {
    db.document("scores/a").set(Map.of("score", 10)).get();
    db.document("scores/b").set(Map.of("score", 20)).get();
    BlockingQueue<QuerySnapshot> snapshots = new LinkedBlockingQueue<>();
    ListenerRegistration registration =
        db.collection("scores")
            .orderBy("score", Query.Direction.DESCENDING)
            .limit(1)
            .addSnapshotListener(
                (snapshot, error) -> {
                  if (snapshot != null) {
                    snapshots.add(snapshot);
                  }
                });
    try {
      assertEquals("b", next(snapshots).getDocuments().get(0).getId());
      db.document("scores/c").set(Map.of("score", 30)).get();
      QuerySnapshot snapshot = next(snapshots);
      assertEquals(1, snapshot.size());
      assertEquals("c", snapshot.getDocuments().get(0).getId());
    } finally {
      registration.remove();
    }
  }

  @Test
  void httpWipeReachesOpenListeners(Firestore db, EmulatorHandle emulator) throws Exception {
    db.document("items/a").set(Map.of("n", 1)).get();
    BlockingQueue<QuerySnapshot> snapshots = new LinkedBlockingQueue<>();
    ListenerRegistration registration =
        db.collection("items")
            .addSnapshotListener(
                (snapshot, error) -> {
                  if (snapshot != null) {
                    snapshots.add(snapshot);
                  }
                });
    try {
      assertEquals(List.of("ADDED a"), changes(next(snapshots)));
      java.net.http.HttpResponse<String> wipe =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create(
                              "http://"
                                  + emulator.host()
                                  + "/emulator/v1/projects/"
                                  + emulator.projectId()
                                  + "/databases/(default)/documents"))
                      .DELETE()
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(200, wipe.statusCode());
      assertEquals(List.of("REMOVED a"), changes(next(snapshots)));
    } finally {
      registration.remove();
    }
  }

  @Test
  void closingTheClientWithAnActiveListenerReturnsPromptly(EmulatorHandle emulator)
      throws Exception {
    Firestore own =
        FirestoreOptions.newBuilder()
            .setProjectId(emulator.projectId())
            .setEmulatorHost(emulator.host())
            .build()
            .getService();
    BlockingQueue<QuerySnapshot> snapshots = new LinkedBlockingQueue<>();
    own.collection("items")
        .addSnapshotListener(
            (snapshot, error) -> {
              if (snapshot != null) {
                snapshots.add(snapshot);
              }
            });
    next(snapshots);
    long start = System.nanoTime();
    own.close();
    assertTrue(
        System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3), "close() must return promptly");
  }

  @Test
  void changeListenerReceivesEachChangedDocumentOnceAndNoOpWritesNever(
      Firestore db, EmulatorHandle emulator) throws Exception {
    assertTrue(
        emulator.inProcess(),
        "change listeners need the in-process emulator (FIRESTORE_EMULATOR_HOST is set)");
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    emulator.addChangeListener(
        (name, before, after, commitTime) ->
            events.add(
                name.substring(name.indexOf("/documents/") + 11)
                    + " "
                    + before.isPresent()
                    + "->"
                    + after.isPresent()));
    db.document("items/x").set(Map.of("n", 1)).get();
    db.document("items/x").set(Map.of("n", 1)).get();
    db.document("items/x").delete().get();
    assertEquals("items/x false->true", events.poll(5, TimeUnit.SECONDS));
    assertEquals("items/x true->false", events.poll(5, TimeUnit.SECONDS));
    assertEquals(null, events.poll(300, TimeUnit.MILLISECONDS));
  }

  private static <T> T next(BlockingQueue<T> queue) throws InterruptedException {
    T value = queue.poll(10, TimeUnit.SECONDS);
    assertNotNull(value, "no snapshot within 10 s");
    return value;
  }

  private static List<String> changes(QuerySnapshot snapshot) {
    return snapshot.getDocumentChanges().stream()
        .map(change -> change.getType().name() + " " + change.getDocument().getId())
        .toList();
  }
}
