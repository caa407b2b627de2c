package dev.atelier.firestore;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Writes committed together, atomically, outside any transaction. */
public final class WriteBatch {
  private final Database db;
  private final Writes writes;

  WriteBatch(Database db) {
    this.db = db;
    this.writes = new Writes(db.rpc().documents);
  }

  public WriteBatch create(String path, Map<String, ?> fields) {
    writes.create(path, fields);
    return this;
  }

  public WriteBatch set(String path, Map<String, ?> fields) {
    writes.set(path, fields);
    return this;
  }

  public WriteBatch merge(String path, Map<String, ?> fields) {
    writes.merge(path, fields);
    return this;
  }

  public WriteBatch update(String path, Map<String, ?> fields) {
    writes.update(path, fields);
    return this;
  }

  public WriteBatch updatePaths(String path, Map<FieldPath, ?> fields) {
    writes.updatePaths(path, fields);
    return this;
  }

  public WriteBatch delete(String path) {
    writes.delete(path);
    return this;
  }

  public int size() {
    return writes.list().size();
  }

  /** Commits every write or none; not repeated on failure (an increment must not apply twice). */
  public void commit() {
    db.commit(writes, null);
  }

  /**
   * Sends the commit and returns at once: the future completes when it is answered, or fails with a
   * {@link FirestoreError}. Not repeated on failure either.
   */
  public CompletableFuture<Void> commitAsync() {
    return db.commitAsync(writes);
  }
}
