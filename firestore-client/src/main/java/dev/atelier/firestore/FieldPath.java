package dev.atelier.firestore;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A field's path as segments, for field names that may hold dots or other characters (a map keyed
 * by ids); {@link #parse} reads the usual dotted form. {@link #canonical} is the wire form: simple
 * segments as they are, others quoted in backticks.
 */
public record FieldPath(List<String> segments) {
  private static final Pattern SIMPLE = Pattern.compile("[a-zA-Z_][a-zA-Z_0-9]*");
  static final String DOCUMENT_ID = "__name__";

  public FieldPath {
    segments = List.copyOf(segments);
    if (segments.isEmpty() || segments.stream().anyMatch(String::isEmpty)) {
      throw new IllegalArgumentException("a field path needs non-empty segments: " + segments);
    }
  }

  public static FieldPath of(String... segments) {
    return new FieldPath(List.of(segments));
  }

  /** {@code a.b.c} as three segments. */
  public static FieldPath parse(String dotted) {
    return new FieldPath(List.of(dotted.split("\\.", -1)));
  }

  /** The document's id (its name), for ordering and cursors. */
  public static FieldPath documentId() {
    return new FieldPath(List.of(DOCUMENT_ID));
  }

  FieldPath append(String segment) {
    List<String> s = new ArrayList<>(segments);
    s.add(segment);
    return new FieldPath(s);
  }

  boolean isDocumentId() {
    return segments.size() == 1 && segments.get(0).equals(DOCUMENT_ID);
  }

  public String canonical() {
    StringBuilder out = new StringBuilder();
    for (String s : segments) {
      if (out.length() > 0) {
        out.append('.');
      }
      if (SIMPLE.matcher(s).matches() || s.equals(DOCUMENT_ID)) {
        out.append(s);
      } else {
        out.append('`').append(s.replace("\\", "\\\\").replace("`", "\\`")).append('`');
      }
    }
    return out.toString();
  }

  // equals and hashCode written out: a record's generated ones bootstrap java.lang.runtime
  // ObjectMethods on first use, ~12 ms of method handles on a cold instance's first update
  // (bench/README, tenth series).
  @Override
  public boolean equals(Object o) {
    return o instanceof FieldPath other && segments.equals(other.segments);
  }

  @Override
  public int hashCode() {
    return segments.hashCode();
  }

  @Override
  public String toString() {
    return canonical();
  }
}
