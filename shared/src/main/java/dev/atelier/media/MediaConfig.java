package dev.atelier.media;

import dev.atelier.platform.Config;
import java.util.Map;
import java.util.Optional;

/**
 * Where media goes.
 *
 * @param projectId GCP project (from the platform config)
 * @param bucket media bucket (MEDIA_BUCKET)
 * @param storageEmulatorHost STORAGE_EMULATOR_HOST when set, e.g. {@code http://127.0.0.1:9199}:
 *     the client talks to that server without credentials (google-cloud-storage ignores the
 *     variable itself)
 */
public record MediaConfig(String projectId, String bucket, Optional<String> storageEmulatorHost) {
  /**
   * Firebase Storage's download host: media URLs go through it with a download token (the bucket
   * stays private).
   */
  static final String FIREBASE_STORAGE_URL = "https://firebasestorage.googleapis.com";

  public MediaConfig {
    if (bucket == null || bucket.isBlank()) {
      throw new IllegalStateException("MEDIA_BUCKET is not set");
    }
    storageEmulatorHost = storageEmulatorHost.map(MediaConfig::withScheme);
  }

  /**
   * Reads MEDIA_BUCKET and STORAGE_EMULATOR_HOST from an environment map (functions pass {@code
   * System.getenv()}).
   */
  public static MediaConfig from(Config platform, Map<String, String> env) {
    return new MediaConfig(
        platform.projectId(),
        env.get("MEDIA_BUCKET"),
        Optional.ofNullable(env.get("STORAGE_EMULATOR_HOST"))
            .map(String::trim)
            .filter(host -> !host.isEmpty()));
  }

  /**
   * The base every download URL hangs off: the local server (which serves Firebase's {@code
   * /v0/b/…}) or Firebase.
   */
  String downloadBaseUrl() {
    return storageEmulatorHost.orElse(FIREBASE_STORAGE_URL);
  }

  /**
   * Firebase tools write the host without a scheme ({@code 127.0.0.1:9199}); the client needs a
   * URL.
   */
  private static String withScheme(String host) {
    String url = host.contains("://") ? host : "http://" + host;
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
