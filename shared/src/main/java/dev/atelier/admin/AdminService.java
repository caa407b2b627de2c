package dev.atelier.admin;

import dev.atelier.catalog.PlanCode;
import dev.atelier.credits.Account;
import dev.atelier.credits.CreditService;
import dev.atelier.credits.LedgerType;
import dev.atelier.credits.Posting;
import dev.atelier.firestore.Database;
import dev.atelier.firestore.FieldValue;
import dev.atelier.firestore.Transaction;
import dev.atelier.idempotency.Idempotency;
import dev.atelier.platform.Refusal;
import dev.atelier.redeem.RedeemCode;
import dev.atelier.redeem.RedeemCodeStatus;
import dev.atelier.redeem.RedeemCodeType;
import dev.atelier.redeem.RedeemService;
import dev.atelier.router.RouterAlert;
import dev.atelier.store.Documents;
import dev.atelier.store.FirestorePaths;
import dev.atelier.store.FirestoreValues;
import dev.atelier.users.AccountStatus;
import dev.atelier.users.UserProfile;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Operator actions behind the admin claim: bulk redeem codes, disabling a code, credit adjustments,
 * suspending and restoring users, alert acknowledgement. Each writes its {@link AdminAudit} record
 * in its own transaction (who, what, target, before/after, when, request id).
 */
public final class AdminService {

  public static final int MAX_CODES_PER_REQUEST = 1000;
  static final Duration ACKNOWLEDGED_ALERT_TTL = Duration.ofDays(90);

  /** A code valid for longer than this is almost certainly a typo in the year. */
  static final Duration MAX_CODE_LIFETIME = Duration.ofDays(3650);

  /** Who acts, under which request (for the audit record). */
  public record Actor(String uid, String requestId) {}

  public record CreatedCodes(
      RedeemCodeType type,
      PlanCode planCode,
      long maxUses,
      Instant validUntil,
      List<String> codes) {}

  public record DisabledCode(String code, RedeemCodeStatus status) {}

  public record Adjusted(
      String uid, LedgerType type, long credits, String entryId, long creditBalance) {}

  public record AcknowledgedAlert(String alertId, boolean acknowledged, Instant expireAt) {}

  public record AccountChange(String uid, AccountStatus accountStatus) {}

  private final Database db;
  private final CreditService credits;
  private final Consumer<String> revokeTokens;
  private final Clock clock;
  private final CodeGenerator generator = new CodeGenerator(new SecureRandom());

  /**
   * @param revokeTokens revokes a user's refresh tokens (Firebase Auth), called after a suspension
   *     commits
   */
  public AdminService(
      Database db, CreditService credits, Consumer<String> revokeTokens, Clock clock) {
    this.db = db;
    this.credits = credits;
    this.revokeTokens = revokeTokens;
    this.clock = clock;
  }

  /**
   * Creates {@code count} new codes in one transaction. Each is written with create(), so an
   * existing code is never overwritten: a collision fails the commit and the whole batch is drawn
   * again.
   */
  public CreatedCodes createCodes(
      Actor actor,
      RedeemCodeType type,
      int count,
      long maxUses,
      Optional<Instant> validUntil,
      Idempotency.Guard guard) {
    if (validUntil.isPresent() && !validUntil.get().isAfter(clock.instant())) {
      throw invalid("validUntil", "must be in the future");
    }
    if (validUntil.isPresent()
        && validUntil.get().isAfter(clock.instant().plus(MAX_CODE_LIFETIME))) {
      throw invalid("validUntil", "must be within " + MAX_CODE_LIFETIME.toDays() + " days");
    }
    return credits.run(
        tx -> {
          Optional<CreatedCodes> replayed = guard.replay(tx, CreatedCodes.class);
          if (replayed.isPresent()) {
            return replayed.get();
          }
          Set<String> codes = new LinkedHashSet<>();
          while (codes.size() < count) {
            codes.add(generator.next(type));
          }
          for (String code : codes) {
            RedeemCode rc =
                new RedeemCode(
                    code,
                    type,
                    type.planCode(),
                    RedeemCodeStatus.ACTIVE,
                    maxUses,
                    0,
                    validUntil.orElse(null),
                    null,
                    null,
                    actor.uid(),
                    List.of());
            tx.create(
                FirestorePaths.redeemCode(code),
                Documents.encode(rc, RedeemCode.Field.CREATED_AT, RedeemCode.Field.UPDATED_AT));
          }
          CreatedCodes created =
              new CreatedCodes(
                  type, type.planCode(), maxUses, validUntil.orElse(null), new ArrayList<>(codes));
          Map<String, Object> after = new LinkedHashMap<>();
          after.put("type", type.name());
          after.put("maxUses", maxUses);
          after.put("validUntil", validUntil.map(Instant::toString).orElse(null));
          after.put("codes", new ArrayList<>(codes));
          audit(
              tx,
              actor,
              AdminAudit.Action.CODES_CREATED,
              FirestorePaths.redeemCodes(),
              Map.of(),
              after);
          guard.remember(tx, created);
          return created;
        });
  }

