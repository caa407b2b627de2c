package dev.atelier.credits;

import java.util.Map;

/**
 * A request to post one ledger entry. {@code credits} is the magnitude (&gt; 0); the sign follows
 * the type. GRANT, DEBIT and REFUND post CONFIRMED; HOLD posts PENDING (captured or voided later).
 *
 * @param entryId the entry's document id; null for an auto id
 * @param idempotencyKey recorded on the entry; null when none
 */
public record Posting(
    LedgerType type,
    long credits,
    String reason,
    Map<String, Object> meta,
    String entryId,
    String idempotencyKey) {

  public Posting {
    if (credits <= 0) {
      throw new IllegalArgumentException("credits must be > 0, got " + credits);
    }
    meta = meta == null ? Map.of() : Map.copyOf(meta);
  }

  public static Posting of(LedgerType type, long credits, String reason) {
    return new Posting(type, credits, reason, Map.of(), null, null);
  }

  public Posting withEntryId(String id) {
    return new Posting(type, credits, reason, meta, id, idempotencyKey);
  }

  public Posting withMeta(Map<String, Object> more) {
    return new Posting(type, credits, reason, more, entryId, idempotencyKey);
  }

  long signedAmount() {
    return type.sign() * credits;
  }

  LedgerStatus initialStatus() {
    return type == LedgerType.HOLD ? LedgerStatus.PENDING : LedgerStatus.CONFIRMED;
  }
}
