package dev.atelier.store;

import java.util.List;
import java.util.Map;

/**
 * The table of stored records: which record each {@link DocumentKind} holds and how it is written
 * and read. The schema package supplies it at run time ({@code META-INF/services}), because it
 * knows every feature's records while this package knows none.
 */
public interface SchemaProvider {

  /** One stored record type: its kind and its codec. */
  interface Binding<T> {
    DocumentKind kind();

    Class<T> type();

    /** The record's fields as the Firestore client stores them (nulls left out). */
    Map<String, Object> encode(T record);

    /**
     * The record stored at {@code key} with {@code fields}.
     *
     * @throws IllegalArgumentException or {@link MappingException} when a field is missing or
     *     malformed
     */
    T decode(DocumentKey key, Map<String, Object> fields);
  }

  List<Binding<?>> bindings();
}
