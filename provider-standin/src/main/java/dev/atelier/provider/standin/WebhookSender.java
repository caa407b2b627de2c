package dev.atelier.provider.standin;

import dev.atelier.providers.PredictionStatus;
import dev.atelier.providers.StandardWebhooks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Delivers completion webhooks as Replicate does: POST of the prediction JSON, signed with Standard
 * Webhooks headers. A non-2xx answer or no answer is retried up to {@link #RETRIES} times with a
 * short backoff, under the same {@code webhook-id} and with a fresh timestamp and signature, as the
 * Standard Webhooks spec asks.
 */
final class WebhookSender {
  static final int RETRIES = 3;
  static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  static final Duration DUPLICATE_GAP = Duration.ofMillis(50);
  private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(5);
  private static final char[] ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String secret;
  private final ScheduledExecutorService scheduler;
  private final Consumer<String> log;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private final List<WebhookDelivery> deliveries = new CopyOnWriteArrayList<>();

  WebhookSender(String secret, ScheduledExecutorService scheduler, Consumer<String> log) {
    this.secret = secret;
    this.scheduler = scheduler;
    this.log = log;
  }

  List<WebhookDelivery> deliveries() {
    return List.copyOf(deliveries);
  }

  /**
   * Sends one event: {@code copies} times (2 for {@code #dupwebhook}), each with its own retries.
   */
  void send(String predictionId, PredictionStatus status, URI url, String body, int copies) {
    String webhookId = "msg_" + randomId(27);
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    for (int copy = 1; copy <= copies; copy++) {
      int thisCopy = copy;
      schedule(
          () -> attempt(new Event(predictionId, status, url, bytes, webhookId, thisCopy), 1),
          DUPLICATE_GAP.multipliedBy(copy - 1));
    }
  }

  private record Event(
      String predictionId,
      PredictionStatus status,
      URI url,
      byte[] body,
      String webhookId,
      int copy) {}

  private void attempt(Event event, int attempt) {
    long timestamp = Instant.now().getEpochSecond();
    HttpRequest request =
        HttpRequest.newBuilder(event.url())
            .timeout(ATTEMPT_TIMEOUT)
            .header("Content-Type", "application/json")
            .header("User-Agent", "atelier-provider-standin")
            .header(StandardWebhooks.ID_HEADER, event.webhookId())
            .header(StandardWebhooks.TIMESTAMP_HEADER, Long.toString(timestamp))
            .header(
                StandardWebhooks.SIGNATURE_HEADER,
                StandardWebhooks.sign(secret, event.webhookId(), timestamp, event.body()))
            .POST(HttpRequest.BodyPublishers.ofByteArray(event.body()))
            .build();
    Instant sentAt = Instant.now();
    http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .whenComplete(
            (response, failure) -> {
              int code = response == null ? 0 : response.statusCode();
              Optional<String> why =
                  failure == null
                      ? Optional.empty()
                      : Optional.of(
                          failure.getClass().getSimpleName() + ": " + failure.getMessage());
              WebhookDelivery delivery =
                  new WebhookDelivery(
                      event.predictionId(),
                      event.webhookId(),
                      event.url(),
                      event.status(),
                      event.copy(),
                      attempt,
                      code,
                      why,
                      sentAt);
              deliveries.add(delivery);
              log.accept(
                  "webhook "
                      + event.status().wire()
                      + " "
                      + event.predictionId()
                      + " → "
                      + event.url()
                      + " copy "
                      + event.copy()
                      + " attempt "
                      + attempt
                      + ": "
                      + (code == 0 ? why.orElse("no answer") : code));
              if (!delivery.delivered() && attempt <= RETRIES) {
                schedule(
                    () -> attempt(event, attempt + 1),
                    FIRST_BACKOFF.multipliedBy(1L << (attempt - 1)));
              }
            });
  }

  private void schedule(Runnable task, Duration delay) {
    try {
      scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // Closed: deliveries still pending are dropped, like a provider that went away.
    }
  }

  static String randomId(int length) {
    char[] id = new char[length];
    for (int i = 0; i < length; i++) {
      id[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    }
    return new String(id);
  }
}
