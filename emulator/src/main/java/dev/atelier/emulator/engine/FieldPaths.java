package dev.atelier.emulator.engine;

import com.google.firestore.v1.MapValue;
import com.google.firestore.v1.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Field paths as the v1 API spells them: dot-separated segments, a segment that is not a simple
 * identifier quoted in backticks (with {@code \`} and {@code \\} escapes inside), e.g. {@code
 * a.`my.field`.b}. Reads and edits nested map values by path.
 */
final class FieldPaths {
  private FieldPaths() {}

  static final String DOCUMENT_ID = "__name__";

  private static final int CACHE_LIMIT = 10_000;
  private static final Map<String, List<String>> PARSED = new ConcurrentHashMap<>();

  /** Parsed once per distinct path: queries evaluate the same few paths for every document. */
  static List<String> parse(String path) {
    List<String> cached = PARSED.get(path);
    if (cached != null) {
      return cached;
    }
    List<String> parsed = parseUncached(path);
    if (PARSED.size() >= CACHE_LIMIT) {
      PARSED.clear();
    }
    PARSED.put(path, parsed);
    return parsed;
  }

  private static List<String> parseUncached(String path) {
    if (path.isEmpty()) {
      throw invalid("Field path must not be empty");
    }
    List<String> segments = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    boolean segmentWasQuoted = false;
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (quoted) {
        if (c == '\\') {
          if (i + 1 >= path.length()) {
            throw invalid("Invalid field path: " + path);
          }
          current.append(path.charAt(++i));
        } else if (c == '`') {
          quoted = false;
        } else {
          current.append(c);
        }
      } else if (c == '`') {
        quoted = true;
        segmentWasQuoted = true;
      } else if (c == '.') {
        addSegment(segments, current, segmentWasQuoted, path);
        current.setLength(0);
        segmentWasQuoted = false;
      } else {
        current.append(c);
      }
    }
    if (quoted) {
      throw invalid("Invalid field path (unterminated backtick): " + path);
    }
    addSegment(segments, current, segmentWasQuoted, path);
    return List.copyOf(segments);
  }

  private static void addSegment(
      List<String> segments, StringBuilder s, boolean quoted, String path) {
    if (s.length() == 0 && !quoted) {
      throw invalid("Invalid field path (empty segment): " + path);
    }
    segments.add(s.toString());
  }

  /** The canonical spelling: simple identifiers bare, other segments in backticks. */
  static String canonical(List<String> segments) {
    StringBuilder sb = new StringBuilder();
    for (String s : segments) {
      if (sb.length() > 0) {
        sb.append('.');
      }
      if (s.matches("[A-Za-z_][A-Za-z_0-9]*")) {
        sb.append(s);
      } else {
        sb.append('`').append(s.replace("\\", "\\\\").replace("`", "\\`")).append('`');
      }
    }
    return sb.toString();
  }

  static String canonical(String path) {
    return canonical(parse(path));
  }

  /** Lexicographic segment-wise order of field paths (for implicit orderings). */
  static int compare(List<String> a, List<String> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = Values.compareUtf8(a.get(i), b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  static Optional<Value> get(Map<String, Value> fields, List<String> path) {
    Map<String, Value> level = fields;
    for (int i = 0; i < path.size(); i++) {
      Value v = level.get(path.get(i));
      if (v == null) {
        return Optional.empty();
      }
      if (i == path.size() - 1) {
        return Optional.of(v);
      }
      if (!v.hasMapValue()) {
        return Optional.empty();
      }
      level = v.getMapValue().getFieldsMap();
    }
    return Optional.empty();
  }

  /**
   * Sets {@code path} in a mutable field map, creating intermediate maps and replacing non-map
   * intermediates.
   */
  static void set(Map<String, Value> fields, List<String> path, Value value) {
    String head = path.get(0);
    if (path.size() == 1) {
      fields.put(head, value);
      return;
    }
    Value existing = fields.get(head);
    Map<String, Value> child =
        existing != null && existing.hasMapValue()
            ? new LinkedHashMap<>(existing.getMapValue().getFieldsMap())
            : new LinkedHashMap<>();
    set(child, path.subList(1, path.size()), value);
    fields.put(head, mapValue(child));
  }

  /** Removes {@code path} from a mutable field map; absent paths are left alone. */
  static void delete(Map<String, Value> fields, List<String> path) {
    String head = path.get(0);
    if (path.size() == 1) {
      fields.remove(head);
      return;
    }
    Value existing = fields.get(head);
    if (existing == null || !existing.hasMapValue()) {
      return;
    }
    Map<String, Value> child = new LinkedHashMap<>(existing.getMapValue().getFieldsMap());
    delete(child, path.subList(1, path.size()));
    fields.put(head, mapValue(child));
  }

  static Value mapValue(Map<String, Value> fields) {
    return Value.newBuilder().setMapValue(MapValue.newBuilder().putAllFields(fields)).build();
  }

  private static RuntimeException invalid(String message) {
    return io.grpc.Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }
}
