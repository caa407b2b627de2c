package dev.atelier.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldValue;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.SetOptions;
import com.google.cloud.firestore.WriteBatch;
import dev.atelier.emulator.junit.FirestoreEmulatorExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FirestoreEmulatorExtension.class)
class WritesAndReadsTest {

  @Test
  void setReplacesTheWholeDocument(Firestore db) throws Exception {
    DocumentReference ref = db.document("users/u1");
    ref.set(Map.of("a", 1, "b", Map.of("c", 2))).get();
    ref.set(Map.of("b", Map.of("d", 3))).get();
    DocumentSnapshot snapshot = ref.get().get();
    assertEquals(Map.of("b", Map.of("d", 3L)), snapshot.getData());
  }

  @Test
  void mergeKeepsUntouchedNestedFields(Firestore db) throws Exception {
    DocumentReference ref = db.document("users/u1");
    ref.set(Map.of("a", 1, "createdBy", Map.of("uid", "x", "name", "n"))).get();
    ref.set(Map.of("createdBy", Map.of("uid", "y")), SetOptions.merge()).get();
    assertEquals(
        Map.of("a", 1L, "createdBy", Map.of("uid", "y", "name", "n")), ref.get().get().getData());
  }

  @Test
  void updateWithDottedPathChangesOnlyThatField(Firestore db) throws Exception {
    DocumentReference ref = db.document("users/u1");
    ref.set(Map.of("createdBy", Map.of("uid", "x", "name", "n"))).get();
    ref.update("createdBy.uid", "z").get();
    assertEquals(Map.of("uid", "z", "name", "n"), ref.get().get().get("createdBy"));
  }

  @Test
  void updateOfMissingDocumentFailsNotFound(Firestore db) {
    DocumentReference ref = db.document("users/missing");
    Exception e =
        org.junit.jupiter.api.Assertions.assertThrows(
            Exception.class, () -> ref.update("a", 1).get());
    assertTrue(e.getMessage().contains("NOT_FOUND"), e.getMessage());
  }

  @Test
  void createOfExistingDocumentFailsAlreadyExists(Firestore db) throws Exception {
    DocumentReference ref = db.document("users/u1");
    ref.create(Map.of("a", 1)).get();
    Exception e =
        org.junit.jupiter.api.Assertions.assertThrows(
            Exception.class, () -> ref.create(Map.of("a", 2)).get());
    assertTrue(e.getMessage().contains("ALREADY_EXISTS"), e.getMessage());
    assertEquals(1L, ref.get().get().getLong("a"));
  }

  @Test
  void transformsApplyTogetherAndOnMissingFields(Firestore db) throws Exception {
    DocumentReference ref = db.document("users/u1");
    ref.set(Map.of("tags", List.of("a", "b"), "gone", true)).get();
    ref.update(
            Map.of(
                "count", FieldValue.increment(2),
                "tags", FieldValue.arrayUnion("c", "a"),
                "at", FieldValue.serverTimestamp(),
                "gone", FieldValue.delete(),
                "nested.n", FieldValue.increment(1.5)))
        .get();
    DocumentSnapshot snapshot = ref.get().get();
    assertEquals(2L, snapshot.getLong("count"));
    assertEquals(List.of("a", "b", "c"), snapshot.get("tags"));
    assertEquals(snapshot.getUpdateTime(), snapshot.getTimestamp("at"));
    assertFalse(snapshot.contains("gone"));
    assertEquals(1.5, snapshot.getDouble("nested.n"));
    ref.update("tags", FieldValue.arrayRemove("a")).get();
    assertEquals(List.of("b", "c"), ref.get().get().get("tags"));
  }

  @Test
  void updateTimePreconditionRejectsStaleWriter(Firestore db) throws Exception {
    DocumentReference ref = db.document("users/u1");
    ref.set(Map.of("a", 1)).get();
    DocumentSnapshot read = ref.get().get();
    ref.update("a", 2).get();
    Exception e =
        org.junit.jupiter.api.Assertions.assertThrows(
            Exception.class,
            () ->
                ref.update(
                        Map.of("a", 3),
                        com.google.cloud.firestore.Precondition.updatedAt(read.getUpdateTime()))
                    .get());
    assertTrue(e.getMessage().contains("FAILED_PRECONDITION"), e.getMessage());
    assertEquals(2L, ref.get().get().getLong("a"));
  }

  @Test
  void batchIsAtomicWhenOneWriteFails(Firestore db) throws Exception {
    WriteBatch batch = db.batch();
    batch.set(db.document("users/a"), Map.of("x", 1));
    batch.update(db.document("users/missing"), "x", 1);
    org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> batch.commit().get());
    assertFalse(db.document("users/a").get().get().exists());
  }

  @Test
  void deleteRemovesDocumentAndGetAllReportsMissing(Firestore db) throws Exception {
    db.document("users/a").set(Map.of("x", 1)).get();
    db.document("users/a").delete().get();
    List<DocumentSnapshot> all = db.getAll(db.document("users/a"), db.document("users/b")).get();
    assertFalse(all.get(0).exists());
    assertFalse(all.get(1).exists());
    assertNull(all.get(0).getData());
  }
}
