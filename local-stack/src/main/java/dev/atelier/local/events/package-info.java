/**
 * Firestore trigger delivery as 2nd-gen Eventarc does it: each committed document change that
 * changed something becomes a binary-mode CloudEvent carrying a protobuf {@code DocumentEventData}
 * (both built by test-support's {@code FirestoreEvents}, shared with the function tests), POSTed to
 * every function whose manifest pattern and event type match, redelivered with backoff when the
 * function answers non-2xx.
 */
package dev.atelier.local.events;
