package dev.atelier.platform;

import com.google.cloud.functions.HttpRequest;
import java.util.Optional;

/**
 * Where a request came from: the client IP is the RIGHT-MOST X-Forwarded-For address, the one
 * Google's front end appended (everything to its left came from the client and can be forged), and
 * the raw User-Agent.
 */
public record ClientInfo(Optional<String> ip, Optional<String> userAgent) {

  static final int MAX_USER_AGENT = 512;

  public static ClientInfo from(HttpRequest request) {
    Optional<String> ip =
        request
            .getFirstHeader("X-Forwarded-For")
            .map(
                v -> {
                  int comma = v.lastIndexOf(',');
                  return (comma < 0 ? v : v.substring(comma + 1)).trim();
                })
            .filter(v -> !v.isEmpty() && v.length() <= 64);
    Optional<String> ua =
        request
            .getFirstHeader("User-Agent")
            .map(String::trim)
            .filter(v -> !v.isEmpty())
            .map(v -> v.length() > MAX_USER_AGENT ? v.substring(0, MAX_USER_AGENT) : v);
    return new ClientInfo(ip, ua);
  }
}
