package dev.atelier.storage.emulator;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * objects.list parameters. The page token is the last name of the previous page, base64-encoded.
 */
record ListRequest(
    String prefix,
    Optional<String> delimiter,
    Optional<String> startAfter,
    int maxResults,
    Optional<String> startOffset,
    Optional<String> endOffset) {

  static final int DEFAULT_MAX_RESULTS = 1000;

  static ListRequest fromQuery(Map<String, String> query) {
    int maxResults = DEFAULT_MAX_RESULTS;
    String max = query.get("maxResults");
    if (max != null) {
      try {
        maxResults = Integer.parseInt(max);
      } catch (NumberFormatException e) {
        throw GcsException.invalid("Invalid value for maxResults: " + max);
      }
      if (maxResults <= 0) {
        throw GcsException.invalid("maxResults must be positive");
      }
    }
    return new ListRequest(
        query.getOrDefault("prefix", ""),
        nonEmpty(query.get("delimiter")),
        nonEmpty(query.get("pageToken")).map(ListRequest::decodeToken),
        Math.min(maxResults, DEFAULT_MAX_RESULTS),
        nonEmpty(query.get("startOffset")),
        nonEmpty(query.get("endOffset")));
  }

  static String encodeToken(String lastName) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(lastName.getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeToken(String token) {
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw GcsException.invalid("Invalid pageToken");
    }
  }

  private static Optional<String> nonEmpty(String value) {
    return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
  }
}
