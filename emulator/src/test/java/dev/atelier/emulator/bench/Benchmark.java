package dev.atelier.emulator.bench;

import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import dev.atelier.emulator.FirestoreEmulator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Throughput from one Java client: simple gets, sets, uncontended transactions (one thread) and
 * contended transactions (several threads incrementing one document). Against an in-process
 * emulator, or the server named by -Dbench.host=127.0.0.1:PORT.
 */
public final class Benchmark {
  // A separate server JVM needs several seconds of traffic before its JIT has compiled the hot
  // paths.
  private static final long WARMUP_MILLIS = Long.getLong("bench.warmupMillis", 8000);
  private static final long MEASURE_MILLIS = Long.getLong("bench.millis", 4000);
  private static final int CONTENDERS = Integer.getInteger("bench.threads", 8);

  private interface Op {
    void run(long i) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    String host = System.getProperty("bench.host");
    FirestoreEmulator emulator = host == null ? FirestoreEmulator.builder().start() : null;
    String target = host != null ? host : emulator.hostAndPort();
    try (Firestore db =
        FirestoreOptions.newBuilder()
            .setProjectId("bench")
            .setEmulatorHost(target)
            .build()
            .getService()) {
      DocumentReference doc = db.document("bench/get");
      doc.set(Map.of("n", 0, "text", "hello")).get();
      System.out.printf(
          "Firestore emulator benchmark against %s (%s), one Java client%n",
          target, host == null ? "in-process" : "external");
      Op get = i -> doc.get().get();
      Op set = i -> db.document("bench/set" + (i % 100)).set(Map.of("n", i)).get();
      Op transaction =
          i -> {
            DocumentReference ref = db.document("bench/tx" + (i % 100));
            db.runTransaction(
                    tx -> {
                      Long n = tx.get(ref).get().getLong("n");
                      tx.set(ref, Map.of("n", n == null ? 1 : n + 1));
                      return null;
                    })
                .get();
          };
      // Warm the JIT on every path first, or whichever runs first is measured cold.
      for (Op op : List.of(get, set, transaction)) {
        run(op, WARMUP_MILLIS);
      }
      report("simple gets", run(get, MEASURE_MILLIS));
      report("simple sets", run(set, MEASURE_MILLIS));
      report("uncontended transactions", run(transaction, MEASURE_MILLIS));
      contended(db);
    } finally {
      if (emulator != null) {
        emulator.close();
      }
    }
    System.exit(0);
  }

  /** Runs {@code op} back to back for {@code millis}; returns operations per second. */
  private static double run(Op op, long millis) throws Exception {
    long start = System.nanoTime();
    long end = start + millis * 1_000_000;
    long count = 0;
    while (System.nanoTime() < end) {
      op.run(count++);
    }
    return count / ((System.nanoTime() - start) / 1e9);
  }

  private static void contended(Firestore db) throws Exception {
    DocumentReference counter = db.document("bench/contended");
    counter.set(Map.of("n", 0)).get();
    AtomicLong committed = new AtomicLong();
    ExecutorService threads = Executors.newFixedThreadPool(CONTENDERS);
    long start = System.nanoTime();
    long end = start + MEASURE_MILLIS * 1_000_000;
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < CONTENDERS; t++) {
      futures.add(
          threads.submit(
              () -> {
                while (System.nanoTime() < end) {
                  db.runTransaction(
                          tx -> {
                            long n = tx.get(counter).get().getLong("n");
                            tx.update(counter, "n", n + 1);
                            return null;
                          })
                      .get();
                  committed.incrementAndGet();
                }
                return null;
              }));
    }
    for (Future<?> future : futures) {
      future.get();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    threads.shutdown();
    long stored = counter.get().get().getLong("n");
    report(
        "contended transactions (" + CONTENDERS + " threads, one document)",
        committed.get() / seconds);
    System.out.printf(
        "  contended check: %d committed, document says %d (%s)%n",
        committed.get(), stored, stored == committed.get() ? "consistent" : "LOST UPDATES");
  }

  private static void report(String name, double perSecond) {
    System.out.printf("  %-50s %8.0f /s%n", name, perSecond);
  }
}
