package dev.atelier.emulator;

import com.google.firestore.v1.Document;
import com.google.firestore.v1.DocumentMask;
import com.google.firestore.v1.MapValue;
import com.google.firestore.v1.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Applies a read mask (DocumentMask) to a document: only the listed field paths are returned. */
final class Projection {
  private Projection() {}

  static Document project(Document document, DocumentMask mask) {
    Document.Builder projected = document.toBuilder().clearFields();
    for (String path : mask.getFieldPathsList()) {
      copy(document.getFieldsMap(), segments(path), 0, projected.getFieldsMap(), projected::putFields);
    }
    return projected.build();
  }

  private interface Sink {
    void put(String key, Value value);
  }

  private static void copy(
      Map<String, Value> from, List<String> path, int index, Map<String, Value> into, Sink sink) {
    Value value = from.get(path.get(index));
    if (value == null) {
      return;
    }
    String key = path.get(index);
    if (index == path.size() - 1) {
      sink.put(key, value);
      return;
    }
    if (!value.hasMapValue()) {
      return;
    }
    Value existing = into.get(key);
    MapValue.Builder child =
        existing != null && existing.hasMapValue() ? existing.getMapValue().toBuilder() : MapValue.newBuilder();
    copy(value.getMapValue().getFieldsMap(), path, index + 1, child.getFieldsMap(), child::putFields);
    sink.put(key, Value.newBuilder().setMapValue(child).build());
  }

  /** Splits a field path on dots outside backtick-quoted segments. */
  private static List<String> segments(String path) {
    List<String> segments = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '\\' && quoted && i + 1 < path.length()) {
        current.append(path.charAt(++i));
      } else if (c == '`') {
        quoted = !quoted;
      } else if (c == '.' && !quoted) {
        segments.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    segments.add(current.toString());
    return segments;
  }
}
