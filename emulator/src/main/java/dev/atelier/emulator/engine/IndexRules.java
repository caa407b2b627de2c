package dev.atelier.emulator.engine;

import com.google.firestore.v1.StructuredAggregationQuery;
import com.google.firestore.v1.StructuredQuery;
import com.google.firestore.v1.StructuredQuery.FieldFilter;
import com.google.firestore.v1.StructuredQuery.Filter;
import com.google.firestore.v1.StructuredQuery.UnaryFilter;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Strict index mode: the composite indexes declared in a firestore.indexes.json, and which queries
 * production would reject for want of one.
 *
 * <p>Rules (deliberately simple; when in doubt a query is allowed, since a false rejection breaks
 * real work):
 *
 * <ol>
 *   <li>A query is split into the conjunctions of its disjunctive normal form (OR branches); each
 *       must be servable. Per conjunction, <em>equality fields</em> are those with {@code ==},
 *       {@code in}, IS_NULL, IS_NAN (an ascending or descending entry) or {@code array-contains},
 *       {@code array-contains-any} (a CONTAINS entry); <em>order fields</em> are the normalized
 *       ordering (explicit orderBy, then inequality fields) without a trailing {@code __name__} and
 *       without fields that also have an equality filter. Filters on {@code __name__} need no
 *       index.
 *   <li>Built-in single-field indexes (ascending, descending, array-contains; COLLECTION scope
 *       only, unless a fieldOverride for that collection group and field lists other indexes) serve
 *       a conjunction with only equality fields (index merging) or with no equality field and at
 *       most one order field. For a collection group query the same holds, but each field used
 *       needs a COLLECTION_GROUP single-field index declared in fieldOverrides (for an order field,
 *       in the order's direction). A query without filters and orders needs nothing.
 *   <li>Otherwise a composite index is needed whose fields are the equality fields (any order)
 *       followed by the order fields in sequence with their directions (or all directions flipped,
 *       so limitToLast, which clients send reversed, is served by the same index; this may be more
 *       lenient than production); a trailing {@code __name__} in a declared index is ignored. A
 *       COLLECTION_GROUP index serves both scopes, a COLLECTION index only collection queries.
 *       Composite indexes may also be merged: several declared indexes each holding some equality
 *       fields followed by the same order fields together serve the query.
 *   <li>sum()/avg() of a field need the query's index followed by that field (production scans the
 *       index for the values); count() needs only the query's index.
 *   <li>Kindless queries (no collection id, e.g. recursiveDelete) and vector search need nothing.
 * </ol>
 */
public final class IndexRules {
  private static final String COLLECTION = "COLLECTION";
  private static final String COLLECTION_GROUP = "COLLECTION_GROUP";
  private static final String ASCENDING = "ASCENDING";
  private static final String DESCENDING = "DESCENDING";
  private static final String CONTAINS = "CONTAINS";
  private static final int MAX_CONJUNCTIONS = 1000;

  /** One entry of an index: a field with ASCENDING/DESCENDING order or CONTAINS array config. */
  record Entry(String fieldPath, String mode) {}

  record CompositeIndex(String collectionGroup, String queryScope, List<Entry> fields) {}

  /** Single-field index settings of one field: its declared indexes as (scope, mode) pairs. */
  record Override(List<String[]> indexes) {}

  private final boolean strict;
  private final List<CompositeIndex> composites;
  private final Map<String, Override> overrides;

  private IndexRules(
      boolean strict, List<CompositeIndex> composites, Map<String, Override> overrides) {
    this.strict = strict;
    this.composites = composites;
    this.overrides = overrides;
  }

  /** No index file loaded: every query allowed (Google's emulator behaviour). */
  public static IndexRules permissive() {
    return new IndexRules(false, List.of(), Map.of());
  }

  /** Parses the firestore.indexes.json format ({"indexes": [...], "fieldOverrides": [...]}). */
  public static IndexRules fromJson(String firestoreIndexesJson) {
    try {
      return parse(JsonParser.parseString(firestoreIndexesJson).getAsJsonObject());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("Invalid firestore.indexes.json: " + e.getMessage(), e);
    }
  }

