package dev.atelier.local.events;

import java.time.Duration;
import java.util.Optional;

/**
 * How hard delivery tries and how hostile it is. {@code chaos} delivers every event twice, each
 * copy after a random delay up to {@code chaosWindow}, so copies of nearby events arrive shuffled.
 * {@code deliveryToken} rides on every event (extension {@code atelierdelivery}): the trigger
 * functions of the stack handle only events that carry it, since locally nothing else stops another
 * process from posting to them.
 */
public record DeliveryOptions(
    String location,
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    boolean chaos,
    Duration chaosWindow,
    Optional<String> deliveryToken) {

  public static DeliveryOptions defaults(boolean chaos, String deliveryToken) {
    return new DeliveryOptions(
        "nam5",
        6,
        Duration.ofMillis(250),
        Duration.ofSeconds(8),
        chaos,
        Duration.ofMillis(400),
        Optional.of(deliveryToken));
  }

  /** Backoff before attempt {@code attempt} (2 = first retry): doubling, capped. */
  Duration backoff(int attempt) {
    long millis = initialBackoff.toMillis() << Math.min(attempt - 2, 20);
    return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
  }
}
