package dev.atelier.maintenance;

import dev.atelier.firestore.Database;
import dev.atelier.firestore.FieldPath;
import dev.atelier.firestore.FieldValue;
import dev.atelier.firestore.Query;
import dev.atelier.firestore.Snapshot;
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

  /**
   * What one walk did: documents visited, whether the query was exhausted, and whether it started
   * from a cursor an earlier run saved.
   */
  public record Progress(int visited, boolean finished, boolean resumed) {
    public Progress(int visited, boolean finished) {
      this(visited, finished, false);
    }
  }

  /**
   * The work on one document; throwing stops the walk (the cursor keeps the last finished page).
   */
  @FunctionalInterface
  public interface Visitor {
    void visit(Snapshot doc) throws Exception;
  }

  /**
   * The work on one page (for visitors that batch their own reads per page); throwing stops the
   * walk before the page's cursor is saved, so the next run does the page again.
   */
  @FunctionalInterface
  public interface PageVisitor {
    void visit(List<Snapshot> page) throws Exception;
  }

  private final Database db;
  private final Clock clock;

  public Sweep(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /**
   * @param query equality filters only (it is ordered by document path here, the cursor's order)
   */
  public Progress walk(
      String job, String phase, Query query, int pageSize, Instant deadline, Visitor visitor)
      throws Exception {
    return walkPages(
        job,
        phase,
        query,
        pageSize,
        deadline,
        page -> {
          for (Snapshot doc : page) {
            visitor.visit(doc);
          }
        });
  }

  /** As {@link #walk}, handing the visitor one page at a time. */
  public Progress walkPages(
      String job, String phase, Query query, int pageSize, Instant deadline, PageVisitor visitor)
      throws Exception {
    Optional<String> cursor = cursor(job, phase);
    boolean resumed = cursor.isPresent();
    Query ordered = query.orderBy(FieldPath.documentId());
    int visited = 0;
    while (clock.instant().isBefore(deadline)) {
      Query page = cursor.map(path -> ordered.startAfter(path)).orElse(ordered).limit(pageSize);
      List<Snapshot> docs = page.get();
      visitor.visit(docs);
      visited += docs.size();
      if (docs.size() < pageSize) {
        save(job, phase, null);
        return new Progress(visited, true, resumed);
      }
      cursor = Optional.of(docs.get(docs.size() - 1).path());
      save(job, phase, cursor.get());
    }
    return new Progress(visited, false, resumed);
  }

  /**
   * Follows a query ordered by a field that only grows once set (e.g. {@code deletedAt}, with a
   * range filter up to a cutoff) from a watermark: the last document a run finished, kept also when
   * the query is exhausted, so each run visits only what became due since the last one. Ordered by
   * {@code query}'s own order, then by document path. When the watermark document no longer exists
   * the walk starts over (the visitor must skip what it already did).
   *
   * @return {@code resumed} is whether a watermark was found
   */
  public Progress follow(
      String job, String phase, Query query, int pageSize, Instant deadline, PageVisitor visitor)
      throws Exception {
    Optional<Snapshot> mark = cursor(job, phase).map(path -> db.get(path)).filter(Snapshot::exists);
    boolean resumed = mark.isPresent();
    Query ordered = query.orderBy(FieldPath.documentId());
    int visited = 0;
    while (clock.instant().isBefore(deadline)) {
      Query page = mark.map(ordered::startAfter).orElse(ordered).limit(pageSize);
      List<Snapshot> docs = page.get();
      visitor.visit(docs);
      visited += docs.size();
      if (!docs.isEmpty()) {
        mark = Optional.of(docs.get(docs.size() - 1));
        save(job, phase, mark.get().path());
      }
      if (docs.size() < pageSize) {
        return new Progress(visited, true, resumed);
      }
    }
    return new Progress(visited, false, resumed);
  }

  private Optional<String> cursor(String job, String phase) {
    Snapshot state = db.get(FirestorePaths.maintenanceState(job));
    Object cursors = state.get(MaintenanceState.Field.CURSORS);
    return cursors instanceof Map<?, ?> m && m.get(phase) instanceof String s
        ? Optional.of(s)
        : Optional.empty();
  }

  private void save(String job, String phase, String cursor) {
    db.merge(
        FirestorePaths.maintenanceState(job),
        Map.of(
            MaintenanceState.Field.JOB,
            job,
            MaintenanceState.Field.CURSORS,
            Map.of(phase, cursor == null ? FieldValue.delete() : cursor),
            MaintenanceState.Field.UPDATED_AT,
            FieldValue.serverTimestamp(),
            dev.atelier.store.Documents.SCHEMA_VERSION_FIELD,
            dev.atelier.store.Documents.SCHEMA_VERSION));
  }
}
