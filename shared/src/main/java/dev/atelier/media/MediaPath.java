package dev.atelier.media;

import java.util.regex.Pattern;

/**
 * The object a generated media file lives at: {@code
 * generations/{uid}/{historyId}/{mediaId}.{ext}}.
 */
public record MediaPath(String uid, String historyId, String mediaId, MediaFormat format) {
  /** Ids become path segments: no slashes, no dot segments, nothing a URL would need to escape. */
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-]{1,128}");

  public MediaPath {
    requireSegment("uid", uid);
    requireSegment("historyId", historyId);
    requireSegment("mediaId", mediaId);
    if (format == null) {
      throw new IllegalArgumentException("format is required");
    }
  }

  public String objectName() {
    return "generations/" + uid + "/" + historyId + "/" + mediaId + "." + format.extension();
  }

  private static void requireSegment(String field, String value) {
    if (value == null || !SEGMENT.matcher(value).matches()) {
      throw new IllegalArgumentException(field + " must be 1-128 of [A-Za-z0-9_-], got " + value);
    }
  }
}
