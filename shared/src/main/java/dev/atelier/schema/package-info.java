/**
 * The stored schema: {@link dev.atelier.schema.Schema}, the one table from each {@link
 * dev.atelier.store.DocumentKind} to its record and codec, with the codecs of every collection
 * ({@code *Mapping}, spelled as the seeds spell each collection's fields) and the typed field
 * access they share. Nothing depends on this package at compile time: it is installed into the
 * store package through {@code META-INF/services}.
 */
package dev.atelier.schema;
