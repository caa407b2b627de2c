package dev.atelier.emulator;

import com.google.firestore.v1.Document;
import com.google.firestore.v1.TransactionOptions;
import com.google.firestore.v1.Write;
import com.google.firestore.v1.WriteResult;
import com.google.protobuf.ByteString;
import com.google.protobuf.util.Timestamps;
import dev.atelier.emulator.engine.DocumentWrites;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * Pessimistic concurrency as production Firestore gives server SDKs: a document read in a
 * read-write transaction is locked until the transaction ends; other transactions and plain commits
 * touching it wait. Deadlocks are found on the wait-for graph and the youngest transaction of the
 * cycle is aborted (a retry keeps its original age, so it eventually wins). A transaction idle for
 * longer than the lease loses its locks (and its slot) to whoever waits for them, so an abandoned
 * one blocks others for a bounded time. An aborted transaction's reads proceed without locks and
 * its commit fails with ABORTED, which the client retries.
 *
 * <p>Only a few read-write transactions run at once; BeginTransaction waits for a slot, oldest
 * first. The Java client runs transaction callbacks, and delivers responses, on one small shared
 * executor: callbacks blocked on locked reads would otherwise starve it and stall the lock holder
 * itself. Waiting in BeginTransaction blocks no client thread.
 *
 * <p>All commits are applied under this object's monitor, which serializes them.
 */
final class TransactionManager {
  private static final long FINISHED_RETENTION_NANOS = 10L * 60 * 1_000_000_000L;
  private static final long MAX_WAIT_SLICE_MILLIS = 50;

  /** A read-write or read-only transaction. Fields guarded by the manager's monitor. */
  static final class Tx {
    final ByteString id;

    /** Start of the first attempt: smaller is older, and older wins deadlocks. */
    final long ageNanos;

    final boolean readOnly;

    /** Snapshot of a read-only transaction. */
    final long readMicros;

    final Set<String> locks = new HashSet<>();
    long lastActivityNanos = System.nanoTime();
    int activeCalls;
    boolean aborted;
    String abortReason;
    boolean finished;
    boolean holdsSlot;

    /** What this transaction's queries saw, re-checked at commit (no phantoms). */
    final List<Validation> validations = new ArrayList<>();

    long finishedNanos;
    Tx waitingFor;

    Tx(ByteString id, long ageNanos, boolean readOnly, long readMicros) {
      this.id = id;
      this.ageNanos = ageNanos;
      this.readOnly = readOnly;
      this.readMicros = readMicros;
    }
  }

  /** A read whose result must be unchanged at commit: {@code current} recomputes it. */
  record Validation(Object observed, Supplier<Object> current) {}

  private final DocumentStore store;
  private final long leaseNanos;
  private final Consumer<Commit> onCommit;
  private final LongConsumer onWipe;
  private final Map<ByteString, Tx> transactions = new HashMap<>();
  private final Map<String, Tx> lockOwners = new HashMap<>();
  private final int maxActiveWriters;
  private final Set<Tx> slotHolders = new HashSet<>();
  private final java.util.PriorityQueue<Tx> admissionQueue =
      new java.util.PriorityQueue<>(java.util.Comparator.comparingLong((Tx tx) -> tx.ageNanos));
  private long nextId;

  /**
   * @param onCommit called under the monitor, in commit order, for every commit that changed data
   * @param onWipe called under the monitor with the snapshot time after a wipe
   */
  TransactionManager(
      DocumentStore store,
      long leaseNanos,
      int maxActiveWriters,
      Consumer<Commit> onCommit,
      LongConsumer onWipe) {
    this.store = store;
    this.maxActiveWriters = maxActiveWriters;
    this.leaseNanos = leaseNanos;
    this.onCommit = onCommit;
    this.onWipe = onWipe;
  }

  synchronized Tx begin(TransactionOptions options) {
    forgetOldTransactions();
    ByteString id = ByteString.copyFrom("tx-" + (++nextId), StandardCharsets.UTF_8);
    Tx tx;
    if (options.hasReadOnly()) {
      long readMicros =
          options.getReadOnly().hasReadTime()
              ? Timestamps.toMicros(options.getReadOnly().getReadTime())
              : store.snapshot();
      tx = new Tx(id, System.nanoTime(), true, readMicros);
    } else {
      Tx previous = transactions.get(options.getReadWrite().getRetryTransaction());
      long age = previous != null ? previous.ageNanos : System.nanoTime();
      if (previous != null && !previous.finished) {
        abort(previous, "retried");
        finish(previous);
      }
      tx = new Tx(id, age, false, 0);
      tx.activeCalls = 1;
      admit(tx);
    }
    tx.activeCalls = 1;
    transactions.put(id, tx);
    return tx;
  }

