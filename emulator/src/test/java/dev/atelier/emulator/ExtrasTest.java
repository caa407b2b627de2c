package dev.atelier.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import com.google.cloud.firestore.Query;
import com.google.cloud.firestore.WriteBatch;
import com.google.common.base.Throwables;
import dev.atelier.emulator.engine.IndexRules;
import dev.atelier.emulator.junit.EmulatorHandle;
import dev.atelier.emulator.junit.FirestoreEmulatorExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FirestoreEmulatorExtension.class)
class ExtrasTest {
  private static final String STATUS_TIME_INDEX =
      """
      {"indexes":[{"collectionGroup":"jobs","queryScope":"COLLECTION","fields":[
        {"fieldPath":"status","order":"ASCENDING"},{"fieldPath":"createdAt","order":"DESCENDING"}]}]}""";

  private final HttpClient http = HttpClient.newHttpClient();

  private static Query statusByTime(Firestore db) {
    return db.collection("jobs")
        .whereEqualTo("status", "done")
        .orderBy("createdAt", Query.Direction.DESCENDING);
  }

  private static long runStrict(String indexesJson) throws Exception {
    try (FirestoreEmulator emulator =
            FirestoreEmulator.builder().indexRules(IndexRules.fromJson(indexesJson)).start();
        Firestore db =
            FirestoreOptions.newBuilder()
                .setProjectId("strict")
                .setEmulatorHost(emulator.hostAndPort())
                .build()
                .getService()) {
      db.document("jobs/j").set(Map.of("status", "done", "createdAt", 1)).get();
      return statusByTime(db).get().get().size();
    }
  }

