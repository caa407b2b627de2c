package dev.atelier.firestore;

/**
 * Document paths (relative, {@code users/u1}) ↔ resource names ({@code projects/…/documents/…}).
 */
final class Paths {
  private Paths() {}

  static String name(String documents, String path) {
    return documents + "/" + checked(path, true);
  }

  /** {@code path} when it names a collection (an odd number of segments). */
  static String collection(String path) {
    return checked(path, false);
  }

  private static String checked(String path, boolean document) {
    String kind = document ? "document" : "collection";
    if (path.isEmpty() || path.startsWith("/") || path.endsWith("/") || path.contains("//")) {
      throw new IllegalArgumentException("not a " + kind + " path: '" + path + "'");
    }
    if ((path.split("/", -1).length % 2 == 0) != document) {
      throw new IllegalArgumentException(
          "not a " + kind + " path (" + (document ? "odd" : "even") + " segments): " + path);
    }
    return path;
  }

  static String relative(String documents, String name) {
    if (!name.startsWith(documents + "/")) {
      throw new IllegalStateException("a document outside this database: " + name);
    }
    return name.substring(documents.length() + 1);
  }
}
