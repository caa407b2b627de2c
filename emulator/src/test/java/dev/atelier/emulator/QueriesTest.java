package dev.atelier.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.firestore.AggregateField;
import com.google.cloud.firestore.AggregateQuerySnapshot;
import com.google.cloud.firestore.CollectionReference;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldPath;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.Query;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import com.google.cloud.firestore.QuerySnapshot;
import dev.atelier.emulator.junit.FirestoreEmulatorExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FirestoreEmulatorExtension.class)
class QueriesTest {

  private static void seed(CollectionReference collection) throws Exception {
    collection.document("a").set(Map.of("n", 3, "tags", List.of("x"))).get();
    collection.document("b").set(Map.of("n", 1, "tags", List.of("y", "z"))).get();
    collection.document("c").set(Map.of("n", 2)).get();
    collection.document("d").set(Map.of("n", 2, "tags", List.of())).get();
    collection.document("e").set(Map.of("other", true)).get();
  }

  private static List<String> ids(QuerySnapshot snapshot) {
    List<String> ids = new ArrayList<>();
    for (QueryDocumentSnapshot document : snapshot) {
      ids.add(document.getId());
    }
    return ids;
  }

  @Test
  void rangeFilterOrdersByFieldThenByName(Firestore db) throws Exception {
    seed(db.collection("q"));
    assertEquals(
        List.of("c", "d", "a"),
        ids(db.collection("q").whereGreaterThanOrEqualTo("n", 2).get().get()));
  }

  @Test
  void orderByExcludesDocumentsLackingTheFieldAndNameFollowsLastDirection(Firestore db)
      throws Exception {
    seed(db.collection("q"));
    assertEquals(
        List.of("a", "d", "c", "b"),
        ids(db.collection("q").orderBy("n", Query.Direction.DESCENDING).get().get()));
  }

  @Test
  void cursorsBySnapshotAndByValue(Firestore db) throws Exception {
    seed(db.collection("q"));
    DocumentSnapshot c = db.document("q/c").get().get();
    assertEquals(List.of("d", "a"), ids(db.collection("q").orderBy("n").startAfter(c).get().get()));
    assertEquals(List.of("b"), ids(db.collection("q").orderBy("n").endBefore(2).get().get()));
    assertEquals(
        List.of("c", "d"), ids(db.collection("q").orderBy("n").startAt(2).endAt(2).get().get()));
  }

  @Test
  void limitToLastReturnsTheLastDocumentsInQueryOrder(Firestore db) throws Exception {
    seed(db.collection("q"));
    assertEquals(
        List.of("d", "a"), ids(db.collection("q").orderBy("n").limitToLast(2).get().get()));
  }

  @Test
  void offsetSkipsAndLimitCuts(Firestore db) throws Exception {
    seed(db.collection("q"));
    assertEquals(
        List.of("c", "d"), ids(db.collection("q").orderBy("n").offset(1).limit(2).get().get()));
  }

  @Test
  void membershipFilters(Firestore db) throws Exception {
    seed(db.collection("q"));
    assertEquals(
        List.of("b", "c", "d"), ids(db.collection("q").whereIn("n", List.of(1, 2)).get().get()));
    assertEquals(List.of("a"), ids(db.collection("q").whereNotIn("n", List.of(1, 2)).get().get()));
    assertEquals(
        List.of("a", "b"),
        ids(db.collection("q").whereArrayContainsAny("tags", List.of("x", "z")).get().get()));
    assertEquals(List.of("b"), ids(db.collection("q").whereArrayContains("tags", "y").get().get()));
  }

  @Test
  void collectionGroupQuerySpansParents(Firestore db) throws Exception {
    db.document("users/u1/history/h1").set(Map.of("kind", "image")).get();
    db.document("users/u2/history/h2").set(Map.of("kind", "image")).get();
    db.document("users/u2/history/h3").set(Map.of("kind", "video")).get();
    db.document("history/top").set(Map.of("kind", "image")).get();
    assertEquals(
        List.of("top", "h1", "h2"),
        ids(db.collectionGroup("history").whereEqualTo("kind", "image").get().get()));
  }

