package dev.atelier.firestore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Firestore {@code Value} ↔ Java, as the official client converts them: integers as Long, doubles
 * as Double, timestamps as {@link Instant}, maps as Map (insertion order kept), arrays as List,
 * references as their resource name; bytes as {@code byte[]}. Encoding a write's fields takes the
 * {@link FieldValue}s out of the data into transforms and deletes.
 */
final class Values {
  /** The range Firestore stores (google.protobuf.Timestamp's): 0001-01-01 to 9999-12-31. */
  private static final Instant MIN_TIME = Instant.parse("0001-01-01T00:00:00Z");

  private static final Instant MAX_TIME = Instant.parse("9999-12-31T23:59:59.999999999Z");

  private Values() {}

  /** The entries of a {@code map<string, Value>} field, each read from {@code entry}. */
  static void putEntry(Map<String, Object> into, ProtoReader entry) {
    String key = "";
    Object value = null;
    while (entry.next()) {
      switch (entry.field()) {
        case Proto.MapEntry.KEY -> key = entry.string();
        case Proto.MapEntry.VALUE -> value = decode(entry.message());
        default -> entry.skip();
      }
    }
    into.put(key, value);
  }

  static Object decode(ProtoReader v) {
    Object out = null;
    while (v.next()) {
      out =
          switch (v.field()) {
            case Proto.Value.NULL -> {
              v.varint();
              yield null;
            }
            case Proto.Value.BOOLEAN -> v.bool();
            case Proto.Value.INTEGER -> v.varint();
            case Proto.Value.DOUBLE -> v.double64();
            case Proto.Value.TIMESTAMP -> timestamp(v.message());
            case Proto.Value.STRING, Proto.Value.REFERENCE -> v.string();
            case Proto.Value.BYTES -> v.bytes();
            case Proto.Value.MAP -> entries(v.message(), Proto.MapValue.FIELDS);
            case Proto.Value.ARRAY -> array(v.message());
            default ->
                throw new IllegalArgumentException(
                    "a value of kind "
                        + v.field()
                        + " (google.firestore.v1.Value) is not supported");
          };
    }
    return out;
  }

  /**
   * The {@code map<string, Value>} field {@code field} of {@code message}, other fields skipped.
   */
  static Map<String, Object> entries(ProtoReader message, int field) {
    Map<String, Object> out = new LinkedHashMap<>();
    while (message.next()) {
      if (message.field() == field) {
        putEntry(out, message.message());
      } else {
        message.skip();
      }
    }
    return out;
  }

  private static List<Object> array(ProtoReader a) {
    List<Object> out = new ArrayList<>();
    while (a.next()) {
      if (a.field() == Proto.ArrayValue.VALUES) {
        out.add(decode(a.message()));
      } else {
        a.skip();
      }
    }
    return Collections.unmodifiableList(out);
  }

  static Instant timestamp(ProtoReader t) {
    long seconds = 0;
    int nanos = 0;
    while (t.next()) {
      switch (t.field()) {
        case Proto.Timestamp.SECONDS -> seconds = t.varint();
        case Proto.Timestamp.NANOS -> nanos = (int) t.varint();
        default -> t.skip();
      }
    }
    return Instant.ofEpochSecond(seconds, nanos);
  }

