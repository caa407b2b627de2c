/**
 * The one-command local system: {@link dev.atelier.local.LocalStack} starts the emulators, seeds
 * the catalog, runs every manifest function on the Functions Framework invoker, delivers Firestore
 * triggers and schedules, and serves everything on one loopback front port.
 */
package dev.atelier.local;
