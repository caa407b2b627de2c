package dev.atelier.http;

import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import java.util.List;
import java.util.Optional;

/**
 * CORS for the HTTP functions a browser calls: a request whose {@code Origin} is allowed gets
 * {@code Access-Control-Allow-Origin} for it (and a preflight the methods and headers we take); any
 * other origin gets no CORS headers at all, so the browser keeps the answer from the page. Patterns
 * are exact origins, or a host with {@code :*} for any port ({@code http://localhost:*}, the local
 * default).
 */
public final class Cors {

  /** No browser access (server-to-server endpoints such as the provider webhook). */
  public static final Cors NONE = new Cors(List.of());

  static final String ALLOWED_HEADERS = "Authorization, Content-Type, Idempotency-Key";
  static final String MAX_AGE_SECONDS = "3600";

  private final List<String> allowed;

  public Cors(List<String> allowed) {
    this.allowed = List.copyOf(allowed);
  }

  /**
   * Origins from a comma-separated list such as the {@code ALLOWED_ORIGINS} variable; blanks
   * ignored.
   */
  public static Cors of(String commaSeparated) {
    return new Cors(
        List.of(commaSeparated.split(",")).stream()
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .toList());
  }

  /** Whether {@code request} is a CORS preflight (OPTIONS with Access-Control-Request-Method). */
  static boolean isPreflight(HttpRequest request) {
    return "OPTIONS".equals(request.getMethod())
        && request.getFirstHeader("Access-Control-Request-Method").isPresent();
  }

  /** Adds the CORS headers when the request's origin is allowed; nothing otherwise. */
  void decorate(HttpRequest request, HttpResponse response, boolean preflight) {
    Optional<String> origin = request.getFirstHeader("Origin").filter(this::allows);
    if (origin.isEmpty()) {
      return;
    }
    response.appendHeader("Access-Control-Allow-Origin", origin.get());
    response.appendHeader("Vary", "Origin");
    if (preflight) {
      response.appendHeader("Access-Control-Allow-Methods", "POST");
      response.appendHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS);
      response.appendHeader("Access-Control-Max-Age", MAX_AGE_SECONDS);
    } else {
      response.appendHeader("Access-Control-Expose-Headers", "Retry-After");
    }
  }

  boolean allows(String origin) {
    for (String pattern : allowed) {
      if (pattern.equals(origin)) {
        return true;
      }
      if (pattern.endsWith(":*")) {
        String prefix = pattern.substring(0, pattern.length() - 1);
        if (origin.startsWith(prefix)
            && origin.length() > prefix.length()
            && origin.substring(prefix.length()).chars().allMatch(Character::isDigit)) {
          return true;
        }
      }
    }
    return false;
  }
}
