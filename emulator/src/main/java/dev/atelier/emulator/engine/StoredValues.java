package dev.atelier.emulator.engine;

import com.google.firestore.v1.ArrayValue;
import com.google.firestore.v1.MapValue;
import com.google.firestore.v1.Value;
import com.google.protobuf.Timestamp;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What Firestore does to values on storage: timestamps keep microsecond precision (extra
 * precision is rounded down), so a value reads back as production would return it.
 */
final class StoredValues {
  private StoredValues() {}

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
        return nanos == t.getNanos() ? v : v.toBuilder().setTimestampValue(t.toBuilder().setNanos(nanos)).build();
      case ARRAY_VALUE:
        ArrayValue.Builder array = ArrayValue.newBuilder();
        v.getArrayValue().getValuesList().forEach(e -> array.addValues(normalize(e)));
        return Value.newBuilder().setArrayValue(array).build();
      case MAP_VALUE:
        return Value.newBuilder()
            .setMapValue(MapValue.newBuilder().putAllFields(normalize(v.getMapValue().getFieldsMap())))
            .build();
      default:
        return v;
    }
  }
}
