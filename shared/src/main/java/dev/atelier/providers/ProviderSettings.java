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
 * </pre>
 *
 * An id's variable prefix is {@code PROVIDER_} + the id upper-cased with {@code -} as {@code _}.
 */
public record ProviderSettings(
    String id,
    Protocol protocol,
    URI baseUrl,
    Optional<String> apiToken,
    Optional<String> webhookSecret) {

  /** The wire protocol an adapter speaks. */
  public enum Protocol {
    REPLICATE
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
      out.add(
          new ProviderSettings(
              id,
              protocol,
              URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url),
              get(env, prefix + "API_TOKEN"),
              get(env, prefix + "WEBHOOK_SECRET")));
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
        + ", token "
        + (apiToken.isPresent() ? "set" : "unset")
        + ", webhook secret "
        + (webhookSecret.isPresent() ? "set" : "unset")
        + "]";
  }
}
