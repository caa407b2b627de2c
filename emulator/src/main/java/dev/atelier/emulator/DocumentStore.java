package dev.atelier.emulator;

import com.google.firestore.v1.Document;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * In-memory multi-version document store keyed by full document name. A commit installs its
 * versions and then publishes its time, so readers at the published snapshot see whole commits
 * only. Callers serialize commits (the {@link TransactionManager} monitor).
 */
final class DocumentStore {
  /**
   * How long old versions stay readable (read_time reads, read-only transactions), as production.
   */
  private static final long HISTORY_MICROS = 60 * 60 * 1_000_000L;

  /** Bounds the memory of a document written very often; older versions are dropped first. */
  private static final int MAX_VERSIONS = 1_000;

  /** One version of a document; a null document marks a deletion. */
  private record Version(long micros, Document document) {}

  private final ConcurrentSkipListMap<String, Version[]> documents = new ConcurrentSkipListMap<>();
  private volatile long visibleMicros = nowMicros();

  static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  /** The newest consistent snapshot time: every commit at or before it is fully visible. */
  long snapshot() {
    return visibleMicros;
  }

  /** A commit time later than every earlier one. Call with commits serialized. */
  long nextCommitMicros() {
    return Math.max(nowMicros(), visibleMicros + 1);
  }

  Optional<Document> get(String name, long atMicros) {
    return Optional.ofNullable(versionAt(documents.get(name), atMicros));
  }

  /**
   * Every document whose name starts with {@code prefix}, as of {@code atMicros}, in name order.
   */
  List<Document> list(String prefix, long atMicros) {
    List<Document> result = new ArrayList<>();
    for (Version[] versions : underPrefix(prefix).values()) {
      Document document = versionAt(versions, atMicros);
      if (document != null) {
        result.add(document);
      }
    }
    return result;
  }

  /** Installs the documents of one commit (empty = deleted), then makes the commit visible. */
  void install(Map<String, Optional<Document>> changes, long commitMicros) {
    long horizon = commitMicros - HISTORY_MICROS;
    for (Map.Entry<String, Optional<Document>> change : changes.entrySet()) {
      Version added = new Version(commitMicros, change.getValue().orElse(null));
      documents.compute(change.getKey(), (name, old) -> appendPruned(old, added, horizon));
    }
    visibleMicros = commitMicros;
  }

  /**
   * Removes every version of every document under {@code prefix} (no history: a wipe); returns the
   * new snapshot time, after which the documents are gone.
   */
  long wipe(String prefix) {
    underPrefix(prefix).clear();
    long micros = nextCommitMicros();
    visibleMicros = micros;
    return micros;
  }

  private Map<String, Version[]> underPrefix(String prefix) {
    return documents.subMap(prefix, true, prefix + Character.MAX_VALUE, false);
  }

  private static Document versionAt(Version[] versions, long atMicros) {
    if (versions == null) {
      return null;
    }
    for (int i = versions.length - 1; i >= 0; i--) {
      if (versions[i].micros() <= atMicros) {
        return versions[i].document();
      }
    }
    return null;
  }

  private static Version[] appendPruned(Version[] old, Version added, long horizon) {
    if (old == null) {
      return new Version[] {added};
    }
    // Keep the newest version at or before the horizon: reads at the horizon still need it.
    int first = Math.max(0, old.length + 1 - MAX_VERSIONS);
    while (first + 1 < old.length && old[first + 1].micros() <= horizon) {
      first++;
    }
    Version[] kept = Arrays.copyOfRange(old, first, old.length + 1);
    kept[kept.length - 1] = added;
    return kept;
  }
}
