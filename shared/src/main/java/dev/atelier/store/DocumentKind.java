package dev.atelier.store;

import dev.atelier.admin.AdminAudit;
import dev.atelier.catalog.ModelConfig;
import dev.atelier.catalog.Plan;
import dev.atelier.catalog.SystemConfig;
import dev.atelier.catalog.SystemHealth;
import dev.atelier.catalog.SystemVersion;
import dev.atelier.credits.AppliedEntry;
import dev.atelier.credits.Balance;
import dev.atelier.credits.LedgerEntry;
import dev.atelier.generations.GenerationItem;
import dev.atelier.generations.PublicGeneration;
import dev.atelier.redeem.RedeemCode;
import dev.atelier.redeem.RedeemCodeUsage;
import dev.atelier.router.ModelQuota;
import dev.atelier.router.ProviderHealth;
import dev.atelier.router.RouterAlert;
import dev.atelier.router.RoutingDecision;
import dev.atelier.usage.RateLimitLog;
import dev.atelier.usage.UsageLog;
import dev.atelier.users.UserProfile;
import dev.atelier.users.UsernameReservation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The table of every document the system stores: its path template (literal segments and
 * {@code {variable}} ids), the record it maps to and that record's codec. Paths are built and
 * parsed only here (table-driven, like the Functions Framework's event-type table), so no other
 * code splits or concatenates Firestore paths.
 */
public enum DocumentKind {
  USER("users/{uid}", UserProfile.class,
      Codec.of(UsersMapping::writeProfile, UsersMapping::readProfile)),
  USERNAME_RESERVATION("usernames/{usernameLower}", UsernameReservation.class,
      Codec.of(UsersMapping::writeReservation, UsersMapping::readReservation)),
  BALANCE("credits/{uid}/balance/current", Balance.class,
      Codec.of(CreditsMapping::writeBalance, CreditsMapping::readBalance)),
  LEDGER_ENTRY("credits/{uid}/ledger/{entryId}", LedgerEntry.class,
      Codec.of(CreditsMapping::writeEntry, CreditsMapping::readEntry)),
  APPLIED_ENTRY("credits/{uid}/applied/{entryId}", AppliedEntry.class,
      Codec.of(CreditsMapping::writeApplied, CreditsMapping::readApplied)),
  REDEEM_CODE("redeemCodes/{code}", RedeemCode.class,
      Codec.of(RedeemMapping::writeCode, RedeemMapping::readCode)),
  REDEEM_CODE_USAGE("redeemCodeUsages/{usageId}", RedeemCodeUsage.class,
      Codec.of(RedeemMapping::writeUsage, RedeemMapping::readUsage)),
  HISTORY_ITEM("generationHistory/{uid}/items/{itemId}", GenerationItem.class,
      Codec.of(GenerationsMapping::writeItem, GenerationsMapping::readItem)),
  PUBLIC_GENERATION("generations/{itemId}", PublicGeneration.class,
      Codec.of(GenerationsMapping::writeMirror, GenerationsMapping::readMirror)),
  PLAN("plans/{planCode}", Plan.class,
      Codec.of(CatalogMapping::writePlan, CatalogMapping::readPlan)),
  MODEL_CONFIG("models_config/{modelId}", ModelConfig.class,
      Codec.of(CatalogMapping::writeModel, CatalogMapping::readModel)),
  SYSTEM_CONFIG("system/config", SystemConfig.class,
      Codec.of(CatalogMapping::writeConfig, CatalogMapping::readConfig)),
  SYSTEM_VERSION("system/version", SystemVersion.class,
      Codec.of(CatalogMapping::writeVersion, CatalogMapping::readVersion)),
  SYSTEM_HEALTH("system/health", SystemHealth.class,
      Codec.of(CatalogMapping::writeHealth, CatalogMapping::readHealth)),
  PROVIDER_HEALTH("model_provider_health/{provider}", ProviderHealth.class,
      Codec.of(RouterMapping::writeHealth, RouterMapping::readHealth)),
  MODEL_QUOTA("model_quotas/{quotaId}", ModelQuota.class,
      Codec.of(RouterMapping::writeQuota, RouterMapping::readQuota)),
  ROUTER_ALERT("model_router_alerts/{alertId}", RouterAlert.class,
      Codec.of(RouterMapping::writeAlert, RouterMapping::readAlert)),
  ROUTING_DECISION("routing_decisions/{decisionId}", RoutingDecision.class,
      Codec.of(RouterMapping::writeDecision, RouterMapping::readDecision)),
  RATE_LIMIT_LOG("rate_limit_logs/{logId}", RateLimitLog.class,
      Codec.of(UsageMapping::writeRateLimit, UsageMapping::readRateLimit)),
  USAGE_LOG("usage_logs/{logId}", UsageLog.class,
      Codec.of(UsageMapping::writeUsage, UsageMapping::readUsage)),
  IDEMPOTENCY_RECORD("idempotencyKeys/{recordId}", IdempotencyRecord.class,
      Codec.of(IdempotencyMapping::writeRecord, IdempotencyMapping::readRecord)),
  ADMIN_AUDIT("admin_audit/{auditId}", AdminAudit.class,
      Codec.of(AdminMapping::writeAudit, AdminMapping::readAudit));

  private static final String DOCUMENTS_MARKER = "/documents/";
  private static final Map<Class<?>, DocumentKind> BY_RECORD = new HashMap<>();

  static {
    for (DocumentKind kind : values()) {
      if (BY_RECORD.put(kind.recordType, kind) != null) {
        throw new IllegalStateException("two kinds map " + kind.recordType);
      }
    }
  }

  private final String template;
  private final List<String> segments;
  private final Class<?> recordType;
  private final Codec<?> codec;

  DocumentKind(String template, Class<?> recordType, Codec<?> codec) {
    this.template = template;
    this.segments = List.of(template.split("/"));
    this.recordType = recordType;
    this.codec = codec;
  }

  /** The path template, e.g. {@code credits/{uid}/ledger/{entryId}}. */
  public String template() {
    return template;
  }

  public Class<?> recordType() {
    return recordType;
  }

  /** The id variables of the template, in path order. */
  public List<String> variables() {
    List<String> vars = new ArrayList<>();
    for (String s : segments) {
      if (isVariable(s)) {
        vars.add(s.substring(1, s.length() - 1));
      }
    }
    return vars;
  }

  /** The id of the collection holding these documents (for collection-group queries), e.g. {@code ledger}. */
  public String collectionId() {
    return segments.get(segments.size() - 2);
  }

  /** The document path with {@code ids} bound to the template variables in order. */
  public String path(String... ids) {
    return bind(segments, ids);
  }

  /** The path of the collection holding these documents, with the parent ids bound in order. */
  public String collectionPath(String... parentIds) {
    return bind(segments.subList(0, segments.size() - 1), parentIds);
  }

  /** The kind whose record type is {@code type}. */
  public static DocumentKind forRecord(Class<?> type) {
    DocumentKind kind = BY_RECORD.get(type);
    if (kind == null) {
      throw new IllegalArgumentException(type.getName() + " is not a stored document record");
    }
    return kind;
  }

  /**
   * Recognises a document path: relative ({@code users/u1}), subject-style ({@code documents/users/u1})
   * or a full resource name ({@code projects/p/databases/(default)/documents/users/u1}).
   * Empty when no kind's template matches.
   */
  public static Optional<DocumentKey> parse(String documentPath) {
    String relative = relativePath(documentPath);
    String[] parts = relative.split("/", -1);
    for (DocumentKind kind : values()) {
      Optional<Map<String, String>> ids = kind.match(parts);
      if (ids.isPresent()) {
        return Optional.of(new DocumentKey(kind, relative, ids.get()));
      }
    }
    return Optional.empty();
  }

  private Optional<Map<String, String>> match(String[] parts) {
    if (parts.length != segments.size()) {
      return Optional.empty();
    }
    Map<String, String> ids = new LinkedHashMap<>();
    for (int i = 0; i < parts.length; i++) {
      String seg = segments.get(i);
      if (isVariable(seg)) {
        if (parts[i].isEmpty()) {
          return Optional.empty();
        }
        ids.put(seg.substring(1, seg.length() - 1), parts[i]);
      } else if (!seg.equals(parts[i])) {
        return Optional.empty();
      }
    }
    return Optional.of(ids);
  }

  private static String relativePath(String path) {
    if (path.startsWith("projects/")) {
      int at = path.indexOf(DOCUMENTS_MARKER);
      return at < 0 ? path : path.substring(at + DOCUMENTS_MARKER.length());
    }
    return path.startsWith("documents/") ? path.substring("documents/".length()) : path;
  }

  private String bind(List<String> segs, String[] ids) {
    List<String> out = new ArrayList<>(segs.size());
    int next = 0;
    for (String seg : segs) {
      if (isVariable(seg)) {
        if (next >= ids.length) {
          throw new IllegalArgumentException(this + ": too few ids " + Arrays.toString(ids));
        }
        out.add(checkedId(seg, ids[next++]));
      } else {
        out.add(seg);
      }
    }
    if (next != ids.length) {
      throw new IllegalArgumentException(this + ": too many ids " + Arrays.toString(ids));
    }
    return String.join("/", out);
  }

  static boolean isValidId(String id) {
    return id != null && !id.isEmpty() && id.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 1500
        && !id.contains("/") && !id.equals(".") && !id.equals("..") && !(id.startsWith("__") && id.endsWith("__"));
  }

  private String checkedId(String variable, String id) {
    if (!isValidId(id)) {
      throw new IllegalArgumentException(this + ": invalid document id for " + variable + ": '" + id + "'");
    }
    return id;
  }

  private static boolean isVariable(String segment) {
    return segment.startsWith("{") && segment.endsWith("}");
  }

  @SuppressWarnings("unchecked")
  <T> Codec<T> codec() {
    return (Codec<T>) codec;
  }
}