  /** Waits until {@code tx} is the oldest waiting transaction and a slot is free. */
  private void admit(Tx tx) {
    admissionQueue.add(tx);
    try {
      while (slotHolders.size() >= maxActiveWriters || admissionQueue.peek() != tx) {
        for (Tx holder : new ArrayList<>(slotHolders)) {
          if (idleTooLong(holder)) {
            abort(holder, "its lease expired after it was idle");
          }
        }
        if (slotHolders.size() < maxActiveWriters && admissionQueue.peek() == tx) {
          break;
        }
        if (Context.current().isCancelled()) {
          throw Status.CANCELLED
              .withDescription("Call cancelled while waiting to begin.")
              .asRuntimeException();
        }
        waitForChange(oldestIdle());
      }
    } finally {
      admissionQueue.remove(tx);
      notifyAll();
    }
    tx.holdsSlot = true;
    slotHolders.add(tx);
  }

  private Tx oldestIdle() {
    Tx idle = null;
    for (Tx holder : slotHolders) {
      if (holder.activeCalls == 0
          && (idle == null || holder.lastActivityNanos < idle.lastActivityNanos)) {
        idle = holder;
      }
    }
    return idle;
  }

  /** Marks the start of an RPC that uses {@code id}; pair with {@link #leave}. */
  synchronized Tx enter(ByteString id) {
    Tx tx = transactions.get(id);
    if (tx == null) {
      throw Status.INVALID_ARGUMENT.withDescription("Invalid transaction.").asRuntimeException();
    }
    if (tx.finished) {
      throw Status.INVALID_ARGUMENT
          .withDescription("The transaction has already been committed or rolled back.")
          .asRuntimeException();
    }
    // An idle transaction keeps its locks until someone needs them (then it is aborted): an
    // uncontended transaction may take its time, as in production.
    tx.activeCalls++;
    tx.lastActivityNanos = System.nanoTime();
    return tx;
  }

  synchronized void leave(Tx tx) {
    tx.activeCalls--;
    tx.lastActivityNanos = System.nanoTime();
  }

  /**
   * Locks {@code names} for a read-write transaction, waiting for their owners. Returns without
   * locking when the transaction is (or becomes) aborted: its commit will fail.
   */
  synchronized void lock(Tx tx, Collection<String> names) {
    if (tx.readOnly) {
      return;
    }
    for (String name : names) {
      if (!awaitUnlocked(tx, name)) {
        return;
      }
      lockOwners.put(name, tx);
      tx.locks.add(name);
    }
  }

  /** Ends the transaction and frees its locks; rolling back an ended one is a no-op. */
  synchronized void rollback(ByteString id) {
    Tx tx = transactions.get(id);
    if (tx == null) {
      throw Status.INVALID_ARGUMENT.withDescription("Invalid transaction.").asRuntimeException();
    }
    if (!tx.finished) {
      finish(tx);
    }
  }

  /** Re-checks a read of {@code tx} at its commit: a difference aborts it (phantom protection). */
  synchronized void validateAtCommit(Tx tx, Object observed, Supplier<Object> current) {
    if (!tx.readOnly) {
      tx.validations.add(new Validation(observed, current));
    }
  }

  /** Ends the transaction as aborted (fault injection), freeing its locks. */
  synchronized void abortAndFinish(Tx tx, String reason) {
    abort(tx, reason);
    finish(tx);
  }

  /**
   * Applies {@code writes} atomically. With a transaction: fails ABORTED if it was aborted, else
   * locks the written documents, commits and ends the transaction. Without: waits until no
   * transaction holds a lock on a written document.
   */
  synchronized Commit commit(Tx tx, List<Write> writes) {
    return commit(tx, writes, CommitCheck.NONE);
  }

