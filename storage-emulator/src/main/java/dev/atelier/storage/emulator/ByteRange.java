package dev.atelier.storage.emulator;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A download's single {@code Range: bytes=a-b | a- | -n}; anything else serves the whole object.
 */
record ByteRange(long first, long last, boolean partial) {
  private static final Pattern FORMAT = Pattern.compile("bytes=(\\d*)-(\\d*)");

  static ByteRange parse(String header, long size) {
    ByteRange whole = new ByteRange(0, size - 1, false);
    if (header == null || size == 0) {
      return whole;
    }
    Matcher matcher = FORMAT.matcher(header.strip());
    if (!matcher.matches() || (matcher.group(1).isEmpty() && matcher.group(2).isEmpty())) {
      return whole;
    }
    long first;
    long last;
    if (matcher.group(1).isEmpty()) {
      first = Math.max(0, size - Long.parseLong(matcher.group(2)));
      last = size - 1;
    } else {
      first = Long.parseLong(matcher.group(1));
      last =
          matcher.group(2).isEmpty()
              ? size - 1
              : Math.min(size - 1, Long.parseLong(matcher.group(2)));
    }
    if (first >= size) {
      throw new GcsException(
          416, "requestedRangeNotSatisfiable", "The requested range cannot be satisfied.");
    }
    if (last < first) {
      return whole;
    }
    return new ByteRange(first, last, first != 0 || last != size - 1);
  }
}
