package dev.atelier.local.manifest;

/** How a function is invoked: plain HTTPS, a Firestore document event, or a Cloud Scheduler job. */
public sealed interface Trigger {

    record Http() implements Trigger {}

    /** A Firestore event ({@code google.cloud.firestore.document.v1.*}) on documents matching a pattern. */
    record FirestoreEvent(FirestoreEventType type, DocumentPattern document) implements Trigger {}

    /** A unix-cron schedule evaluated in an IANA time zone, as Cloud Scheduler does. */
    record Schedule(String cron, String timeZone) implements Trigger {}
}
