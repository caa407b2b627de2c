package dev.atelier.storage.emulator;

import com.google.gson.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every bucket and live object, in memory. One lock: checking a precondition and writing must be
 * atomic, and the emulator's load is far too small for finer locking to matter.
 */
final class ObjectStore {
  private final Clock clock;
  private final Map<String, Bucket> buckets = new TreeMap<>();
  private final Map<String, NavigableMap<String, StoredObject>> objects = new TreeMap<>();
  private long lastGeneration;

  ObjectStore(Clock clock) {
    this.clock = clock;
  }

  synchronized Bucket createBucket(String name) {
    if (buckets.containsKey(name)) {
      throw new GcsException(
          409,
          "conflict",
          "Your previous request to create the named bucket succeeded and you already own it.");
    }
    return ensureBucket(name);
  }

  synchronized Optional<Bucket> bucket(String name) {
    return Optional.ofNullable(buckets.get(name));
  }

  synchronized List<Bucket> buckets() {
    return List.copyOf(buckets.values());
  }

  synchronized void deleteBucket(String name) {
    if (!buckets.containsKey(name)) {
      throw GcsException.noSuchBucket(name);
    }
    if (!objects.get(name).isEmpty()) {
      throw new GcsException(409, "conflict", "The bucket you tried to delete is not empty.");
    }
    buckets.remove(name);
    objects.remove(name);
  }

  /**
   * Writes a new generation; uploads create their bucket on first use, which keeps local setup to
   * zero.
   */
  synchronized StoredObject put(
      String bucket,
      String name,
      byte[] content,
      ObjectAttributes attributes,
      Preconditions preconditions) {
    ensureBucket(bucket);
    NavigableMap<String, StoredObject> inBucket = objects.get(bucket);
    preconditions.check(Optional.ofNullable(inBucket.get(name)));
    Instant now = now();
    StoredObject stored =
        new StoredObject(bucket, name, nextGeneration(now), 1, content, attributes, now, now);
    inBucket.put(name, stored);
    return stored;
  }

  synchronized Optional<StoredObject> get(String bucket, String name) {
    return Optional.ofNullable(objects.getOrDefault(bucket, new TreeMap<>()).get(name));
  }

  synchronized StoredObject patch(
      String bucket, String name, JsonObject patch, Preconditions preconditions) {
    StoredObject live = existing(bucket, name);
    preconditions.check(Optional.of(live));
    StoredObject updated = live.withAttributes(live.attributes().patchedWith(patch), now());
    objects.get(bucket).put(name, updated);
    return updated;
  }

  synchronized void delete(String bucket, String name, Preconditions preconditions) {
    StoredObject live = existing(bucket, name);
    preconditions.check(Optional.of(live));
    objects.get(bucket).remove(name);
  }

  synchronized ListPage list(String bucket, ListRequest request) {
    NavigableMap<String, StoredObject> inBucket = objects.get(bucket);
    if (inBucket == null) {
      throw GcsException.noSuchBucket(bucket);
    }
    String from =
        request
            .startOffset()
            .filter(s -> s.compareTo(request.prefix()) > 0)
            .orElse(request.prefix());
    List<StoredObject> items = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    String lastEntry = null;
    for (StoredObject object : inBucket.tailMap(from, true).values()) {
      String name = object.name();
      if (!name.startsWith(request.prefix())
          || request.endOffset().map(end -> name.compareTo(end) >= 0).orElse(false)) {
        break;
      }
      String entry = foldedPrefix(name, request).orElse(name);
      if (request.startAfter().map(after -> entry.compareTo(after) <= 0).orElse(false)
          || entry.equals(lastEntry)) {
        continue;
      }
      if (items.size() + prefixes.size() == request.maxResults()) {
        return new ListPage(items, prefixes, Optional.of(ListRequest.encodeToken(lastEntry)));
      }
      if (entry.equals(name)) {
        items.add(object);
      } else {
        prefixes.add(entry);
      }
      lastEntry = entry;
    }
    return new ListPage(items, prefixes, Optional.empty());
  }

  synchronized void reset() {
    buckets.clear();
    objects.clear();
  }

  private static Optional<String> foldedPrefix(String name, ListRequest request) {
    return request
        .delimiter()
        .flatMap(
            delimiter -> {
              int at = name.indexOf(delimiter, request.prefix().length());
              return at < 0
                  ? Optional.empty()
                  : Optional.of(name.substring(0, at + delimiter.length()));
            });
  }

  private StoredObject existing(String bucket, String name) {
    return get(bucket, name).orElseThrow(() -> GcsException.noSuchObject(bucket, name));
  }

  synchronized Bucket ensureBucket(String name) {
    objects.computeIfAbsent(name, n -> new TreeMap<>());
    return buckets.computeIfAbsent(name, n -> new Bucket(n, now()));
  }

  /** Like GCS, generations are microsecond timestamps, here kept strictly increasing. */
  private long nextGeneration(Instant now) {
    long micros = ChronoUnit.MICROS.between(Instant.EPOCH, now);
    lastGeneration = Math.max(micros, lastGeneration + 1);
    return lastGeneration;
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