  /** As {@link #commit(Tx, List)}, with {@code check} run on the outcome before it is installed. */
  synchronized Commit commit(Tx tx, List<Write> writes, CommitCheck check) {
    Set<String> names = new HashSet<>();
    for (Write write : writes) {
      names.add(documentName(write));
    }
    if (tx != null) {
      try {
        if (tx.readOnly && !writes.isEmpty()) {
          throw Status.INVALID_ARGUMENT
              .withDescription("Cannot modify entities in a read-only transaction.")
              .asRuntimeException();
        }
        lock(tx, names);
        for (Validation validation : tx.validations) {
          if (!tx.aborted && !validation.observed().equals(validation.current().get())) {
            abort(tx, "a query it ran has different results now");
          }
        }
        if (tx.aborted) {
          throw aborted(tx);
        }
        return apply(writes, check);
      } finally {
        finish(tx);
      }
    }
    // Re-check all after each wait: the monitor was released while waiting.
    for (String busy = lockedByOthers(names); busy != null; busy = lockedByOthers(names)) {
      awaitUnlocked(null, busy);
    }
    return apply(writes, check);
  }

  /** Ends every transaction holding a lock under {@code prefix} (the data is being wiped). */
  synchronized void abortAllUnder(String prefix) {
    for (Tx tx : new ArrayList<>(lockOwners.values())) {
      if (tx.locks.stream().anyMatch(name -> name.startsWith(prefix))) {
        abort(tx, "the database was wiped");
      }
    }
  }

  /** Wipes under the monitor so no commit interleaves with it. */
  synchronized void wipe(String prefix) {
    abortAllUnder(prefix);
    onWipe.accept(store.wipe(prefix));
  }

  static StatusRuntimeException aborted(Tx tx) {
    return Status.ABORTED
        .withDescription("Transaction was aborted: " + tx.abortReason + ". Retry the transaction.")
        .asRuntimeException();
  }

  static String documentName(Write write) {
    switch (write.getOperationCase()) {
      case UPDATE:
        return write.getUpdate().getName();
      case DELETE:
        return write.getDelete();
      case TRANSFORM:
        return write.getTransform().getDocument();
      default:
        throw Status.INVALID_ARGUMENT
            .withDescription("A write must have an operation.")
            .asRuntimeException();
    }
  }

  /** The documents a list of writes touches, before and after them, and each write's result. */
  private record Outcome(
      Map<String, Optional<Document>> before,
      Map<String, Optional<Document>> after,
      List<WriteResult> results) {}

  private Outcome evaluate(
      List<Write> writes, com.google.protobuf.Timestamp commitTime, boolean preconditions) {
    Map<String, Optional<Document>> before = new LinkedHashMap<>();
    Map<String, Optional<Document>> after = new LinkedHashMap<>();
    List<WriteResult> results = new ArrayList<>(writes.size());
    for (Write write : writes) {
      String name = documentName(write);
      Optional<Document> current =
          after.containsKey(name) ? after.get(name) : store.get(name, store.snapshot());
      before.putIfAbsent(name, current);
      Write applied = preconditions ? write : write.toBuilder().clearCurrentDocument().build();
      DocumentWrites.Outcome outcome = DocumentWrites.apply(current, applied, commitTime);
      after.put(name, outcome.document());
      WriteResult.Builder result =
          WriteResult.newBuilder().addAllTransformResults(outcome.transformResults());
      outcome.document().ifPresent(document -> result.setUpdateTime(document.getUpdateTime()));
      results.add(result.build());
    }
    return new Outcome(before, after, results);
  }

  /**
   * Applies the writes. A check (the security rules) sees their outcome first, computed without
   * preconditions, so a refused caller learns nothing from a failed precondition.
   */
  private Commit apply(List<Write> writes, CommitCheck check) {
    long commitMicros = store.nextCommitMicros();
    com.google.protobuf.Timestamp commitTime = Timestamps.fromMicros(commitMicros);
    if (check != CommitCheck.NONE) {
      Outcome unchecked = evaluate(writes, commitTime, false);
      check.check(unchecked.before(), unchecked.after(), commitMicros);
    }
    Outcome outcome = evaluate(writes, commitTime, true);
    Map<String, Optional<Document>> before = outcome.before();
    Map<String, Optional<Document>> after = outcome.after();
    List<WriteResult> results = outcome.results();
    Map<String, Optional<Document>> changed = new LinkedHashMap<>();
    List<CommittedChange> changes = new ArrayList<>();
    for (Map.Entry<String, Optional<Document>> entry : after.entrySet()) {
      Optional<Document> old = before.get(entry.getKey());
      if (!old.equals(entry.getValue())) {
        changed.put(entry.getKey(), entry.getValue());
        changes.add(new CommittedChange(entry.getKey(), old, entry.getValue()));
      }
    }
    store.install(changed, commitMicros);
    Commit commit = new Commit(commitMicros, results, changes);
    if (!changes.isEmpty()) {
      onCommit.accept(commit);
    }
    return commit;
  }

