package dev.atelier.admin;

import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.FieldValue;
import com.google.cloud.firestore.Firestore;
import dev.atelier.catalog.PlanCode;
import dev.atelier.credits.Account;
import dev.atelier.credits.CreditService;
import dev.atelier.credits.LedgerType;
import dev.atelier.credits.Posting;
import dev.atelier.http.ApiException;
import dev.atelier.http.ErrorCode;
import dev.atelier.http.Idempotency;
import dev.atelier.redeem.RedeemCode;
import dev.atelier.redeem.RedeemCodeStatus;
import dev.atelier.redeem.RedeemCodeType;
import dev.atelier.router.RouterAlert;
import dev.atelier.store.Documents;
import dev.atelier.store.FirestorePaths;
import dev.atelier.store.FirestoreValues;
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

/** Operator actions behind the admin claim: bulk redeem codes, disabling a code, credit adjustments, alert acknowledgement. */
public final class AdminService {

  public static final int MAX_CODES_PER_REQUEST = 1000;
  static final Duration ACKNOWLEDGED_ALERT_TTL = Duration.ofDays(90);
  /** A code valid for longer than this is almost certainly a typo in the year. */
  static final Duration MAX_CODE_LIFETIME = Duration.ofDays(3650);

  public record CreatedCodes(RedeemCodeType type, PlanCode planCode, long maxUses, Instant validUntil, List<String> codes) {}

  public record DisabledCode(String code, RedeemCodeStatus status) {}

  public record Adjusted(String uid, LedgerType type, long credits, String entryId, long creditBalance) {}

  public record AcknowledgedAlert(String alertId, boolean acknowledged, Instant expireAt) {}

  private final Firestore db;
  private final CreditService credits;
  private final Clock clock;
  private final CodeGenerator generator = new CodeGenerator(new SecureRandom());

  public AdminService(Firestore db, CreditService credits, Clock clock) {
    this.db = db;
    this.credits = credits;
    this.clock = clock;
  }

  /**
   * Creates {@code count} new codes in one transaction. Each is written with create(), so an existing
   * code is never overwritten: a collision fails the commit and the whole batch is drawn again.
   */
  public CreatedCodes createCodes(String adminUid, RedeemCodeType type, int count, long maxUses, Optional<Instant> validUntil,
                                  Idempotency.Guard guard) {
    if (validUntil.isPresent() && !validUntil.get().isAfter(clock.instant())) {
      throw new ApiException(ErrorCode.INVALID_ARGUMENT, "validUntil must be in the future",
          Map.of("fields", Map.of("validUntil", "must be in the future")));
    }
    if (validUntil.isPresent() && validUntil.get().isAfter(clock.instant().plus(MAX_CODE_LIFETIME))) {
      throw new ApiException(ErrorCode.INVALID_ARGUMENT, "validUntil is too far away",
          Map.of("fields", Map.of("validUntil", "must be within " + MAX_CODE_LIFETIME.toDays() + " days")));
    }
    return credits.run(tx -> {
      Optional<CreatedCodes> replayed = guard.replay(tx, CreatedCodes.class);
      if (replayed.isPresent()) {
        return replayed.get();
      }
      Set<String> codes = new LinkedHashSet<>();
      while (codes.size() < count) {
        codes.add(generator.next(type));
      }
      for (String code : codes) {
        RedeemCode rc = new RedeemCode(code, type, type.planCode(), RedeemCodeStatus.ACTIVE, maxUses, 0,
            validUntil.orElse(null), null, null, adminUid, List.of());
        tx.create(db.document(FirestorePaths.redeemCode(code)),
            Documents.encode(rc, RedeemCode.Field.CREATED_AT, RedeemCode.Field.UPDATED_AT));
      }
      CreatedCodes created = new CreatedCodes(type, type.planCode(), maxUses, validUntil.orElse(null), new ArrayList<>(codes));
      guard.remember(tx, created);
      return created;
    });
  }

  public DisabledCode disableCode(String rawCode) {
    String code = dev.atelier.redeem.RedeemService.normalise(rawCode);
    return credits.run(tx -> {
      DocumentReference ref = db.document(FirestorePaths.redeemCode(code));
      RedeemCode rc = Documents.read(tx.get(ref).get(), RedeemCode.class)
          .orElseThrow(() -> new ApiException(ErrorCode.CODE_NOT_FOUND, "no such code", Map.of("code", code)));
      if (rc.status() != RedeemCodeStatus.DISABLED) {
        tx.update(ref, Map.of(RedeemCode.Field.STATUS, FirestoreValues.toFirestore(RedeemCodeStatus.DISABLED),
            RedeemCode.Field.UPDATED_AT, FieldValue.serverTimestamp()));
      }
      return new DisabledCode(code, RedeemCodeStatus.DISABLED);
    });
  }

  /** A GRANT or DEBIT on an existing account; a DEBIT below 0 is 402 INSUFFICIENT_CREDITS. */
  public Adjusted adjustCredits(String adminUid, String uid, LedgerType type, long amount, String reason, Idempotency.Guard guard) {
    if (type != LedgerType.GRANT && type != LedgerType.DEBIT) {
      throw new ApiException(ErrorCode.INVALID_ARGUMENT, "type must be GRANT or DEBIT",
          Map.of("fields", Map.of("type", "must be GRANT or DEBIT")));
    }
    return credits.run(tx -> {
      Optional<Adjusted> replayed = guard.replay(tx, Adjusted.class);
      if (replayed.isPresent()) {
        return replayed.get();
      }
      Account account = credits.load(tx, uid);
      if (account.opening()) {
        throw new ApiException(ErrorCode.NOT_FOUND, "no credits account for this uid", Map.of("uid", uid));
      }
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("adjustedBy", adminUid);
      String entryId = account.post(new Posting(type, amount, reason, meta, null, guard.key().orElse(null)));
      account.write();
      Adjusted adjusted = new Adjusted(uid, type, amount, entryId, account.creditBalance());
      guard.remember(tx, adjusted);
      return adjusted;
    });
  }

  /** Marks the alert acknowledged and lets the TTL policy delete it 90 days on. Acknowledging twice keeps the first. */
  public AcknowledgedAlert acknowledgeAlert(String adminUid, String alertId) {
    return credits.run(tx -> {
      DocumentReference ref = db.document(FirestorePaths.routerAlert(alertId));
      RouterAlert alert = Documents.read(tx.get(ref).get(), RouterAlert.class)
          .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no such alert", Map.of("alertId", alertId)));
      if (alert.acknowledged() && alert.expireAt() != null) {
        return new AcknowledgedAlert(alertId, true, alert.expireAt());
      }
      Instant expireAt = clock.instant().plus(ACKNOWLEDGED_ALERT_TTL);
      Map<String, Object> update = new LinkedHashMap<>();
      update.put(RouterAlert.Field.ACKNOWLEDGED, true);
      update.put(RouterAlert.Field.ACKNOWLEDGED_AT, FieldValue.serverTimestamp());
      update.put(RouterAlert.Field.ACKNOWLEDGED_BY, adminUid);
      update.put(RouterAlert.Field.EXPIRE_AT, FirestoreValues.toFirestore(expireAt));
      tx.update(ref, update);
      return new AcknowledgedAlert(alertId, true, expireAt);
    });
  }
}
