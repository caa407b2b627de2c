package dev.atelier.functions.applyledgerentry;

import com.google.events.cloud.firestore.v1.DocumentEventData;
import com.google.firestore.v1.Document;
import com.google.protobuf.Timestamp;
import dev.atelier.firestore.Database;
import dev.atelier.platform.FirestoreTrigger;
import dev.atelier.testsupport.FirestoreEventType;
import dev.atelier.testsupport.FirestoreEvents;
import io.cloudevents.CloudEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Eventarc as the property test plays it: every committed change of a ledger entry (from the
 * emulator's change feed) becomes a {@code written} CloudEvent delivered at least once — 1 to 3
 * copies with the same event id, protobuf or JSON, shuffled within the window they were captured
 * in, about one copy in ten held back to a later window (so it arrives after newer changes of its
 * document), on several threads at once, and redelivered when the function throws (a transient
 * failure).
 *
 * <p>{@link #pump} is called by the one driver thread between operations; {@link #drain} delivers
 * everything outstanding, then what those deliveries wrote, until a round captures no change (the
 * trigger's fixed point).
 */
final class EventPump implements AutoCloseable {

  /** One committed change of a ledger entry, as the emulator reported it. */
  private record Change(String path, DocumentEventData data, Instant time) {}

  private static final int MAX_ATTEMPTS = 30;
  private static final int MAX_IN_FLIGHT = 400;
  private static final int MAX_DRAIN_ROUNDS = 25;
  private static final String BARRIER = "ledgerPropertyTest/barrier";

  private final String prefix;
  private final Database db;
  private final FirestoreEvents events;
  private final Consumer<CloudEvent> function;
  private final Random random;
  private final ExecutorService pool;
  private final ConcurrentLinkedQueue<Change> captured = new ConcurrentLinkedQueue<>();

  /** Copies held back to a later window; driver thread only. */
  private final List<CloudEvent> delayed = new ArrayList<>();

  private final Object idle = new Object();
  private int inFlight;
  private long barrierSent;
  private long barrierSeen;
  private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

  final AtomicLong changes = new AtomicLong();
  final AtomicLong deliveries = new AtomicLong();
  final AtomicLong redeliveries = new AtomicLong();
  long copies;
  long heldBack;
  long drainRounds;
  long maxDrainRounds;
  private long changeLimit = Long.MAX_VALUE;

  EventPump(
      String projectId, Database db, Consumer<CloudEvent> function, Random random, int threads) {
    this.prefix = "projects/" + projectId + "/databases/(default)/documents/";
    this.db = db;
    this.events = new FirestoreEvents(projectId);
    this.function = function;
    this.random = random;
    this.pool = Executors.newFixedThreadPool(threads);
  }

  /** The emulator's change listener (its one dispatch thread, in commit order). */
  void onChange(
      String name, Optional<Document> before, Optional<Document> after, Timestamp commitTime) {
    String path = name.startsWith(prefix) ? name.substring(prefix.length()) : name;
    if (path.equals(BARRIER)) {
      long n = after.map(d -> d.getFieldsMap().get("n").getIntegerValue()).orElse(0L);
      synchronized (idle) {
        barrierSeen = Math.max(barrierSeen, n);
        idle.notifyAll();
      }
    } else if (path.matches("credits/[^/]+/ledger/[^/]+")) {
      changes.incrementAndGet();
      captured.add(
          new Change(
              path, FirestoreEvents.data(before, after), FirestoreEvents.instant(commitTime)));
    }
  }

  /**
   * Delivers what was captured since the last call (copies shuffled, some held back) and releases
   * some of the held-back copies, without waiting for the deliveries.
   */
  void pump() throws InterruptedException {
    checkStorm();
    List<CloudEvent> window = copiesOf(takeCaptured(), true);
    for (int i = delayed.size() - 1; i >= 0; i--) {
      if (random.nextInt(4) == 0) {
        window.add(delayed.remove(i));
      }
    }
    Collections.shuffle(window, random);
    awaitInFlightBelow(MAX_IN_FLIGHT);
    window.forEach(e -> submit(e, 1));
  }

  /**
   * Quiescence: delivers every captured change and held-back copy, waits for all deliveries, and
   * repeats with the changes those deliveries made until a round captures nothing.
   *
   * @return the number of rounds
   */
  int drain() throws Exception {
    for (int round = 1; ; round++) {
      awaitInFlightBelow(1);
      barrier();
      checkStorm();
      List<Change> batch = takeCaptured();
      if (batch.isEmpty() && delayed.isEmpty()) {
        drainRounds += round;
        maxDrainRounds = Math.max(maxDrainRounds, round);
        return round;
      }
      if (round > MAX_DRAIN_ROUNDS) {
        TreeSet<String> paths = new TreeSet<>();
        batch.forEach(c -> paths.add(c.path()));
        throw new AssertionError(
            "no fixed point after " + MAX_DRAIN_ROUNDS + " rounds; still changing: " + paths);
      }
      List<CloudEvent> window = copiesOf(batch, false);
      window.addAll(delayed);
      delayed.clear();
      Collections.shuffle(window, random);
      window.forEach(e -> submit(e, 1));
    }
  }

  /**
   * At most {@code limit} changes may be captured in all (the test raises it with each operation):
   * more means the trigger's writes keep firing it (no fixed point), and failing now beats waiting
   * for a storm.
   */
  void allowChanges(long limit) {
    changeLimit = limit;
  }

  private void checkStorm() {
    if (changes.get() > changeLimit) {
      throw new AssertionError(
          "event storm: "
              + changes.get()
              + " ledger changes captured where at most "
              + changeLimit
              + " were expected; the trigger's writes keep firing it (no fixed point)");
    }
  }

  /**
   * What went wrong in deliveries so far (exceptions other than transient failures, retries
   * exhausted).
   */
  List<String> failures() {
    return List.copyOf(failures);
  }

  private List<Change> takeCaptured() {
    List<Change> batch = new ArrayList<>();
    for (Change c; (c = captured.poll()) != null; ) {
      batch.add(c);
    }
    return batch;
  }

  private List<CloudEvent> copiesOf(List<Change> batch, boolean mayDelay) {
    List<CloudEvent> out = new ArrayList<>();
    for (Change c : batch) {
      // Redeliveries of one change carry its event id.
      String id = Long.toHexString(random.nextLong());
      int n = 1 + random.nextInt(3);
      for (int k = 0; k < n; k++) {
        CloudEvent e =
            random.nextBoolean()
                ? events.protobuf(FirestoreEventType.WRITTEN, id, c.path(), c.data(), c.time())
                : events.json(FirestoreEventType.WRITTEN, id, c.path(), c.data(), c.time());
        copies++;
        if (mayDelay && random.nextInt(10) == 0) {
          heldBack++;
          delayed.add(e);
        } else {
          out.add(e);
        }
      }
    }
    return out;
  }

  private void submit(CloudEvent event, int attempt) {
    synchronized (idle) {
      inFlight++;
    }
    pool.execute(
        () -> {
          try {
            deliveries.incrementAndGet();
            function.accept(event);
          } catch (FirestoreTrigger.TransientFailure e) {
            // Eventarc retries a failed invocation.
            if (attempt < MAX_ATTEMPTS) {
              redeliveries.incrementAndGet();
              submit(event, attempt + 1);
            } else {
              failures.add(
                  "gave up after " + attempt + " attempts on " + event.getSubject() + ": " + e);
            }
          } catch (RuntimeException | Error e) {
            failures.add("delivery of " + event.getSubject() + " threw " + e);
          } finally {
            synchronized (idle) {
              inFlight--;
              idle.notifyAll();
            }
          }
        });
  }

  private void awaitInFlightBelow(int limit) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    synchronized (idle) {
      while (inFlight >= limit) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(inFlight + " deliveries still running after 3 minutes");
        }
        idle.wait(100);
      }
    }
  }

  /**
   * Writes a marker document and waits until the change feed reports it: every earlier commit was
   * reported.
   */
  private void barrier() throws Exception {
    long n;
    synchronized (idle) {
      n = ++barrierSent;
    }
    db.set(BARRIER, Map.of("n", n));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    synchronized (idle) {
      while (barrierSeen < n) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the change feed did not report barrier " + n + " within 60 s");
        }
        idle.wait(100);
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    pool.shutdownNow();
    pool.awaitTermination(10, TimeUnit.SECONDS);
  }
}
