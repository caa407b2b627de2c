package dev.atelier.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import com.google.cloud.firestore.TransactionOptions;
import dev.atelier.emulator.junit.FirestoreEmulatorExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FirestoreEmulatorExtension.class)
class TransactionsTest {

  @Test
  void twentyConcurrentTransactionalIncrementsAllCount(Firestore db) throws Exception {
    DocumentReference counter = db.document("counters/c");
    counter.set(Map.of("n", 0)).get();
    runConcurrently(
        20,
        () ->
            db.runTransaction(
                    tx -> {
                      long n = tx.get(counter).get().getLong("n");
                      tx.update(counter, "n", n + 1);
                      return null;
                    })
                .get());
    assertEquals(20L, counter.get().get().getLong("n"));
  }

  @Test
  void fiftyConcurrentDecrementsOfBalanceTenSucceedExactlyTenTimes(Firestore db) throws Exception {
    DocumentReference account = db.document("accounts/a");
    account.set(Map.of("balance", 10)).get();
    AtomicInteger decremented = new AtomicInteger();
    runConcurrently(
        50,
        () -> {
          boolean done =
              db.runTransaction(
                      tx -> {
                        long balance = tx.get(account).get().getLong("balance");
                        if (balance <= 0) {
                          return false;
                        }
                        tx.update(account, "balance", balance - 1);
                        return true;
                      })
                  .get();
          if (done) {
            decremented.incrementAndGet();
          }
        });
    assertEquals(0L, account.get().get().getLong("balance"));
    assertEquals(10, decremented.get());
  }

