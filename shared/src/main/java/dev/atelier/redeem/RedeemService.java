package dev.atelier.redeem;

import dev.atelier.catalog.Plan;
import dev.atelier.catalog.PlanCode;
import dev.atelier.catalog.SystemConfig;
import dev.atelier.credits.Account;
import dev.atelier.credits.CreditService;
import dev.atelier.credits.LedgerType;
import dev.atelier.credits.Posting;
import dev.atelier.firestore.Database;
import dev.atelier.firestore.FieldValue;
import dev.atelier.firestore.Snapshot;
import dev.atelier.firestore.Transaction;
import dev.atelier.idempotency.Idempotency;
import dev.atelier.platform.AuthUser;
import dev.atelier.platform.Refusal;
import dev.atelier.store.Documents;
import dev.atelier.store.FirestorePaths;
import dev.atelier.store.FirestoreValues;
import dev.atelier.usage.RateLimiter;
import dev.atelier.users.UserProfile;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Redeems a code (after counting the call against redeem-code's rate limit) in ONE transaction:
 * checks it (exists, ACTIVE, not past validUntil, uses left, not yet used by this uid — its usage
 * document at the deterministic id {@code {code}__{uid}}) and then increments {@code currentUses}
 * (status USED at maxUses), creates the usage at its deterministic id, posts a CONFIRMED GRANT of
 * the plan's credits and sets the balance's plan. Concurrent redeemers serialise on the code
 * document, so a code can never be used more than maxUses times.
 */
public final class RedeemService {

  /** What a successful redeem answers. */
  public record Redeemed(String code, PlanCode planCode, long creditsGranted, long creditBalance) {}

  sealed interface Outcome {
    record Done(Redeemed redeemed) implements Outcome {}

    record Refused(Refusal.Problem code, String message) implements Outcome {}
  }

  private static final Pattern CODE = Pattern.compile("[A-Z0-9][A-Z0-9_-]{0,63}");

  /**
   * The rate-limit key: redeem-code has its own, tighter limit in system/config (code guessing).
   */
  public static final String FUNCTION = "redeem-code";

  private final Database db;
  private final CreditService credits;
  private final RateLimiter limiter;
  private final Clock clock;

  public RedeemService(Database db, CreditService credits, RateLimiter limiter, Clock clock) {
    this.db = db;
    this.credits = credits;
    this.limiter = limiter;
    this.clock = clock;
  }

  /** Trimmed and upper-cased; 400 when it cannot be a code at all. */
  public static String normalise(String raw) {
    String code = raw.trim().toUpperCase(Locale.ROOT);
    if (!CODE.matcher(code).matches()) {
      throw new Refusal(
          Refusal.Problem.INVALID_ARGUMENT,
          "code is malformed",
          Map.of("fields", Map.of("code", "must be letters, digits, '-' or '_' (at most 64)")));
    }
    return code;
  }

  public Redeemed redeem(AuthUser user, String rawCode, Idempotency.Guard guard) {
    String code = normalise(rawCode);
    List<Snapshot> snaps =
        db.getAll(FirestorePaths.systemConfig(), FirestorePaths.user(user.uid()));
    SystemConfig config =
        Documents.read(snaps.get(0), SystemConfig.class)
            .orElseThrow(
                () -> new IllegalStateException("system/config is missing: load the catalog seed"));
    Optional<UserProfile> profile = Documents.read(snaps.get(1), UserProfile.class);
    if (profile.map(UserProfile::suspended).orElse(false)) {
      throw new Refusal(Refusal.Problem.ACCOUNT_SUSPENDED, "this account is suspended");
    }
    limiter.enforce(user.uid(), FUNCTION, config.limits().rateLimitFor(FUNCTION));
    Outcome outcome =
        credits.run(
            tx -> {
              Optional<Redeemed> replayed = guard.replay(tx, Redeemed.class);
              if (replayed.isPresent()) {
                return new Outcome.Done(replayed.get());
              }
              return redeemIn(tx, user, profile, code, guard);
            });
    if (outcome instanceof Outcome.Refused refused) {
      throw new Refusal(refused.code(), refused.message(), Map.of("code", code));
    }
    return ((Outcome.Done) outcome).redeemed();
  }

  /**
   * @param profile the caller's profile as read just before (for the usage's username and email)
   */
  private Outcome redeemIn(
      Transaction tx,
      AuthUser user,
      Optional<UserProfile> profile,
      String code,
      Idempotency.Guard guard) {
    String codeRef = FirestorePaths.redeemCode(code);
    Optional<RedeemCode> found = Documents.read(tx.get(codeRef), RedeemCode.class);
    if (found.isEmpty()) {
      return new Outcome.Refused(Refusal.Problem.CODE_NOT_FOUND, "no such code");
    }
    RedeemCode rc = found.get();
    // The usage document (one per code and uid) is the record of who redeemed: usedBy would grow
    // without bound.
    String usageRef = FirestorePaths.redeemCodeUsage(code, user.uid());
    if (tx.get(usageRef).exists()) {
      return new Outcome.Refused(
          Refusal.Problem.ALREADY_REDEEMED, "you have already redeemed this code");
    }
    switch (rc.status()) {
      case DISABLED -> {
        return new Outcome.Refused(Refusal.Problem.CODE_DISABLED, "this code has been disabled");
      }
      case EXPIRED -> {
        return new Outcome.Refused(Refusal.Problem.CODE_EXPIRED, "this code has expired");
      }
      case USED -> {
        return new Outcome.Refused(Refusal.Problem.CODE_EXHAUSTED, "this code has no uses left");
      }
      case ACTIVE -> {}
    }
    if (rc.validUntil() != null && !clock.instant().isBefore(rc.validUntil())) {
      // Record what we learned; the refusal itself changes nothing else.
      tx.update(
          codeRef,
          Map.of(
              RedeemCode.Field.STATUS,
              FirestoreValues.toFirestore(RedeemCodeStatus.EXPIRED),
              RedeemCode.Field.UPDATED_AT,
              FieldValue.serverTimestamp()));
      return new Outcome.Refused(Refusal.Problem.CODE_EXPIRED, "this code has expired");
    }
    if (rc.currentUses() >= rc.maxUses()) {
      return new Outcome.Refused(Refusal.Problem.CODE_EXHAUSTED, "this code has no uses left");
    }
    Plan plan =
        Documents.read(tx.get(FirestorePaths.plan(rc.planCode().wire())), Plan.class)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "plans/" + rc.planCode().wire() + " is missing: load the catalog seed"));
    Account account = credits.load(tx, user.uid());

    long uses = rc.currentUses() + 1;
    Map<String, Object> codeUpdate = new LinkedHashMap<>();
    codeUpdate.put(RedeemCode.Field.CURRENT_USES, uses);
    if (uses >= rc.maxUses()) {
      codeUpdate.put(RedeemCode.Field.STATUS, FirestoreValues.toFirestore(RedeemCodeStatus.USED));
    }
    codeUpdate.put(RedeemCode.Field.UPDATED_AT, FieldValue.serverTimestamp());
    tx.update(codeRef, codeUpdate);

    String email = profile.map(UserProfile::email).or(user::email).orElse(null);
    String username = profile.map(UserProfile::username).orElse(null);
    RedeemCodeUsage usage =
        new RedeemCodeUsage(
            FirestorePaths.redeemCodeUsageId(code, user.uid()),
            code,
            user.uid(),
            username,
            email,
            rc.planCode(),
            plan.credits(),
            null);
    tx.create(usageRef, Documents.encode(usage, RedeemCodeUsage.Field.USED_AT));

    if (plan.credits() > 0) {
      account.post(
          new Posting(
              LedgerType.GRANT,
              plan.credits(),
              "Redeem code " + code,
              Map.of("redeemCode", code, "planCode", rc.planCode().wire()),
              CreditService.SYSTEM_PREFIX + "redeem_" + code,
              guard.key().orElse(null)));
    }
    account.changePlan(rc.planCode());
    account.write();
    Redeemed redeemed = new Redeemed(code, rc.planCode(), plan.credits(), account.creditBalance());
    guard.remember(tx, redeemed);
    return new Outcome.Done(redeemed);
  }
}
