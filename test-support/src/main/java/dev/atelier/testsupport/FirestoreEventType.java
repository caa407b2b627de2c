package dev.atelier.testsupport;

import java.util.Arrays;
import java.util.Locale;

/**
 * The 2nd-gen Firestore event types ({@code google.cloud.firestore.document.v1.*}): what a trigger
 * subscribes to (the manifest's {@code type}) and what a change fires. {@link #WRITTEN} matches
 * every kind of change; a change itself is CREATED, UPDATED or DELETED ({@link
 * FirestoreEvents#eventType}).
 */
public enum FirestoreEventType {
  WRITTEN,
  CREATED,
  UPDATED,
  DELETED;

  private static final String PREFIX = "google.cloud.firestore.document.v1.";

  /** The CloudEvent {@code type}, e.g. {@code google.cloud.firestore.document.v1.written}. */
  public String ceType() {
    return PREFIX + name().toLowerCase(Locale.ROOT);
  }

  public static FirestoreEventType fromCeType(String ceType) {
    return Arrays.stream(values())
        .filter(t -> t.ceType().equals(ceType))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown Firestore event type " + ceType));
  }

  /** Whether a function subscribed to this type receives a change of the given kind. */
  public boolean accepts(FirestoreEventType change) {
    return this == WRITTEN || this == change;
  }
}
