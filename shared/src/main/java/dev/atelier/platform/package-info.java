/**
 * Runtime plumbing shared by every function: the {@link dev.atelier.platform.Config} record read
 * once from the environment, Firestore/Firebase client factories that honour the emulator
 * variables, the Cloud Logging JSON line logger, which failures are {@link
 * dev.atelier.platform.Transient} (worth a retry), and the Firestore trigger runner: {@link
 * dev.atelier.platform.FirestoreEvent} decodes an Eventarc event, {@link
 * dev.atelier.platform.FirestoreTrigger} filters it and runs a function's handler, throwing only
 * when Eventarc should redeliver. No business rules live here.
 */
package dev.atelier.platform;
