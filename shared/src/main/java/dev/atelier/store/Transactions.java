package dev.atelier.store;

import dev.atelier.firestore.Database;
import dev.atelier.firestore.FirestoreError;
import dev.atelier.firestore.Transaction;
import io.grpc.Status;
import java.util.Optional;

/**
 * The one transaction runner every service uses: a read-write transaction with many attempts
 * (hundreds of concurrent requests on one balance or one code must all get a definitive answer),
 * where a RuntimeException thrown by the body (a refusal, a malformed document) comes out
 * unchanged, and a create() that lost a race (ALREADY_EXISTS: our reads were stale) runs the body
 * again.
 */
public final class Transactions {

  public static final int ATTEMPTS = 50;
  private static final int MAX_CREATE_RACES = 10;

  private final Database db;

  public Transactions(Database db) {
    this.db = db;
  }

  public Database db() {
    return db;
  }

  public <T> T run(Transaction.Body<T> body) {
    for (int attempt = 1; ; attempt++) {
      try {
        return db.runTransaction(body, ATTEMPTS);
      } catch (FirestoreError e) {
        if (attempt < MAX_CREATE_RACES && e.code() == Status.Code.ALREADY_EXISTS) {
          continue;
        }
        throw e;
      }
    }
  }

  /** Reads one document as its record inside {@code tx}; empty when it does not exist. */
  public static <T> Optional<T> read(Transaction tx, String path, Class<T> type) {
    return Documents.read(tx.get(path), type);
  }
}
