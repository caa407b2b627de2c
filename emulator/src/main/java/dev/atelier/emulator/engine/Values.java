package dev.atelier.emulator.engine;

import com.google.firestore.v1.ArrayValue;
import com.google.firestore.v1.MapValue;
import com.google.firestore.v1.Value;
import com.google.protobuf.ByteString;
import com.google.protobuf.NullValue;
import com.google.protobuf.Timestamp;
import com.google.type.LatLng;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** Firestore's value semantics: the total order across types and equality as queries see it. */
public final class Values {
  private Values() {}

  static final Value NULL = Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();

  /** Type classes in Firestore's cross-type order; values of one class compare with each other. */
  enum TypeOrder {
    NULL,
    BOOLEAN,
    NUMBER,
    TIMESTAMP,
    STRING,
    BYTES,
    REFERENCE,
    GEO_POINT,
    ARRAY,
    VECTOR,
    MAP
  }

  static TypeOrder typeOrder(Value v) {
    switch (v.getValueTypeCase()) {
      case NULL_VALUE:
      case VALUETYPE_NOT_SET:
        return TypeOrder.NULL;
      case BOOLEAN_VALUE:
        return TypeOrder.BOOLEAN;
      case INTEGER_VALUE:
      case DOUBLE_VALUE:
        return TypeOrder.NUMBER;
      case TIMESTAMP_VALUE:
        return TypeOrder.TIMESTAMP;
      case STRING_VALUE:
        return TypeOrder.STRING;
      case BYTES_VALUE:
        return TypeOrder.BYTES;
      case REFERENCE_VALUE:
        return TypeOrder.REFERENCE;
      case GEO_POINT_VALUE:
        return TypeOrder.GEO_POINT;
      case ARRAY_VALUE:
        return TypeOrder.ARRAY;
      case MAP_VALUE:
        return isVector(v) ? TypeOrder.VECTOR : TypeOrder.MAP;
      default:
        throw io.grpc.Status.INVALID_ARGUMENT
            .withDescription("Unsupported value type in a document: " + v.getValueTypeCase())
            .asRuntimeException();
    }
  }

  /** A vector is stored as the map {"__type__": "__vector__", "value": [doubles]}. */
  static boolean isVector(Value v) {
    Map<String, Value> fields = v.getMapValue().getFieldsMap();
    Value type = fields.get("__type__");
    return type != null && "__vector__".equals(type.getStringValue());
  }

  static boolean isNaN(Value v) {
    return v.getValueTypeCase() == Value.ValueTypeCase.DOUBLE_VALUE
        && Double.isNaN(v.getDoubleValue());
  }

  static boolean isNumber(Value v) {
    return v.hasIntegerValue() || v.hasDoubleValue();
  }

  static boolean isNull(Value v) {
    return typeOrder(v) == TypeOrder.NULL;
  }

  /**
   * Firestore's total order: null < boolean < NaN < numbers (int and double compared numerically,
   * -0.0 == 0.0) < timestamp < string (UTF-8 byte order) < bytes < reference (segment-wise) < geo
   * point < array (element-wise, then length) < vector < map (key-sorted, key then value).
   */
  public static int compare(Value a, Value b) {
    TypeOrder ta = typeOrder(a);
    TypeOrder tb = typeOrder(b);
    if (ta != tb) {
      return ta.compareTo(tb);
    }
    switch (ta) {
      case NULL:
        return 0;
      case BOOLEAN:
        return Boolean.compare(a.getBooleanValue(), b.getBooleanValue());
      case NUMBER:
        return compareNumbers(a, b);
      case TIMESTAMP:
        return compareTimestamps(a.getTimestampValue(), b.getTimestampValue());
      case STRING:
        return compareUtf8(a.getStringValue(), b.getStringValue());
      case BYTES:
        return compareBytes(a.getBytesValue(), b.getBytesValue());
      case REFERENCE:
        return compareReferences(a.getReferenceValue(), b.getReferenceValue());
      case GEO_POINT:
        return compareGeoPoints(a.getGeoPointValue(), b.getGeoPointValue());
      case ARRAY:
        return compareArrays(a.getArrayValue().getValuesList(), b.getArrayValue().getValuesList());
      case VECTOR:
        return compareVectors(a, b);
      case MAP:
        return compareMaps(a.getMapValue(), b.getMapValue());
      default:
        throw new IllegalStateException(ta.name());
    }
  }

  /** Equality as `==`/`in`/`array-contains` filters use it (1 == 1.0; NaN never equals NaN). */
  public static boolean equal(Value a, Value b) {
    if (containsNaN(a) || containsNaN(b)) {
      return false;
    }
    return compare(a, b) == 0;
  }

  /**
   * Equality as array transforms use it: like {@link #equal} but NaN equals NaN (write.proto: "NaN
   * is equal to NaN, and Null is equal to Null").
   */
  static boolean equivalent(Value a, Value b) {
    return compare(a, b) == 0;
  }

  private static boolean containsNaN(Value v) {
    switch (v.getValueTypeCase()) {
      case DOUBLE_VALUE:
        return Double.isNaN(v.getDoubleValue());
      case ARRAY_VALUE:
        return v.getArrayValue().getValuesList().stream().anyMatch(Values::containsNaN);
      case MAP_VALUE:
        return v.getMapValue().getFieldsMap().values().stream().anyMatch(Values::containsNaN);
      default:
        return false;
    }
  }