  private String lockedByOthers(Set<String> names) {
    for (String name : names) {
      if (lockOwners.containsKey(name)) {
        return name;
      }
    }
    return null;
  }

  /**
   * Waits until {@code name} is free or owned by {@code self}; false if {@code self} got aborted.
   */
  private boolean awaitUnlocked(Tx self, String name) {
    try {
      while (true) {
        if (self != null && self.aborted) {
          return false;
        }
        Tx owner = lockOwners.get(name);
        if (owner == null || owner == self) {
          return true;
        }
        if (idleTooLong(owner)) {
          abort(owner, "its lease expired after it was idle");
          continue;
        }
        if (self != null) {
          self.waitingFor = owner;
          Tx victim = deadlockVictim(self);
          if (victim != null) {
            abort(victim, "deadlock with another transaction");
            continue;
          }
        }
        if (Context.current().isCancelled()) {
          throw Status.CANCELLED
              .withDescription("Call cancelled while waiting for a lock.")
              .asRuntimeException();
        }
        waitForChange(owner);
      }
    } finally {
      if (self != null) {
        self.waitingFor = null;
      }
    }
  }

  /** Waits for a notify, at most until {@code owner}'s lease could expire (owner may be null). */
  private void waitForChange(Tx owner) {
    long millis = MAX_WAIT_SLICE_MILLIS;
    if (owner != null && owner.activeCalls == 0) {
      long leaseLeftNanos = owner.lastActivityNanos + leaseNanos - System.nanoTime();
      millis = Math.max(1, Math.min(millis, leaseLeftNanos / 1_000_000 + 1));
    }
    try {
      wait(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Status.CANCELLED
          .withDescription("Interrupted while waiting for a lock.")
          .asRuntimeException();
    }
  }

  /** The youngest transaction on a wait-for cycle through {@code self}, or null without a cycle. */
  private Tx deadlockVictim(Tx self) {
    Tx youngest = self;
    Tx current = self.waitingFor;
    int steps = 0;
    while (current != null && current != self) {
      if (current.ageNanos > youngest.ageNanos) {
        youngest = current;
      }
      current = current.waitingFor;
      if (++steps > transactions.size()) {
        return null;
      }
    }
    return current == self ? youngest : null;
  }

  private boolean idleTooLong(Tx tx) {
    return tx.activeCalls == 0 && System.nanoTime() - tx.lastActivityNanos > leaseNanos;
  }

  private void abort(Tx tx, String reason) {
    if (!tx.aborted) {
      tx.aborted = true;
      tx.abortReason = reason;
    }
    releaseLocks(tx);
  }

  private void finish(Tx tx) {
    tx.finished = true;
    tx.finishedNanos = System.nanoTime();
    releaseLocks(tx);
  }

  private void releaseLocks(Tx tx) {
    if (tx.holdsSlot) {
      tx.holdsSlot = false;
      slotHolders.remove(tx);
      notifyAll();
    }
    if (tx.locks.isEmpty()) {
      return;
    }
    for (String name : tx.locks) {
      lockOwners.remove(name, tx);
    }
    tx.locks.clear();
    notifyAll();
  }

  /** Finished transactions are kept a while so a retry can inherit their age. */
  private void forgetOldTransactions() {
    if (nextId % 256 != 0) {
      return;
    }
    long now = System.nanoTime();
    for (Iterator<Tx> it = transactions.values().iterator(); it.hasNext(); ) {
      Tx tx = it.next();
      boolean abandoned =
          !tx.finished
              && tx.activeCalls == 0
              && now - tx.lastActivityNanos > FINISHED_RETENTION_NANOS;
      if ((tx.finished && now - tx.finishedNanos > FINISHED_RETENTION_NANOS) || abandoned) {
        releaseLocks(tx);
        it.remove();
      }
    }
  }
}
