package dev.atelier.platform;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a function reads from its environment, read once at instance start.
 *
 * @param projectId GCP project (GOOGLE_CLOUD_PROJECT, GCLOUD_PROJECT or GCP_PROJECT)
 * @param firestoreEmulatorHost FIRESTORE_EMULATOR_HOST when set: plaintext, fake credentials
 * @param authEmulatorHost FIREBASE_AUTH_EMULATOR_HOST when set: unsigned ID tokens accepted
 * @param functionName K_SERVICE (Cloud Run service name = function name), for log lines
 * @param maxEventAge triggers drop events older than this (MAX_EVENT_AGE_SECONDS, default 1 h)
 * @param maxBodyBytes HTTP request bodies above this are refused with 413 (MAX_BODY_BYTES, default
 *     64 KiB)
 * @param deliveryToken ATELIER_DELIVERY_TOKEN, set only by the local stack: trigger functions then
 *     handle only the events its delivery signs (locally nothing else guards their port)
 * @param runBudget how long a scheduled run may work before it saves its cursor and answers
 *     (RUN_BUDGET_SECONDS, default 240: under the scheduled functions' 300 s timeout)
 * @param allowedOrigins browser origins the HTTP functions answer CORS for (ALLOWED_ORIGINS,
 *     comma-separated; default the local ones, {@code http://localhost:*,http://127.0.0.1:*})
 */
public record Config(
    String projectId,
    Optional<String> firestoreEmulatorHost,
    Optional<String> authEmulatorHost,
    String functionName,
    Duration maxEventAge,
    int maxBodyBytes,
    String allowedOrigins,
    Optional<String> deliveryToken,
    Duration runBudget) {

  public static final Duration DEFAULT_MAX_EVENT_AGE = Duration.ofHours(1);
  public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;
  public static final Duration DEFAULT_RUN_BUDGET = Duration.ofSeconds(240);
  public static final String LOCAL_ORIGINS = "http://localhost:*,http://127.0.0.1:*";

  /** Reads the config from an environment map (functions pass {@code System.getenv()}). */
  public static Config from(Map<String, String> env) {
    String project =
        firstPresent(env, "GOOGLE_CLOUD_PROJECT", "GCLOUD_PROJECT", "GCP_PROJECT")
            .orElseThrow(() -> new IllegalStateException("GOOGLE_CLOUD_PROJECT is not set"));
    return new Config(
        project,
        firstPresent(env, "FIRESTORE_EMULATOR_HOST"),
        firstPresent(env, "FIREBASE_AUTH_EMULATOR_HOST"),
        firstPresent(env, "K_SERVICE").orElse("local"),
        firstPresent(env, "MAX_EVENT_AGE_SECONDS")
            .map(s -> Duration.ofSeconds(Long.parseLong(s)))
            .orElse(DEFAULT_MAX_EVENT_AGE),
        firstPresent(env, "MAX_BODY_BYTES").map(Integer::parseInt).orElse(DEFAULT_MAX_BODY_BYTES),
        firstPresent(env, "ALLOWED_ORIGINS").orElse(LOCAL_ORIGINS),
        firstPresent(env, "ATELIER_DELIVERY_TOKEN"),
        firstPresent(env, "RUN_BUDGET_SECONDS")
            .map(s -> Duration.ofSeconds(Long.parseLong(s)))
            .orElse(DEFAULT_RUN_BUDGET));
  }

  /** A config for tests and local tools talking to emulators. */
  public static Config forEmulators(
      String projectId, String firestoreHost, String authHost, String functionName) {
    return new Config(
        projectId,
        Optional.of(firestoreHost),
        Optional.ofNullable(authHost),
        functionName,
        DEFAULT_MAX_EVENT_AGE,
        DEFAULT_MAX_BODY_BYTES,
        LOCAL_ORIGINS,
        Optional.empty(),
        DEFAULT_RUN_BUDGET);
  }

  private static Optional<String> firstPresent(Map<String, String> env, String... names) {
    for (String name : names) {
      String value = env.get(name);
      if (value != null && !value.isBlank()) {
        return Optional.of(value.trim());
      }
    }
    return Optional.empty();
  }
}
