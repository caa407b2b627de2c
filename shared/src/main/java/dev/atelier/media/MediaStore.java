package dev.atelier.media;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.Storage.BlobWriteOption;
import com.google.cloud.storage.StorageException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Uploads generated media to the media bucket, create-if-absent ({@code ifGenerationMatch=0}), so a retried
 * webhook never writes an object twice and never overwrites one: a 412 is resolved by comparing MD5s.
 */
public final class MediaStore {
  /** Must be a multiple of 256 KiB (the resumable protocol's unit). Above it, media goes up in resumable chunks. */
  static final int DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024;
  private static final int PRECONDITION_FAILED = 412;

  private final Storage storage;
  private final MediaConfig config;
  private final int chunkSize;

  public MediaStore(Storage storage, MediaConfig config) {
    this(storage, config, DEFAULT_CHUNK_SIZE);
  }

  MediaStore(Storage storage, MediaConfig config, int chunkSize) {
    this.storage = storage;
    this.config = config;
    this.chunkSize = chunkSize;
  }

  /** Stores {@code bytes} at {@code path} with the format's content type and the given custom metadata. */
  public UploadResult upload(MediaPath path, byte[] bytes, Map<String, String> metadata) {
    BlobInfo info = BlobInfo.newBuilder(BlobId.of(config.bucket(), path.objectName()))
        .setContentType(path.format().contentType())
        .setMetadata(metadata)
        .build();
    try {
      return new UploadResult.Uploaded(toMedia(write(info, bytes)));
    } catch (StorageException e) {
      if (e.getCode() != PRECONDITION_FAILED) {
        throw e;
      }
      Blob existing = storage.get(info.getBlobId());
      if (existing == null) {
        throw e; // deleted since the precondition failed: transient, the caller's retry uploads it
      }
      StoredMedia media = toMedia(existing);
      return md5(bytes).equals(existing.getMd5())
          ? new UploadResult.AlreadyStored(media)
          : new UploadResult.Conflict(media);
    }
  }

  /** The browser URL of an object in the media bucket (the local server serves the same path shape as GCS). */
  public String publicUrl(String storagePath) {
    return config.publicBaseUrl() + "/" + config.bucket() + "/" + storagePath;
  }

  private Blob write(BlobInfo info, byte[] bytes) {
    if (bytes.length <= chunkSize) {
      return storage.create(info, bytes, BlobTargetOption.doesNotExist());
    }
    try {
      return storage.createFrom(info, new ByteArrayInputStream(bytes), chunkSize, BlobWriteOption.doesNotExist());
    } catch (IOException e) {
      throw new UncheckedIOException("resumable upload of " + info.getName() + " failed", e);
    }
  }

  private StoredMedia toMedia(Blob blob) {
    Map<String, String> metadata = new HashMap<>();
    if (blob.getMetadata() != null) {
      blob.getMetadata().forEach((key, value) -> {
        if (value != null) {
          metadata.put(key, value);
        }
      });
    }
    return new StoredMedia(blob.getName(), publicUrl(blob.getName()), blob.getContentType(), blob.getSize(),
        blob.getGeneration(), blob.getMd5(), Map.copyOf(metadata));
  }

  private static String md5(byte[] bytes) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is required by every JDK", e);
    }
  }
}
