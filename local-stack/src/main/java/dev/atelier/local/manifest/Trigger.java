package dev.atelier.local.manifest;

import dev.atelier.testsupport.FirestoreEventType;

/** How a function is invoked: plain HTTPS, a Firestore document event, or a Cloud Scheduler job. */
public sealed interface Trigger {

  /** One line for people reading the stack's start-up summary. */
  String describe();

  record Http() implements Trigger {
    @Override
    public String describe() {
      return "HTTP";
    }
  }

  /**
   * A Firestore event ({@code google.cloud.firestore.document.v1.*}) on documents matching a
   * pattern.
   */
  record FirestoreEvent(FirestoreEventType type, DocumentPattern document) implements Trigger {
    @Override
    public String describe() {
      return type.name().toLowerCase() + " " + document;
    }
  }

  /** A unix-cron schedule evaluated in an IANA time zone, as Cloud Scheduler does. */
  record Schedule(String cron, String timeZone) implements Trigger {
    @Override
    public String describe() {
      return "cron '" + cron + "' " + timeZone;
    }
  }
}
