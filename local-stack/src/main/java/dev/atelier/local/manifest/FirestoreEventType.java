package dev.atelier.local.manifest;

import java.util.Arrays;

/** The 2nd-gen Firestore event types; {@link #WRITTEN} matches every kind of change. */
public enum FirestoreEventType {
    WRITTEN, CREATED, UPDATED, DELETED;

    private static final String PREFIX = "google.cloud.firestore.document.v1.";

    public String ceType() {
        return PREFIX + name().toLowerCase();
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
