package dev.atelier.provider.standin;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An {@code aspect_ratio} input such as {@code 16:9}: the shape of the stand-in's pictures and
 * videos.
 */
record AspectRatio(int width, int height) {
  static final AspectRatio SQUARE = new AspectRatio(1, 1);
  private static final Pattern FORMAT = Pattern.compile("(\\d{1,2}):(\\d{1,2})");

  AspectRatio {
    if (width < 1 || height < 1 || width > 4 * height || height > 4 * width) {
      throw new IllegalArgumentException("aspect ratio out of range: " + width + ":" + height);
    }
  }

  /**
   * {@code W:H} with W and H in 1..99 and neither side more than 4 times the other; empty
   * otherwise.
   */
  static Optional<AspectRatio> parse(String value) {
    Matcher m = FORMAT.matcher(value == null ? "" : value.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    int w = Integer.parseInt(m.group(1));
    int h = Integer.parseInt(m.group(2));
    if (w < 1 || h < 1 || w > 4 * h || h > 4 * w) {
      return Optional.empty();
    }
    return Optional.of(new AspectRatio(w, h));
  }

  @Override
  public String toString() {
    return width + ":" + height;
  }
}
