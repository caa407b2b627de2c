/**
 * A local stand-in for Google Cloud Storage that speaks the JSON API subset {@code
 * google-cloud-storage} uses (simple, multipart and resumable uploads, metadata, media download,
 * list, delete, generation preconditions), so production storage code runs unchanged against
 * 127.0.0.1, and Firebase Storage's token download endpoint {@code
 * /v0/b/{bucket}/o/{name}?alt=media&token=T} that media URLs point at. In memory; dev and test
 * only. {@link dev.atelier.storage.emulator.StorageEmulator} is the only public entry point.
 */
package dev.atelier.storage.emulator;