  static int compareNumbers(Value a, Value b) {
    if (a.hasIntegerValue() && b.hasIntegerValue()) {
      return Long.compare(a.getIntegerValue(), b.getIntegerValue());
    }
    if (a.hasDoubleValue() && b.hasDoubleValue()) {
      return compareDoubles(a.getDoubleValue(), b.getDoubleValue());
    }
    if (a.hasIntegerValue()) {
      return -compareDoubleToLong(b.getDoubleValue(), a.getIntegerValue());
    }
    return compareDoubleToLong(a.getDoubleValue(), b.getIntegerValue());
  }

  /** NaN sorts before every number and equals itself; -0.0 equals 0.0. */
  static int compareDoubles(double a, double b) {
    if (Double.isNaN(a)) {
      return Double.isNaN(b) ? 0 : -1;
    }
    if (Double.isNaN(b)) {
      return 1;
    }
    return a < b ? -1 : (a > b ? 1 : 0);
  }

  /** Exact comparison: large longs are not rounded through double. */
  private static int compareDoubleToLong(double d, long l) {
    if (Double.isNaN(d)) {
      return -1;
    }
    if (d < -0x1p63) {
      return -1;
    }
    if (d >= 0x1p63) {
      return 1;
    }
    long truncated = (long) d;
    int c = Long.compare(truncated, l);
    if (c != 0) {
      return c;
    }
    double fraction = d - truncated;
    return fraction > 0 ? 1 : (fraction < 0 ? -1 : 0);
  }

  static int compareTimestamps(Timestamp a, Timestamp b) {
    int c = Long.compare(a.getSeconds(), b.getSeconds());
    return c != 0 ? c : Integer.compare(a.getNanos(), b.getNanos());
  }

  /** Code-point order of Java strings equals the byte order of their UTF-8 encodings. */
  static int compareUtf8(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }

  private static int compareBytes(ByteString a, ByteString b) {
    return ByteString.unsignedLexicographicalComparator().compare(a, b);
  }

  /**
   * Segment by segment; numeric ids ("__id123__", what client SDKs use as the smallest possible id
   * bound) sort before string ids, as in production.
   */
  static int compareReferences(String a, String b) {
    String[] sa = a.split("/", -1);
    String[] sb = b.split("/", -1);
    for (int i = 0; i < Math.min(sa.length, sb.length); i++) {
      int c = compareSegments(sa[i], sb[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(sa.length, sb.length);
  }

  private static int compareSegments(String a, String b) {
    Long na = numericId(a);
    Long nb = numericId(b);
    if (na != null && nb != null) {
      return Long.compare(na, nb);
    }
    if (na != null) {
      return -1;
    }
    if (nb != null) {
      return 1;
    }
    return compareUtf8(a, b);
  }

  private static Long numericId(String segment) {
    if (segment.length() > 6 && segment.startsWith("__id") && segment.endsWith("__")) {
      try {
        return Long.parseLong(segment.substring(4, segment.length() - 2));
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  private static int compareGeoPoints(LatLng a, LatLng b) {
    int c = compareDoubles(a.getLatitude(), b.getLatitude());
    return c != 0 ? c : compareDoubles(a.getLongitude(), b.getLongitude());
  }

  static int compareArrays(List<Value> a, List<Value> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = compare(a.get(i), b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  /** Vectors order by dimension first, then element-wise. */
  private static int compareVectors(Value a, Value b) {
    List<Value> va = vectorValues(a);
    List<Value> vb = vectorValues(b);
    int c = Integer.compare(va.size(), vb.size());
    return c != 0 ? c : compareArrays(va, vb);
  }

  private static List<Value> vectorValues(Value v) {
    Value values = v.getMapValue().getFieldsMap().get("value");
    return values == null ? List.of() : values.getArrayValue().getValuesList();
  }

  private static int compareMaps(MapValue a, MapValue b) {
    List<String> ka = sortedKeys(a);
    List<String> kb = sortedKeys(b);
    for (int i = 0; i < Math.min(ka.size(), kb.size()); i++) {
      int c = compareUtf8(ka.get(i), kb.get(i));
      if (c != 0) {
        return c;
      }
      c = compare(a.getFieldsMap().get(ka.get(i)), b.getFieldsMap().get(kb.get(i)));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(ka.size(), kb.size());
  }

  private static List<String> sortedKeys(MapValue m) {
    List<String> keys = new ArrayList<>(m.getFieldsMap().keySet());
    Collections.sort(keys, Values::compareUtf8);
    return keys;
  }

  static Value ofArray(List<Value> values) {
    return Value.newBuilder().setArrayValue(ArrayValue.newBuilder().addAllValues(values)).build();
  }

  static Value ofInteger(long v) {
    return Value.newBuilder().setIntegerValue(v).build();
  }

  static Value ofDouble(double v) {
    return Value.newBuilder().setDoubleValue(v).build();
  }

  static Value ofReference(String name) {
    return Value.newBuilder().setReferenceValue(name).build();
  }
}
