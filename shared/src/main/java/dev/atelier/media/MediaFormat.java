package dev.atelier.media;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The media types a generation may produce: content type and the file extension its object name
 * gets.
 */
public enum MediaFormat {
  PNG("image/png", "png"),
  JPEG("image/jpeg", "jpg"),
  WEBP("image/webp", "webp"),
  GIF("image/gif", "gif"),
  MP4("video/mp4", "mp4"),
  WEBM("video/webm", "webm"),
  MP3("audio/mpeg", "mp3"),
  WAV("audio/wav", "wav");

  /** Non-canonical names servers really send for the same formats (WAV has four in the wild). */
  private static final Map<String, MediaFormat> ALIASES =
      Map.of(
          "audio/x-wav", WAV,
          "audio/wave", WAV,
          "audio/vnd.wave", WAV,
          "audio/mp3", MP3);

  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  private static final byte[] EBML_MAGIC = {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3};

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
    return Arrays.stream(values())
        .filter(format -> format.contentType.equals(bare))
        .findFirst()
        .or(() -> Optional.ofNullable(ALIASES.get(bare)));
  }

  /**
   * The format the first bytes of a file announce (its magic number), whatever a server claimed.
   * Only the first 12 bytes are looked at. MP3 is an ID3v2 tag or an MPEG audio frame header;
   * anything unknown is empty.
   */
  public static Optional<MediaFormat> sniff(byte[] head) {
    if (startsWith(head, 0, PNG_SIGNATURE)) {
      return Optional.of(PNG);
    }
    if (head.length >= 3
        && (head[0] & 0xFF) == 0xFF
        && (head[1] & 0xFF) == 0xD8
        && (head[2] & 0xFF) == 0xFF) {
      return Optional.of(JPEG);
    }
    if (startsWith(head, 0, ascii("GIF87a")) || startsWith(head, 0, ascii("GIF89a"))) {
      return Optional.of(GIF);
    }
    if (startsWith(head, 0, ascii("RIFF"))) {
      if (startsWith(head, 8, ascii("WEBP"))) {
        return Optional.of(WEBP);
      }
      if (startsWith(head, 8, ascii("WAVE"))) {
        return Optional.of(WAV);
      }
      return Optional.empty();
    }
    if (startsWith(head, 4, ascii("ftyp"))) {
      return Optional.of(MP4);
    }
    if (startsWith(head, 0, EBML_MAGIC)) {
      return Optional.of(WEBM);
    }
    if (startsWith(head, 0, ascii("ID3")) || isMpegAudioFrame(head)) {
      return Optional.of(MP3);
    }
    return Optional.empty();
  }

  /**
   * An MPEG audio frame header: 11 sync bits, then version, layer, bitrate and sample rate fields
   * that are not their reserved values. Checking the fields as well as the sync keeps random bytes
   * (and AAC's ADTS, layer 00) from passing as MP3.
   */
  private static boolean isMpegAudioFrame(byte[] head) {
    if (head.length < 3 || (head[0] & 0xFF) != 0xFF || (head[1] & 0xE0) != 0xE0) {
      return false;
    }
    int version = (head[1] >> 3) & 0b11;
    int layer = (head[1] >> 1) & 0b11;
    int bitrate = (head[2] >> 4) & 0b1111;
    int sampleRate = (head[2] >> 2) & 0b11;
    return version != 0b01 && layer != 0b00 && bitrate != 0b1111 && sampleRate != 0b11;
  }

  private static boolean startsWith(byte[] bytes, int offset, byte[] prefix) {
    if (bytes.length < offset + prefix.length) {
      return false;
    }
    return Arrays.equals(bytes, offset, offset + prefix.length, prefix, 0, prefix.length);
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
