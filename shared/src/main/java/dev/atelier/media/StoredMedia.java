package dev.atelier.media;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * A media object as stored.
 *
 * @param storagePath object name within the media bucket (what history items record)
 * @param url the Firebase download URL with the object's token: where a browser fetches it
 * @param generation the GCS object generation
 * @param md5Hash base64 MD5 of the bytes, as GCS reports it
 * @param metadata the object's custom metadata, including {@value MediaStore#DOWNLOAD_TOKENS}
 */
public record StoredMedia(
    String storagePath,
    String url,
    String contentType,
    long size,
    long generation,
    String md5Hash,
    Map<String, String> metadata) {

  /** The token {@link #url} carries: the first of the object's comma-separated download tokens. */
  public Optional<String> downloadToken() {
    return firstToken(metadata.get(MediaStore.DOWNLOAD_TOKENS));
  }

  static Optional<String> firstToken(String tokens) {
    return tokens == null
        ? Optional.empty()
        : Arrays.stream(tokens.split(","))
            .map(String::strip)
            .filter(token -> !token.isEmpty())
            .findFirst();
  }
}
