package dev.atelier.credits;

import dev.atelier.catalog.Plan;
import dev.atelier.catalog.PlanCode;
import dev.atelier.firestore.Database;
import dev.atelier.firestore.FieldValue;
import dev.atelier.firestore.Transaction;
import dev.atelier.platform.FirestoreTrigger;
import dev.atelier.platform.Refusal;
import dev.atelier.router.AlertSeverity;
import dev.atelier.router.AlertType;
import dev.atelier.router.RouterAlert;
import dev.atelier.store.Documents;
import dev.atelier.store.FirestorePaths;
import dev.atelier.store.Transactions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Posting: every change to a user's credits goes through one Firestore transaction that writes the
 * ledger entry (with {@code appliedAmount} = its contribution and {@code balanceAfter}), its
 * applied record ({@link AppliedEntry}, where only the system writes) and the balance together,
 * refusing a DEBIT or HOLD that would take the balance below 0. Also the {@code apply-ledger-entry}
 * projection with the ledger guards, for entries written any other way.
 */
public final class CreditService {

  /**
   * Prefix of every ledger entry id the system makes; console users' auto ids never collide with
   * them.
   */
  public static final String SYSTEM_PREFIX = "sys_";

  /**
   * Ledger guards: no single entry moves more than this, and no balance passes {@link
   * #MAX_BALANCE}.
   */
  public static final long MAX_ENTRY_AMOUNT = 1_000_000_000L;

  public static final long MAX_BALANCE = 1_000_000_000_000L;

  /** The result of a posting, capture or void: the entry and the balance after it. */
  public record Posted(String entryId, LedgerStatus status, long creditBalance) {}

  /** What {@link #applyLedgerEntry} did. */
  public sealed interface Applied {
    record Unchanged() implements Applied, FirestoreTrigger.NothingChanged {}

    record Moved(long delta, long creditBalance) implements Applied {}

    /** An out-of-band DEBIT or HOLD that would overdraw: marked REVERSED, contributes nothing. */
    record Reversed(long creditBalance, String reason) implements Applied {}

    /**
     * The entry breaks a ledger guard: it contributes nothing, is marked {@code invalid} and
     * alerted.
     */
    record Invalid(String reason, long creditBalance) implements Applied {}

    /**
     * An applied entry was changed in a way the ledger does not allow (deleted, its type or amount
     * rewritten, an illegal status move): the system wrote it back as applied and raised an alert.
     */
    record Restored(String reason) implements Applied {}

    /** A deleted entry that never contributed: nothing to do. */
    record Missing() implements Applied, FirestoreTrigger.NothingChanged {}
  }

  private final Database db;
  private final Transactions transactions;
  private final Clock clock;

  public CreditService(Database db, Clock clock) {
    this.db = db;
    this.transactions = new Transactions(db);
    this.clock = clock;
  }

  /**
   * Reads the account inside {@code tx} (balance; the FREE plan too when the account must be
   * opened).
   */
  public Account load(Transaction tx, String uid) {
    Optional<Balance> balance = read(tx, FirestorePaths.balance(uid), Balance.class);
    long freeCredits = balance.isPresent() ? 0 : freePlanCredits(tx);
    return new Account(db, tx, uid, balance.orElse(null), freeCredits);
  }

  /**
   * The ledger entry {@code entryId} of {@code uid} as the system applied it, read inside {@code
   * tx}: type, amount and status come from its applied record when there is one (the entry document
   * itself may have been edited by hand), the rest from the document.
   */
  public Optional<LedgerEntry> readEntry(Transaction tx, String uid, String entryId) {
    Optional<LedgerEntry> stored = readStoredEntry(tx, uid, entryId);
    Optional<AppliedEntry> applied =
        read(tx, FirestorePaths.appliedEntry(uid, entryId), AppliedEntry.class)
            .filter(AppliedEntry::applied);
    if (applied.isEmpty()) {
      return stored;
    }
    AppliedEntry a = applied.get();
    LedgerEntry e = stored.orElse(null);
    return Optional.of(
        new LedgerEntry(
            uid,
            entryId,
            a.type(),
            a.amount(),
            a.reason(),
            a.status(),
            e == null ? Map.of() : e.meta(),
            a.entryCreatedAt(),
            a.appliedAmount(),
            e == null ? null : e.balanceAfter(),
            e == null ? null : e.idempotencyKey()));
  }

  /** Opens the account if it is not open yet; returns the balance either way. */
  public Posted openAccount(String uid) {
    return run(
        tx -> {
          Account account = load(tx, uid);
          account.write();
          return new Posted(null, LedgerStatus.CONFIRMED, account.creditBalance());
        });
  }

  /**
   * Posts one entry. With an entry id (e.g. derived from an idempotency key) a second posting of
   * the same id returns the first result and changes nothing — also when the entry document was
   * deleted by hand meanwhile (its applied record says it is in the balance; the trigger puts the
   * document back).
   */
  public Posted post(String uid, Posting posting) {
    return run(
        tx -> {
          if (posting.entryId() != null) {
            Optional<LedgerEntry> existing = readEntry(tx, uid, posting.entryId());
            if (existing.isPresent()) {
              Balance balance = read(tx, FirestorePaths.balance(uid), Balance.class).orElseThrow();
              return new Posted(
                  existing.get().id(), existing.get().status(), balance.creditBalance());
            }
          }
          Account account = load(tx, uid);
          String id = account.post(posting);
          account.write();
          return new Posted(id, posting.initialStatus(), account.creditBalance());
        });
  }

