package dev.atelier.storage.emulator;

import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resumable upload sessions. Chunks append in order; a chunk that overlaps bytes already persisted
 * (a client retry) only contributes its new tail. The object is written, with the session's
 * preconditions, when the received size reaches the declared total; after that every PUT answers
 * the finished object again.
 */
final class ResumableUploads {
  /**
   * What a PUT leads to: more bytes wanted (308 with the persisted size) or the finished object.
   */
  sealed interface Progress permits Incomplete, Complete {}

  record Incomplete(long persistedSize) implements Progress {}

  record Complete(StoredObject object) implements Progress {}

  private static final class Session {
    final String bucket;
    final String name;
    final ObjectAttributes attributes;
    final Preconditions preconditions;
    final Optional<String> expectedMd5;

    /** Dropped once the object is written; only {@code finished} is kept to answer late retries. */
    ByteArrayOutputStream received = new ByteArrayOutputStream();

    StoredObject finished;

    Session(
        String bucket,
        String name,
        ObjectAttributes attributes,
        Preconditions preconditions,
        Optional<String> expectedMd5) {
      this.bucket = bucket;
      this.name = name;
      this.attributes = attributes;
      this.preconditions = preconditions;
      this.expectedMd5 = expectedMd5;
    }
  }

  private final ObjectStore store;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();

  ResumableUploads(ObjectStore store) {
    this.store = store;
  }

  String start(
      String bucket,
      String name,
      ObjectAttributes attributes,
      Preconditions preconditions,
      Optional<String> expectedMd5) {
    String id = UUID.randomUUID().toString().replace("-", "");
    sessions.put(id, new Session(bucket, name, attributes, preconditions, expectedMd5));
    return id;
  }

  void cancel(String id) {
    if (sessions.remove(id) == null) {
      throw new GcsException(404, "notFound", "No such upload session: " + id);
    }
  }

  void reset() {
    sessions.clear();
  }

  Progress put(String id, ContentRange range, byte[] chunk) {
    Session session = sessions.get(id);
    if (session == null) {
      throw new GcsException(404, "notFound", "No such upload session: " + id);
    }
    synchronized (session) {
      if (session.finished != null) {
        return new Complete(session.finished);
      }
      append(session, range, chunk);
      long size = session.received.size();
      if (range.total().isPresent() && range.total().getAsLong() == size) {
        byte[] content = session.received.toByteArray();
        session.expectedMd5.ifPresent(md5 -> Uploads.verifyMd5(md5, content));
        session.finished =
            store.put(
                session.bucket, session.name, content, session.attributes, session.preconditions);
        session.received = null;
        return new Complete(session.finished);
      }
      if (range.total().isPresent() && range.total().getAsLong() < size) {
        throw GcsException.invalid(
            "Upload is larger than its declared total " + range.total().getAsLong());
      }
      return new Incomplete(size);
    }
  }

  private static void append(Session session, ContentRange range, byte[] chunk) {
    if (range.first().isEmpty()) {
      return;
    }
    long first = range.first().getAsLong();
    long persisted = session.received.size();
    if (range.last().getAsLong() - first + 1 != chunk.length) {
      throw GcsException.invalid(
          "Content-Range length does not match the body length " + chunk.length);
    }
    if (first > persisted) {
      throw new GcsException(
          400,
          "invalid",
          "Chunk starts at " + first + " but only " + persisted + " bytes were persisted");
    }
    int skip = (int) (persisted - first);
    if (skip < chunk.length) {
      session.received.write(chunk, skip, chunk.length - skip);
    }
  }
}
