package dev.atelier.credits;

import dev.atelier.catalog.PlanCode;
import java.time.Instant;

/** {@code credits/{uid}/balance/current}. */
public record Balance(
    String uid, long creditBalance, PlanCode planCode, Instant createdAt, Instant updatedAt) {

  public static final class Field {
    public static final String UID = "uid";
    public static final String CREDIT_BALANCE = "creditBalance";
    public static final String PLAN_CODE = "planCode";
    public static final String CREATED_AT = "createdAt";
    public static final String UPDATED_AT = "updatedAt";

    private Field() {}
  }
}