  /** A plain value (no {@link FieldValue} anywhere in it), as a {@code Value} message. */
  static ProtoWriter encode(Object o) {
    ProtoWriter v = new ProtoWriter();
    if (o == null) {
      v.varint(Proto.Value.NULL, 0);
    } else if (o instanceof Boolean b) {
      v.bool(Proto.Value.BOOLEAN, b);
    } else if (o instanceof Long
        || o instanceof Integer
        || o instanceof Short
        || o instanceof Byte) {
      v.varint(Proto.Value.INTEGER, ((Number) o).longValue());
    } else if (o instanceof Double || o instanceof Float) {
      v.double64(Proto.Value.DOUBLE, ((Number) o).doubleValue());
    } else if (o instanceof String s) {
      v.string(Proto.Value.STRING, s);
    } else if (o instanceof Instant t) {
      if (t.isBefore(MIN_TIME) || t.isAfter(MAX_TIME)) {
        throw new IllegalArgumentException("a timestamp outside years 1 to 9999: " + t);
      }
      ProtoWriter ts = new ProtoWriter();
      if (t.getEpochSecond() != 0) {
        ts.varint(Proto.Timestamp.SECONDS, t.getEpochSecond());
      }
      if (t.getNano() != 0) {
        ts.varint(Proto.Timestamp.NANOS, t.getNano());
      }
      v.message(Proto.Value.TIMESTAMP, ts);
    } else if (o instanceof byte[] bytes) {
      v.bytes(Proto.Value.BYTES, bytes);
    } else if (o instanceof Map<?, ?> given) {
      Map<String, ProtoWriter> fields = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : given.entrySet()) {
        fields.put(key(e.getKey()), encode(e.getValue()));
      }
      return map(fields);
    } else if (o instanceof List<?> list) {
      ProtoWriter a = new ProtoWriter();
      for (Object item : list) {
        if (item instanceof FieldValue) {
          throw new IllegalArgumentException("a FieldValue cannot stand inside an array");
        }
        a.message(Proto.ArrayValue.VALUES, encode(item));
      }
      v.message(Proto.Value.ARRAY, a);
    } else if (o instanceof FieldValue) {
      throw new IllegalArgumentException("a FieldValue cannot stand here");
    } else {
      throw new IllegalArgumentException("cannot store a " + o.getClass().getName());
    }
    return v;
  }

  /** A {@code Value} holding a reference to the document named {@code name}. */
  static ProtoWriter reference(String name) {
    return new ProtoWriter().string(Proto.Value.REFERENCE, name);
  }

  /** A {@code Value} holding an array of already-encoded values. */
  static ProtoWriter array(List<ProtoWriter> values) {
    ProtoWriter a = new ProtoWriter();
    values.forEach(item -> a.message(Proto.ArrayValue.VALUES, item));
    return new ProtoWriter().message(Proto.Value.ARRAY, a);
  }

  /** A {@code Value} holding a map of already-encoded values. */
  static ProtoWriter map(Map<String, ProtoWriter> fields) {
    return new ProtoWriter().message(Proto.Value.MAP, mapValue(fields));
  }

  /** A {@code MapValue} message of encoded values. */
  static ProtoWriter mapValue(Map<String, ProtoWriter> fields) {
    ProtoWriter m = new ProtoWriter();
    putEntries(m, Proto.MapValue.FIELDS, fields);
    return m;
  }

  /** Writes {@code fields} as the entries of the map field {@code field} of {@code message}. */
  static void putEntries(ProtoWriter message, int field, Map<String, ProtoWriter> fields) {
    fields.forEach(
        (k, v) ->
            message.message(
                field,
                new ProtoWriter().string(Proto.MapEntry.KEY, k).message(Proto.MapEntry.VALUE, v)));
  }

  private static String key(Object key) {
    if (!(key instanceof String s)) {
      throw new IllegalArgumentException("map keys must be strings, not " + key);
    }
    return s;
  }

  /** A server transform of one field: the request's time, or an increment by a Value. */
  record Transform(String fieldPath, ProtoWriter increment) {
    /** The same transform of the field at {@code prefix}.{@code fieldPath}. */
    Transform under(String prefix) {
      return new Transform(prefix + "." + fieldPath, increment);
    }

    ProtoWriter encode() {
      ProtoWriter t = new ProtoWriter().string(Proto.FieldTransform.FIELD_PATH, fieldPath);
      return increment == null
          ? t.varint(Proto.FieldTransform.SET_TO_SERVER_VALUE, Proto.FieldTransform.REQUEST_TIME)
          : t.message(Proto.FieldTransform.INCREMENT, increment);
    }
  }

  /**
   * A write's fields split into stored data (encoded values by key), deleted fields and server
   * transforms.
   */
  record Split(
      Map<String, ProtoWriter> data,
      List<FieldPath> leaves,
      List<FieldPath> deletes,
      List<Transform> transforms) {}

  /**
   * Splits {@code fields} (nested maps, {@link FieldValue}s anywhere but in arrays). {@code leaves}
   * are the paths of the stored values (a non-empty map is not a leaf, its entries are), for a
   * merge's mask. A map left empty by taking its FieldValues out is dropped (not stored as an empty
   * map), as the official client does.
   */
  static Split split(Map<?, ?> fields) {
    List<FieldPath> leaves = new ArrayList<>();
    List<FieldPath> deletes = new ArrayList<>();
    List<Transform> transforms = new ArrayList<>();
    Map<String, ProtoWriter> data = splitMap(null, fields, leaves, deletes, transforms);
    return new Split(data, leaves, deletes, transforms);
  }

  private static Map<String, ProtoWriter> splitMap(
      FieldPath prefix,
      Map<?, ?> map,
      List<FieldPath> leaves,
      List<FieldPath> deletes,
      List<Transform> transforms) {
    Map<String, ProtoWriter> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String k = key(e.getKey());
      FieldPath path = prefix == null ? FieldPath.of(k) : prefix.append(k);
      Object value = e.getValue();
      if (value instanceof FieldValue fv) {
        sentinel(path, fv, deletes, transforms);
      } else if (value instanceof Map<?, ?> nested && !nested.isEmpty()) {
        Map<String, ProtoWriter> child = splitMap(path, nested, leaves, deletes, transforms);
        if (!child.isEmpty()) {
          out.put(k, map(child));
        }
      } else {
        out.put(k, encode(value));
        leaves.add(path);
      }
    }
    return out;
  }

  static void sentinel(
      FieldPath path, FieldValue fv, List<FieldPath> deletes, List<Transform> transforms) {
    if (fv instanceof FieldValue.Delete) {
      deletes.add(path);
    } else if (fv instanceof FieldValue.ServerTimestamp) {
      transforms.add(new Transform(path.canonical(), null));
    } else if (fv instanceof FieldValue.Increment inc) {
      transforms.add(new Transform(path.canonical(), encode(inc.by())));
    }
  }
}
