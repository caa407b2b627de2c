package dev.atelier.firestore;

/**
 * Document paths (relative, {@code users/u1}) ↔ resource names ({@code projects/…/documents/…}).
 */
final class Paths {
  private Paths() {}

  static String name(String documents, String path) {
    if (path.isEmpty() || path.startsWith("/") || path.endsWith("/") || path.contains("//")) {
      throw new IllegalArgumentException("not a document path: '" + path + "'");
    }
    if (path.split("/", -1).length % 2 != 0) {
      throw new IllegalArgumentException("not a document path (odd segments): " + path);
    }
    return documents + "/" + path;
  }

  static String relative(String documents, String name) {
    if (!name.startsWith(documents + "/")) {
      throw new IllegalStateException("a document outside this database: " + name);
    }
    return name.substring(documents.length() + 1);
  }
}
