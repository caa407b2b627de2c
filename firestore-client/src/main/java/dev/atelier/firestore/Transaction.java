package dev.atelier.firestore;

import java.util.List;
import java.util.Map;

/**
 * One attempt of a read-write transaction ({@link Database#runTransaction}): reads see the database
 * as of the transaction and lock what they read; writes are kept here and committed with the
 * transaction when the body returns. As in Firestore, every read comes before any write.
 *
 * <p>The first read begins the transaction (its request asks for a new one, its first response
 * names it), as the Node.js client does (nodejs-firestore #2017): no BeginTransaction round trip
 * before the work. A body that reads nothing begins none and its writes commit as one batch. One
 * attempt is one thread's: its reads run one after another.
 */
public final class Transaction {

  /** The work of a transaction; it may run more than once, so it must not act outside it. */
  @FunctionalInterface
  public interface Body<T> {
    T run(Transaction tx);
  }

  private final Database db;
  private final byte[] retrying;
  private final Writes writes;
  private byte[] id;

  /**
   * @param retrying the id of the attempt this one repeats (it keeps that one's place in line), or
   *     null
   */
  Transaction(Database db, byte[] retrying) {
    this.db = db;
    this.retrying = retrying;
    this.writes = new Writes(db.rpc().documents);
  }

  /** The transaction's id once its first read has begun it; null before. */
  byte[] id() {
    return id;
  }

  /**
   * Puts the transaction in a read request: its id, or for the first read the options of a new
   * read-write transaction.
   */
  void select(ProtoWriter request, int transactionField, int newTransactionField) {
    if (id != null) {
      request.bytes(transactionField, id);
    } else {
      ProtoWriter readWrite = new ProtoWriter();
      if (retrying != null) {
        readWrite.bytes(Proto.ReadWrite.RETRY_TRANSACTION, retrying);
      }
      request.message(
          newTransactionField,
          new ProtoWriter().message(Proto.TransactionOptions.READ_WRITE, readWrite));
    }
  }

  /** The id the first read's response names. */
  void begun(byte[] id) {
    if (this.id == null) {
      this.id = id;
    }
  }

  /** After a read: it must have begun the transaction if none was. */
  void requireBegun(String what) {
    if (id == null) {
      throw new IllegalStateException("Firestore began no transaction for " + what);
    }
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
    return db.read(paths, this);
  }

  public List<Snapshot> getAll(String... paths) {
    return getAll(List.of(paths));
  }

  public List<Snapshot> get(Query query) {
    readsFirst();
    return query.run(this);
  }

  public long count(Query query) {
    readsFirst();
    return query.countIn(this);
  }

  /** The sum of {@code field} over the query's matches, read in this transaction. */
  public Number sum(Query query, String field) {
    readsFirst();
    return query.sumIn(field, this);
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
