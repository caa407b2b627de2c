package dev.atelier.store;

import java.util.Locale;
import java.util.Optional;

/**
 * Every Firestore collection and document path the system uses, as relative paths for {@code
 * firestore.document(..)} / {@code firestore.collection(..)}; collection-group ids for {@code
 * firestore.collectionGroup(..)}. Built from the {@link DocumentKind} table.
 */
public final class FirestorePaths {
  private FirestorePaths() {}

  /** Collection-group id of every user's generation history items. */
  public static final String HISTORY_ITEMS_GROUP = DocumentKind.HISTORY_ITEM.collectionId();

  /** Collection-group id of every user's balance document ({@code credits/{uid}/balance}). */
  public static final String BALANCE_GROUP = DocumentKind.BALANCE.collectionId();

  /** Collection-group id of every user's ledger entries. */
  public static final String LEDGER_GROUP = DocumentKind.LEDGER_ENTRY.collectionId();

  public static String user(String uid) {
    return DocumentKind.USER.path(uid);
  }

  public static String users() {
    return DocumentKind.USER.collectionPath();
  }

  /** The reservation of {@code username}, keyed by its lower-cased form. */
  public static String usernameReservation(String username) {
    return DocumentKind.USERNAME_RESERVATION.path(usernameKey(username));
  }

  /** The case-insensitive key of a username (its reservation's document id). */
  public static String usernameKey(String username) {
    return username.toLowerCase(Locale.ROOT);
  }

  public static String balance(String uid) {
    return DocumentKind.BALANCE.path(uid);
  }

  public static String ledger(String uid) {
    return DocumentKind.LEDGER_ENTRY.collectionPath(uid);
  }

  public static String ledgerEntry(String uid, String entryId) {
    return DocumentKind.LEDGER_ENTRY.path(uid, entryId);
  }

  /** Where the system records what ledger entry {@code entryId} of {@code uid} contributes. */
  public static String appliedEntry(String uid, String entryId) {
    return DocumentKind.APPLIED_ENTRY.path(uid, entryId);
  }

  /** The applied records of {@code uid}'s ledger entries. */
  public static String appliedEntries(String uid) {
    return DocumentKind.APPLIED_ENTRY.collectionPath(uid);
  }

  public static String historyItems(String uid) {
    return DocumentKind.HISTORY_ITEM.collectionPath(uid);
  }

  public static String historyItem(String uid, String itemId) {
    return DocumentKind.HISTORY_ITEM.path(uid, itemId);
  }

  /** The public mirror collection {@code generations}. */
  public static String mirror() {
    return DocumentKind.PUBLIC_GENERATION.collectionPath();
  }

  public static String mirror(String itemId) {
    return DocumentKind.PUBLIC_GENERATION.path(itemId);
  }

  public static String redeemCodes() {
    return DocumentKind.REDEEM_CODE.collectionPath();
  }

  public static String redeemCode(String code) {
    return DocumentKind.REDEEM_CODE.path(code);
  }

  public static String redeemCodeUsages() {
    return DocumentKind.REDEEM_CODE_USAGE.collectionPath();
  }

  /** The usage of {@code code} by {@code uid}: one deterministic id per (code, uid). */
  public static String redeemCodeUsage(String code, String uid) {
    return DocumentKind.REDEEM_CODE_USAGE.path(redeemCodeUsageId(code, uid));
  }

  /** Document id of the usage of {@code code} by {@code uid}. */
  public static String redeemCodeUsageId(String code, String uid) {
    return code + "__" + uid;
  }

  public static String plans() {
    return DocumentKind.PLAN.collectionPath();
  }

  public static String plan(String planCode) {
    return DocumentKind.PLAN.path(planCode);
  }

  public static String modelsConfig() {
    return DocumentKind.MODEL_CONFIG.collectionPath();
  }

  public static String modelConfig(String modelId) {
    return DocumentKind.MODEL_CONFIG.path(modelId);
  }

  public static String systemConfig() {
    return DocumentKind.SYSTEM_CONFIG.path();
  }

  public static String systemVersion() {
    return DocumentKind.SYSTEM_VERSION.path();
  }

  public static String systemHealth() {
    return DocumentKind.SYSTEM_HEALTH.path();
  }

  public static String providerHealthCollection() {
    return DocumentKind.PROVIDER_HEALTH.collectionPath();
  }

  public static String providerHealth(String provider) {
    return DocumentKind.PROVIDER_HEALTH.path(provider);
  }

  public static String modelQuotas() {
    return DocumentKind.MODEL_QUOTA.collectionPath();
  }

  /**
   * The quota of {@code modelId} at {@code provider}: {@code model_quotas/{provider}_{modelId}}.
   */
  public static String modelQuota(String provider, String modelId) {
    return DocumentKind.MODEL_QUOTA.path(provider + "_" + modelId);
  }

  public static String routerAlerts() {
    return DocumentKind.ROUTER_ALERT.collectionPath();
  }

  public static String routerAlert(String alertId) {
    return DocumentKind.ROUTER_ALERT.path(alertId);
  }

  public static String routingDecisions() {
    return DocumentKind.ROUTING_DECISION.collectionPath();
  }

  public static String routingDecision(String decisionId) {
    return DocumentKind.ROUTING_DECISION.path(decisionId);
  }

  public static String rateLimitLogs() {
    return DocumentKind.RATE_LIMIT_LOG.collectionPath();
  }

  public static String rateLimitLog(String logId) {
    return DocumentKind.RATE_LIMIT_LOG.path(logId);
  }

  /**
   * The count of {@code uid}'s calls to {@code function} in one fixed window (e.g. {@code
   * m29417280}).
   */
  public static String rateLimitWindow(String uid, String function, String window) {
    return DocumentKind.RATE_LIMIT_LOG.path(uid + "_" + function + "_" + window);
  }

  public static String usageLogs() {
    return DocumentKind.USAGE_LOG.collectionPath();
  }

  public static String usageLog(String logId) {
    return DocumentKind.USAGE_LOG.path(logId);
  }

  /** The stored answer for {@code uid}'s request with idempotency key hash {@code keyHash}. */
  public static String idempotencyRecord(String uid, String keyHash) {
    return DocumentKind.IDEMPOTENCY_RECORD.path(uid + "__" + keyHash);
  }

  /**
   * Whether {@code id} can be a document id: non-empty, at most 1,500 bytes, no {@code /}, not
   * {@code .} or {@code ..}, not {@code __…__} (reserved) — check client-sent ids before they reach
   * a path.
   */
  public static boolean isValidId(String id) {
    return DocumentKind.isValidId(id);
  }

  public static String adminAudits() {
    return DocumentKind.ADMIN_AUDIT.collectionPath();
  }

  public static String adminAudit(String auditId) {
    return DocumentKind.ADMIN_AUDIT.path(auditId);
  }

  /** Where scheduled job {@code job} keeps its sweep cursors. */
  public static String maintenanceState(String job) {
    return DocumentKind.MAINTENANCE_STATE.path(job);
  }

  /**
   * The kind and ids of a document path (relative, {@code documents/…} or a full resource name).
   */
  public static Optional<DocumentKey> parse(String documentPath) {
    return DocumentKind.parse(documentPath);
  }
}
