/**
 * Firestore trigger delivery as 2nd-gen Eventarc does it: each committed document change becomes a
 * binary-mode CloudEvent carrying a protobuf {@code DocumentEventData}, POSTed to every function whose
 * manifest pattern and event type match, redelivered with backoff when the function answers non-2xx.
 */
package dev.atelier.local.events;