  @Test
  void transactionsLockingTwoDocumentsInOppositeOrderBothFinish(Firestore db) throws Exception {
    DocumentReference a = db.document("pairs/a");
    DocumentReference b = db.document("pairs/b");
    a.set(Map.of("n", 0)).get();
    b.set(Map.of("n", 0)).get();
    CountDownLatch bothRead = new CountDownLatch(2);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      Future<?> first = threads.submit(() -> swapIncrement(db, a, b, bothRead));
      Future<?> second = threads.submit(() -> swapIncrement(db, b, a, bothRead));
      first.get(30, TimeUnit.SECONDS);
      second.get(30, TimeUnit.SECONDS);
    } finally {
      threads.shutdownNow();
    }
    assertEquals(2L, a.get().get().getLong("n"));
    assertEquals(2L, b.get().get().getLong("n"));
  }

  private static Void swapIncrement(
      Firestore db, DocumentReference x, DocumentReference y, CountDownLatch bothRead)
      throws Exception {
    return db.<Void>runTransaction(
            tx -> {
              long nx = tx.get(x).get().getLong("n");
              bothRead.countDown();
              bothRead.await(2, TimeUnit.SECONDS);
              long ny = tx.get(y).get().getLong("n");
              tx.update(x, "n", nx + 1);
              tx.update(y, "n", ny + 1);
              return null;
            })
        .get();
  }

  @Test
  void concurrentCreateIfNoneMatchesCreatesExactlyOne(Firestore db) throws Exception {
    AtomicInteger next = new AtomicInteger();
    runConcurrently(
        8,
        () -> {
          DocumentReference mine = db.document("open/d" + next.incrementAndGet());
          db.runTransaction(
                  tx -> {
                    if (tx.get(db.collection("open").whereEqualTo("open", true)).get().isEmpty()) {
                      tx.set(mine, Map.of("open", true));
                    }
                    return null;
                  })
              .get();
        });
    assertEquals(1, db.collection("open").get().get().size());
  }

  @Test
  void concurrentCountGuardedCreatesRespectTheLimit(Firestore db) throws Exception {
    AtomicInteger next = new AtomicInteger();
    runConcurrently(
        8,
        () -> {
          DocumentReference mine = db.document("capped/d" + next.incrementAndGet());
          db.runTransaction(
                  tx -> {
                    long count = tx.get(db.collection("capped").count()).get().getCount();
                    if (count < 2) {
                      tx.set(mine, Map.of("n", count));
                    }
                    return null;
                  })
              .get();
        });
    assertEquals(2, db.collection("capped").get().get().size());
  }

  @Test
  void abandonedTransactionBlocksOthersAtMostItsLease() throws Exception {
    Duration lease = Duration.ofMillis(700);
    try (FirestoreEmulator emulator = FirestoreEmulator.builder().lockLease(lease).start();
        Firestore db =
            FirestoreOptions.newBuilder()
                .setProjectId("lease")
                .setEmulatorHost(emulator.hostAndPort())
                .build()
                .getService()) {
      DocumentReference doc = db.document("docs/d");
      doc.set(Map.of("n", 0)).get();
      CountDownLatch locked = new CountDownLatch(1);
      CountDownLatch never = new CountDownLatch(1);
      Thread abandoner =
          new Thread(
              () -> {
                try {
                  db.runTransaction(
                          tx -> {
                            tx.get(doc).get();
                            locked.countDown();
                            never.await();
                            return null;
                          },
                          TransactionOptions.createReadWriteOptionsBuilder()
                              .setNumberOfAttempts(1)
                              .build())
                      .get();
                } catch (Exception expected) {
                  // Interrupted at the end of the test.
                }
              });
      abandoner.setDaemon(true);
      abandoner.start();
      assertTrue(locked.await(10, TimeUnit.SECONDS));
      long start = System.nanoTime();
      db.runTransaction(
              tx -> {
                long n = tx.get(doc).get().getLong("n");
                tx.update(doc, "n", n + 1);
                return null;
              })
          .get(10, TimeUnit.SECONDS);
      long waitedMillis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(
          waitedMillis >= lease.toMillis() / 2,
          "should have waited for the lease, waited " + waitedMillis);
      assertTrue(waitedMillis < lease.toMillis() * 3, "waited " + waitedMillis + " ms");
      assertEquals(1L, doc.get().get().getLong("n"));
      abandoner.interrupt();
    }
  }

  @Test
  void failedTransactionRollsBackAndFreesItsLocksAtOnce(Firestore db) throws Exception {
    DocumentReference doc = db.document("docs/d");
    doc.set(Map.of("n", 0)).get();
    ExecutionException failure =
        assertThrows(
            ExecutionException.class,
            () ->
                db.runTransaction(
                        tx -> {
                          tx.get(doc).get();
                          throw new IllegalStateException("business rule says no");
                        })
                    .get());
    assertTrue(failure.getMessage().contains("business rule says no"), failure.getMessage());
    long start = System.nanoTime();
    db.runTransaction(
            tx -> {
              tx.update(doc, "n", tx.get(doc).get().getLong("n") + 1);
              return null;
            })
        .get();
    assertTrue(
        System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2),
        "the lock must not wait for the lease");
    assertEquals(1L, doc.get().get().getLong("n"));
  }

  @Test
  void uncontendedTransactionMayStayIdleLongerThanTheLease() throws Exception {
    try (FirestoreEmulator emulator =
            FirestoreEmulator.builder().lockLease(Duration.ofMillis(300)).start();
        Firestore db =
            FirestoreOptions.newBuilder()
                .setProjectId("idle")
                .setEmulatorHost(emulator.hostAndPort())
                .build()
                .getService()) {
      DocumentReference doc = db.document("docs/d");
      doc.set(Map.of("n", 0)).get();
      db.runTransaction(
              tx -> {
                long n = tx.get(doc).get().getLong("n");
                Thread.sleep(1000);
                tx.update(doc, "n", n + 1);
                return null;
              },
              TransactionOptions.createReadWriteOptionsBuilder().setNumberOfAttempts(1).build())
          .get();
      assertEquals(1L, doc.get().get().getLong("n"));
    }
  }

  @Test
  void plainWriteWaitsForTheTransactionHoldingTheDocument(Firestore db) throws Exception {
    DocumentReference doc = db.document("docs/d");
    doc.set(Map.of("n", 0)).get();
    CountDownLatch locked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> transaction =
        inThread(
            () ->
                db.<Void>runTransaction(
                        tx -> {
                          long n = tx.get(doc).get().getLong("n");
                          locked.countDown();
                          release.await();
                          tx.update(doc, "n", n + 1);
                          return null;
                        })
                    .get());
    assertTrue(locked.await(10, TimeUnit.SECONDS));
    CompletableFuture<?> write = inThread(() -> doc.update("n", 100).get());
    Thread.sleep(300);
    assertFalse(write.isDone(), "the write must wait for the transaction's lock");
    release.countDown();
    transaction.get(10, TimeUnit.SECONDS);
    write.get(10, TimeUnit.SECONDS);
    assertEquals(100L, doc.get().get().getLong("n"));
  }

  @Test
  void readOnlyTransactionTakesNoLocks(Firestore db) throws Exception {
    DocumentReference doc = db.document("docs/d");
    doc.set(Map.of("n", 1)).get();
    CountDownLatch read = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Long> reader =
        inThread(
            () ->
                db.runTransaction(
                        tx -> {
                          long n = tx.get(doc).get().getLong("n");
                          read.countDown();
                          release.await();
                          return n;
                        },
                        TransactionOptions.createReadOnlyOptionsBuilder().build())
                    .get());
    assertTrue(read.await(10, TimeUnit.SECONDS));
    doc.update("n", 2).get(2, TimeUnit.SECONDS);
    release.countDown();
    assertEquals(1L, reader.get(10, TimeUnit.SECONDS));
  }

  @Test
  void abortedCommitIsRetriedByTheClient(
      Firestore db, dev.atelier.emulator.junit.EmulatorHandle emulator) throws Exception {
    DocumentReference doc = db.document("docs/d");
    doc.set(Map.of("n", 0)).get();
    emulator.abortNextCommits(2);
    AtomicInteger attempts = new AtomicInteger();
    db.runTransaction(
            tx -> {
              attempts.incrementAndGet();
              long n = tx.get(doc).get().getLong("n");
              tx.update(doc, "n", n + 1);
              return null;
            })
        .get();
    assertEquals(3, attempts.get());
    assertEquals(1L, doc.get().get().getLong("n"));
  }

  /** Runs {@code body} on its own thread (the common pool may have a single thread). */
  private static <T> CompletableFuture<T> inThread(java.util.concurrent.Callable<T> body) {
    CompletableFuture<T> future = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                future.complete(body.call());
              } catch (Exception e) {
                future.completeExceptionally(e);
              }
            });
    thread.setDaemon(true);
    thread.start();
    return future;
  }

  private interface Body {
    void run() throws Exception;
  }

  private static void runConcurrently(int threads, Body body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    try {
      for (int i = 0; i < threads; i++) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  body.run();
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> future : futures) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
