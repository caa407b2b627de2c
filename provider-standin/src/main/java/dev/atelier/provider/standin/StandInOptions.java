package dev.atelier.provider.standin;

import dev.atelier.generations.MediaKind;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How to run a stand-in provider. Start from {@link #defaults()} and change what a test needs:
 *
 * <pre>
 * StandInOptions.defaults().withModel("acme/pixel", MediaKind.IMAGE).withCompletionDelay(Duration.ofMillis(100))
 * </pre>
 *
 * @param port 0 picks a free port
 * @param models provider model reference (as the catalog's routes name it, e.g. {@code owner/name})
 *     → the kind of media it produces; any other model is refused with 422
 * @param apiToken when present, every {@code /v1} call must carry {@code Authorization: Bearer
 *     <it>}
 * @param webhookSecret {@code whsec_…} used to sign webhooks; a fresh one is generated when absent
 * @param completionDelay how long an ordinary prediction runs
 * @param slowDelay how long a {@code #slow} prediction runs
 * @param oversizeBytes the size of a {@code #oversize} output body
 * @param log one line per request and per webhook delivery (no-op by default)
 */
public record StandInOptions(
    int port,
    Map<String, MediaKind> models,
    Optional<String> apiToken,
    Optional<String> webhookSecret,
    Duration completionDelay,
    Duration slowDelay,
    long oversizeBytes,
    Consumer<String> log) {

  public static final Duration DEFAULT_COMPLETION_DELAY = Duration.ofSeconds(1);
  public static final Duration DEFAULT_SLOW_DELAY = Duration.ofSeconds(10);

  /** One byte over the backend's 50 MiB media limit. */
  public static final long DEFAULT_OVERSIZE_BYTES = 50L * 1024 * 1024 + 1;

  public StandInOptions {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535");
    }
    Map<String, MediaKind> copy = new LinkedHashMap<>();
    models.forEach(
        (model, kind) -> {
          if (model == null || model.isBlank() || kind == null) {
            throw new IllegalArgumentException("a model needs a name and a kind");
          }
          if (kind == MediaKind.TEXT) {
            throw new IllegalArgumentException(
                "the stand-in produces images, videos and audio, not text: " + model);
          }
          copy.put(model, kind);
        });
    models = Collections.unmodifiableMap(copy);
    if (completionDelay.isNegative() || slowDelay.isNegative()) {
      throw new IllegalArgumentException("delays must not be negative");
    }
    if (oversizeBytes < 1) {
      throw new IllegalArgumentException("oversizeBytes must be positive");
    }
    apiToken = apiToken.filter(t -> !t.isBlank());
    webhookSecret = webhookSecret.filter(s -> !s.isBlank());
  }

  /**
   * Free port, no models, no API token, a generated webhook secret, 1 s / 10 s delays, 50 MiB + 1
   * byte.
   */
  public static StandInOptions defaults() {
    return new StandInOptions(
        0,
        Map.of(),
        Optional.empty(),
        Optional.empty(),
        DEFAULT_COMPLETION_DELAY,
        DEFAULT_SLOW_DELAY,
        DEFAULT_OVERSIZE_BYTES,
        line -> {});
  }

  public StandInOptions withPort(int port) {
    return new StandInOptions(
        port, models, apiToken, webhookSecret, completionDelay, slowDelay, oversizeBytes, log);
  }

  /** Adds (or replaces) one model. */
  public StandInOptions withModel(String model, MediaKind kind) {
    Map<String, MediaKind> more = new LinkedHashMap<>(models);
    more.put(model, kind);
    return withModels(more);
  }

  /** Replaces the whole model table. */
  public StandInOptions withModels(Map<String, MediaKind> models) {
    return new StandInOptions(
        port, models, apiToken, webhookSecret, completionDelay, slowDelay, oversizeBytes, log);
  }

  public StandInOptions withApiToken(String apiToken) {
    return new StandInOptions(
        port,
        models,
        Optional.ofNullable(apiToken),
        webhookSecret,
        completionDelay,
        slowDelay,
        oversizeBytes,
        log);
  }

  public StandInOptions withWebhookSecret(String webhookSecret) {
    return new StandInOptions(
        port,
        models,
        apiToken,
        Optional.ofNullable(webhookSecret),
        completionDelay,
        slowDelay,
        oversizeBytes,
        log);
  }

  public StandInOptions withCompletionDelay(Duration completionDelay) {
    return new StandInOptions(
        port, models, apiToken, webhookSecret, completionDelay, slowDelay, oversizeBytes, log);
  }

  public StandInOptions withSlowDelay(Duration slowDelay) {
    return new StandInOptions(
        port, models, apiToken, webhookSecret, completionDelay, slowDelay, oversizeBytes, log);
  }

  public StandInOptions withOversizeBytes(long oversizeBytes) {
    return new StandInOptions(
        port, models, apiToken, webhookSecret, completionDelay, slowDelay, oversizeBytes, log);
  }

  public StandInOptions withLog(Consumer<String> log) {
    return new StandInOptions(
        port, models, apiToken, webhookSecret, completionDelay, slowDelay, oversizeBytes, log);
  }

  /** Never prints the token or the secret. */
  @Override
  public String toString() {
    return "StandInOptions[port "
        + port
        + ", models "
        + models
        + ", token "
        + (apiToken.isPresent() ? "set" : "unset")
        + ", webhook secret "
        + (webhookSecret.isPresent() ? "set" : "generated")
        + ", delays "
        + completionDelay
        + "/"
        + slowDelay
        + ", oversize "
        + oversizeBytes
        + " bytes]";
  }
}
