package dev.atelier.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts model values to the types the Firestore client stores, for services that build their own
 * update maps: {@link WireEnum} → its wire string, small integers → {@code Long}, {@code Float} →
 * {@code Double}, recursively through maps and lists. Anything else (String, Boolean, Long, Double,
 * Instant, FieldValue, …) passes through unchanged: the client stores an {@link Instant} as a
 * timestamp (Firestore keeps microseconds; finer digits are dropped by the server).
 */
public final class FirestoreValues {
  private FirestoreValues() {}

  public static Object toFirestore(Object value) {
    if (value instanceof WireEnum wireEnum) {
      return wireEnum.wire();
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Float f) {
      return f.doubleValue();
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), toFirestore(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(v -> out.add(toFirestore(v)));
      return out;
    }
    return value;
  }
}
