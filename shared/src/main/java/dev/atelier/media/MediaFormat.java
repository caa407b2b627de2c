package dev.atelier.media;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The media types a generation may produce: content type and the file extension its object name gets. */
public enum MediaFormat {
  PNG("image/png", "png"),
  JPEG("image/jpeg", "jpg"),
  WEBP("image/webp", "webp"),
  GIF("image/gif", "gif"),
  MP4("video/mp4", "mp4"),
  WEBM("video/webm", "webm"),
  MP3("audio/mpeg", "mp3"),
  WAV("audio/wav", "wav");

  private final String contentType;
  private final String extension;

  MediaFormat(String contentType, String extension) {
    this.contentType = contentType;
    this.extension = extension;
  }

  public String contentType() {
    return contentType;
  }

  public String extension() {
    return extension;
  }

  /** Matches a Content-Type header value, ignoring parameters and case. */
  public static Optional<MediaFormat> ofContentType(String contentType) {
    if (contentType == null) {
      return Optional.empty();
    }
    String bare = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(format -> format.contentType.equals(bare)).findFirst();
  }
}
