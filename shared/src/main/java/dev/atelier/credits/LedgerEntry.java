package dev.atelier.credits;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code credits/{uid}/ledger/{id}}. {@code uid} and {@code id} come from the path and are not
 * stored. {@code meta} holds Firestore-native values (String, Long, Double, Boolean, Timestamp,
 * maps, lists) and is never null. {@code appliedAmount} is how much of this entry the balance
 * already reflects (null: none, e.g. an operator wrote the entry straight to the ledger); {@code
 * balanceAfter} and {@code idempotencyKey} are null when not recorded.
 */
public record LedgerEntry(
    String uid,
    String id,
    LedgerType type,
    long amount,
    String reason,
    LedgerStatus status,
    Map<String, Object> meta,
    Instant createdAt,
    Long appliedAmount,
    Long balanceAfter,
    String idempotencyKey) {

  public LedgerEntry {
    // Firestore maps may hold nulls, which Map.copyOf rejects.
    meta = meta == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(meta));
  }

  /** What this entry adds to the balance by the balance rule: its amount unless REVERSED. */
  public long contribution() {
    return status == LedgerStatus.REVERSED ? 0 : amount;
  }

  public static final class Field {
    public static final String TYPE = "type";
    public static final String AMOUNT = "amount";
    public static final String REASON = "reason";
    public static final String STATUS = "status";
    public static final String META = "meta";
    public static final String CREATED_AT = "createdAt";
    public static final String APPLIED_AMOUNT = "appliedAmount";
    public static final String BALANCE_AFTER = "balanceAfter";
    public static final String IDEMPOTENCY_KEY = "idempotencyKey";

    private Field() {}
  }
}
