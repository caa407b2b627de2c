package dev.atelier.catalog;

/** Feature flags and per-user limits of a model; a null limit means none. */
public record ModelFeatures(Long requestsPerMinute, Long requestsPerDay, boolean webhookSupported) {

  public static final class Field {
    public static final String REQUESTS_PER_MINUTE = "requestsPerMinute";
    public static final String REQUESTS_PER_DAY = "requestsPerDay";
    public static final String WEBHOOK_SUPPORTED = "webhookSupported";

    private Field() {}
  }
}
