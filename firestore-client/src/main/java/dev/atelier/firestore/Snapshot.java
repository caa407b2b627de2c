package dev.atelier.firestore;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A document as read: its path (relative to the database's documents, {@code users/u1}), whether it
 * exists, its fields as Java values ({@link Values}), and its times (empty when it does not exist).
 */
public record Snapshot(
    String path,
    boolean exists,
    Map<String, Object> data,
    Optional<Instant> createTime,
    Optional<Instant> updateTime) {

  public Snapshot {
    data = data == null ? Map.of() : java.util.Collections.unmodifiableMap(data);
  }

  static Snapshot missing(String path) {
    return new Snapshot(path, false, Map.of(), Optional.empty(), Optional.empty());
  }

  /** The last segment of the path. */
  public String id() {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** The fields, or null when the document does not exist (as the official client's getData). */
  public Map<String, Object> getData() {
    return exists ? data : null;
  }

  /** The value at a dotted field path, or null when absent. */
  public Object get(String field) {
    return get(FieldPath.parse(field));
  }

  public Object get(FieldPath field) {
    Object at = data;
    for (String segment : field.segments()) {
      if (!(at instanceof Map<?, ?> map)) {
        return null;
      }
      at = map.get(segment);
    }
    return at;
  }

  public boolean contains(String field) {
    Object at = data;
    for (String segment : FieldPath.parse(field).segments()) {
      if (!(at instanceof Map<?, ?> map) || !map.containsKey(segment)) {
        return false;
      }
      at = map.get(segment);
    }
    return true;
  }

  public String getString(String field) {
    return (String) get(field);
  }

  public Long getLong(String field) {
    Object v = get(field);
    return v == null ? null : ((Number) v).longValue();
  }

  public Double getDouble(String field) {
    Object v = get(field);
    return v == null ? null : ((Number) v).doubleValue();
  }

  public Boolean getBoolean(String field) {
    return (Boolean) get(field);
  }

  /** A timestamp value, as an Instant. */
  public Instant getTimestamp(String field) {
    return (Instant) get(field);
  }
}
