package dev.atelier.emulator.engine;

import com.google.firestore.v1.ArrayValue;
import com.google.firestore.v1.MapValue;
import com.google.firestore.v1.Value;
import com.google.protobuf.Timestamp;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What Firestore does to values on storage: timestamps keep microsecond precision (extra precision
 * is rounded down), so a value reads back as production would return it; and what it refuses to
 * store: field names matching {@code __.*__} (reserved; the {@code __type__} key of a vector is how
 * vectors are encoded) and values nested more than 20 maps/arrays below a top-level field.
 */
final class StoredValues {
  private StoredValues() {}

  static final int MAX_DEPTH = 20;

  /** Validates the fields a write supplies. */
  static void validate(Map<String, Value> fields) {
    validate(fields, 0, false);
  }

  static void validateFieldName(String name) {
    if (name.length() >= 4 && name.startsWith("__") && name.endsWith("__")) {
      throw DocumentWrites.invalid(
          "Field name \"" + name + "\" is invalid because it is reserved.");
    }
  }

  private static void validate(Map<String, Value> fields, int depth, boolean vector) {
    for (Map.Entry<String, Value> e : fields.entrySet()) {
      if (!(vector && e.getKey().equals("__type__"))) {
        validateFieldName(e.getKey());
      }
      validate(e.getValue(), depth);
    }
  }

  private static void validate(Value v, int depth) {
    if (!v.hasMapValue() && !v.hasArrayValue()) {
      return;
    }
    if (depth >= MAX_DEPTH) {
      throw DocumentWrites.invalid("Value is nested deeper than " + MAX_DEPTH + " maps or arrays.");
    }
    if (v.hasMapValue()) {
      validate(v.getMapValue().getFieldsMap(), depth + 1, Values.isVector(v));
    } else {
      v.getArrayValue().getValuesList().forEach(e -> validate(e, depth + 1));
    }
  }

  static Map<String, Value> normalize(Map<String, Value> fields) {
    Map<String, Value> out = new LinkedHashMap<>();
    fields.forEach((k, v) -> out.put(k, normalize(v)));
    return out;
  }

  static Value normalize(Value v) {
    switch (v.getValueTypeCase()) {
      case TIMESTAMP_VALUE:
        Timestamp t = v.getTimestampValue();
        int nanos = t.getNanos() - t.getNanos() % 1000;
        return nanos == t.getNanos()
            ? v
            : v.toBuilder().setTimestampValue(t.toBuilder().setNanos(nanos)).build();
      case ARRAY_VALUE:
        ArrayValue.Builder array = ArrayValue.newBuilder();
        v.getArrayValue().getValuesList().forEach(e -> array.addValues(normalize(e)));
        return Value.newBuilder().setArrayValue(array).build();
      case MAP_VALUE:
        return Value.newBuilder()
            .setMapValue(
                MapValue.newBuilder().putAllFields(normalize(v.getMapValue().getFieldsMap())))
            .build();
      default:
        return v;
    }
  }
}
