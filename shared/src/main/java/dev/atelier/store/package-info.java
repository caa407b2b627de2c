/**
 * Persistence vocabulary shared by every function. {@link dev.atelier.store.DocumentKind} is the
 * one table of stored documents (path template, record, codec); {@link
 * dev.atelier.store.FirestorePaths} builds every collection and document path from it and parses
 * document paths (e.g. of trigger events) back into a {@link dev.atelier.store.DocumentKey}; {@link
 * dev.atelier.store.Documents} encodes records to write maps (with {@code schemaVersion}, optional
 * server timestamps) and decodes snapshots to records; {@link dev.atelier.store.FirestoreValues}
 * converts single values for partial updates. Field names live on each record's nested {@code
 * Field} class; the codecs are package-private.
 */
package dev.atelier.store;