  public DisabledCode disableCode(Actor actor, String rawCode) {
    String code = RedeemService.normalise(rawCode);
    return credits.run(
        tx -> {
          String ref = FirestorePaths.redeemCode(code);
          RedeemCode rc =
              Documents.read(tx.get(ref), RedeemCode.class)
                  .orElseThrow(
                      () ->
                          new Refusal(
                              Refusal.Problem.CODE_NOT_FOUND,
                              "no such code",
                              Map.of("code", code)));
          if (rc.status() != RedeemCodeStatus.DISABLED) {
            tx.update(
                ref,
                Map.of(
                    RedeemCode.Field.STATUS,
                    FirestoreValues.toFirestore(RedeemCodeStatus.DISABLED),
                    RedeemCode.Field.UPDATED_AT,
                    FieldValue.serverTimestamp()));
            audit(
                tx,
                actor,
                AdminAudit.Action.CODE_DISABLED,
                FirestorePaths.redeemCode(code),
                Map.of("status", rc.status().wire()),
                Map.of("status", RedeemCodeStatus.DISABLED.wire()));
          }
          return new DisabledCode(code, RedeemCodeStatus.DISABLED);
        });
  }

  /** A GRANT or DEBIT on an existing account; a DEBIT below 0 is 402 INSUFFICIENT_CREDITS. */
  public Adjusted adjustCredits(
      Actor actor,
      String uid,
      LedgerType type,
      long amount,
      String reason,
      Idempotency.Guard guard) {
    if (type != LedgerType.GRANT && type != LedgerType.DEBIT) {
      throw invalid("type", "must be GRANT or DEBIT");
    }
    return credits.run(
        tx -> {
          Optional<Adjusted> replayed = guard.replay(tx, Adjusted.class);
          if (replayed.isPresent()) {
            return replayed.get();
          }
          Account account = credits.load(tx, uid);
          if (account.opening()) {
            throw new Refusal(
                Refusal.Problem.NOT_FOUND, "no credits account for this uid", Map.of("uid", uid));
          }
          long before = account.creditBalance();
          Map<String, Object> meta = new LinkedHashMap<>();
          meta.put("adjustedBy", actor.uid());
          String entryId =
              account.post(new Posting(type, amount, reason, meta, null, guard.key().orElse(null)));
          account.write();
          Adjusted adjusted = new Adjusted(uid, type, amount, entryId, account.creditBalance());
          audit(
              tx,
              actor,
              AdminAudit.Action.CREDITS_ADJUSTED,
              FirestorePaths.balance(uid),
              Map.of("creditBalance", before),
              Map.of(
                  "creditBalance",
                  account.creditBalance(),
                  "entryId",
                  entryId,
                  "type",
                  type.name(),
                  "credits",
                  amount,
                  "reason",
                  reason));
          guard.remember(tx, adjusted);
          return adjusted;
        });
  }

  /**
   * Suspends a user: {@code metadata.accountStatus = suspended} (every write of theirs is refused
   * from now on) and, after commit, their refresh tokens are revoked so sessions end. Suspending
   * twice is a no-op.
   */
  public AccountChange suspend(Actor actor, String uid, String reason) {
    AccountChange change = setStatus(actor, uid, AccountStatus.SUSPENDED, reason);
    revokeTokens.accept(uid);
    return change;
  }

