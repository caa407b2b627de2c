package dev.atelier.credits;

import dev.atelier.credits.CreditService.Applied;
import dev.atelier.firestore.Database;
import dev.atelier.firestore.FieldValue;
import dev.atelier.firestore.Snapshot;
import dev.atelier.firestore.Transaction;
import dev.atelier.router.AlertSeverity;
import dev.atelier.store.Documents;
import dev.atelier.store.FirestorePaths;
import dev.atelier.store.FirestoreValues;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One run of the {@code apply-ledger-entry} projection inside one transaction (see {@link
 * CreditService#applyLedgerEntry}): every read first (entry, applied record, balance, FREE plan
 * when the account must be opened, the alert of a finding), then the writes that make entry, record
 * and balance agree — or none when they already do.
 */
final class LedgerApplication {

  static final String INVALID = "invalid";
  static final String RESTORED = "restored";

  private final CreditService credits;
  private final Database db;
  private final Transaction tx;
  private final String uid;
  private final String entryId;
  private final String entryRef;
  private final String recordRef;

  LedgerApplication(
      CreditService credits, Database db, Transaction tx, String uid, String entryId) {
    this.credits = credits;
    this.db = db;
    this.tx = tx;
    this.uid = uid;
    this.entryId = entryId;
    this.entryRef = FirestorePaths.ledgerEntry(uid, entryId);
    this.recordRef = FirestorePaths.appliedEntry(uid, entryId);
  }

  Applied apply() {
    Snapshot entry = tx.get(FirestorePaths.ledgerEntry(uid, entryId));
    Optional<AppliedEntry> record =
        credits.read(tx, FirestorePaths.appliedEntry(uid, entryId), AppliedEntry.class);
    Optional<Balance> balance = credits.read(tx, FirestorePaths.balance(uid), Balance.class);
    Map<String, Object> fields = entry.exists() ? entry.getData() : null;
    if (record.isPresent() && record.get().applied()) {
      return applied(record.get(), fields, balance);
    }
    if (fields == null) {
      return new Applied.Missing();
    }
    return fresh(fields, record, balance);
  }

  /** An entry already in the balance: only PENDING may settle; anything else is written back. */
  private Applied applied(AppliedEntry a, Map<String, Object> fields, Optional<Balance> balance) {
    String illegal = null;
    LedgerGuards.Valid now = null;
    if (fields == null) {
      illegal = "an applied entry was deleted";
    } else if (LedgerGuards.read(fields) instanceof LedgerGuards.Reading.Bad bad) {
      illegal = "an applied entry was rewritten: " + bad.reason();
    } else {
      now = ((LedgerGuards.Reading.Ok) LedgerGuards.read(fields)).entry();
      if (now.type() != a.type() || now.amount() != a.amount()) {
        illegal =
            "an applied entry's type or amount was rewritten ("
                + a.type()
                + " "
                + a.amount()
                + " → "
                + now.type()
                + " "
                + now.amount()
                + ")";
      } else if (!LedgerGuards.legalMove(a.status(), now.status())) {
        illegal = "illegal status move " + a.status() + " → " + now.status();
      }
    }
    long current = balance.map(Balance::creditBalance).orElse(0L);
    if (illegal == null && now.status() != a.status()) {
      long after = current + now.contribution() - a.appliedAmount();
      if (after < 0) {
        illegal =
            "settling "
                + a.status()
                + " → "
                + now.status()
                + " would overdraw (balance "
                + current
                + ")";
      } else if (after > CreditService.MAX_BALANCE) {
        illegal = "settling would take the balance past " + CreditService.MAX_BALANCE;
      } else {
        // A legal settlement made by hand (e.g. an operator voiding a PENDING hold).
        AppliedEntry next =
            new AppliedEntry(
                uid,
                entryId,
                now.contribution(),
                a.type(),
                a.amount(),
                now.status(),
                a.reason(),
                a.entryCreatedAt(),
                null,
                null);
        Map<String, Object> update = new LinkedHashMap<>();
        update.put(LedgerEntry.Field.APPLIED_AMOUNT, now.contribution());
        update.put(LedgerEntry.Field.BALANCE_AFTER, after);
        if (fields.containsKey(INVALID)) {
          update.put(INVALID, FieldValue.delete());
        }
        tx.update(entryRef, update);
        tx.set(recordRef, Documents.encode(next, AppliedEntry.Field.UPDATED_AT));
        if (after != current) {
          credits.updateBalance(tx, uid, after);
        }
        return new Applied.Moved(after - current, after);
      }
    }
    if (illegal != null) {
      boolean alerted = alerted(illegal);
      tx.set(entryRef, restored(a, fields, illegal));
      if (!alerted) {
        credits.writeAlert(tx, uid, entryId, AlertSeverity.CRITICAL, illegal);
      }
      return new Applied.Restored(illegal);
    }
    // Same state as applied: keep the informational copy on the entry right (e.g. a rewrite dropped
    // it), and take off an `invalid` mark the entry was written with (e.g. copied back from when it
    // was invalid): an applied entry counts, so it must not say that it contributes nothing.
    Map<String, Object> repair = new LinkedHashMap<>();
    if (!Objects.equals(asLong(fields.get(LedgerEntry.Field.APPLIED_AMOUNT)), a.appliedAmount())) {
      repair.put(LedgerEntry.Field.APPLIED_AMOUNT, a.appliedAmount());
    }
    if (fields.containsKey(INVALID)) {
      repair.put(INVALID, FieldValue.delete());
    }
    if (!repair.isEmpty()) {
      tx.update(entryRef, repair);
      return new Applied.Moved(0, current);
    }
    return new Applied.Unchanged();
  }

  /**
   * An entry the balance does not include yet (new, or invalid so far): check it, then apply or
   * mark it.
   */
  private Applied fresh(
      Map<String, Object> fields, Optional<AppliedEntry> record, Optional<Balance> balance) {
    long freeCredits = balance.isPresent() ? 0 : credits.freePlanCredits(tx);
    LedgerGuards.Reading reading = LedgerGuards.read(fields);
    long current = balance.map(Balance::creditBalance).orElse(freeCredits);
    if (reading instanceof LedgerGuards.Reading.Ok ok
        && current + ok.entry().contribution() > CreditService.MAX_BALANCE) {
      reading =
          new LedgerGuards.Reading.Bad(
              "applying it would take the balance past " + CreditService.MAX_BALANCE);
    }
    if (reading instanceof LedgerGuards.Reading.Bad bad) {
      return invalid(bad.reason(), fields, record, current);
    }
    LedgerGuards.Valid valid = ((LedgerGuards.Reading.Ok) reading).entry();
    LedgerStatus status = valid.status();
    Map<String, Object> extraMeta = Map.of();
    String reversal = null;
    if (valid.contribution() < 0 && current + valid.contribution() < 0) {
      reversal = "would overdraw: balance " + current + ", entry " + valid.amount();
      status = LedgerStatus.REVERSED;
      extraMeta = Map.of("reversalReason", reversal, "reversedBy", "apply-ledger-entry");
    }
    long contribution = status == LedgerStatus.REVERSED ? 0 : valid.amount();
    long after = current + contribution;
    AppliedEntry next =
        new AppliedEntry(
            uid,
            entryId,
            contribution,
            valid.type(),
            valid.amount(),
            status,
            fields.get(LedgerEntry.Field.REASON) instanceof String r ? r : null,
            createdAt(fields),
            null,
            null);

    Map<String, Object> update = new LinkedHashMap<>();
    update.put(LedgerEntry.Field.STATUS, FirestoreValues.toFirestore(status));
    update.put(LedgerEntry.Field.APPLIED_AMOUNT, contribution);
    update.put(LedgerEntry.Field.BALANCE_AFTER, after);
    if (fields.containsKey(INVALID)) {
      update.put(INVALID, FieldValue.delete());
    }
    extraMeta.forEach((k, v) -> update.put(LedgerEntry.Field.META + "." + k, v));
    if (balance.isEmpty()) {
      // An entry written for a uid without an account: open it first, in this transaction.
      Account opening = new Account(db, tx, uid, null, freeCredits);
      opening.adjust(contribution);
      opening.write();
    } else if (after != current) {
      credits.updateBalance(tx, uid, after);
    }
    tx.update(entryRef, update);
    tx.set(recordRef, Documents.encode(next, AppliedEntry.Field.UPDATED_AT));
    return reversal != null
        ? new Applied.Reversed(after, reversal)
        : new Applied.Moved(contribution, after);
  }

  /**
   * Marks the entry invalid (with {@code appliedAmount} 0 when it claimed more) and records that it
   * contributes nothing; alerts once per reason.
   */
  private Applied invalid(
      String reason, Map<String, Object> fields, Optional<AppliedEntry> record, long current) {
    boolean marked = fields.get(INVALID) instanceof Map<?, ?> m && reason.equals(m.get("reason"));
    boolean recorded = record.isPresent() && reason.equals(record.get().invalidReason());
    // An entry written with an appliedAmount (e.g. copied from an applied one) must not claim a
    // contribution.
    Object claimed = fields.get(LedgerEntry.Field.APPLIED_AMOUNT);
    boolean claimsNothing = claimed == null || Objects.equals(asLong(claimed), 0L);
    if (marked && recorded && claimsNothing) {
      return new Applied.Unchanged();
    }
    boolean alerted = alerted(reason);
    Map<String, Object> update = new LinkedHashMap<>();
    if (!marked) {
      update.put(INVALID, Map.of("reason", reason, "at", FieldValue.serverTimestamp()));
    }
    if (!claimsNothing) {
      update.put(LedgerEntry.Field.APPLIED_AMOUNT, 0L);
    }
    if (!update.isEmpty()) {
      tx.update(entryRef, update);
    }
    if (!recorded) {
      tx.set(
          recordRef,
          Documents.encode(
              new AppliedEntry(uid, entryId, 0, null, null, null, null, null, reason, null),
              AppliedEntry.Field.UPDATED_AT));
    }
    if (!alerted) {
      credits.writeAlert(tx, uid, entryId, AlertSeverity.WARNING, reason);
    }
    return new Applied.Invalid(reason, current);
  }

  private boolean alerted(String reason) {
    return tx.get(FirestorePaths.routerAlert(CreditService.alertId(uid, entryId, reason))).exists();
  }

  /** The entry as it was applied, with whatever else the editor left, marked {@code restored}. */
  private Map<String, Object> restored(AppliedEntry a, Map<String, Object> fields, String why) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (fields != null) {
      out.putAll(fields);
    }
    out.put(LedgerEntry.Field.TYPE, FirestoreValues.toFirestore(a.type()));
    out.put(LedgerEntry.Field.AMOUNT, a.amount());
    out.put(LedgerEntry.Field.STATUS, FirestoreValues.toFirestore(a.status()));
    out.put(LedgerEntry.Field.APPLIED_AMOUNT, a.appliedAmount());
    if (a.reason() != null) {
      out.putIfAbsent(LedgerEntry.Field.REASON, a.reason());
    }
    if (a.entryCreatedAt() != null) {
      out.put(LedgerEntry.Field.CREATED_AT, a.entryCreatedAt());
    }
    out.remove(INVALID);
    out.put(RESTORED, Map.of("reason", why, "at", FieldValue.serverTimestamp()));
    out.put(Documents.SCHEMA_VERSION_FIELD, Documents.SCHEMA_VERSION);
    return out;
  }

  private static java.time.Instant createdAt(Map<String, Object> fields) {
    return fields.get(LedgerEntry.Field.CREATED_AT) instanceof java.time.Instant t ? t : null;
  }

  private static Long asLong(Object value) {
    if (value instanceof Long l) {
      return l;
    }
    return value instanceof Double d && d == Math.rint(d) ? d.longValue() : null;
  }
}