  @Test
  void collectionGroupPartitionsCoverAllDocuments(Firestore db) throws Exception {
    for (int i = 0; i < 10; i++) {
      db.document("users/u" + i + "/history/h" + i).set(Map.of("i", i)).get();
    }
    int total = 0;
    for (com.google.cloud.firestore.QueryPartition partition :
        db.collectionGroup("history").getPartitions(3).get()) {
      total += partition.createQuery().get().get().size();
    }
    assertEquals(10, total);
  }

  @Test
  void documentIdFilterAndSelect(Firestore db) throws Exception {
    seed(db.collection("q"));
    QuerySnapshot snapshot =
        db.collection("q").whereGreaterThan(FieldPath.documentId(), "c").select("n").get().get();
    assertEquals(List.of("d", "e"), ids(snapshot));
    assertEquals(Map.of("n", 2L), snapshot.getDocuments().get(0).getData());
  }

  @Test
  void countSumAndAverage(Firestore db) throws Exception {
    seed(db.collection("q"));
    AggregateQuerySnapshot result =
        db.collection("q")
            .aggregate(AggregateField.count(), AggregateField.sum("n"), AggregateField.average("n"))
            .get()
            .get();
    assertEquals(5L, result.getCount());
    assertEquals(8L, ((Number) result.get(AggregateField.sum("n"))).longValue());
    assertEquals(2.0, result.get(AggregateField.average("n")));
    assertEquals(2L, db.collection("q").whereEqualTo("n", 2).count().get().get().getCount());
  }

  @Test
  void queryInsideTransactionSeesCommittedData(Firestore db) throws Exception {
    seed(db.collection("q"));
    int matched =
        db.runTransaction(
                tx -> {
                  QuerySnapshot snapshot = tx.get(db.collection("q").whereEqualTo("n", 2)).get();
                  for (QueryDocumentSnapshot document : snapshot) {
                    tx.update(document.getReference(), "seen", true);
                  }
                  return snapshot.size();
                })
            .get();
    assertEquals(2, matched);
    assertTrue(db.document("q/c").get().get().getBoolean("seen"));
  }

  @Test
  void listDocumentsIncludesParentsThatOnlyHaveSubcollections(Firestore db) throws Exception {
    db.document("users/u1").set(Map.of("a", 1)).get();
    db.document("users/ghost/history/h").set(Map.of("a", 1)).get();
    List<String> listed = new ArrayList<>();
    for (DocumentReference ref : db.collection("users").listDocuments()) {
      listed.add(ref.getId());
    }
    assertEquals(List.of("ghost", "u1"), listed);
  }

  @Test
  void listCollectionsAtRootAndUnderDocument(Firestore db) throws Exception {
    db.document("users/u1/history/h").set(Map.of("a", 1)).get();
    db.document("users/u1/credits/c").set(Map.of("a", 1)).get();
    db.document("plans/p").set(Map.of("a", 1)).get();
    List<String> root = new ArrayList<>();
    db.listCollections().forEach(c -> root.add(c.getId()));
    List<String> under = new ArrayList<>();
    db.document("users/u1").listCollections().forEach(c -> under.add(c.getId()));
    assertEquals(List.of("plans", "users"), root);
    assertEquals(List.of("credits", "history"), under);
  }

  @Test
  void recursiveDeleteRemovesSubcollections(Firestore db) throws Exception {
    db.document("users/u1").set(Map.of("a", 1)).get();
    db.document("users/u1/history/h").set(Map.of("a", 1)).get();
    db.document("users/u2").set(Map.of("a", 1)).get();
    db.recursiveDelete(db.document("users/u1")).get();
    assertFalse(db.document("users/u1/history/h").get().get().exists());
    assertFalse(db.document("users/u1").get().get().exists());
    assertTrue(db.document("users/u2").get().get().exists());
  }
}
