package dev.atelier.emulator;

import java.util.concurrent.atomic.AtomicLong;

/** Counts billable document operations; see {@link Counters}. */
final class OperationCounters {
  private final AtomicLong reads = new AtomicLong();
  private final AtomicLong writes = new AtomicLong();
  private final AtomicLong deletes = new AtomicLong();

  void read(long documents) {
    reads.addAndGet(documents);
  }

  void wrote(long documents) {
    writes.addAndGet(documents);
  }

  void deleted(long documents) {
    deletes.addAndGet(documents);
  }

  Counters snapshot() {
    return new Counters(reads.get(), writes.get(), deletes.get());
  }

  void reset() {
    reads.set(0);
    writes.set(0);
    deletes.set(0);
  }
}