  private static IndexRules parse(JsonObject root) {
    List<CompositeIndex> composites = new ArrayList<>();
    for (JsonElement e : array(root, "indexes")) {
      JsonObject index = e.getAsJsonObject();
      List<Entry> fields = new ArrayList<>();
      for (JsonElement f : array(index, "fields")) {
        JsonObject field = f.getAsJsonObject();
        String mode = field.has("arrayConfig") ? CONTAINS : string(field, "order", ASCENDING);
        if (field.has("vectorConfig")) {
          continue;
        }
        fields.add(new Entry(FieldPaths.canonical(string(field, "fieldPath", "")), mode));
      }
      composites.add(
          new CompositeIndex(
              string(index, "collectionGroup", ""),
              string(index, "queryScope", COLLECTION),
              fields));
    }
    Map<String, Override> overrides = new HashMap<>();
    for (JsonElement e : array(root, "fieldOverrides")) {
      JsonObject override = e.getAsJsonObject();
      List<String[]> indexes = new ArrayList<>();
      for (JsonElement i : array(override, "indexes")) {
        JsonObject index = i.getAsJsonObject();
        String mode = index.has("arrayConfig") ? CONTAINS : string(index, "order", ASCENDING);
        indexes.add(new String[] {string(index, "queryScope", COLLECTION), mode});
      }
      overrides.put(
          key(
              string(override, "collectionGroup", ""),
              FieldPaths.canonical(string(override, "fieldPath", ""))),
          new Override(indexes));
    }
    return new IndexRules(true, List.copyOf(composites), Map.copyOf(overrides));
  }

  private static Iterable<JsonElement> array(JsonObject o, String name) {
    JsonElement e = o.get(name);
    return e != null && e.isJsonArray() ? e.getAsJsonArray() : new JsonArray();
  }

  private static String string(JsonObject o, String name, String fallback) {
    JsonElement e = o.get(name);
    return e != null && e.isJsonPrimitive() ? e.getAsString() : fallback;
  }

  private static String key(String collectionGroup, String fieldPath) {
    return collectionGroup + "\u0000" + fieldPath;
  }

  /**
   * Like {@link #missingIndex(String, boolean, StructuredQuery)} for an aggregation query:
   * production computes sum() and avg() by index scans, so each aggregated field must follow the
   * query's own index fields (as if ordered by it, ascending, after the query's orders); count()
   * needs only the query's index.
   */
  public Optional<String> missingIndex(
      String collectionId, boolean collectionGroup, StructuredAggregationQuery query) {
    StructuredQuery base = query.getStructuredQuery();
    Optional<String> missing = missingIndex(collectionId, collectionGroup, base);
    if (missing.isPresent() || !strict) {
      return missing;
    }
    List<Orderings.Ordering> orderings;
    try {
      orderings = Orderings.normalized(base);
    } catch (RuntimeException invalidQuery) {
      return Optional.empty();
    }
    for (StructuredAggregationQuery.Aggregation a : query.getAggregationsList()) {
      String field =
          a.hasSum()
              ? a.getSum().getField().getFieldPath()
              : a.hasAvg() ? a.getAvg().getField().getFieldPath() : null;
      if (field == null) {
        continue;
      }
      StructuredQuery.Builder scan = base.toBuilder().clearOrderBy();
      for (Orderings.Ordering o : orderings) {
        if (!Filters.isDocumentId(o.path())) {
          scan.addOrderBy(order(FieldPaths.canonical(o.path()), o.descending()));
        }
      }
      scan.addOrderBy(order(field, false));
      missing = missingIndex(collectionId, collectionGroup, scan.build());
      if (missing.isPresent()) {
        return missing;
      }
    }
    return Optional.empty();
  }

  private static StructuredQuery.Order order(String fieldPath, boolean descending) {
    return StructuredQuery.Order.newBuilder()
        .setField(StructuredQuery.FieldReference.newBuilder().setFieldPath(fieldPath))
        .setDirection(
            descending ? StructuredQuery.Direction.DESCENDING : StructuredQuery.Direction.ASCENDING)
        .build();
  }

