package dev.atelier.schema;

import dev.atelier.store.DocumentKey;
import dev.atelier.usage.ActionType;
import dev.atelier.usage.RateLimitLog;
import dev.atelier.usage.UsageLog;

/** Codecs of {@code rate_limit_logs} and {@code usage_logs} (snake_case fields). */
final class UsageMapping {
  private UsageMapping() {}

  static void writeRateLimit(RateLimitLog l, DocWriter w) {
    w.put(RateLimitLog.Field.USER_ID, l.userId())
        .put(RateLimitLog.Field.ENDPOINT, l.endpoint())
        .put(RateLimitLog.Field.REQUEST_COUNT, l.requestCount())
        .put(RateLimitLog.Field.WINDOW_START, l.windowStart())
        .put(RateLimitLog.Field.WINDOW_END, l.windowEnd())
        .put(RateLimitLog.Field.LAST_REQUEST_AT, l.lastRequestAt())
        .put(RateLimitLog.Field.IS_BLOCKED, l.isBlocked())
        .put(RateLimitLog.Field.EXPIRES_AT, l.expiresAt());
  }

  static RateLimitLog readRateLimit(DocumentKey key, DocReader r) {
    return new RateLimitLog(
        key.id("logId"),
        r.str(RateLimitLog.Field.USER_ID),
        r.str(RateLimitLog.Field.ENDPOINT),
        r.lngOr(RateLimitLog.Field.REQUEST_COUNT, 0),
        r.instant(RateLimitLog.Field.WINDOW_START),
        r.instant(RateLimitLog.Field.WINDOW_END),
        r.optInstant(RateLimitLog.Field.LAST_REQUEST_AT),
        r.boolOr(RateLimitLog.Field.IS_BLOCKED, false),
        r.optInstant(RateLimitLog.Field.EXPIRES_AT));
  }

  static void writeUsage(UsageLog l, DocWriter w) {
    w.put(UsageLog.Field.USER_ID, l.userId())
        .put(UsageLog.Field.ACTION_TYPE, l.actionType())
        .put(UsageLog.Field.RESOURCE_ID, l.resourceId())
        .put(UsageLog.Field.IP_ADDRESS, l.ipAddress())
        .put(UsageLog.Field.USER_AGENT, l.userAgent())
        .put(UsageLog.Field.METADATA, l.metadata())
        .put(UsageLog.Field.CREDITS_USED, l.creditsUsed())
        .put(UsageLog.Field.RESPONSE_TIME_MS, l.responseTimeMs())
        .put(UsageLog.Field.STATUS_CODE, l.statusCode())
        .put(UsageLog.Field.CREATED_AT, l.createdAt())
        .put(UsageLog.Field.EXPIRES_AT, l.expiresAt());
  }

  static UsageLog readUsage(DocumentKey key, DocReader r) {
    return new UsageLog(
        key.id("logId"),
        r.str(UsageLog.Field.USER_ID),
        r.enm(UsageLog.Field.ACTION_TYPE, ActionType.class),
        r.optStr(UsageLog.Field.RESOURCE_ID),
        r.optStr(UsageLog.Field.IP_ADDRESS),
        r.optStr(UsageLog.Field.USER_AGENT),
        r.rawMap(UsageLog.Field.METADATA),
        r.optLng(UsageLog.Field.CREDITS_USED),
        r.optLng(UsageLog.Field.RESPONSE_TIME_MS),
        r.optLng(UsageLog.Field.STATUS_CODE),
        r.optInstant(UsageLog.Field.CREATED_AT),
        r.optInstant(UsageLog.Field.EXPIRES_AT));
  }
}