  /** Lifts a suspension: {@code metadata.accountStatus = active}. */
  public AccountChange restore(Actor actor, String uid) {
    return setStatus(actor, uid, AccountStatus.ACTIVE, null);
  }

  private AccountChange setStatus(Actor actor, String uid, AccountStatus target, String reason) {
    return credits.run(
        tx -> {
          String ref = FirestorePaths.user(uid);
          UserProfile user =
              Documents.read(tx.get(ref), UserProfile.class)
                  .orElseThrow(
                      () ->
                          new Refusal(
                              Refusal.Problem.NOT_FOUND, "no such user", Map.of("uid", uid)));
          AccountStatus before =
              user.metadata() == null || user.metadata().accountStatus() == null
                  ? AccountStatus.ACTIVE
                  : user.metadata().accountStatus();
          if (before != target) {
            tx.update(
                ref,
                Map.of(
                    UserProfile.Field.ACCOUNT_STATUS,
                    target.wire(),
                    UserProfile.Field.UPDATED_AT,
                    FieldValue.serverTimestamp()));
            Map<String, Object> after = new LinkedHashMap<>();
            after.put("accountStatus", target.wire());
            if (reason != null) {
              after.put("reason", reason);
            }
            audit(
                tx,
                actor,
                target == AccountStatus.SUSPENDED
                    ? AdminAudit.Action.USER_SUSPENDED
                    : AdminAudit.Action.USER_RESTORED,
                FirestorePaths.user(uid),
                Map.of("accountStatus", before.wire()),
                after);
          }
          return new AccountChange(uid, target);
        });
  }

  /**
   * Marks the alert acknowledged and lets the TTL policy delete it 90 days on. Acknowledging twice
   * keeps the first.
   */
  public AcknowledgedAlert acknowledgeAlert(Actor actor, String alertId) {
    return credits.run(
        tx -> {
          String ref = FirestorePaths.routerAlert(alertId);
          RouterAlert alert =
              Documents.read(tx.get(ref), RouterAlert.class)
                  .orElseThrow(
                      () ->
                          new Refusal(
                              Refusal.Problem.NOT_FOUND,
                              "no such alert",
                              Map.of("alertId", alertId)));
          if (alert.acknowledged() && alert.expireAt() != null) {
            return new AcknowledgedAlert(alertId, true, alert.expireAt());
          }
          Instant expireAt = clock.instant().plus(ACKNOWLEDGED_ALERT_TTL);
          Map<String, Object> update = new LinkedHashMap<>();
          update.put(RouterAlert.Field.ACKNOWLEDGED, true);
          update.put(RouterAlert.Field.ACKNOWLEDGED_AT, FieldValue.serverTimestamp());
          update.put(RouterAlert.Field.ACKNOWLEDGED_BY, actor.uid());
          update.put(RouterAlert.Field.EXPIRE_AT, FirestoreValues.toFirestore(expireAt));
          tx.update(ref, update);
          audit(
              tx,
              actor,
              AdminAudit.Action.ALERT_ACKNOWLEDGED,
              FirestorePaths.routerAlert(alertId),
              Map.of("acknowledged", false),
              Map.of("acknowledged", true, "expireAt", expireAt.toString()));
          return new AcknowledgedAlert(alertId, true, expireAt);
        });
  }

  private void audit(
      Transaction tx,
      Actor actor,
      AdminAudit.Action action,
      String target,
      Map<String, Object> before,
      Map<String, Object> after) {
    String id = Database.autoId();
    AdminAudit record =
        new AdminAudit(id, actor.uid(), action, target, before, after, null, actor.requestId());
    tx.create(FirestorePaths.adminAudit(id), Documents.encode(record, AdminAudit.Field.AT));
  }

  private static Refusal invalid(String field, String message) {
    return new Refusal(
        Refusal.Problem.INVALID_ARGUMENT,
        "request body has invalid fields",
        Map.of("fields", Map.of(field, message)));
  }
}
