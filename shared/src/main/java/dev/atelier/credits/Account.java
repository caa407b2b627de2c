package dev.atelier.credits;

import dev.atelier.catalog.PlanCode;
import dev.atelier.firestore.Database;
import dev.atelier.firestore.FieldValue;
import dev.atelier.firestore.Transaction;
import dev.atelier.platform.Refusal;
import dev.atelier.store.Documents;
import dev.atelier.store.FirestorePaths;
import dev.atelier.store.FirestoreValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One user's credits inside one Firestore transaction: the balance as read at the start (opening
 * the account — FREE plan, GRANT of its credits under a fresh {@code sys_open_…} id — when it did
 * not exist), the postings made so far, and {@link #write()} which writes them all. Reads happen in
 * {@link CreditService#load} (and {@link CreditService#readEntry} for holds to settle); this class
 * only buffers writes, so callers can do their own reads first and write together at the end, as
 * Firestore transactions require.
 */
public final class Account {

  private final Database db;
  private final Transaction tx;
  private final String uid;
  private final boolean exists;
  private long balance;
  private PlanCode planCode;
  private final PlanCode originalPlan;
  private final long originalBalance;
  private final List<LedgerEntry> entries = new ArrayList<>();
  private final List<LedgerEntry> settled = new ArrayList<>();

  Account(Database db, Transaction tx, String uid, Balance current, long freeCredits) {
    this.db = db;
    this.tx = tx;
    this.uid = uid;
    this.exists = current != null;
    this.balance = current == null ? 0 : current.creditBalance();
    this.planCode = current == null ? PlanCode.FREE : current.planCode();
    this.originalPlan = planCode;
    this.originalBalance = balance;
    if (current == null) {
      // A fresh system id: opening is decided by balance/current alone, so no entry id anyone
      // writes can block it.
      post(
          Posting.of(LedgerType.GRANT, freeCredits, "Free plan credits on account opening")
              .withEntryId(CreditService.SYSTEM_PREFIX + "open_" + Database.autoId())
              .withMeta(Map.of("planCode", PlanCode.FREE.wire())));
    }
  }

  public String uid() {
    return uid;
  }

  /** Whether this transaction opens the account. */
  public boolean opening() {
    return !exists;
  }

  public long creditBalance() {
    return balance;
  }

  public PlanCode planCode() {
    return planCode;
  }

  /**
   * Buffers one entry and moves the balance by its amount.
   *
   * @return the entry id
   * @throws Refusal 402 INSUFFICIENT_CREDITS when a DEBIT or HOLD would take the balance below 0,
   *     409 CONFLICT when a credit would take it past {@link CreditService#MAX_BALANCE}
   */
  public String post(Posting posting) {
    long amount = posting.signedAmount();
    if (amount < 0 && balance + amount < 0) {
      throw new Refusal(
          Refusal.Problem.INSUFFICIENT_CREDITS,
          "not enough credits",
          Map.of("creditBalance", balance, "required", -amount));
    }
    if (Math.abs(amount) > CreditService.MAX_ENTRY_AMOUNT) {
      // Callers validate amounts: this is a bug, not a request to refuse.
      throw new IllegalArgumentException("posting of " + amount + " is out of bounds");
    }
    if (balance + amount > CreditService.MAX_BALANCE) {
      throw ceiling(balance, amount);
    }
    balance += amount;
    String id =
        posting.entryId() != null
            ? posting.entryId()
            : CreditService.SYSTEM_PREFIX + Database.autoId();
    entries.add(
        new LedgerEntry(
            uid,
            id,
            posting.type(),
            amount,
            posting.reason(),
            posting.initialStatus(),
            posting.meta(),
            null,
            amount,
            balance,
            posting.idempotencyKey()));
    return id;
  }

  /** What {@link #settle} did with a hold. */
  public enum Settlement {
    /** The hold moved from PENDING to the target status (written by {@link #write()}). */
    SETTLED,
    /** The hold already had the target status: nothing to do. */
    ALREADY,
    /** The hold is not PENDING (or not a HOLD): it was settled the other way; left alone. */
    NOT_PENDING
  }

  /**
   * Buffers the capture (CONFIRMED: the credits are spent) or void (REVERSED: they come back) of
   * {@code hold}, read by the caller in this transaction ({@link CreditService#readEntry}).
   *
   * @throws Refusal 409 CONFLICT when voiding would take the balance past {@link
   *     CreditService#MAX_BALANCE} (as {@link #post} does for a posting): the hold stays PENDING
   */
  public Settlement settle(LedgerEntry hold, LedgerStatus target) {
    if (target == LedgerStatus.PENDING) {
      throw new IllegalArgumentException("a hold settles to CONFIRMED or REVERSED");
    }
    if (hold.type() != LedgerType.HOLD) {
      return Settlement.NOT_PENDING;
    }
    if (hold.status() == target) {
      return Settlement.ALREADY;
    }
    if (hold.status() != LedgerStatus.PENDING) {
      return Settlement.NOT_PENDING;
    }
    LedgerEntry done =
        new LedgerEntry(
            hold.uid(),
            hold.id(),
            hold.type(),
            hold.amount(),
            hold.reason(),
            target,
            hold.meta(),
            hold.createdAt(),
            hold.appliedAmount(),
            hold.balanceAfter(),
            hold.idempotencyKey());
    long applied = hold.appliedAmount() == null ? 0 : hold.appliedAmount();
    long after = balance + done.contribution() - applied;
    if (after > CreditService.MAX_BALANCE) {
      // Grants filled the balance while the hold was pending: the void waits until there is room
      // again.
      throw ceiling(balance, done.contribution() - applied);
    }
    balance = after;
    settled.add(
        new LedgerEntry(
            done.uid(),
            done.id(),
            done.type(),
            done.amount(),
            done.reason(),
            target,
            done.meta(),
            done.createdAt(),
            done.contribution(),
            balance,
            done.idempotencyKey()));
    return Settlement.SETTLED;
  }

  private static Refusal ceiling(long balance, long amount) {
    return new Refusal(
        Refusal.Problem.CONFLICT,
        "the balance would pass its limit of " + CreditService.MAX_BALANCE + " credits",
        Map.of("creditBalance", balance, "amount", amount, "limit", CreditService.MAX_BALANCE));
  }

  /**
   * Moves the balance without an entry of its own: the trigger applying an existing entry while
   * opening.
   */
  void adjust(long delta) {
    balance += delta;
  }

  public void changePlan(PlanCode plan) {
    planCode = plan;
  }

  /**
   * Writes the buffered entries (create: an entry id is never reused), each with its applied record
   * ({@link AppliedEntry}, so the trigger knows it is already in the balance), and the balance.
   */
  public void write() {
    if (exists && entries.isEmpty() && settled.isEmpty() && planCode == originalPlan) {
      return;
    }
    for (LedgerEntry e : entries) {
      tx.create(
          FirestorePaths.ledgerEntry(uid, e.id()),
          Documents.encode(e, LedgerEntry.Field.CREATED_AT));
      tx.set(
          FirestorePaths.appliedEntry(uid, e.id()),
          Documents.encode(
              CreditService.appliedRecord(e, null),
              AppliedEntry.Field.ENTRY_CREATED_AT,
              AppliedEntry.Field.UPDATED_AT));
    }
    for (LedgerEntry e : settled) {
      Map<String, Object> update = new LinkedHashMap<>();
      update.put(LedgerEntry.Field.STATUS, FirestoreValues.toFirestore(e.status()));
      update.put(LedgerEntry.Field.APPLIED_AMOUNT, e.appliedAmount());
      update.put(LedgerEntry.Field.BALANCE_AFTER, e.balanceAfter());
      tx.update(FirestorePaths.ledgerEntry(uid, e.id()), update);
      tx.set(
          FirestorePaths.appliedEntry(uid, e.id()),
          Documents.encode(CreditService.appliedRecord(e, null), AppliedEntry.Field.UPDATED_AT));
    }
    String ref = FirestorePaths.balance(uid);
    if (!exists) {
      tx.create(
          ref,
          Documents.encode(
              new Balance(uid, balance, planCode, null, null),
              Balance.Field.CREATED_AT,
              Balance.Field.UPDATED_AT));
    } else if (balance != originalBalance || planCode != originalPlan) {
      // A capture changes no balance: then the balance document is not rewritten either.
      Map<String, Object> update = new LinkedHashMap<>();
      update.put(Balance.Field.CREDIT_BALANCE, balance);
      update.put(Balance.Field.PLAN_CODE, FirestoreValues.toFirestore(planCode));
      update.put(Balance.Field.UPDATED_AT, FieldValue.serverTimestamp());
      tx.update(ref, update);
    }
  }
}
