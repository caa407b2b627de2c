/**
 * Runtime plumbing shared by every function: the {@link dev.atelier.platform.Config} record read once
 * from the environment, Firestore/Firebase client factories that honour the emulator variables, the
 * Cloud Logging JSON line logger and the clock. No business rules live here.
 */
package dev.atelier.platform;
