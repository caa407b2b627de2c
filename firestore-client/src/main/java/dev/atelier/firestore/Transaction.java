package dev.atelier.firestore;

import java.util.List;
import java.util.Map;

/**
 * One attempt of a read-write transaction ({@link Database#runTransaction}): reads see the database
 * as of the transaction and lock what they read; writes are kept here and committed with the
 * transaction when the body returns. As in Firestore, every read comes before any write.
 */
public final class Transaction {

  /** The work of a transaction; it may run more than once, so it must not act outside it. */
  @FunctionalInterface
  public interface Body<T> {
    T run(Transaction tx);
  }

  private final Database db;
  private final byte[] id;
  private final Writes writes;

  Transaction(Database db, byte[] id) {
    this.db = db;
    this.id = id;
    this.writes = new Writes(db.rpc().documents);
  }

  byte[] id() {
    return id;
  }

  Writes writes() {
    return writes;
  }

  public Snapshot get(String path) {
    return getAll(List.of(path)).get(0);
  }

  /** The documents in the order asked for (missing ones as non-existent snapshots). */
  public List<Snapshot> getAll(List<String> paths) {
    readsFirst();
    return db.read(paths, id);
  }

  public List<Snapshot> getAll(String... paths) {
    return getAll(List.of(paths));
  }

  public List<Snapshot> get(Query query) {
    readsFirst();
    return query.run(id);
  }

  public long count(Query query) {
    readsFirst();
    return query.countIn(id);
  }

  /** The sum of {@code field} over the query's matches, read in this transaction. */
  public Number sum(Query query, String field) {
    readsFirst();
    return query.sumIn(field, id);
  }

  public Transaction create(String path, Map<String, ?> fields) {
    writes.create(path, fields);
    return this;
  }

  public Transaction set(String path, Map<String, ?> fields) {
    writes.set(path, fields);
    return this;
  }

  /** A set with merge: only the named leaves change. */
  public Transaction merge(String path, Map<String, ?> fields) {
    writes.merge(path, fields);
    return this;
  }

  /** An update of an existing document (fails the commit with NOT_FOUND otherwise). */
  public Transaction update(String path, Map<String, ?> fields) {
    writes.update(path, fields);
    return this;
  }

  public Transaction update(String path, String field, Object value) {
    writes.update(path, Map.of(field, value));
    return this;
  }

  public Transaction updatePaths(String path, Map<FieldPath, ?> fields) {
    writes.updatePaths(path, fields);
    return this;
  }

  public Transaction delete(String path) {
    writes.delete(path);
    return this;
  }

  private void readsFirst() {
    if (!writes.isEmpty()) {
      throw new IllegalStateException("a transaction must do all its reads before its writes");
    }
  }
}
