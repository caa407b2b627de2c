package dev.atelier.catalog;

import java.time.Instant;

/** {@code plans/{code}}. {@code sort} is null when unordered. */
public record Plan(
    PlanCode code,
    String name,
    long credits,
    long priceInPaise,
    boolean active,
    Long sort,
    Instant createdAt,
    Instant updatedAt) {

  public static final class Field {
    public static final String CODE = "code";
    public static final String NAME = "name";
    public static final String CREDITS = "credits";
    public static final String PRICE_IN_PAISE = "priceInPaise";
    public static final String ACTIVE = "active";
    public static final String SORT = "sort";
    public static final String CREATED_AT = "createdAt";
    public static final String UPDATED_AT = "updatedAt";

    private Field() {}
  }
}
