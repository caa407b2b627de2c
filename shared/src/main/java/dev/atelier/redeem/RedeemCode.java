package dev.atelier.redeem;

import dev.atelier.catalog.PlanCode;
import java.time.Instant;
import java.util.List;

/**
 * {@code redeemCodes/{code}}. {@code validUntil} and {@code createdBy} are null when absent; {@code
 * usedBy} (uids) is never null.
 */
public record RedeemCode(
    String code,
    RedeemCodeType type,
    PlanCode planCode,
    RedeemCodeStatus status,
    long maxUses,
    long currentUses,
    Instant validUntil,
    Instant createdAt,
    Instant updatedAt,
    String createdBy,
    List<String> usedBy) {

  public RedeemCode {
    usedBy = usedBy == null ? List.of() : List.copyOf(usedBy);
  }

  public static final class Field {
    public static final String CODE = "code";
    public static final String TYPE = "type";
    public static final String PLAN_CODE = "planCode";
    public static final String STATUS = "status";
    public static final String MAX_USES = "maxUses";
    public static final String CURRENT_USES = "currentUses";
    public static final String VALID_UNTIL = "validUntil";
    public static final String CREATED_AT = "createdAt";
    public static final String UPDATED_AT = "updatedAt";
    public static final String CREATED_BY = "createdBy";
    public static final String USED_BY = "usedBy";

    private Field() {}
  }
}
