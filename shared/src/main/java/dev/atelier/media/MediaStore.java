package dev.atelier.media;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.Storage.BlobWriteOption;
import com.google.cloud.storage.StorageException;
import dev.atelier.platform.InstanceStart;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Uploads generated media to the media bucket, create-if-absent ({@code ifGenerationMatch=0}), so a
 * retried webhook never writes an object twice and never overwrites one: a 412 is resolved by
 * comparing MD5s.
 *
 * <p>The bucket is private: every object carries a Firebase download token (a random UUID in its
 * custom metadata {@value #DOWNLOAD_TOKENS}) and its URL is the Firebase download URL with that
 * token, unguessable and revocable by rotating the token.
 */
public final class MediaStore {
  /**
   * The custom metadata key Firebase Storage reads download tokens from (a comma-separated list).
   */
  public static final String DOWNLOAD_TOKENS = "firebaseStorageDownloadTokens";

  /**
   * Must be a multiple of 256 KiB (the resumable protocol's unit). Above it, media goes up in
   * resumable chunks.
   */
  static final int DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024;

  private static final int PRECONDITION_FAILED = 412;
  private static final String UNRESERVED =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

  private final Supplier<Storage> client;
  private final MediaConfig config;
  private final int chunkSize;

  public MediaStore(Storage storage, MediaConfig config) {
    this(() -> storage, config, DEFAULT_CHUNK_SIZE);
  }

  MediaStore(Storage storage, MediaConfig config, int chunkSize) {
    this(() -> storage, config, chunkSize);
  }

  private MediaStore(Supplier<Storage> client, MediaConfig config, int chunkSize) {
    this.client = client;
    this.config = config;
    this.chunkSize = chunkSize;
  }

  /**
   * A store whose Storage client another thread is building (an instance's start-up): its calls
   * wait for the client, and fail as its build failed.
   */
  public static MediaStore deferred(CompletableFuture<Storage> building, MediaConfig config) {
    return new MediaStore(() -> InstanceStart.join(building), config, DEFAULT_CHUNK_SIZE);
  }

  private Storage storage() {
    return client.get();
  }

  /**
   * Stores {@code bytes} at {@code path} with the format's content type, the given custom metadata
   * and a new download token (a token the caller passes is replaced). When the object already
   * exists nothing is written and the result describes the existing object, with its own token.
   */
  public UploadResult upload(MediaPath path, byte[] bytes, Map<String, String> metadata) {
    Map<String, String> withToken = new HashMap<>(metadata);
    withToken.put(DOWNLOAD_TOKENS, UUID.randomUUID().toString());
    BlobInfo info =
        BlobInfo.newBuilder(BlobId.of(config.bucket(), path.objectName()))
            .setContentType(path.format().contentType())
            .setMetadata(withToken)
            .build();
    try {
      return new UploadResult.Uploaded(toMedia(write(info, bytes)));
    } catch (StorageException e) {
      if (e.getCode() != PRECONDITION_FAILED) {
        throw e;
      }
      Blob existing = storage().get(info.getBlobId());
      if (existing == null) {
        throw e; // deleted since the precondition failed: transient, the caller's retry uploads it
      }
      StoredMedia media = toMedia(withDownloadToken(existing));
      return md5(bytes).equals(existing.getMd5())
          ? new UploadResult.AlreadyStored(media)
          : new UploadResult.Conflict(media);
    }
  }

  /**
   * Deletes the object at {@code storagePath} in the media bucket (media of a generation cancelled
   * after its upload, or purged after soft deletion). Idempotent: false when there was nothing to
   * delete.
   */
  public boolean delete(String storagePath) {
    if (storagePath == null || storagePath.isBlank()) {
      throw new IllegalArgumentException("storagePath is required");
    }
    return storage().delete(BlobId.of(config.bucket(), storagePath));
  }

  /**
   * The Firebase download URL of an object: {@code
   * https://firebasestorage.googleapis.com/v0/b/{bucket}/o/{name} ?alt=media&token={token}} with
   * the name percent-encoded ('/' as %2F), or the same path on the local storage server when one is
   * configured.
   */
  public String downloadUrl(String storagePath, String token) {
    return config.downloadBaseUrl()
        + "/v0/b/"
        + encode(config.bucket())
        + "/o/"
        + encode(storagePath)
        + "?alt=media&token="
        + encode(token);
  }

  private Blob write(BlobInfo info, byte[] bytes) {
    if (bytes.length <= chunkSize) {
      return storage().create(info, bytes, BlobTargetOption.doesNotExist());
    }
    try {
      return storage()
          .createFrom(
              info, new ByteArrayInputStream(bytes), chunkSize, BlobWriteOption.doesNotExist());
    } catch (IOException e) {
      throw new UncheckedIOException("resumable upload of " + info.getName() + " failed", e);
    }
  }

  /**
   * An existing object stored without a token (by hand, or before tokens) gets one now, as Firebase
   * itself does when it first serves such an object; a concurrent change is resolved by taking the
   * token it left.
   */
  private Blob withDownloadToken(Blob blob) {
    Map<String, String> metadata = metadata(blob);
    if (StoredMedia.firstToken(metadata.get(DOWNLOAD_TOKENS)).isPresent()) {
      return blob;
    }
    metadata.put(DOWNLOAD_TOKENS, UUID.randomUUID().toString());
    try {
      return storage()
          .update(
              blob.toBuilder().setMetadata(metadata).build(),
              BlobTargetOption.metagenerationMatch());
    } catch (StorageException e) {
      if (e.getCode() != PRECONDITION_FAILED) {
        throw e;
      }
      return Optional.ofNullable(storage().get(blob.getBlobId()))
          .filter(now -> StoredMedia.firstToken(metadata(now).get(DOWNLOAD_TOKENS)).isPresent())
          .orElseThrow(() -> e);
    }
  }

  private StoredMedia toMedia(Blob blob) {
    Map<String, String> metadata = metadata(blob);
    String token =
        StoredMedia.firstToken(metadata.get(DOWNLOAD_TOKENS))
            .orElseThrow(
                () -> new IllegalStateException(blob.getName() + " has no download token"));
    return new StoredMedia(
        blob.getName(),
        downloadUrl(blob.getName(), token),
        blob.getContentType(),
        blob.getSize(),
        blob.getGeneration(),
        blob.getMd5(),
        Map.copyOf(metadata));
  }

  /** The client reports a removed key as a null value; those are not metadata. */
  private static Map<String, String> metadata(Blob blob) {
    Map<String, String> metadata = new HashMap<>();
    if (blob.getMetadata() != null) {
      blob.getMetadata()
          .forEach(
              (key, value) -> {
                if (value != null) {
                  metadata.put(key, value);
                }
              });
    }
    return metadata;
  }

  /**
   * RFC 3986 percent-encoding of everything but unreserved characters, as Firebase's SDKs encode
   * object names.
   */
  private static String encode(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      if (UNRESERVED.indexOf(b) >= 0) {
        out.append((char) b);
      } else {
        out.append('%')
            .append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
            .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
      }
    }
    return out.toString();
  }

  private static String md5(byte[] bytes) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is required by every JDK", e);
    }
  }
}
