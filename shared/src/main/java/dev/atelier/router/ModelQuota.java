package dev.atelier.router;

import java.time.Instant;

/**
 * {@code model_quotas/{provider}_{modelId}}: generation units (tokens) a model may use per period
 * at one provider. When {@code reset_at} passes, {@code tokens_used} goes back to 0 and {@code
 * reset_at} moves to the first {@code period} boundary after the reset ({@link QuotaResets}).
 */
public record ModelQuota(
    String provider,
    String modelId,
    long tokensUsed,
    long tokensLimit,
    Instant resetAt,
    QuotaPeriod period,
    Instant updatedAt) {

  /** Whether {@code units} more still fit in this period. */
  public boolean allows(long units) {
    return tokensUsed + units <= tokensLimit;
  }

  public static final class Field {
    public static final String PROVIDER = "provider";
    public static final String MODEL_ID = "model_id";
    public static final String TOKENS_USED = "tokens_used";
    public static final String TOKENS_LIMIT = "tokens_limit";
    public static final String RESET_AT = "reset_at";
    public static final String PERIOD = "period";
    public static final String UPDATED_AT = "updated_at";

    private Field() {}
  }
}