  /**
   * The index production would require for this query and is not declared, described the way
   * Firestore's FAILED_PRECONDITION message does (collection group, scope, fields with order);
   * empty when the query can be served.
   *
   * @param collectionId the query's collection id
   * @param collectionGroup whether the query has allDescendants (COLLECTION_GROUP scope)
   */
  public Optional<String> missingIndex(
      String collectionId, boolean collectionGroup, StructuredQuery query) {
    if (!strict || collectionId.isEmpty() || query.hasFindNearest()) {
      return Optional.empty();
    }
    List<Orderings.Ordering> orderings;
    try {
      orderings = Orderings.normalized(query);
    } catch (RuntimeException invalidQuery) {
      return Optional.empty(); // the query engine reports it
    }
    List<List<Filter>> conjunctions =
        query.hasWhere()
            ? Filters.disjunctiveNormalForm(query.getWhere(), MAX_CONJUNCTIONS)
            : List.of(List.of());
    if (conjunctions.size() > MAX_CONJUNCTIONS) {
      return Optional.empty();
    }
    String scope = collectionGroup ? COLLECTION_GROUP : COLLECTION;
    for (List<Filter> conjunction : conjunctions) {
      Optional<String> missing = missingFor(collectionId, scope, conjunction, orderings);
      if (missing.isPresent()) {
        return missing;
      }
    }
    return Optional.empty();
  }

  private Optional<String> missingFor(
      String collectionId,
      String scope,
      List<Filter> conjunction,
      List<Orderings.Ordering> orderings) {
    Map<String, Entry> equalities = new LinkedHashMap<>();
    for (Filter leaf : conjunction) {
      List<String> path = Filters.fieldOf(leaf);
      if (Filters.isDocumentId(path)) {
        continue;
      }
      String mode = equalityMode(leaf);
      if (mode != null) {
        String field = FieldPaths.canonical(path);
        equalities.putIfAbsent(field + "\u0000" + mode, new Entry(field, mode));
      }
    }
    List<Entry> orders = new ArrayList<>();
    for (int i = 0; i < orderings.size(); i++) {
      Orderings.Ordering o = orderings.get(i);
      if (i == orderings.size() - 1 && Filters.isDocumentId(o.path())) {
        break;
      }
      String field = FieldPaths.canonical(o.path());
      boolean equalityFiltered =
          equalities.values().stream()
              .anyMatch(e -> e.fieldPath().equals(field) && !e.mode().equals(CONTAINS));
      if (!equalityFiltered) {
        orders.add(new Entry(field, o.descending() ? DESCENDING : ASCENDING));
      }
    }
    List<Entry> eq = List.copyOf(equalities.values());
    boolean builtInShape = orders.isEmpty() || (eq.isEmpty() && orders.size() == 1);
    if (builtInShape) {
      boolean equality = orders.isEmpty();
      List<Entry> used = equality ? eq : orders;
      Optional<Entry> lacking =
          used.stream().filter(e -> !hasSingleField(collectionId, scope, e, equality)).findFirst();
      if (lacking.isEmpty() || servedByComposites(collectionId, scope, eq, orders)) {
        return Optional.empty();
      }
      return Optional.of(singleFieldMessage(collectionId, scope, lacking.get()));
    }
    if (servedByComposites(collectionId, scope, eq, orders)) {
      return Optional.empty();
    }
    List<Entry> needed = new ArrayList<>(eq);
    needed.addAll(orders);
    return Optional.of(compositeMessage(collectionId, scope, needed));
  }

  /** The index entry an equality-like filter needs, or null for range/inequality filters. */
  private static String equalityMode(Filter leaf) {
    if (leaf.hasUnaryFilter()) {
      UnaryFilter.Operator op = leaf.getUnaryFilter().getOp();
      return op == UnaryFilter.Operator.IS_NULL || op == UnaryFilter.Operator.IS_NAN
          ? ASCENDING
          : null;
    }
    FieldFilter.Operator op = leaf.getFieldFilter().getOp();
    switch (op) {
      case EQUAL:
      case IN:
        return ASCENDING;
      case ARRAY_CONTAINS:
      case ARRAY_CONTAINS_ANY:
        return CONTAINS;
      default:
        return null;
    }
  }

  private boolean hasSingleField(
      String collectionId, String scope, Entry needed, boolean equality) {
    Override o = overrides.get(key(collectionId, needed.fieldPath()));
    if (o == null) {
      return scope.equals(COLLECTION);
    }
    return o.indexes().stream()
        .anyMatch(
            i ->
                i[0].equals(scope)
                    && (equality
                        ? servesEquality(i[1], needed.mode())
                        : i[1].equals(needed.mode())));
  }

