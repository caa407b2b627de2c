package dev.atelier.credits;

import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldValue;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.Transaction;
import dev.atelier.catalog.Plan;
import dev.atelier.catalog.PlanCode;
import dev.atelier.http.ApiException;
import dev.atelier.http.ErrorCode;
import dev.atelier.platform.FirestoreTrigger;
import dev.atelier.store.Documents;
import dev.atelier.store.FirestorePaths;
import dev.atelier.store.FirestoreValues;
import dev.atelier.store.MappingException;
import dev.atelier.store.Transactions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Posting: every change to a user's credits goes through one Firestore transaction that writes the
 * ledger entry (with {@code appliedAmount} = its contribution and {@code balanceAfter}) and the
 * balance together, refusing a DEBIT or HOLD that would take the balance below 0. Also the
 * {@code apply-ledger-entry} projection for entries written any other way.
 */
public final class CreditService {

  /** Fixed id of the FREE grant that opens an account: makes opening happen once per uid whatever races. */
  public static final String OPEN_ACCOUNT_ENTRY = "open-account";

  /** The result of a posting, capture or void: the entry and the balance after it. */
  public record Posted(String entryId, LedgerStatus status, long creditBalance) {}

  /** What {@link #applyLedgerEntry} did. */
  public sealed interface Applied {
    /** Entry and balance already agreed (a duplicate or late event): the trigger logs nothing. */
    record Unchanged() implements Applied, FirestoreTrigger.NothingChanged {}
    record Moved(long delta, long creditBalance) implements Applied {}
    record Reversed(long creditBalance, String reason) implements Applied {}
    record Missing() implements Applied {}
  }

  private final Firestore db;
  private final Transactions transactions;

  public CreditService(Firestore db) {
    this.db = db;
    this.transactions = new Transactions(db);
  }

  /** Reads the account inside {@code tx} (balance; the FREE plan too when the account must be opened). */
  public Account load(Transaction tx, String uid) {
    Optional<Balance> balance = read(tx, FirestorePaths.balance(uid), Balance.class);
    long freeCredits = balance.isPresent() ? 0 : freePlanCredits(tx);
    return new Account(db, tx, uid, balance.orElse(null), freeCredits);
  }

  /** The ledger entry {@code entryId} of {@code uid} as read inside {@code tx}. */
  public Optional<LedgerEntry> readEntry(Transaction tx, String uid, String entryId) {
    return read(tx, FirestorePaths.ledgerEntry(uid, entryId), LedgerEntry.class);
  }

  /** Opens the account if it is not open yet; returns the balance either way. */
  public Posted openAccount(String uid) {
    return run(tx -> {
      Account account = load(tx, uid);
      account.write();
      return new Posted(OPEN_ACCOUNT_ENTRY, LedgerStatus.CONFIRMED, account.creditBalance());
    });
  }

