package dev.atelier.local.events;

import java.time.Duration;

/**
 * How hard delivery tries and how hostile it is. {@code chaos} delivers every event twice, each copy after
 * a random delay up to {@code chaosWindow}, so copies of nearby events arrive shuffled.
 */
public record DeliveryOptions(
        String location,
        int maxAttempts,
        Duration initialBackoff,
        Duration maxBackoff,
        boolean chaos,
        Duration chaosWindow) {

    public static DeliveryOptions defaults(boolean chaos) {
        return new DeliveryOptions("nam5", 6, Duration.ofMillis(250), Duration.ofSeconds(8), chaos, Duration.ofMillis(400));
    }

    /** Backoff before attempt {@code attempt} (2 = first retry): doubling, capped. */
    Duration backoff(int attempt) {
        long millis = initialBackoff.toMillis() << Math.min(attempt - 2, 20);
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }
}
