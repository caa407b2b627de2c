package dev.atelier.store;

import dev.atelier.firestore.FieldValue;
import dev.atelier.firestore.Snapshot;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Document ↔ record mapping for every {@link DocumentKind}, through the schema's table ({@link
 * SchemaProvider}). Writes carry {@link #SCHEMA_VERSION}; null record components are left out of
 * the written map.
 */
public final class Documents {
  private Documents() {}

  /**
   * The schema's bindings by record type and by kind, loaded once; every kind must have exactly
   * one.
   */
  private static final class Table {
    static final Map<Class<?>, SchemaProvider.Binding<?>> BY_TYPE = new HashMap<>();
    static final Map<DocumentKind, SchemaProvider.Binding<?>> BY_KIND =
        new EnumMap<>(DocumentKind.class);

    static {
      for (SchemaProvider provider :
          ServiceLoader.load(SchemaProvider.class, Documents.class.getClassLoader())) {
        for (SchemaProvider.Binding<?> b : provider.bindings()) {
          if (BY_TYPE.put(b.type(), b) != null || BY_KIND.put(b.kind(), b) != null) {
            throw new IllegalStateException(
                "two bindings for " + b.kind() + " / " + b.type().getName());
          }
        }
      }
      for (DocumentKind kind : DocumentKind.values()) {
        if (!BY_KIND.containsKey(kind)) {
          throw new IllegalStateException(
              "no schema binding for " + kind + " (is dev.atelier.schema on the classpath?)");
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> SchemaProvider.Binding<T> binding(Class<T> type) {
    SchemaProvider.Binding<T> b = (SchemaProvider.Binding<T>) Table.BY_TYPE.get(type);
    if (b == null) {
      throw new IllegalArgumentException(type.getName() + " is not a stored document record");
    }
    return b;
  }

  /** The kind of document {@code type} is stored as. */
  public static DocumentKind kindOf(Class<?> type) {
    return binding(type).kind();
  }

  /** The record type stored as {@code kind}. */
  public static Class<?> recordOf(DocumentKind kind) {
    return Table.BY_KIND.get(kind).type();
  }

  /** Stored in every document the system writes. */
  public static final String SCHEMA_VERSION_FIELD = "schemaVersion";

  public static final long SCHEMA_VERSION = 1;

  /** The fields to {@code set()} for {@code record}. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> encode(Object record) {
    SchemaProvider.Binding<Object> b = (SchemaProvider.Binding<Object>) binding(record.getClass());
    Map<String, Object> fields = new LinkedHashMap<>(b.encode(record));
    fields.put(SCHEMA_VERSION_FIELD, SCHEMA_VERSION);
    return fields;
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
   * A partial update of {@code record}'s document: only the named top-level fields, each as {@link
   * #encode(Object)} writes it, or deleted when the record leaves it null (so an update never
   * rewrites fields it does not own); {@code serverTimestampFields} get the server's time.
   */
  public static Map<String, Object> update(
      Object record, List<String> fields, String... serverTimestampFields) {
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
  public static <T> Optional<T> read(Snapshot snapshot, Class<T> type) {
    if (!snapshot.exists()) {
      return Optional.empty();
    }
    return Optional.of(decode(snapshot.path(), snapshot.getData(), type));
  }

  /**
   * The record stored at {@code documentPath} with {@code fields} as the client returns them.
   *
   * @throws MappingException if the path is not a {@code type} document or a field is malformed
   */
  public static <T> T decode(String documentPath, Map<String, Object> fields, Class<T> type) {
    SchemaProvider.Binding<T> b = binding(type);
    DocumentKind expected = b.kind();
    DocumentKey key =
        DocumentKind.parse(documentPath)
            .filter(k -> k.kind() == expected)
            .orElseThrow(
                () ->
                    new MappingException(
                        documentPath
                            + " is not a "
                            + expected
                            + " document ("
                            + expected.template()
                            + ")"));
    try {
      return type.cast(b.decode(key, fields == null ? Map.of() : fields));
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
    Map<String, Object> nested =
        child instanceof Map<?, ?> m
            ? new LinkedHashMap<>((Map<String, Object>) m)
            : new LinkedHashMap<>();
    putAt(nested, dottedPath.substring(dot + 1), value);
    fields.put(dottedPath.substring(0, dot), nested);
  }
}
