package dev.atelier.store;

import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Document ↔ record mapping for every {@link DocumentKind}. Writes carry {@link #SCHEMA_VERSION};
 * null record components are left out of the written map.
 */
public final class Documents {
  private Documents() {}

  /** Stored in every document the system writes. */
  public static final String SCHEMA_VERSION_FIELD = "schemaVersion";
  public static final long SCHEMA_VERSION = 1;

  /** The fields to {@code set()} for {@code record}. */
  public static Map<String, Object> encode(Object record) {
    DocumentKind kind = DocumentKind.forRecord(record.getClass());
    DocWriter w = new DocWriter();
    kind.codec().write(record, w);
    w.put(SCHEMA_VERSION_FIELD, SCHEMA_VERSION);
    return w.build();
  }

  /**
   * As {@link #encode(Object)}, with each named field (top-level, or nested as {@code a.b}) set to
   * {@link FieldValue#serverTimestamp()} whatever the record holds there.
   */
  public static Map<String, Object> encode(Object record, String... serverTimestampFields) {
    Map<String, Object> fields = encode(record);
    for (String path : serverTimestampFields) {
      putAt(fields, path, FieldValue.serverTimestamp());
    }
    return fields;
  }

  /**
   * A partial update of {@code record}'s document: only the named top-level fields, each as
   * {@link #encode(Object)} writes it, or deleted when the record leaves it null (so an update never
   * rewrites fields it does not own); {@code serverTimestampFields} get the server's time.
   */
  public static Map<String, Object> update(Object record, List<String> fields, String... serverTimestampFields) {
    Map<String, Object> all = encode(record);
    Map<String, Object> out = new LinkedHashMap<>();
    for (String f : fields) {
      out.put(f, all.containsKey(f) ? all.get(f) : FieldValue.delete());
    }
    for (String f : serverTimestampFields) {
      out.put(f, FieldValue.serverTimestamp());
    }
    return out;
  }

  /** The record stored in {@code snapshot}, or empty when the document does not exist. */
  public static <T> Optional<T> read(DocumentSnapshot snapshot, Class<T> type) {
    if (!snapshot.exists()) {
      return Optional.empty();
    }
    return Optional.of(decode(snapshot.getReference().getPath(), snapshot.getData(), type));
  }

  /**
   * The record stored at {@code documentPath} with {@code fields} as the client returns them.
   *
   * @throws MappingException if the path is not a {@code type} document or a field is malformed
   */
  public static <T> T decode(String documentPath, Map<String, Object> fields, Class<T> type) {
    DocumentKind expected = DocumentKind.forRecord(type);
    DocumentKey key = DocumentKind.parse(documentPath)
        .filter(k -> k.kind() == expected)
        .orElseThrow(() -> new MappingException(documentPath + " is not a " + expected + " document ("
            + expected.template() + ")"));
    try {
      return type.cast(expected.codec().read(key, new DocReader(key.path(), fields)));
    } catch (IllegalArgumentException e) {
      throw new MappingException(key.path() + ": " + e.getMessage());
    }
  }

  @SuppressWarnings("unchecked")
  private static void putAt(Map<String, Object> fields, String dottedPath, Object value) {
    int dot = dottedPath.indexOf('.');
    if (dot < 0) {
      fields.put(dottedPath, value);
      return;
    }
    Object child = fields.get(dottedPath.substring(0, dot));
    Map<String, Object> nested = child instanceof Map<?, ?> m
        ? new LinkedHashMap<>((Map<String, Object>) m) : new LinkedHashMap<>();
    putAt(nested, dottedPath.substring(dot + 1), value);
    fields.put(dottedPath.substring(0, dot), nested);
  }
}
