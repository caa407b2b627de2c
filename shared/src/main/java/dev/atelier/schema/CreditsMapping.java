package dev.atelier.schema;

import dev.atelier.catalog.PlanCode;
import dev.atelier.credits.AppliedEntry;
import dev.atelier.credits.Balance;
import dev.atelier.credits.LedgerEntry;
import dev.atelier.credits.LedgerStatus;
import dev.atelier.credits.LedgerType;
import dev.atelier.store.DocumentKey;

/** Codecs of {@code credits/{uid}/balance/current} and {@code credits/{uid}/ledger/{entryId}}. */
final class CreditsMapping {
  private CreditsMapping() {}

  static void writeBalance(Balance b, DocWriter w) {
    w.put(Balance.Field.UID, b.uid())
        .put(Balance.Field.CREDIT_BALANCE, b.creditBalance())
        .put(Balance.Field.PLAN_CODE, b.planCode())
        .put(Balance.Field.CREATED_AT, b.createdAt())
        .put(Balance.Field.UPDATED_AT, b.updatedAt());
  }

  static Balance readBalance(DocumentKey key, DocReader r) {
    return new Balance(
        key.id("uid"),
        r.lng(Balance.Field.CREDIT_BALANCE),
        r.enm(Balance.Field.PLAN_CODE, PlanCode.class),
        r.optInstant(Balance.Field.CREATED_AT),
        r.optInstant(Balance.Field.UPDATED_AT));
  }

  static void writeEntry(LedgerEntry e, DocWriter w) {
    w.put(LedgerEntry.Field.TYPE, e.type())
        .put(LedgerEntry.Field.AMOUNT, e.amount())
        .put(LedgerEntry.Field.REASON, e.reason())
        .put(LedgerEntry.Field.STATUS, e.status())
        .put(LedgerEntry.Field.META, e.meta())
        .put(LedgerEntry.Field.CREATED_AT, e.createdAt())
        .put(LedgerEntry.Field.APPLIED_AMOUNT, e.appliedAmount())
        .put(LedgerEntry.Field.BALANCE_AFTER, e.balanceAfter())
        .put(LedgerEntry.Field.IDEMPOTENCY_KEY, e.idempotencyKey());
  }

  static LedgerEntry readEntry(DocumentKey key, DocReader r) {
    return new LedgerEntry(
        key.id("uid"),
        key.id("entryId"),
        r.enm(LedgerEntry.Field.TYPE, LedgerType.class),
        r.lng(LedgerEntry.Field.AMOUNT),
        r.optStr(LedgerEntry.Field.REASON),
        r.enm(LedgerEntry.Field.STATUS, LedgerStatus.class),
        r.rawMap(LedgerEntry.Field.META),
        r.optInstant(LedgerEntry.Field.CREATED_AT),
        r.optLng(LedgerEntry.Field.APPLIED_AMOUNT),
        r.optLng(LedgerEntry.Field.BALANCE_AFTER),
        r.optStr(LedgerEntry.Field.IDEMPOTENCY_KEY));
  }

  static void writeApplied(AppliedEntry a, DocWriter w) {
    w.put(AppliedEntry.Field.APPLIED_AMOUNT, a.appliedAmount())
        .put(AppliedEntry.Field.TYPE, a.type())
        .put(AppliedEntry.Field.AMOUNT, a.amount())
        .put(AppliedEntry.Field.STATUS, a.status())
        .put(AppliedEntry.Field.REASON, a.reason())
        .put(AppliedEntry.Field.ENTRY_CREATED_AT, a.entryCreatedAt())
        .put(AppliedEntry.Field.INVALID_REASON, a.invalidReason())
        .put(AppliedEntry.Field.UPDATED_AT, a.updatedAt());
  }

  static AppliedEntry readApplied(DocumentKey key, DocReader r) {
    return new AppliedEntry(
        key.id("uid"),
        key.id("entryId"),
        r.lng(AppliedEntry.Field.APPLIED_AMOUNT),
        r.optEnm(AppliedEntry.Field.TYPE, LedgerType.class),
        r.optLng(AppliedEntry.Field.AMOUNT),
        r.optEnm(AppliedEntry.Field.STATUS, LedgerStatus.class),
        r.optStr(AppliedEntry.Field.REASON),
        r.optInstant(AppliedEntry.Field.ENTRY_CREATED_AT),
        r.optStr(AppliedEntry.Field.INVALID_REASON),
        r.optInstant(AppliedEntry.Field.UPDATED_AT));
  }
}
