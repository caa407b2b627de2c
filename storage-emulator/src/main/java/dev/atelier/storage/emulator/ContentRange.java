package dev.atelier.storage.emulator;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A resumable upload PUT's {@code Content-Range}: {@code bytes a-b/total}, {@code bytes a-b/*}
 * (more to come), {@code bytes *}{@code /total} (finalize or ask) or {@code bytes *}{@code /*}
 * (status query).
 */
record ContentRange(OptionalLong first, OptionalLong last, OptionalLong total) {
  private static final Pattern FORMAT = Pattern.compile("bytes (?:(\\d+)-(\\d+)|\\*)/(\\d+|\\*)");

  /** A PUT without Content-Range carries the whole object. */
  static ContentRange wholeBody(long length) {
    return new ContentRange(
        length == 0 ? OptionalLong.empty() : OptionalLong.of(0),
        length == 0 ? OptionalLong.empty() : OptionalLong.of(length - 1),
        OptionalLong.of(length));
  }

  static ContentRange parse(String header) {
    Matcher matcher = FORMAT.matcher(header.strip());
    if (!matcher.matches()) {
      throw GcsException.invalid("Malformed Content-Range: " + header);
    }
    OptionalLong first =
        matcher.group(1) == null
            ? OptionalLong.empty()
            : OptionalLong.of(Long.parseLong(matcher.group(1)));
    OptionalLong last =
        matcher.group(2) == null
            ? OptionalLong.empty()
            : OptionalLong.of(Long.parseLong(matcher.group(2)));
    OptionalLong total =
        "*".equals(matcher.group(3))
            ? OptionalLong.empty()
            : OptionalLong.of(Long.parseLong(matcher.group(3)));
    if (first.isPresent() && last.getAsLong() < first.getAsLong()) {
      throw GcsException.invalid("Malformed Content-Range: " + header);
    }
    return new ContentRange(first, last, total);
  }
}
