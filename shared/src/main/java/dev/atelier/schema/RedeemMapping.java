package dev.atelier.schema;

import dev.atelier.catalog.PlanCode;
import dev.atelier.redeem.RedeemCode;
import dev.atelier.redeem.RedeemCodeStatus;
import dev.atelier.redeem.RedeemCodeType;
import dev.atelier.redeem.RedeemCodeUsage;
import dev.atelier.store.DocumentKey;

/** Codecs of {@code redeemCodes/{code}} and {@code redeemCodeUsages/{usageId}}. */
final class RedeemMapping {
  private RedeemMapping() {}

  static void writeCode(RedeemCode c, DocWriter w) {
    w.put(RedeemCode.Field.CODE, c.code())
        .put(RedeemCode.Field.TYPE, c.type())
        .put(RedeemCode.Field.PLAN_CODE, c.planCode())
        .put(RedeemCode.Field.STATUS, c.status())
        .put(RedeemCode.Field.MAX_USES, c.maxUses())
        .put(RedeemCode.Field.CURRENT_USES, c.currentUses())
        .put(RedeemCode.Field.VALID_UNTIL, c.validUntil())
        .put(RedeemCode.Field.CREATED_AT, c.createdAt())
        .put(RedeemCode.Field.UPDATED_AT, c.updatedAt())
        .put(RedeemCode.Field.CREATED_BY, c.createdBy())
        .put(RedeemCode.Field.USED_BY, c.usedBy());
  }

  static RedeemCode readCode(DocumentKey key, DocReader r) {
    return new RedeemCode(
        key.id("code"),
        r.enm(RedeemCode.Field.TYPE, RedeemCodeType.class),
        r.enm(RedeemCode.Field.PLAN_CODE, PlanCode.class),
        r.enm(RedeemCode.Field.STATUS, RedeemCodeStatus.class),
        r.lng(RedeemCode.Field.MAX_USES),
        r.lngOr(RedeemCode.Field.CURRENT_USES, 0),
        r.optInstant(RedeemCode.Field.VALID_UNTIL),
        r.optInstant(RedeemCode.Field.CREATED_AT),
        r.optInstant(RedeemCode.Field.UPDATED_AT),
        r.optStr(RedeemCode.Field.CREATED_BY),
        r.strings(RedeemCode.Field.USED_BY));
  }

  static void writeUsage(RedeemCodeUsage u, DocWriter w) {
    w.put(RedeemCodeUsage.Field.REDEEM_CODE, u.redeemCode())
        .put(RedeemCodeUsage.Field.UID, u.uid())
        .put(RedeemCodeUsage.Field.USERNAME, u.username())
        .put(RedeemCodeUsage.Field.EMAIL, u.email())
        .put(RedeemCodeUsage.Field.PLAN_CODE_ASSIGNED, u.planCodeAssigned())
        .put(RedeemCodeUsage.Field.CREDITS_GRANTED, u.creditsGranted())
        .put(RedeemCodeUsage.Field.USED_AT, u.usedAt());
  }

  static RedeemCodeUsage readUsage(DocumentKey key, DocReader r) {
    return new RedeemCodeUsage(
        key.id("usageId"),
        r.str(RedeemCodeUsage.Field.REDEEM_CODE),
        r.str(RedeemCodeUsage.Field.UID),
        r.optStr(RedeemCodeUsage.Field.USERNAME),
        r.optStr(RedeemCodeUsage.Field.EMAIL),
        r.enm(RedeemCodeUsage.Field.PLAN_CODE_ASSIGNED, PlanCode.class),
        r.lng(RedeemCodeUsage.Field.CREDITS_GRANTED),
        r.optInstant(RedeemCodeUsage.Field.USED_AT));
  }
}
