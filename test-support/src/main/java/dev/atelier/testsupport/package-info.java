/**
 * Helpers for tests of functions: a loopback HTTP host that serves an {@code HttpFunction} over real
 * HTTP, Firebase Auth emulator-format ID tokens (good and bad), and Firestore CloudEvents in the
 * protobuf (deployed) and JSON (Functions Framework conversion) forms.
 */
package dev.atelier.testsupport;
