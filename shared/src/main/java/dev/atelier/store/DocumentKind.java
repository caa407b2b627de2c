package dev.atelier.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every document the system stores, by its path template (literal segments and {@code {variable}}
 * ids). Paths are built and parsed only here (table-driven, like the Functions Framework's
 * event-type table), so no other code splits or concatenates Firestore paths. Which record each
 * kind holds is the schema's table ({@link SchemaProvider}), so this package depends on no feature.
 */
public enum DocumentKind {
  USER("users/{uid}"),
  USERNAME_RESERVATION("usernames/{usernameLower}"),
  BALANCE("credits/{uid}/balance/current"),
  LEDGER_ENTRY("credits/{uid}/ledger/{entryId}"),
  APPLIED_ENTRY("credits/{uid}/applied/{entryId}"),
  REDEEM_CODE("redeemCodes/{code}"),
  REDEEM_CODE_USAGE("redeemCodeUsages/{usageId}"),
  HISTORY_ITEM("generationHistory/{uid}/items/{itemId}"),
  PUBLIC_GENERATION("generations/{itemId}"),
  PLAN("plans/{planCode}"),
  MODEL_CONFIG("models_config/{modelId}"),
  SYSTEM_CONFIG("system/config"),
  SYSTEM_VERSION("system/version"),
  SYSTEM_HEALTH("system/health"),
  PROVIDER_HEALTH("model_provider_health/{provider}"),
  MODEL_QUOTA("model_quotas/{quotaId}"),
  ROUTER_ALERT("model_router_alerts/{alertId}"),
  ROUTING_DECISION("routing_decisions/{decisionId}"),
  RATE_LIMIT_LOG("rate_limit_logs/{logId}"),
  USAGE_LOG("usage_logs/{logId}"),
  IDEMPOTENCY_RECORD("idempotencyKeys/{recordId}"),
  ADMIN_AUDIT("admin_audit/{auditId}"),
  MAINTENANCE_STATE("maintenance/{job}");

  private static final String DOCUMENTS_MARKER = "/documents/";

  private final String template;
  private final List<String> segments;

  DocumentKind(String template) {
    this.template = template;
    this.segments = List.of(template.split("/"));
  }

  /** The path template, e.g. {@code credits/{uid}/ledger/{entryId}}. */
  public String template() {
    return template;
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

  /**
   * The id of the collection holding these documents (for collection-group queries), e.g. {@code
   * ledger}.
   */
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

  /**
   * Recognises a document path: relative ({@code users/u1}), subject-style ({@code
   * documents/users/u1}) or a full resource name ({@code
   * projects/p/databases/(default)/documents/users/u1}). Empty when no kind's template matches.
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
    return id != null
        && !id.isEmpty()
        && id.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 1500
        && !id.contains("/")
        && !id.equals(".")
        && !id.equals("..")
        && !(id.startsWith("__") && id.endsWith("__"));
  }

  private String checkedId(String variable, String id) {
    if (!isValidId(id)) {
      throw new IllegalArgumentException(
          this + ": invalid document id for " + variable + ": '" + id + "'");
    }
    return id;
  }

  private static boolean isVariable(String segment) {
    return segment.startsWith("{") && segment.endsWith("}");
  }
}
