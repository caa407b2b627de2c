package dev.atelier.firestore;

/**
 * Values that are not data but instructions to the server, placed in a write's fields: the server's
 * time, an increment, or (in an update or a merge) the field's removal.
 */
public sealed interface FieldValue {

  /** The commit's time, set by the server. */
  static FieldValue serverTimestamp() {
    return ServerTimestamp.INSTANCE;
  }

  /** Removes the field (update and merge only). */
  static FieldValue delete() {
    return Delete.INSTANCE;
  }

  /** Adds {@code by} to the field's number on the server (a missing field counts as 0). */
  static FieldValue increment(long by) {
    return new Increment(by);
  }

  /** Adds {@code by} to the field's number on the server (a missing field counts as 0). */
  static FieldValue increment(double by) {
    return new Increment(by);
  }

  enum ServerTimestamp implements FieldValue {
    INSTANCE
  }

  enum Delete implements FieldValue {
    INSTANCE
  }

  /** {@code by} is a Long or a Double. */
  record Increment(Number by) implements FieldValue {}
}
