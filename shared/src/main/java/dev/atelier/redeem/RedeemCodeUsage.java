package dev.atelier.redeem;

import dev.atelier.catalog.PlanCode;
import java.time.Instant;

/**
 * {@code redeemCodeUsages/{id}}: one user's use of one code; {@code id} (from the path, not stored)
 * is deterministic per (code, uid), see {@code FirestorePaths.redeemCodeUsage(code, uid)}. {@code
 * username} and {@code email} are as they were at the time of use (null if the user had none).
 */
public record RedeemCodeUsage(
    String id,
    String redeemCode,
    String uid,
    String username,
    String email,
    PlanCode planCodeAssigned,
    long creditsGranted,
    Instant usedAt) {

  public static final class Field {
    public static final String REDEEM_CODE = "redeemCode";
    public static final String UID = "uid";
    public static final String USERNAME = "username";
    public static final String EMAIL = "email";
    public static final String PLAN_CODE_ASSIGNED = "planCodeAssigned";
    public static final String CREDITS_GRANTED = "creditsGranted";
    public static final String USED_AT = "usedAt";

    private Field() {}
  }
}
