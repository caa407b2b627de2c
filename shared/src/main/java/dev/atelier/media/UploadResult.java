package dev.atelier.media;

/**
 * What an upload did. A retried upload of the same bytes is {@link AlreadyStored}, never a second
 * object.
 */
public sealed interface UploadResult {
  StoredMedia media();

  /** This call wrote the object. */
  record Uploaded(StoredMedia media) implements UploadResult {}

  /** An earlier attempt already stored these exact bytes at this path; nothing was written. */
  record AlreadyStored(StoredMedia media) implements UploadResult {}

  /** Different bytes already live at this path; they were left as they are. */
  record Conflict(StoredMedia media) implements UploadResult {}
}
