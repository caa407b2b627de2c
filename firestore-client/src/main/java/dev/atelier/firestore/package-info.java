/**
 * Our Firestore client: the Firestore v1 gRPC API ({@code google.firestore.v1.Firestore}) spoken
 * directly over gRPC-Java, without google-cloud-firestore, gax or the protobuf runtime. It owns
 * what the services need of a database and nothing more: reading documents (alone, in batches, by
 * query, counted), read-write transactions with retries, batched writes, and the conversion between
 * Firestore's {@code Value} and the Java values the store's codecs take ({@code Long}, {@code
 * Double}, {@code String}, {@code Boolean}, {@code java.time.Instant}, {@code Map}, {@code List}).
 *
 * <p>Why not the official client: building it and its first calls load ~800 classes (gax's settings
 * and callables, google-cloud-core, the client's own) that a cold start pays for; the same requests
 * spoken directly start redeem-code ~15 % sooner (bench/README, eighth series). The wire requests
 * are the official client's (same methods, headers, transaction protocol), so the emulator and
 * production see no difference.
 *
 * <p>Why no protobuf runtime: the generated Firestore messages, protobuf's runtime and the
 * descriptors that parsing a document's map fields needs are ~400 classes more at a cold start. The
 * few messages we send and read are small, so {@code ProtoWriter} and {@code ProtoReader} encode
 * and read the wire format directly; {@code Proto} names every field number, and a test holds each
 * message to the generated classes' encoding.
 */
package dev.atelier.firestore;