  /**
   * Posts one entry. With an entry id (e.g. derived from an idempotency key) a second posting of the
   * same id returns the first result and changes nothing.
   */
  public Posted post(String uid, Posting posting) {
    return run(tx -> {
      if (posting.entryId() != null) {
        Optional<LedgerEntry> existing = read(tx, FirestorePaths.ledgerEntry(uid, posting.entryId()), LedgerEntry.class);
        if (existing.isPresent()) {
          Balance balance = read(tx, FirestorePaths.balance(uid), Balance.class).orElseThrow();
          return new Posted(existing.get().id(), existing.get().status(), balance.creditBalance());
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
    return run(tx -> {
      LedgerEntry entry = read(tx, FirestorePaths.ledgerEntry(uid, entryId), LedgerEntry.class)
          .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no ledger entry " + entryId));
      Balance balance = read(tx, FirestorePaths.balance(uid), Balance.class)
          .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no credits account for " + uid));
      if (entry.type() != LedgerType.HOLD) {
        throw new ApiException(ErrorCode.CONFLICT, "entry " + entryId + " is a " + entry.type() + ", not a HOLD");
      }
      if (entry.status() == target) {
        return new Posted(entryId, target, balance.creditBalance());
      }
      if (entry.status() != LedgerStatus.PENDING) {
        throw new ApiException(ErrorCode.CONFLICT, "hold " + entryId + " is already " + entry.status());
      }
      LedgerEntry settled = withStatus(entry, target);
      long applied = entry.appliedAmount() == null ? 0 : entry.appliedAmount();
      long after = balance.creditBalance() + settled.contribution() - applied;
      updateEntry(tx, settled, after, Map.of());
      if (after != balance.creditBalance()) {
        updateBalance(tx, uid, after);
      }
      return new Posted(entryId, target, after);
    });
  }

  /**
   * The {@code apply-ledger-entry} projection: re-reads the entry and the balance, applies
   * {@code contribution − appliedAmount}, stores the new {@code appliedAmount}. Running it again
   * changes nothing (fixed point). An out-of-band DEBIT or HOLD that would overdraw is marked
   * REVERSED with the reason in {@code meta}.
   *
   * @throws MappingException when the entry is malformed (a retry cannot help; the caller logs it)
   */
  public Applied applyLedgerEntry(String uid, String entryId) {
    return run(tx -> {
      DocumentSnapshot entrySnap = tx.get(db.document(FirestorePaths.ledgerEntry(uid, entryId))).get();
      Optional<Balance> balance = read(tx, FirestorePaths.balance(uid), Balance.class);
      if (!entrySnap.exists()) {
        return new Applied.Missing();
      }
      LedgerEntry entry = Documents.read(entrySnap, LedgerEntry.class).orElseThrow();
      long applied = entry.appliedAmount() == null ? 0 : entry.appliedAmount();
      long delta = entry.contribution() - applied;
      if (delta == 0 && entry.appliedAmount() != null) {
        return new Applied.Unchanged();
      }
      // An entry written out of band for a uid with no account: open it first, in the same transaction.
      Account opening = balance.isPresent() ? null : new Account(db, tx, uid, null, freePlanCredits(tx));
      long current = opening == null ? balance.get().creditBalance() : opening.creditBalance();
      boolean takes = entry.type() == LedgerType.DEBIT || entry.type() == LedgerType.HOLD;
      Applied outcome;
      LedgerEntry target = entry;
      Map<String, Object> meta = Map.of();
      if (takes && delta < 0 && current + delta < 0) {
        String reason = "would overdraw: balance " + current + ", entry " + entry.amount();
        target = withStatus(entry, LedgerStatus.REVERSED);
        meta = Map.of("reversalReason", reason, "reversedBy", "apply-ledger-entry");
        outcome = new Applied.Reversed(current + target.contribution() - applied, reason);
      } else {
        outcome = new Applied.Moved(delta, current + delta);
      }
      long after = current + target.contribution() - applied;
      updateEntry(tx, target, after, meta);
      if (opening == null) {
        updateBalance(tx, uid, after);
      } else {
        opening.adjust(after - current);
        opening.write();
      }
      return outcome;
    });
  }

  /** Records on the entry its status, that its whole contribution is applied, and the balance after it. */
  private void updateEntry(Transaction tx, LedgerEntry entry, long balanceAfter, Map<String, Object> extraMeta) {
    Map<String, Object> update = new LinkedHashMap<>();
    update.put(LedgerEntry.Field.STATUS, FirestoreValues.toFirestore(entry.status()));
    update.put(LedgerEntry.Field.APPLIED_AMOUNT, entry.contribution());
    update.put(LedgerEntry.Field.BALANCE_AFTER, balanceAfter);
    extraMeta.forEach((k, v) -> update.put(LedgerEntry.Field.META + "." + k, v));
    tx.update(db.document(FirestorePaths.ledgerEntry(entry.uid(), entry.id())), update);
  }

  private void updateBalance(Transaction tx, String uid, long creditBalance) {
    Map<String, Object> update = new LinkedHashMap<>();
    update.put(Balance.Field.CREDIT_BALANCE, creditBalance);
    update.put(Balance.Field.UPDATED_AT, FieldValue.serverTimestamp());
    tx.update(db.document(FirestorePaths.balance(uid)), update);
  }

  private static LedgerEntry withStatus(LedgerEntry e, LedgerStatus status) {
    return new LedgerEntry(e.uid(), e.id(), e.type(), e.amount(), e.reason(), status, e.meta(), e.createdAt(),
        e.appliedAmount(), e.balanceAfter(), e.idempotencyKey());
  }

  private long freePlanCredits(Transaction tx) {
    return read(tx, FirestorePaths.plan(PlanCode.FREE.wire()), Plan.class).map(Plan::credits)
        .orElseThrow(() -> new IllegalStateException("plans/FREE is missing: load the catalog seed"));
  }

  private <T> Optional<T> read(Transaction tx, String path, Class<T> type) {
    return Transactions.read(tx, db, path, type);
  }

  /** Runs {@code body} in the shared transaction runner ({@link Transactions}). */
  public <T> T run(Transaction.Function<T> body) {
    return transactions.run(body);
  }
}
