package dev.atelier.schema;

import dev.atelier.idempotency.IdempotencyRecord;
import dev.atelier.store.DocumentKey;

/** Codec of {@code idempotencyKeys/{recordId}}. */
final class IdempotencyMapping {
  private IdempotencyMapping() {}

  static void writeRecord(IdempotencyRecord r, DocWriter w) {
    w.put(IdempotencyRecord.Field.UID, r.uid())
        .put(IdempotencyRecord.Field.KEY, r.key())
        .put(IdempotencyRecord.Field.REQUEST_HASH, r.requestHash())
        .put(IdempotencyRecord.Field.RESPONSE, r.response())
        .put(IdempotencyRecord.Field.REFUSAL, r.refusal())
        .put(IdempotencyRecord.Field.CREATED_AT, r.createdAt())
        .put(IdempotencyRecord.Field.EXPIRE_AT, r.expireAt());
  }

  static IdempotencyRecord readRecord(DocumentKey key, DocReader r) {
    return new IdempotencyRecord(
        key.id("recordId"),
        r.str(IdempotencyRecord.Field.UID),
        r.str(IdempotencyRecord.Field.KEY),
        r.str(IdempotencyRecord.Field.REQUEST_HASH),
        r.str(IdempotencyRecord.Field.RESPONSE),
        r.optStr(IdempotencyRecord.Field.REFUSAL),
        r.optInstant(IdempotencyRecord.Field.CREATED_AT),
        r.optInstant(IdempotencyRecord.Field.EXPIRE_AT));
  }
}
