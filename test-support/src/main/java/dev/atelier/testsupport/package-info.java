/**
 * Helpers for tests of functions: a loopback HTTP host that serves an {@code HttpFunction} over
 * real HTTP, Firebase Auth emulator-format ID tokens (good and bad), and the one builder of
 * Firestore CloudEvents, {@link dev.atelier.testsupport.FirestoreEvents}: Eventarc's rules for a
 * committed change (which {@link dev.atelier.testsupport.FirestoreEventType} it fires, if any; its
 * DocumentEventData with the update mask of the changed fields) and the events in the protobuf
 * (deployed) and JSON (Functions Framework conversion) forms. The local stack delivers its triggers
 * with that same builder, which is why it takes this module at compile scope.
 */
package dev.atelier.testsupport;