  @Test
  void strictModeRejectsCompositeQueryWithoutItsIndex() {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> runStrict("{\"indexes\":[]}"));
    assertTrue(e.getMessage().contains("FAILED_PRECONDITION"), e.getMessage());
  }

  @Test
  void strictModeServesCompositeQueryOnceItsIndexIsDeclared() throws Exception {
    assertEquals(1L, runStrict(STATUS_TIME_INDEX));
  }

  @Test
  void strictModeRejectsSumOverAnUnindexedFieldWithAFilter() throws Exception {
    try (FirestoreEmulator emulator =
            FirestoreEmulator.builder().indexRules(IndexRules.fromJson(STATUS_TIME_INDEX)).start();
        Firestore db =
            FirestoreOptions.newBuilder()
                .setProjectId("strict")
                .setEmulatorHost(emulator.hostAndPort())
                .build()
                .getService()) {
      db.document("jobs/j").set(Map.of("status", "done", "cost", 3)).get();
      Query done = db.collection("jobs").whereEqualTo("status", "done");
      assertEquals(1L, done.count().get().get().getCount());
      ExecutionException e =
          assertThrows(
              ExecutionException.class,
              () ->
                  done.aggregate(com.google.cloud.firestore.AggregateField.sum("cost"))
                      .get()
                      .get());
      assertTrue(e.getMessage().contains("FAILED_PRECONDITION"), e.getMessage());
    }
  }

  @Test
  void countersCountDocumentReadsWritesAndDeletes(Firestore db, EmulatorHandle emulator)
      throws Exception {
    db.document("c/a").set(Map.of("n", 1)).get();
    db.document("c/b").set(Map.of("n", 2)).get();
    db.getAll(db.document("c/a"), db.document("c/missing")).get();
    db.collection("c").get().get();
    db.document("c/a").delete().get();
    assertEquals(new Counters(4, 2, 1), emulator.counters());
    emulator.resetCounters();
    assertEquals(new Counters(0, 0, 0), emulator.counters());
  }

  @Test
  void delayedResponsesTakeAtLeastTheDelay(Firestore db, EmulatorHandle emulator) throws Exception {
    emulator.delayResponses(Duration.ofMillis(300));
    long start = System.nanoTime();
    db.document("c/a").get().get();
    assertTrue(System.nanoTime() - start >= Duration.ofMillis(300).toNanos());
  }

  @Test
  void abortedPlainCommitFailsWithAborted(Firestore db, EmulatorHandle emulator) throws Exception {
    emulator.abortNextCommits(1);
    assertNextSetFailsAndWritesNothing(db, "c/a", "ABORTED");
    db.document("c/a").set(Map.of("n", 1)).get();
    assertTrue(db.document("c/a").get().get().exists(), "only the next commit is aborted");
  }

  @Test
  void failedCommitsCarryTheirCodeAndEndTransactionsWithoutRetries(
      Firestore db, EmulatorHandle emulator) throws Exception {
    emulator.failNextCommits(1, io.grpc.Status.Code.PERMISSION_DENIED);
    assertNextSetFailsAndWritesNothing(db, "c/a", "PERMISSION_DENIED");

    emulator.failNextCommits(1, io.grpc.Status.Code.PERMISSION_DENIED);
    java.util.concurrent.atomic.AtomicInteger attempts =
        new java.util.concurrent.atomic.AtomicInteger();
    ExecutionException tx =
        assertThrows(
            ExecutionException.class,
            () ->
                db.runTransaction(
                        t -> {
                          attempts.incrementAndGet();
                          t.set(db.document("c/b"), Map.of("n", 1));
                          return null;
                        })
                    .get());
    String causes = Throwables.getCausalChain(tx).toString();
    assertTrue(causes.contains("PERMISSION_DENIED"), causes);
    assertEquals(1, attempts.get(), "a code the client does not retry ends the transaction");
    assertFalse(db.document("c/b").get().get().exists());
    db.document("c/b").set(Map.of("n", 1)).get();
    assertTrue(db.document("c/b").get().get().exists(), "only the next commit failed");
  }

  @Test
  void commitFailuresUnderAPathFailOnlyCommitsWritingThere(Firestore db, EmulatorHandle emulator)
      throws Exception {
    emulator.failNextCommitsUnder("users/u1/items", 1, io.grpc.Status.Code.INTERNAL);
    db.document("users/u1").set(Map.of("n", 1)).get();
    db.document("users/u1/itemsx/a").set(Map.of("n", 1)).get();
    assertTrue(db.document("users/u1").get().get().exists(), "the parent is not under the path");
    assertTrue(db.document("users/u1/itemsx/a").get().get().exists(), "a sibling is not either");

    WriteBatch both = db.batch();
    both.set(db.document("other/x"), Map.of("n", 1));
    both.set(db.document("users/u1/items/a"), Map.of("n", 1));
    ExecutionException e = assertThrows(ExecutionException.class, () -> both.commit().get());
    assertTrue(e.getMessage().contains("INTERNAL"), e.getMessage());
    assertFalse(db.document("other/x").get().get().exists(), "the whole commit failed");

    db.document("users/u1/items/a").set(Map.of("n", 1)).get();
    assertTrue(db.document("users/u1/items/a").get().get().exists(), "only one commit failed");
  }

  @Test
  void httpFaultsFailCommitsWithTheNamedCodeAndRefuseBadBodies(
      Firestore db, EmulatorHandle emulator) throws Exception {
    assertEquals(
        200, postFaults(emulator, "{\"failNextCommits\":1,\"code\":\"FAILED_PRECONDITION\"}"));
    assertNextSetFailsAndWritesNothing(db, "c/a", "FAILED_PRECONDITION");
    assertEquals(
        200, postFaults(emulator, "{\"failNextCommits\":1,\"code\":\"INTERNAL\",\"under\":\"d\"}"));
    db.document("c/a").set(Map.of("n", 1)).get();
    assertNextSetFailsAndWritesNothing(db, "d/a", "INTERNAL");
    db.document("c/a").delete().get();
    for (String bad :
        List.of(
            "{\"failNextCommits\":1}",
            "{\"abortNextCommits\":1,\"failNextCommits\":1}",
            "{\"failNextCommits\":1,\"code\":\"OK\"}",
            "{\"failNextCommits\":1,\"code\":\"NOT_A_CODE\"}",
            "{\"failNextCommits\":\"x\",\"code\":\"UNAVAILABLE\"}",
            "{\"failNextCommits\":1,\"code\":\"UNAVAILABLE\",\"under\":\"/c\"}",
            "{\"failNextCommits\":1,\"code\":\"UNAVAILABLE\",\"under\":\"c//a\"}")) {
      assertEquals(400, postFaults(emulator, bad), bad);
    }
    db.document("c/a").set(Map.of("n", 1)).get();
    assertTrue(db.document("c/a").get().get().exists(), "a refused body set no fault");
  }

  /** A plain set of {@code path} fails with {@code code} and leaves no document. */
  private static void assertNextSetFailsAndWritesNothing(Firestore db, String path, String code)
      throws Exception {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> db.document(path).set(Map.of("n", 1)).get());
    assertTrue(e.getMessage().contains(code), e.getMessage());
    assertFalse(db.document(path).get().get().exists());
  }

  private int postFaults(EmulatorHandle emulator, String body) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://" + emulator.host() + "/emulator/v1/faults"))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  @Test
  void httpWipeOnTheGrpcPortDeletesTheProjectsDocuments(Firestore db, EmulatorHandle emulator)
      throws Exception {
    db.document("c/a").set(Map.of("n", 1)).get();
    HttpResponse<String> wipe =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://"
                            + emulator.host()
                            + "/emulator/v1/projects/"
                            + emulator.projectId()
                            + "/databases/(default)/documents"))
                .DELETE()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, wipe.statusCode());
    assertEquals("{}", wipe.body());
    assertFalse(db.document("c/a").get().get().exists());
  }

  @Test
  void httpRootAnswersOk(EmulatorHandle emulator) throws Exception {
    HttpResponse<String> root =
        http.send(
            HttpRequest.newBuilder(URI.create("http://" + emulator.host() + "/")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, root.statusCode());
    assertEquals("Ok", root.body());
  }

  @Test
  void httpCountersAndFaultsEndpoints(Firestore db, EmulatorHandle emulator) throws Exception {
    db.document("c/a").set(Map.of("n", 1)).get();
    HttpResponse<String> counters =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://" + emulator.host() + "/emulator/v1/counters"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals("{\"reads\":0,\"writes\":1,\"deletes\":0}", counters.body());
    assertEquals(200, postFaults(emulator, "{\"delayMillis\":250}"));
    long start = System.nanoTime();
    db.document("c/a").get().get();
    assertTrue(System.nanoTime() - start >= Duration.ofMillis(250).toNanos());
  }
}
