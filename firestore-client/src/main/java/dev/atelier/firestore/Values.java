package dev.atelier.firestore;

import com.google.cloud.Timestamp;
import com.google.firestore.v1.ArrayValue;
import com.google.firestore.v1.DocumentTransform.FieldTransform;
import com.google.firestore.v1.MapValue;
import com.google.firestore.v1.Value;
import com.google.protobuf.ByteString;
import com.google.protobuf.NullValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Firestore {@code Value} ↔ Java, as the official client converts them: integers as Long, doubles
 * as Double, timestamps as {@link Timestamp}, maps as Map (insertion order kept), arrays as List,
 * bytes as ByteString, references as their document path. Encoding a write's fields takes the
 * {@link FieldValue}s out of the data into transforms and deletes.
 */
final class Values {
  private Values() {}

  static Map<String, Object> decode(Map<String, Value> fields) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Value> e : fields.entrySet()) {
      out.put(e.getKey(), decode(e.getValue()));
    }
    return out;
  }

  static Object decode(Value v) {
    return switch (v.getValueTypeCase()) {
      case NULL_VALUE, VALUETYPE_NOT_SET -> null;
      case BOOLEAN_VALUE -> v.getBooleanValue();
      case INTEGER_VALUE -> v.getIntegerValue();
      case DOUBLE_VALUE -> v.getDoubleValue();
      case TIMESTAMP_VALUE -> Timestamp.fromProto(v.getTimestampValue());
      case STRING_VALUE -> v.getStringValue();
      case BYTES_VALUE -> v.getBytesValue();
      case REFERENCE_VALUE -> v.getReferenceValue();
      case MAP_VALUE -> decode(v.getMapValue().getFieldsMap());
      case ARRAY_VALUE -> {
        List<Object> list = new ArrayList<>();
        for (Value item : v.getArrayValue().getValuesList()) {
          list.add(decode(item));
        }
        yield Collections.unmodifiableList(list);
      }
      default ->
          throw new IllegalArgumentException(
              "a " + v.getValueTypeCase() + " value is not supported");
    };
  }

  /** A plain value (no {@link FieldValue} anywhere in it). */
  static Value encode(Object o) {
    Value.Builder v = Value.newBuilder();
    if (o == null) {
      v.setNullValue(NullValue.NULL_VALUE);
    } else if (o instanceof Boolean b) {
      v.setBooleanValue(b);
    } else if (o instanceof Long
        || o instanceof Integer
        || o instanceof Short
        || o instanceof Byte) {
      v.setIntegerValue(((Number) o).longValue());
    } else if (o instanceof Double || o instanceof Float) {
      v.setDoubleValue(((Number) o).doubleValue());
    } else if (o instanceof String s) {
      v.setStringValue(s);
    } else if (o instanceof Timestamp t) {
      v.setTimestampValue(t.toProto());
    } else if (o instanceof ByteString bytes) {
      v.setBytesValue(bytes);
    } else if (o instanceof Map<?, ?> map) {
      MapValue.Builder m = MapValue.newBuilder();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        m.putFields(key(e.getKey()), encode(e.getValue()));
      }
      v.setMapValue(m);
    } else if (o instanceof List<?> list) {
      ArrayValue.Builder a = ArrayValue.newBuilder();
      for (Object item : list) {
        if (item instanceof FieldValue) {
          throw new IllegalArgumentException("a FieldValue cannot stand inside an array");
        }
        a.addValues(encode(item));
      }
      v.setArrayValue(a);
    } else if (o instanceof FieldValue) {
      throw new IllegalArgumentException("a FieldValue cannot stand here");
    } else {
      throw new IllegalArgumentException("cannot store a " + o.getClass().getName());
    }
    return v.build();
  }

  private static String key(Object key) {
    if (!(key instanceof String s)) {
      throw new IllegalArgumentException("map keys must be strings, not " + key);
    }
    return s;
  }

  /** A write's fields split into stored data, deleted fields and server transforms. */
  record Split(
      MapValue data,
      List<FieldPath> leaves,
      List<FieldPath> deletes,
      List<FieldTransform> transforms) {}

  /**
   * Splits {@code fields} (nested maps, {@link FieldValue}s anywhere but in arrays) at {@code
   * prefix}. {@code leaves} are the paths of the stored values (a non-empty map is not a leaf, its
   * entries are), for a merge's mask. A map left empty by taking its FieldValues out is dropped
   * (not stored as an empty map), as the official client does.
   */
  static Split split(Map<?, ?> fields) {
    List<FieldPath> leaves = new ArrayList<>();
    List<FieldPath> deletes = new ArrayList<>();
    List<FieldTransform> transforms = new ArrayList<>();
    MapValue data = splitMap(null, fields, leaves, deletes, transforms);
    return new Split(data, leaves, deletes, transforms);
  }

  private static MapValue splitMap(
      FieldPath prefix,
      Map<?, ?> map,
      List<FieldPath> leaves,
      List<FieldPath> deletes,
      List<FieldTransform> transforms) {
    MapValue.Builder out = MapValue.newBuilder();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String k = key(e.getKey());
      FieldPath path = prefix == null ? FieldPath.of(k) : prefix.append(k);
      Object value = e.getValue();
      if (value instanceof FieldValue fv) {
        sentinel(path, fv, deletes, transforms);
      } else if (value instanceof Map<?, ?> nested && !nested.isEmpty()) {
        MapValue child = splitMap(path, nested, leaves, deletes, transforms);
        if (child.getFieldsCount() > 0) {
          out.putFields(k, Value.newBuilder().setMapValue(child).build());
        }
      } else {
        out.putFields(k, encode(value));
        leaves.add(path);
      }
    }
    return out.build();
  }

  static void sentinel(
      FieldPath path, FieldValue fv, List<FieldPath> deletes, List<FieldTransform> transforms) {
    if (fv instanceof FieldValue.Delete) {
      deletes.add(path);
    } else if (fv instanceof FieldValue.ServerTimestamp) {
      transforms.add(
          FieldTransform.newBuilder()
              .setFieldPath(path.canonical())
              .setSetToServerValue(FieldTransform.ServerValue.REQUEST_TIME)
              .build());
    } else if (fv instanceof FieldValue.Increment inc) {
      transforms.add(
          FieldTransform.newBuilder()
              .setFieldPath(path.canonical())
              .setIncrement(encode(inc.by()))
              .build());
    }
  }
}
