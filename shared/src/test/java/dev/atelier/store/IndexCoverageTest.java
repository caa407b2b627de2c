package dev.atelier.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.Query;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import dev.atelier.emulator.junit.EmulatorHandle;
import dev.atelier.emulator.junit.FirestoreEmulatorExtension;
import dev.atelier.generations.GenerationItem.Field;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The queries the seed schema lists, and the cross-user ones of the scheduled jobs and the webhook,
 * run in strict index mode against the repository's firestore.indexes.json: each is served (no
 * FAILED_PRECONDITION) and finds the seeded document.
 */
@ExtendWith(FirestoreEmulatorExtension.class)
class IndexCoverageTest {
  /** The official client's type for a timestamp value. */
  private static Timestamp timestamp(java.time.Instant instant) {
    return Timestamp.ofTimeSecondsAndNanos(instant.getEpochSecond(), instant.getNano());
  }

  private static final Timestamp CUTOFF = timestamp(Samples.T3);

  @BeforeEach
  void seed(Firestore db) throws Exception {
    for (DocumentKind kind : DocumentKind.values()) {
      Samples.Sample sample = Samples.full(kind);
      db.document(sample.path()).set(Documents.encode(sample.record())).get();
    }
  }

  @Test
  void historyQueriesOfOneUserAreServed(Firestore db) throws Exception {
    var items = db.collection(FirestorePaths.historyItems("u1"));
    assertIds(List.of("g1"), items.orderBy(Field.CREATED_AT, Query.Direction.DESCENDING));
    assertIds(
        List.of("g1"),
        items
            .whereEqualTo(Field.STATUS, "completed")
            .orderBy(Field.CREATED_AT, Query.Direction.DESCENDING));
    assertIds(
        List.of("g1"),
        items
            .whereEqualTo(Field.GENERATION_TYPE, "text-to-image")
            .orderBy(Field.CREATED_AT, Query.Direction.DESCENDING));
    assertIds(
        List.of("g1"),
        items
            .whereEqualTo(Field.STATUS, "completed")
            .whereEqualTo(Field.GENERATION_TYPE, "text-to-image")
            .orderBy(Field.CREATED_AT, Query.Direction.DESCENDING));
    assertIds(
        List.of("g1"),
        items
            .whereEqualTo(Field.PROVIDER, "replicate")
            .whereEqualTo(Field.PROVIDER_TASK_ID, "task-77"));
    // submit-generation's concurrency cap (a count) and open-session's creator refresh (paged by
    // id).
    assertEquals(0L, items.whereEqualTo(Field.STATUS, "generating").count().get().get().getCount());
    assertIds(
        List.of("g1"),
        items
            .whereEqualTo(Field.IS_PUBLIC, true)
            .orderBy(com.google.cloud.firestore.FieldPath.documentId())
            .limit(400));
  }

  @Test
  void crossUserItemQueriesOfWebhookReaperAndAuditAreServed(Firestore db) throws Exception {
    var items = db.collectionGroup(FirestorePaths.HISTORY_ITEMS_GROUP);
    assertIds(
        List.of("g1"),
        items
            .whereEqualTo(Field.PROVIDER, "replicate")
            .whereEqualTo(Field.PROVIDER_TASK_ID, "task-77"));
    assertIds(List.of("g1"), items.whereEqualTo(Field.PROVIDER_TASK_ID, "task-77"));
    // reap-stale-jobs: stale items (by creation) and quiet ones (by last update), oldest first.
    assertIds(
        List.of("g1"),
        items.whereEqualTo(Field.STATUS, "completed").whereLessThan(Field.CREATED_AT, CUTOFF));
    assertIds(
        List.of("g1"),
        items
            .whereEqualTo(Field.STATUS, "completed")
            .whereLessThan(Field.CREATED_AT, CUTOFF)
            .orderBy(Field.CREATED_AT));
    assertIds(
        List.of("g1"),
        items
            .whereEqualTo(Field.STATUS, "completed")
            .whereLessThan(Field.UPDATED_AT, CUTOFF)
            .orderBy(Field.UPDATED_AT));
    assertIds(List.of("g1"), items.whereEqualTo(Field.IS_PUBLIC, true));
  }

  @Test
  void publicFeedQueriesAreServed(Firestore db) throws Exception {
    Query feed = db.collection(FirestorePaths.mirror()).whereEqualTo(Field.IS_PUBLIC, true);
    assertIds(List.of("g1"), feed.orderBy(Field.CREATED_AT, Query.Direction.DESCENDING));
    // The client app's feed: the rules admit only public, undeleted mirror documents, so it filters
    // on both.
    assertIds(
        List.of("g1"),
        feed.whereEqualTo(Field.IS_DELETED, false)
            .orderBy(Field.CREATED_AT, Query.Direction.DESCENDING));
    assertIds(
        List.of("g1"),
        feed.whereEqualTo(Field.STATUS, "completed")
            .orderBy(Field.CREATED_AT, Query.Direction.DESCENDING));
    assertIds(
        List.of("g1"),
        feed.whereEqualTo(Field.GENERATION_TYPE, "text-to-image")
            .orderBy(Field.CREATED_AT, Query.Direction.DESCENDING));
    assertIds(
        List.of("g1"),
        feed.whereEqualTo(Field.CREATED_BY_UID, "u1")
            .orderBy(Field.CREATED_AT, Query.Direction.DESCENDING));
    assertIds(
        List.of("g1"),
        feed.whereGreaterThanOrEqualTo(Field.CREATED_AT, timestamp(Samples.T1))
            .whereLessThanOrEqualTo(Field.CREATED_AT, CUTOFF));
  }

