package dev.atelier.schema;

import dev.atelier.store.FirestoreValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/** Builds the field map of one (possibly nested) document object; null values are left out. */
final class DocWriter {
  private final Map<String, Object> fields = new LinkedHashMap<>();

  DocWriter put(String field, Object value) {
    if (value != null) {
      fields.put(field, FirestoreValues.toFirestore(value));
    }
    return this;
  }

  /** A nested object written by {@code write}; left out when {@code value} is null. */
  <T> DocWriter object(String field, T value, BiConsumer<T, DocWriter> write) {
    if (value != null) {
      fields.put(field, nested(value, write));
    }
    return this;
  }

  /** A list of nested objects, always written (an empty list stays an empty array). */
  <T> DocWriter objects(String field, List<T> values, BiConsumer<T, DocWriter> write) {
    List<Object> out = new ArrayList<>(values.size());
    values.forEach(v -> out.add(nested(v, write)));
    fields.put(field, out);
    return this;
  }

  /** A map of nested objects keyed by name, always written. */
  <T> DocWriter objectMap(String field, Map<String, T> values, BiConsumer<T, DocWriter> write) {
    Map<String, Object> out = new LinkedHashMap<>();
    values.forEach((k, v) -> out.put(k, nested(v, write)));
    fields.put(field, out);
    return this;
  }

  private static <T> Map<String, Object> nested(T value, BiConsumer<T, DocWriter> write) {
    DocWriter w = new DocWriter();
    write.accept(value, w);
    return w.build();
  }

  Map<String, Object> build() {
    return fields;
  }
}
