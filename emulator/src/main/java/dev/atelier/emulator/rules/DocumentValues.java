package dev.atelier.emulator.rules;

import com.google.firestore.v1.Document;
import com.google.firestore.v1.Value;
import dev.atelier.emulator.rules.eval.Times;
import dev.atelier.emulator.rules.eval.Val;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Firestore documents as the rules see them: a resource is the map {@code {__name__: path, id:
 * string, data: map}}; field values become rules values (references become paths from {@code
 * /databases/...}); document names "projects/p/databases/d/documents/a/b" and rules paths convert
 * both ways.
 */
public final class DocumentValues {
  private DocumentValues() {}

  public static Val value(Value v) {
    switch (v.getValueTypeCase()) {
      case NULL_VALUE:
      case VALUETYPE_NOT_SET:
        return Val.NULL;
      case BOOLEAN_VALUE:
        return Val.of(v.getBooleanValue());
      case INTEGER_VALUE:
        return new Val.Int(v.getIntegerValue());
      case DOUBLE_VALUE:
        return new Val.Float(v.getDoubleValue());
      case TIMESTAMP_VALUE:
        return Times.timestamp(
            v.getTimestampValue().getSeconds(), v.getTimestampValue().getNanos());
      case STRING_VALUE:
        return new Val.Str(v.getStringValue());
      case BYTES_VALUE:
        return new Val.Bytes(v.getBytesValue());
      case REFERENCE_VALUE:
        return new Val.PathV(segments(v.getReferenceValue()));
      case GEO_POINT_VALUE:
        return new Val.LatLng(
            v.getGeoPointValue().getLatitude(), v.getGeoPointValue().getLongitude());
      case ARRAY_VALUE:
        {
          List<Val> items = new ArrayList<>();
          for (Value item : v.getArrayValue().getValuesList()) {
            items.add(value(item));
          }
          return new Val.ListV(items);
        }
      case MAP_VALUE:
        return map(v.getMapValue().getFieldsMap());
      default:
        throw new IllegalArgumentException("unsupported value " + v.getValueTypeCase());
    }
  }

  public static Val.MapV map(Map<String, Value> fields) {
    Map<String, Val> entries = new LinkedHashMap<>();
    fields.forEach((k, v) -> entries.put(k, value(v)));
    return new Val.MapV(entries);
  }

  /** The resource value of a stored document. */
  public static Val.MapV resource(Document document) {
    List<String> path = segments(document.getName());
    Map<String, Val> resource = new LinkedHashMap<>();
    resource.put("__name__", new Val.PathV(path));
    resource.put("id", new Val.Str(path.get(path.size() - 1)));
    resource.put("data", map(document.getFieldsMap()));
    return new Val.MapV(resource);
  }

  /** "projects/p/databases/d/documents/a/b" → [databases, d, documents, a, b]. */
  public static List<String> segments(String name) {
    String[] parts = name.split("/", -1);
    int start = parts.length > 2 && parts[0].equals("projects") ? 2 : 0;
    return List.of(parts).subList(start, parts.length);
  }

  /** The project part of a resource name. */
  public static String project(String name) {
    String[] parts = name.split("/", 3);
    return parts.length > 1 && parts[0].equals("projects") ? parts[1] : "";
  }

  /** A rules path to a document name of {@code project}, or null if it names no document. */
  public static String documentName(String project, Val.PathV path) {
    List<String> s = path.segments();
    if (s.size() < 5
        || !s.get(0).equals("databases")
        || !s.get(2).equals("documents")
        || (s.size() - 3) % 2 != 0) {
      return null;
    }
    return "projects/" + project + "/" + String.join("/", s);
  }
}