  @Test
  void ledgerQueriesOfOneUserAndAcrossUsersAreServed(Firestore db) throws Exception {
    var ledger = db.collection(FirestorePaths.ledger("u1"));
    assertIds(List.of("e1"), ledger.orderBy("createdAt", Query.Direction.DESCENDING));
    assertIds(
        List.of("e1"),
        ledger.whereEqualTo("type", "HOLD").orderBy("createdAt", Query.Direction.DESCENDING));
    assertIds(
        List.of("e1"),
        ledger.whereEqualTo("status", "PENDING").orderBy("createdAt", Query.Direction.DESCENDING));
    var all = db.collectionGroup(FirestorePaths.LEDGER_GROUP);
    assertIds(
        List.of("e1"), all.whereEqualTo("status", "PENDING").whereLessThan("createdAt", CUTOFF));
    assertIds(
        List.of("e1"),
        all.whereEqualTo("type", "HOLD")
            .whereEqualTo("status", "PENDING")
            .whereLessThan("createdAt", CUTOFF));
    // reap-stale-jobs: old PENDING holds, oldest first, in pages.
    assertIds(
        List.of("e1"),
        all.whereEqualTo("type", "HOLD")
            .whereEqualTo("status", "PENDING")
            .whereLessThan("createdAt", CUTOFF)
            .orderBy("createdAt")
            .limit(50));
  }

  @Test
  void redeemCatalogAndLogQueriesAreServed(Firestore db) throws Exception {
    var usages = db.collection(FirestorePaths.redeemCodeUsages());
    String usageId = FirestorePaths.redeemCodeUsageId("STUDENT-7KQ4M2XP", "u1");
    assertIds(
        List.of(usageId),
        usages
            .whereEqualTo("redeemCode", "STUDENT-7KQ4M2XP")
            .orderBy("usedAt", Query.Direction.DESCENDING));
    assertIds(
        List.of(usageId),
        usages.whereEqualTo("uid", "u1").orderBy("usedAt", Query.Direction.DESCENDING));
    var codes = db.collection(FirestorePaths.redeemCodes());
    assertIds(
        List.of("STUDENT-7KQ4M2XP"),
        codes.whereEqualTo("status", "ACTIVE").orderBy("createdAt", Query.Direction.DESCENDING));
    assertIds(
        List.of("STUDENT-7KQ4M2XP"),
        codes.whereEqualTo("type", "STUDENT").whereEqualTo("status", "ACTIVE"));
    assertIds(
        List.of("PLAN_B"),
        db.collection(FirestorePaths.plans()).whereEqualTo("active", true).orderBy("sort"));
    // reset-model-quotas: due quotas in pages (a single-field range, served by the built-in index).
    assertIds(
        List.of("replicate_flux-schnell"),
        db.collection(FirestorePaths.modelQuotas())
            .whereLessThanOrEqualTo("reset_at", CUTOFF)
            .orderBy("reset_at")
            .limit(100));
    assertIds(
        List.of("a1"),
        db.collection(FirestorePaths.routerAlerts())
            .whereEqualTo("acknowledged", true)
            .orderBy("created_at", Query.Direction.DESCENDING));
    assertIds(
        List.of("l1"),
        db.collection(FirestorePaths.usageLogs())
            .whereEqualTo("user_id", "u1")
            .whereEqualTo("action_type", "image_generation")
            .orderBy("created_at", Query.Direction.DESCENDING));
  }

  @Test
  void strictModeRejectsAQueryWhoseIndexIsNotDeclaredAndRecordsIt(
      Firestore db, EmulatorHandle emulator) {
    // Only our emulator enforces indexes; Google's (named by FIRESTORE_EMULATOR_HOST) does not.
    assertTrue(emulator.inProcess(), "strict index mode needs the in-process emulator");
    Query undeclared =
        db.collection(FirestorePaths.mirror())
            .whereEqualTo(Field.IS_PUBLIC, true)
            .orderBy(Field.PROMPT);
    ExecutionException e = assertThrows(ExecutionException.class, () -> undeclared.get().get());
    assertTrue(
        e.getCause().getMessage().contains("FAILED_PRECONDITION"), e.getCause().getMessage());
    // Taken here on purpose: the extension fails any test that leaves a rejection behind.
    assertEquals(1, emulator.takeMissingIndexes().size());
  }

  private static void assertIds(List<String> expected, Query query) throws Exception {
    List<String> ids =
        query.get().get().getDocuments().stream().map(QueryDocumentSnapshot::getId).toList();
    assertEquals(expected, ids);
  }
}
