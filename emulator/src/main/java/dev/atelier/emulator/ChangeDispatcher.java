package dev.atelier.emulator;

import com.google.protobuf.util.Timestamps;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Delivers commits, in commit order, to change listeners and Listen streams on one thread. Listen
 * streams also run their own work (add/remove target) here, so each stream's messages are ordered.
 */
final class ChangeDispatcher implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ChangeDispatcher.class.getName());

  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(DaemonThreads.named("firestore-emulator-dispatch"));
  private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
  private final Set<ListenStream> streams = ConcurrentHashMap.newKeySet();

  void addListener(ChangeListener listener) {
    listeners.add(listener);
  }

  void clearListeners() {
    listeners.clear();
  }

  void register(ListenStream stream) {
    streams.add(stream);
  }

  void unregister(ListenStream stream) {
    streams.remove(stream);
  }

  /** Called in commit order (under the commit monitor); delivery happens later on the thread. */
  void committed(Commit commit) {
    execute(() -> deliver(commit));
  }

  /** Data was wiped: listeners re-read everything as of {@code micros}. */
  void wiped(long micros) {
    execute(() -> streams.forEach(stream -> stream.refresh(micros)));
  }

  void execute(Runnable task) {
    thread.execute(
        () -> {
          try {
            task.run();
          } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Change delivery failed", e);
          }
        });
  }

  private void deliver(Commit commit) {
    com.google.protobuf.Timestamp commitTime = Timestamps.fromMicros(commit.commitMicros());
    for (CommittedChange change : commit.changes()) {
      for (ChangeListener listener : listeners) {
        try {
          listener.onChange(change.name(), change.before(), change.after(), commitTime);
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "Change listener failed for " + change.name(), e);
        }
      }
    }
    for (ListenStream stream : streams) {
      stream.onCommit(commit);
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