  /**
   * For single-field use and equality entries: CONTAINS needs CONTAINS; an ordered need is served
   * by an ascending or a descending entry (equality and a lone order field scan either way).
   */
  private static boolean servesEquality(String declared, String needed) {
    return declared.equals(CONTAINS) == needed.equals(CONTAINS);
  }

  /**
   * Whether declared composites serve the conjunction: every equality entry appears in some usable
   * index, where a usable index is a set of the query's equality entries followed by exactly the
   * order entries.
   */
  private boolean servedByComposites(
      String collectionId, String scope, List<Entry> eq, List<Entry> orders) {
    List<Entry> covered = new ArrayList<>();
    boolean anyUsable = false;
    for (CompositeIndex index : composites) {
      if (!index.collectionGroup().equals(collectionId)
          || (scope.equals(COLLECTION_GROUP) && !index.queryScope().equals(COLLECTION_GROUP))) {
        continue;
      }
      List<Entry> fields = new ArrayList<>(index.fields());
      if (!fields.isEmpty()
          && fields.get(fields.size() - 1).fieldPath().equals(FieldPaths.DOCUMENT_ID)) {
        fields.remove(fields.size() - 1);
      }
      int prefix = fields.size() - orders.size();
      if (fields.isEmpty() || prefix < 0) {
        continue;
      }
      List<Entry> orderPart = fields.subList(prefix, fields.size());
      if (!orderPart.equals(orders) && !orderPart.equals(reversed(orders))) {
        continue;
      }
      List<Entry> eqPart = fields.subList(0, prefix);
      boolean allFromQuery =
          eqPart.stream().allMatch(f -> eq.stream().anyMatch(e -> sameEquality(f, e)));
      if (allFromQuery) {
        anyUsable = true;
        for (Entry f : eqPart) {
          eq.stream().filter(e -> sameEquality(f, e)).forEach(covered::add);
        }
      }
    }
    return anyUsable && eq.stream().allMatch(covered::contains);
  }

  /** The same fields with every direction flipped (how clients send limitToLast). */
  private static List<Entry> reversed(List<Entry> orders) {
    return orders.stream()
        .map(e -> new Entry(e.fieldPath(), e.mode().equals(ASCENDING) ? DESCENDING : ASCENDING))
        .toList();
  }

  private static boolean sameEquality(Entry declared, Entry needed) {
    return declared.fieldPath().equals(needed.fieldPath())
        && servesEquality(declared.mode(), needed.mode());
  }

  private static String compositeMessage(String collectionId, String scope, List<Entry> fields) {
    StringBuilder json = new StringBuilder();
    json.append("{\"collectionGroup\":").append(quote(collectionId));
    json.append(",\"queryScope\":").append(quote(scope)).append(",\"fields\":[");
    for (int i = 0; i < fields.size(); i++) {
      Entry e = fields.get(i);
      if (i > 0) {
        json.append(',');
      }
      json.append("{\"fieldPath\":").append(quote(e.fieldPath())).append(',');
      json.append(
          e.mode().equals(CONTAINS)
              ? "\"arrayConfig\":\"CONTAINS\""
              : "\"order\":" + quote(e.mode()));
      json.append('}');
    }
    json.append("]}");
    return "The query requires an index. Add to firestore.indexes.json: " + json;
  }

  private static String singleFieldMessage(String collectionId, String scope, Entry e) {
    String kind =
        e.mode().equals(CONTAINS) ? "ARRAY_CONTAINS" : e.mode().equals(DESCENDING) ? "DESC" : "ASC";
    String index =
        (e.mode().equals(CONTAINS)
                ? "{\"arrayConfig\":\"CONTAINS\""
                : "{\"order\":" + quote(e.mode()))
            + ",\"queryScope\":"
            + quote(scope)
            + "}";
    return "The query requires a "
        + scope
        + "_"
        + kind
        + " index for collection "
        + collectionId
        + " and field "
        + e.fieldPath()
        + ". Add to firestore.indexes.json fieldOverrides: {\"collectionGroup\":"
        + quote(collectionId)
        + ",\"fieldPath\":"
        + quote(e.fieldPath())
        + ",\"indexes\":["
        + index
        + "]}";
  }

  private static String quote(String s) {
    return new com.google.gson.JsonPrimitive(s).toString();
  }
}
