package dev.atelier.media;

import java.time.Duration;
import java.util.Map;

/**
 * What {@link MediaFetcher} will download.
 *
 * @param maxBytes the largest body accepted; one byte more and the download stops
 * @param timeout the whole download, from connecting to the last byte, redirects included
 * @param httpsOnly refuse plain http (production: a provider's media URL is always https)
 * @param allowPrivateHosts allow hosts that resolve to loopback, private, link-local (the metadata
 *     server), any-local or multicast addresses; only the local stack and tests need this
 */
public record FetchLimits(
    long maxBytes, Duration timeout, boolean httpsOnly, boolean allowPrivateHosts) {
  /** SPEC "Webhook": media over 50 MiB or slower than 60 s is refused. */
  public static final long MAX_MEDIA_BYTES = 50L * 1024 * 1024;

  public static final Duration MAX_DOWNLOAD_TIME = Duration.ofSeconds(60);

  public FetchLimits {
    if (maxBytes < 1 || maxBytes >= Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "maxBytes must be 1.." + (Integer.MAX_VALUE - 1) + ", got " + maxBytes);
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
  }

  /** Deployed functions: https only, and no request may reach an internal address (SSRF). */
  public static FetchLimits production() {
    return new FetchLimits(MAX_MEDIA_BYTES, MAX_DOWNLOAD_TIME, true, false);
  }

  /** The local stack and tests: the stand-in provider serves http on 127.0.0.1. */
  public static FetchLimits local() {
    return new FetchLimits(MAX_MEDIA_BYTES, MAX_DOWNLOAD_TIME, false, true);
  }

  /**
   * The limits {@code MEDIA_FETCH_MODE} names: {@code production} (the default) or {@code local}.
   */
  public static FetchLimits fromEnv(Map<String, String> env) {
    String mode = env.getOrDefault("MEDIA_FETCH_MODE", "production").trim();
    return switch (mode) {
      case "production" -> production();
      case "local" -> local();
      default ->
          throw new IllegalStateException(
              "MEDIA_FETCH_MODE must be production or local, got " + mode);
    };
  }
}
