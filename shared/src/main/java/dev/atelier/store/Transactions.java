package dev.atelier.store;

import com.google.api.core.ApiFuture;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreException;
import com.google.cloud.firestore.Transaction;
import com.google.cloud.firestore.TransactionOptions;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one transaction runner every service uses: a read-write transaction with many attempts
 * (hundreds of concurrent requests on one balance or one code must all get a definitive answer),
 * where a RuntimeException thrown by the body (a refusal, a malformed document) comes out
 * unchanged, and a create() that lost a race (ALREADY_EXISTS: our reads were stale) runs the body
 * again.
 */
public final class Transactions {

  public static final TransactionOptions OPTIONS =
      TransactionOptions.createReadWriteOptionsBuilder().setNumberOfAttempts(50).build();
  private static final int MAX_CREATE_RACES = 10;

  private final Firestore db;

  public Transactions(Firestore db) {
    this.db = db;
  }

  public Firestore db() {
    return db;
  }

  public <T> T run(Transaction.Function<T> body) {
    for (int attempt = 1; ; attempt++) {
      AtomicReference<RuntimeException> refused = new AtomicReference<>();
      ApiFuture<T> future =
          db.runTransaction(
              tx -> {
                try {
                  return body.updateCallback(tx);
                } catch (RuntimeException e) {
                  refused.set(e);
                  throw e;
                }
              },
              OPTIONS);
      try {
        return future.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } catch (ExecutionException e) {
        if (refused.get() != null && causedBy(e, refused.get())) {
          throw refused.get();
        }
        if (attempt < MAX_CREATE_RACES && lostCreateRace(e)) {
          continue;
        }
        throw unwrap(e);
      }
    }
  }

  /** Reads one document as its record inside {@code tx}; empty when it does not exist. */
  public static <T> Optional<T> read(Transaction tx, Firestore db, String path, Class<T> type) {
    return Documents.read(get(tx, db, path), type);
  }

  /** The snapshot of {@code path} inside {@code tx}. */
  public static DocumentSnapshot get(Transaction tx, Firestore db, String path) {
    try {
      return tx.get(db.document(path)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw unwrap(e);
    }
  }

  private static boolean causedBy(Throwable t, Throwable target) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c == target) {
        return true;
      }
    }
    return false;
  }

  private static boolean lostCreateRace(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof com.google.api.gax.rpc.ApiException api) {
        return api.getStatusCode().getCode()
            == com.google.api.gax.rpc.StatusCode.Code.ALREADY_EXISTS;
      }
      if (c instanceof FirestoreException f && f.getStatus() != null) {
        return f.getStatus().getCode() == io.grpc.Status.Code.ALREADY_EXISTS;
      }
    }
    return false;
  }

  /**
   * The failure as an unchecked exception, keeping its cause chain (so transient gRPC codes stay
   * visible).
   */
  static RuntimeException unwrap(ExecutionException e) {
    Throwable cause = e.getCause();
    return cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
  }
}
