package dev.atelier.providers;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How to reach one provider, read once from the environment (secrets arrive there from Secret
 * Manager, never from Firestore or the manifest):
 *
 * <pre>
 * PROVIDERS=replicate,selfhost                 ids as the catalog's routes name them
 * PROVIDER_REPLICATE_URL=https://api.replicate.com
 * PROVIDER_REPLICATE_API_TOKEN=r8_…            secret; optional (a local stand-in needs none)
 * PROVIDER_REPLICATE_WEBHOOK_SECRET=whsec_…    secret; the webhook refuses this provider without it
 * PROVIDER_REPLICATE_PROTOCOL=replicate        optional, the only protocol so far
 * PROVIDER_REPLICATE_HEALTH_URL=/v1/account    optional: what the health probe GETs, an absolute
 *                                              http(s) URL or a path on the base URL
 * </pre>
 *
 * An id's variable prefix is {@code PROVIDER_} + the id upper-cased with {@code -} as {@code _}.
 *
 * <p>The health probe's default is the protocol's {@link Protocol#defaultHealthPath()}: Replicate's
 * API has no health endpoint, so the probe is an authenticated {@code GET /v1/account} (cheap,
 * read-only, and it proves the API front end, the token and the account all work). The local
 * stand-in answers it too, and also serves {@code GET /health}; a Replicate-compatible gateway
 * without {@code /v1/account} sets its own URL. The API token is sent to the health URL only when
 * it is on the base URL's origin (scheme, host and port), never to another host.
 */
public record ProviderSettings(
    String id,
    Protocol protocol,
    URI baseUrl,
    Optional<String> apiToken,
    Optional<String> webhookSecret,
    URI healthUrl) {

  /** The wire protocol an adapter speaks. */
  public enum Protocol {
    REPLICATE("/v1/account");

    private final String defaultHealthPath;

    Protocol(String defaultHealthPath) {
      this.defaultHealthPath = defaultHealthPath;
    }

    /** What a health probe GETs on the base URL unless configured otherwise. */
    public String defaultHealthPath() {
      return defaultHealthPath;
    }
  }

  private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{0,31}");

  public ProviderSettings {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("provider id must match " + ID + ", got " + id);
    }
    String scheme = baseUrl == null ? null : baseUrl.getScheme();
    if (!"https".equals(scheme) && !"http".equals(scheme)) {
      throw new IllegalArgumentException(
          "provider " + id + ": URL must be http(s), got " + baseUrl);
    }
    if (protocol == null) {
      throw new IllegalArgumentException("provider " + id + ": protocol is required");
    }
    healthUrl = healthUrl == null ? resolve(baseUrl, protocol.defaultHealthPath()) : healthUrl;
    String healthScheme = healthUrl.getScheme();
    if ((!"https".equals(healthScheme) && !"http".equals(healthScheme))
        || healthUrl.getHost() == null) {
      throw new IllegalArgumentException(
          "provider " + id + ": health URL must be an absolute http(s) URL, got " + healthUrl);
    }
  }

  /** Settings with the protocol's default health probe. */
  public ProviderSettings(
      String id,
      Protocol protocol,
      URI baseUrl,
      Optional<String> apiToken,
      Optional<String> webhookSecret) {
    this(id, protocol, baseUrl, apiToken, webhookSecret, null);
  }

  /** The same provider probed at {@code healthUrl} (absolute, or a path on the base URL). */
  public ProviderSettings withHealthUrl(String healthUrl) {
    return new ProviderSettings(
        id, protocol, baseUrl, apiToken, webhookSecret, health(baseUrl, healthUrl));
  }

  /** Whether the API token may be sent to the health URL: same scheme, host and port. */
  public boolean healthUrlOnBaseOrigin() {
    return baseUrl.getScheme().equalsIgnoreCase(healthUrl.getScheme())
        && baseUrl.getHost() != null
        && baseUrl.getHost().equalsIgnoreCase(healthUrl.getHost())
        && port(baseUrl) == port(healthUrl);
  }

  private static int port(URI uri) {
    return uri.getPort() >= 0
        ? uri.getPort()
        : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  private static URI health(URI baseUrl, String value) {
    return value.startsWith("/") ? resolve(baseUrl, value) : URI.create(value);
  }

  private static URI resolve(URI baseUrl, String path) {
    String base = baseUrl.toString();
    return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
  }

  /** Every provider listed in {@code PROVIDERS}; empty when it is unset. */
  public static List<ProviderSettings> fromEnv(Map<String, String> env) {
    List<ProviderSettings> out = new ArrayList<>();
    for (String raw : env.getOrDefault("PROVIDERS", "").split(",")) {
      String id = raw.trim();
      if (id.isEmpty()) {
        continue;
      }
      String prefix = prefix(id);
      String url =
          get(env, prefix + "URL")
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          prefix + "URL is not set (provider " + id + " is listed in PROVIDERS)"));
      Protocol protocol =
          get(env, prefix + "PROTOCOL")
              .map(p -> Protocol.valueOf(p.toUpperCase(Locale.ROOT)))
              .orElse(Protocol.REPLICATE);
      URI base = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
      out.add(
          new ProviderSettings(
              id,
              protocol,
              base,
              get(env, prefix + "API_TOKEN"),
              get(env, prefix + "WEBHOOK_SECRET"),
              get(env, prefix + "HEALTH_URL").map(h -> health(base, h)).orElse(null)));
    }
    return out;
  }

  /** The environment variable prefix of provider {@code id}, e.g. {@code PROVIDER_REPLICATE_}. */
  public static String prefix(String id) {
    return "PROVIDER_" + id.toUpperCase(Locale.ROOT).replace('-', '_') + "_";
  }

  private static Optional<String> get(Map<String, String> env, String name) {
    return Optional.ofNullable(env.get(name)).map(String::trim).filter(v -> !v.isEmpty());
  }

  /** Never prints the secrets. */
  @Override
  public String toString() {
    return "ProviderSettings["
        + id
        + " "
        + protocol
        + " "
        + baseUrl
        + ", health "
        + healthUrl
        + ", token "
        + (apiToken.isPresent() ? "set" : "unset")
        + ", webhook secret "
        + (webhookSecret.isPresent() ? "set" : "unset")
        + "]";
  }
}
