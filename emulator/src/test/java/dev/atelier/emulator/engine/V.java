package dev.atelier.emulator.engine;

import com.google.firestore.v1.ArrayValue;
import com.google.firestore.v1.Document;
import com.google.firestore.v1.MapValue;
import com.google.firestore.v1.Value;
import com.google.protobuf.ByteString;
import com.google.protobuf.NullValue;
import com.google.protobuf.Timestamp;
import com.google.type.LatLng;
import java.util.LinkedHashMap;
import java.util.Map;

/** Terse protobuf value builders for engine tests. */
final class V {
  private V() {}

  static final String ROOT = "projects/p/databases/(default)/documents";

  static Value nul() {
    return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
  }

  static Value bool(boolean b) {
    return Value.newBuilder().setBooleanValue(b).build();
  }

  static Value i(long v) {
    return Value.newBuilder().setIntegerValue(v).build();
  }

  static Value d(double v) {
    return Value.newBuilder().setDoubleValue(v).build();
  }

  static Value s(String v) {
    return Value.newBuilder().setStringValue(v).build();
  }

  static Value bytes(int... b) {
    byte[] a = new byte[b.length];
    for (int k = 0; k < b.length; k++) {
      a[k] = (byte) b[k];
    }
    return Value.newBuilder().setBytesValue(ByteString.copyFrom(a)).build();
  }

  static Value ts(long seconds, int nanos) {
    return Value.newBuilder()
        .setTimestampValue(Timestamp.newBuilder().setSeconds(seconds).setNanos(nanos))
        .build();
  }

  static Value ref(String path) {
    return Value.newBuilder().setReferenceValue(ROOT + "/" + path).build();
  }

  static Value geo(double lat, double lng) {
    return Value.newBuilder()
        .setGeoPointValue(LatLng.newBuilder().setLatitude(lat).setLongitude(lng))
        .build();
  }

  static Value arr(Value... vs) {
    return Value.newBuilder()
        .setArrayValue(ArrayValue.newBuilder().addAllValues(java.util.List.of(vs)))
        .build();
  }

  /** map("k1", v1, "k2", v2, ...) */
  static Value map(Object... kv) {
    return Value.newBuilder().setMapValue(MapValue.newBuilder().putAllFields(fields(kv))).build();
  }

  static Value vector(double... ds) {
    Value[] vs = new Value[ds.length];
    for (int k = 0; k < ds.length; k++) {
      vs[k] = d(ds[k]);
    }
    return map("__type__", s("__vector__"), "value", arr(vs));
  }

  static Map<String, Value> fields(Object... kv) {
    Map<String, Value> m = new LinkedHashMap<>();
    for (int k = 0; k < kv.length; k += 2) {
      m.put((String) kv[k], (Value) kv[k + 1]);
    }
    return m;
  }

  /** doc("col/id", "field", value, ...) with create/update time 1s. */
  static Document doc(String path, Object... kv) {
    return Document.newBuilder()
        .setName(ROOT + "/" + path)
        .putAllFields(fields(kv))
        .setCreateTime(Timestamp.newBuilder().setSeconds(1))
        .setUpdateTime(Timestamp.newBuilder().setSeconds(1))
        .build();
  }
}
