package dev.atelier.schema;

import dev.atelier.store.MappingException;
import dev.atelier.store.WireEnum;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Typed, checked access to the fields of one stored (possibly nested) object. A required field that
 * is missing or of the wrong type is a {@link MappingException} naming the document and the field.
 */
final class DocReader {
  private final String where;
  private final Map<String, Object> fields;

  DocReader(String where, Map<String, Object> fields) {
    this.where = where;
    this.fields = fields == null ? Map.of() : fields;
  }

  /** Whether the field holds a string (for fields whose stored shape changed over time). */
  boolean isString(String field) {
    return fields.get(field) instanceof String;
  }

  String str(String field) {
    return required(field, optStr(field));
  }

  String optStr(String field) {
    return typed(field, String.class, "a string");
  }

  long lng(String field) {
    return required(field, optLng(field));
  }

  /** Integers; a double holding a whole number (as the console may write it) is accepted too. */
  Long optLng(String field) {
    Object v = fields.get(field);
    if (v == null) {
      return null;
    }
    if (v instanceof Long l) {
      return l;
    }
    if (v instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
      return d.longValue();
    }
    throw wrongType(field, "an integer", v);
  }

  long lngOr(String field, long fallback) {
    Long v = optLng(field);
    return v == null ? fallback : v;
  }

  double dbl(String field) {
    return required(field, optDbl(field));
  }

  Double optDbl(String field) {
    Object v = fields.get(field);
    if (v == null) {
      return null;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    throw wrongType(field, "a number", v);
  }

  boolean bool(String field) {
    return required(field, optBool(field));
  }

  boolean boolOr(String field, boolean fallback) {
    Boolean v = optBool(field);
    return v == null ? fallback : v;
  }

  Boolean optBool(String field) {
    return typed(field, Boolean.class, "a boolean");
  }

  Instant instant(String field) {
    return required(field, optInstant(field));
  }

  /** A timestamp; an ISO-8601 string (as older documents store some times) is accepted too. */
  Instant optInstant(String field) {
    Object v = fields.get(field);
    if (v == null) {
      return null;
    }
    if (v instanceof Instant t) {
      return t;
    }
    if (v instanceof String s) {
      try {
        return Instant.parse(s);
      } catch (DateTimeParseException e) {
        throw wrongType(field, "a timestamp", v);
      }
    }
    throw wrongType(field, "a timestamp", v);
  }

  <E extends Enum<E> & WireEnum> E enm(String field, Class<E> type) {
    return required(field, optEnm(field, type));
  }

  <E extends Enum<E> & WireEnum> E optEnm(String field, Class<E> type) {
    String v = optStr(field);
    if (v == null) {
      return null;
    }
    try {
      return WireEnum.fromWire(type, v);
    } catch (IllegalArgumentException e) {
      throw new MappingException(where + ": field '" + field + "': " + e.getMessage());
    }
  }

  /** A list of strings; missing means empty. */
  List<String> strings(String field) {
    List<Object> raw = list(field);
    List<String> out = new ArrayList<>(raw.size());
    for (Object o : raw) {
      if (!(o instanceof String s)) {
        throw wrongType(field, "a list of strings", raw);
      }
      out.add(s);
    }
    return out;
  }

  /** A list of integers; missing means empty. */
  List<Long> longs(String field) {
    List<Object> raw = list(field);
    List<Long> out = new ArrayList<>(raw.size());
    for (Object o : raw) {
      if (o instanceof Long l) {
        out.add(l);
      } else if (o instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
        out.add(d.longValue());
      } else {
        throw wrongType(field, "a list of integers", raw);
      }
    }
    return out;
  }

  /**
   * A map kept as the client returns it (Long, Double, String, Timestamp, nested maps…); missing
   * means empty.
   */
  Map<String, Object> rawMap(String field) {
    Map<String, Object> m = optRawMap(field);
    return m == null ? Map.of() : m;
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> optRawMap(String field) {
    Object v = fields.get(field);
    if (v == null) {
      return null;
    }
    if (v instanceof Map<?, ?> m) {
      return new LinkedHashMap<>((Map<String, Object>) m);
    }
    throw wrongType(field, "a map", v);
  }

  /** A required nested object read by {@code read}. */
  <T> T requiredObject(String field, Function<DocReader, T> read) {
    return required(field, object(field, read));
  }

  /** A required nested object, to read its fields. */
  DocReader nested(String field) {
    return requiredObject(field, r -> r);
  }

  /** A nested object read by {@code read}, or null when the field is missing. */
  <T> T object(String field, Function<DocReader, T> read) {
    Map<String, Object> m = optRawMap(field);
    return m == null ? null : read.apply(new DocReader(where + "." + field, m));
  }

  /** A list of nested objects; missing means empty. */
  @SuppressWarnings("unchecked")
  <T> List<T> objects(String field, Function<DocReader, T> read) {
    List<Object> raw = list(field);
    List<T> out = new ArrayList<>(raw.size());
    for (int i = 0; i < raw.size(); i++) {
      if (!(raw.get(i) instanceof Map<?, ?> m)) {
        throw wrongType(field + "[" + i + "]", "a map", raw.get(i));
      }
      out.add(
          read.apply(new DocReader(where + "." + field + "[" + i + "]", (Map<String, Object>) m)));
    }
    return out;
  }

  /** A map of nested objects keyed by name; missing means empty. */
  @SuppressWarnings("unchecked")
  <T> Map<String, T> objectMap(String field, Function<DocReader, T> read) {
    Map<String, T> out = new LinkedHashMap<>();
    rawMap(field)
        .forEach(
            (k, v) -> {
              if (!(v instanceof Map<?, ?> m)) {
                throw wrongType(field + "." + k, "a map", v);
              }
              out.put(
                  k,
                  read.apply(
                      new DocReader(where + "." + field + "." + k, (Map<String, Object>) m)));
            });
    return out;
  }

  @SuppressWarnings("unchecked")
  private List<Object> list(String field) {
    Object v = fields.get(field);
    if (v == null) {
      return List.of();
    }
    if (v instanceof List<?> l) {
      return (List<Object>) l;
    }
    throw wrongType(field, "a list", v);
  }

  private <T> T typed(String field, Class<T> type, String expected) {
    Object v = fields.get(field);
    if (v == null) {
      return null;
    }
    if (!type.isInstance(v)) {
      throw wrongType(field, expected, v);
    }
    return type.cast(v);
  }

  private <T> T required(String field, T value) {
    if (value == null) {
      throw new MappingException(where + ": required field '" + field + "' is missing");
    }
    return value;
  }

  private MappingException wrongType(String field, String expected, Object actual) {
    return new MappingException(
        where
            + ": field '"
            + field
            + "' must be "
            + expected
            + " but is "
            + actual.getClass().getSimpleName()
            + " "
            + actual);
  }
}