  /** Captures a PENDING hold (→ CONFIRMED, the credits are spent). Capturing twice is a no-op. */
  public Posted capture(String uid, String entryId) {
    return settleHold(uid, entryId, LedgerStatus.CONFIRMED);
  }

  /** Voids a PENDING hold (→ REVERSED, the credits come back). Voiding twice is a no-op. */
  public Posted voidHold(String uid, String entryId) {
    return settleHold(uid, entryId, LedgerStatus.REVERSED);
  }

  private Posted settleHold(String uid, String entryId, LedgerStatus target) {
    return run(
        tx -> {
          LedgerEntry entry =
              readEntry(tx, uid, entryId)
                  .orElseThrow(
                      () -> new Refusal(Refusal.Problem.NOT_FOUND, "no ledger entry " + entryId));
          if (read(tx, FirestorePaths.balance(uid), Balance.class).isEmpty()) {
            throw new Refusal(Refusal.Problem.NOT_FOUND, "no credits account for " + uid);
          }
          if (entry.type() != LedgerType.HOLD) {
            throw new Refusal(
                Refusal.Problem.CONFLICT,
                "entry " + entryId + " is a " + entry.type() + ", not a HOLD");
          }
          Account account = load(tx, uid);
          Account.Settlement settlement = account.settle(entry, target);
          if (settlement == Account.Settlement.NOT_PENDING) {
            throw new Refusal(
                Refusal.Problem.CONFLICT, "hold " + entryId + " is already " + entry.status());
          }
          account.write();
          return new Posted(entryId, target, account.creditBalance());
        });
  }

  /**
   * The {@code apply-ledger-entry} projection with the SPEC's ledger guards. Inside one transaction
   * it reads the entry, its applied record and the balance, then:
   *
   * <ul>
   *   <li>an entry already applied in a valid state may only move PENDING → CONFIRMED | REVERSED; a
   *       deletion, a rewritten type or amount, or any other status move is undone (the entry is
   *       written back as applied, marked {@code restored}) and alerted — the ledger is
   *       append-only;
   *   <li>any other entry is checked (type and status from their sets, an integer amount whose sign
   *       matches the type, {@code |amount| ≤ 10^9}, a balance that stays within 10^12): a failing
   *       entry contributes 0, is marked {@code invalid: {reason}} and alerted once; a valid one is
   *       applied ({@code contribution − applied}); an out-of-band DEBIT or HOLD that would
   *       overdraw is marked REVERSED with the reason in {@code meta}.
   * </ul>
   *
   * Running it again changes nothing (fixed point); its own writes re-fire it once as a no-op.
   */
  public Applied applyLedgerEntry(String uid, String entryId) {
    return run(tx -> new LedgerApplication(this, db, tx, uid, entryId).apply());
  }

  /** The applied record of an entry the system just posted or settled. */
  static AppliedEntry appliedRecord(LedgerEntry e, String invalidReason) {
    return new AppliedEntry(
        e.uid(),
        e.id(),
        invalidReason == null ? e.contribution() : 0,
        e.type(),
        e.amount(),
        e.status(),
        e.reason(),
        e.createdAt(),
        invalidReason,
        null);
  }

  /**
   * The deterministic id of the alert about one finding on one entry (so re-deliveries alert once).
   */
  static String alertId(String uid, String entryId, String reason) {
    return "ledger_" + sha256(uid + "/" + entryId + "/" + reason).substring(0, 24);
  }

  /**
   * Writes the alert of one ledger guard finding (the caller checked that it does not exist yet).
   */
  void writeAlert(
      Transaction tx, String uid, String entryId, AlertSeverity severity, String reason) {
    String id = alertId(uid, entryId, reason);
    RouterAlert alert =
        new RouterAlert(
            id,
            AlertType.LEDGER_INVALID_ENTRY,
            severity,
            null,
            "ledger entry " + uid + "/" + entryId + ": " + reason,
            Map.of("uid", uid, "entry", uid + "/" + entryId, "reason", reason),
            false,
            clock.instant(),
            null,
            null,
            null);
    tx.create(FirestorePaths.routerAlert(id), Documents.encode(alert));
  }

  void updateBalance(Transaction tx, String uid, long creditBalance) {
    Map<String, Object> update = new LinkedHashMap<>();
    update.put(Balance.Field.CREDIT_BALANCE, creditBalance);
    update.put(Balance.Field.UPDATED_AT, FieldValue.serverTimestamp());
    tx.update(FirestorePaths.balance(uid), update);
  }

  long freePlanCredits(Transaction tx) {
    return read(tx, FirestorePaths.plan(PlanCode.FREE.wire()), Plan.class)
        .map(Plan::credits)
        .orElseThrow(
            () -> new IllegalStateException("plans/FREE is missing: load the catalog seed"));
  }

  /** The entry document as stored (decoded strictly); empty when absent. */
  private Optional<LedgerEntry> readStoredEntry(Transaction tx, String uid, String entryId) {
    return read(tx, FirestorePaths.ledgerEntry(uid, entryId), LedgerEntry.class);
  }

  <T> Optional<T> read(Transaction tx, String path, Class<T> type) {
    return Transactions.read(tx, path, type);
  }

  /** Runs {@code body} in the shared transaction runner ({@link Transactions}). */
  public <T> T run(Transaction.Body<T> body) {
    return transactions.run(body);
  }

  static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
