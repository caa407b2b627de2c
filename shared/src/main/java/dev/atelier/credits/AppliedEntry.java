package dev.atelier.credits;

import java.time.Instant;

/**
 * {@code credits/{uid}/applied/{entryId}}: what ledger entry {@code entryId} contributes to the
 * balance, kept where only the system writes (clients and the ledger's editors never touch this
 * collection). It is written together with the balance every time an entry is posted, settled or
 * applied by the trigger, so rewriting, deleting or re-creating the entry document can never count
 * it twice or take it out of the balance. {@code type}, {@code amount} and {@code status} are the
 * entry as applied (null for an entry that was never valid), with {@code reason} and {@code
 * createdAt} to restore a deleted entry; {@code invalidReason} is set while the entry breaks a
 * ledger guard (it then contributes 0).
 */
public record AppliedEntry(
    String uid,
    String entryId,
    long appliedAmount,
    LedgerType type,
    Long amount,
    LedgerStatus status,
    String reason,
    Instant entryCreatedAt,
    String invalidReason,
    Instant updatedAt) {

  /**
   * Whether a valid state of the entry was applied (so its type and amount are fixed from now on).
   */
  public boolean applied() {
    return invalidReason == null && type != null && amount != null && status != null;
  }

  public static final class Field {
    public static final String APPLIED_AMOUNT = "appliedAmount";
    public static final String TYPE = "type";
    public static final String AMOUNT = "amount";
    public static final String STATUS = "status";
    public static final String REASON = "reason";
    public static final String ENTRY_CREATED_AT = "entryCreatedAt";
    public static final String INVALID_REASON = "invalidReason";
    public static final String UPDATED_AT = "updatedAt";

    private Field() {}
  }
}
