package dev.atelier.catalog;

import dev.atelier.generations.Visibility;
import java.time.Instant;

/**
 * {@code system/config}: global switches, limits and defaults, stored as {@code {type: "config",
 * config: {features, limits, defaults}, createdAt, updatedAt}}.
 */
public record SystemConfig(
    Features features, Limits limits, Defaults defaults, Instant createdAt, Instant updatedAt) {

  /** Global feature switches. */
  public record Features(
      boolean userRegistration, boolean generation, boolean publicFeed, boolean redeemCodes) {
    public static final class Field {
      public static final String USER_REGISTRATION = "userRegistration";
      public static final String GENERATION = "generation";
      public static final String PUBLIC_FEED = "publicFeed";
      public static final String REDEEM_CODES = "redeemCodes";

      private Field() {}
    }
  }

  /**
   * Global limits; {@code staleGenerationMinutes} is when a {@code generating} item counts as
   * stuck. {@code rateLimit} applies to every user-facing write unless {@code rateLimitByFunction}
   * names the function (e.g. redeem-code's tighter limit against code guessing); never null.
   */
  public record Limits(
      long maxConcurrentGenerationsPerUser,
      long maxPromptLength,
      long staleGenerationMinutes,
      RateLimit rateLimit,
      java.util.Map<String, RateLimit> rateLimitByFunction) {

    public Limits {
      rateLimitByFunction =
          rateLimitByFunction == null
              ? java.util.Map.of()
              : java.util.Map.copyOf(rateLimitByFunction);
    }

    /** The limit of {@code function} (a Cloud Functions name such as {@code redeem-code}). */
    public RateLimit rateLimitFor(String function) {
      return rateLimitByFunction.getOrDefault(function, rateLimit);
    }

    public static final class Field {
      public static final String MAX_CONCURRENT_GENERATIONS_PER_USER =
          "maxConcurrentGenerationsPerUser";
      public static final String MAX_PROMPT_LENGTH = "maxPromptLength";
      public static final String STALE_GENERATION_MINUTES = "staleGenerationMinutes";
      public static final String RATE_LIMIT = "rateLimit";
      public static final String RATE_LIMIT_BY_FUNCTION = "rateLimitByFunction";

      private Field() {}
    }
  }

  /** Requests one user may make. */
  public record RateLimit(long requestsPerMinute, long requestsPerHour) {
    public static final class Field {
      public static final String REQUESTS_PER_MINUTE = "requestsPerMinute";
      public static final String REQUESTS_PER_HOUR = "requestsPerHour";

      private Field() {}
    }
  }

  /** Defaults for a generation request that leaves them out; {@code aspectRatio} may be null. */
  public record Defaults(String model, Visibility visibility, String aspectRatio) {
    public static final class Field {
      public static final String MODEL = "model";
      public static final String VISIBILITY = "visibility";
      public static final String ASPECT_RATIO = "aspectRatio";

      private Field() {}
    }
  }

  public static final class Field {
    public static final String TYPE = "type";
    public static final String CONFIG = "config";
    public static final String FEATURES = "features";
    public static final String LIMITS = "limits";
    public static final String DEFAULTS = "defaults";
    public static final String CREATED_AT = "createdAt";
    public static final String UPDATED_AT = "updatedAt";

    private Field() {}
  }
}
