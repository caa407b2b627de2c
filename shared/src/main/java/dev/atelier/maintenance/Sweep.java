package dev.atelier.maintenance;

import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldPath;
import com.google.cloud.firestore.FieldValue;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.Query;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import com.google.cloud.firestore.SetOptions;
import dev.atelier.platform.Futures;
import dev.atelier.store.FirestorePaths;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Walks a query in pages ordered by document path, from where the last run of the same job and
 * phase stopped, until the query is exhausted or the deadline comes; then saves the cursor (or
 * clears it when done). A job's run therefore never holds more than one page and never outlives its
 * budget, and the next scheduled run resumes. Safe to run concurrently with itself: each visit must
 * re-check its document in a transaction (two runs may visit the same page), and the cursor is only
 * a hint.
 */
public final class Sweep {

  /** What one walk did. */
  public record Progress(int visited, boolean finished) {}

  /**
   * The work on one document; throwing stops the walk (the cursor keeps the last finished page).
   */
  @FunctionalInterface
  public interface Visitor {
    void visit(QueryDocumentSnapshot doc) throws Exception;
  }

  private final Firestore db;
  private final Clock clock;

  public Sweep(Firestore db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /**
   * @param query equality filters only (it is ordered by document path here, the cursor's order)
   */
  public Progress walk(
      String job, String phase, Query query, int pageSize, Instant deadline, Visitor visitor)
      throws Exception {
    Optional<String> cursor = cursor(job, phase);
    Query ordered = query.orderBy(FieldPath.documentId());
    int visited = 0;
    while (clock.instant().isBefore(deadline)) {
      Query page =
          cursor.map(path -> ordered.startAfter(db.document(path))).orElse(ordered).limit(pageSize);
      List<QueryDocumentSnapshot> docs = Futures.await(page.get()).getDocuments();
      for (QueryDocumentSnapshot doc : docs) {
        visitor.visit(doc);
        visited++;
      }
      if (docs.size() < pageSize) {
        save(job, phase, null);
        return new Progress(visited, true);
      }
      cursor = Optional.of(docs.get(docs.size() - 1).getReference().getPath());
      save(job, phase, cursor.get());
    }
    return new Progress(visited, false);
  }

  private Optional<String> cursor(String job, String phase) {
    DocumentSnapshot state = Futures.await(db.document(FirestorePaths.maintenanceState(job)).get());
    Object cursors = state.get(MaintenanceState.Field.CURSORS);
    return cursors instanceof Map<?, ?> m && m.get(phase) instanceof String s
        ? Optional.of(s)
        : Optional.empty();
  }

  private void save(String job, String phase, String cursor) {
    Futures.await(
        db.document(FirestorePaths.maintenanceState(job))
            .set(
                Map.of(
                    MaintenanceState.Field.JOB,
                    job,
                    MaintenanceState.Field.CURSORS,
                    Map.of(phase, cursor == null ? FieldValue.delete() : cursor),
                    MaintenanceState.Field.UPDATED_AT,
                    FieldValue.serverTimestamp(),
                    dev.atelier.store.Documents.SCHEMA_VERSION_FIELD,
                    dev.atelier.store.Documents.SCHEMA_VERSION),
                SetOptions.merge()));
  }
}
