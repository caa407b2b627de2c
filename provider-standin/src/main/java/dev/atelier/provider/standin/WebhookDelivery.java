package dev.atelier.provider.standin;

import dev.atelier.providers.PredictionStatus;
import java.net.URI;
import java.time.Instant;
import java.util.Optional;

/**
 * One attempt to deliver a webhook, for test assertions.
 *
 * @param webhookId the {@code webhook-id} header: the same on retries and on a {@code #dupwebhook}
 *     second copy
 * @param status the prediction status the body carried
 * @param copy 1, or 2 for the second copy a {@code #dupwebhook} prediction sends
 * @param attempt 1 for the first try of a copy, up to 4 after three retries
 * @param httpStatus the receiver's answer, 0 when there was none (connection failure, timeout)
 * @param failure why there was no answer
 */
public record WebhookDelivery(
    String predictionId,
    String webhookId,
    URI url,
    PredictionStatus status,
    int copy,
    int attempt,
    int httpStatus,
    Optional<String> failure,
    Instant sentAt) {

  /** The receiver accepted it (2xx). */
  public boolean delivered() {
    return httpStatus >= 200 && httpStatus < 300;
  }
}
