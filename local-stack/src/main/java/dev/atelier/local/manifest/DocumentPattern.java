package dev.atelier.local.manifest;

import java.util.List;

/**
 * An Eventarc document path pattern such as {@code credits/{uid}/ledger/{entryId}}: literal
 * segments and single-segment wildcards, matched against a document path relative to {@code
 * documents/}.
 */
public record DocumentPattern(String pattern) {

  public DocumentPattern {
    List<String> segments = List.of(pattern.split("/", -1));
    if (segments.size() % 2 != 0 || segments.stream().anyMatch(String::isEmpty)) {
      throw new IllegalArgumentException(
          "not a document pattern (collection/doc pairs): " + pattern);
    }
  }

  public boolean matches(String documentPath) {
    String[] want = pattern.split("/");
    String[] have = documentPath.split("/");
    if (want.length != have.length) {
      return false;
    }
    for (int i = 0; i < want.length; i++) {
      if (!isWildcard(want[i]) && !want[i].equals(have[i])) {
        return false;
      }
    }
    return true;
  }

  private static boolean isWildcard(String segment) {
    return segment.startsWith("{") && segment.endsWith("}");
  }

  @Override
  public String toString() {
    return pattern;
  }
}
