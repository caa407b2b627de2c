package dev.atelier.emulator.engine;

import com.google.firestore.v1.Cursor;
import com.google.firestore.v1.Document;
import com.google.firestore.v1.StructuredAggregationQuery;
import com.google.firestore.v1.StructuredQuery;
import com.google.firestore.v1.Value;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Evaluates structured queries over a snapshot of documents. Pure: no storage, no locking. */
public final class QueryEngine {
  private QueryEngine() {}

  private static final int MAX_AGGREGATIONS = 5;

  /**
   * Runs {@code query} under {@code parent} ("projects/p/databases/d/documents" or a document name
   * below it) over {@code documents} (any superset of the candidates, e.g. the whole database).
   * Applies from/allDescendants, where, implicit and explicit orderBy (with the implicit __name__
   * order and exclusion of documents lacking an ordered field), cursors, offset, limit and select;
   * or, with find_nearest, the vector search over the filtered documents.
   *
   * @throws io.grpc.StatusRuntimeException INVALID_ARGUMENT for a query production rejects
   */
  public static List<Document> run(
      String parent, StructuredQuery query, Collection<Document> documents) {
    PreparedQuery q = PreparedQuery.of(parent, query);
    if (query.hasFindNearest()) {
      StructuredQuery.FindNearest fn = query.getFindNearest();
      Stream<VectorSearch.Hit> hits =
          VectorSearch.nearest(fn, documents.stream().filter(q::matchesFilters));
      if (query.hasLimit()) {
        hits = hits.limit(query.getLimit().getValue());
      }
      return hits.map(h -> VectorSearch.withDistance(fn, q.project(h.doc()), h.distance()))
          .collect(Collectors.toList());
    }
    Stream<Document> s =
        documents.stream().filter(q::matches).sorted(Orderings.comparator(q.orderings()));
    if (query.hasStartAt()) {
      s = s.filter(d -> Orderings.atOrAfterStart(d, query.getStartAt(), q.orderings()));
    }
    if (query.hasEndAt()) {
      s = s.filter(d -> Orderings.atOrBeforeEnd(d, query.getEndAt(), q.orderings()));
    }
    s = s.skip(query.getOffset());
    if (query.hasLimit()) {
      s = s.limit(query.getLimit().getValue());
    }
    return s.map(q::project).collect(Collectors.toList());
  }

  /**
   * Whether {@code document} is in the result set of {@code query} ignoring cursors, offset and
   * limit (used by listeners, which re-run the query on change).
   */
  public static boolean matches(String parent, StructuredQuery query, Document document) {
    return PreparedQuery.of(parent, query).matches(document);
  }

  /**
   * count/sum/avg over the query's results (after its cursors, offset and limit), keyed by each
   * aggregation's alias (default alias "field_N" for the N-th aggregation, 1-based).
   */
  public static Map<String, Value> aggregate(
      String parent, StructuredAggregationQuery query, Collection<Document> documents) {
    if (query.getAggregationsCount() < 1 || query.getAggregationsCount() > MAX_AGGREGATIONS) {
      throw Filters.invalid(
          "An aggregation query needs between 1 and " + MAX_AGGREGATIONS + " aggregations.");
    }
    List<Document> results = run(parent, query.getStructuredQuery(), documents);
    Map<String, Value> out = new LinkedHashMap<>();
    int n = 0;
    for (StructuredAggregationQuery.Aggregation a : query.getAggregationsList()) {
      n++;
      String alias = a.getAlias().isEmpty() ? "field_" + n : a.getAlias();
      if (out.containsKey(alias)) {
        throw Filters.invalid("Aggregation alias " + alias + " is used more than once.");
      }
      out.put(alias, Aggregations.compute(a, results));
    }
    return out;
  }

  /**
   * PartitionQuery: up to {@code partitionCount} split points of a collection group query ordered
   * by {@code __name__} only (production rejects other queries), each a cursor holding one document
   * reference, spread evenly over the matching documents and in query order.
   */
  public static List<Cursor> partition(
      String parent, StructuredQuery query, Collection<Document> documents, long partitionCount) {
    if (partitionCount < 1) {
      throw Filters.invalid("partition_count must be positive.");
    }
    boolean byNameOnly =
        query.getOrderByCount() == 0
            || (query.getOrderByCount() == 1
                && query.getOrderBy(0).getField().getFieldPath().equals(FieldPaths.DOCUMENT_ID)
                && query.getOrderBy(0).getDirection() != StructuredQuery.Direction.DESCENDING);
    if (query.getFromCount() != 1
        || !query.getFrom(0).getAllDescendants()
        || query.hasWhere()
        || !byNameOnly
        || query.hasStartAt()
        || query.hasEndAt()
        || query.hasLimit()
        || query.getOffset() != 0) {
      throw Filters.invalid(
          "PartitionQuery needs a collection group query without filters, cursors, offset or limit, ordered by __name__ ascending.");
    }
    List<Document> all = run(parent, query, documents);
    long step = Math.max(1, (all.size() + partitionCount) / (partitionCount + 1));
    List<Cursor> cursors = new ArrayList<>();
    for (long i = step; i < all.size() && cursors.size() < partitionCount; i += step) {
      cursors.add(
          Cursor.newBuilder().addValues(Values.ofReference(all.get((int) i).getName())).build());
    }
    return cursors;
  }

  /** Exposed for the server: validation alone, e.g. before registering a listener. */
  public static void validate(String parent, StructuredQuery query) {
    PreparedQuery.of(parent, query);
  }

  /** A validated query: its scope, filter and normalized ordering. */
  record PreparedQuery(
      String parent,
      String collectionId,
      boolean allDescendants,
      Optional<StructuredQuery.Filter> where,
      List<Orderings.Ordering> orderings,
      List<List<String>> projection) {

    static PreparedQuery of(String parent, StructuredQuery query) {
      if (query.getFromCount() != 1) {
        throw Filters.invalid("A query must have exactly one collection selector (from).");
      }
      StructuredQuery.CollectionSelector from = query.getFrom(0);
      if (from.getCollectionId().isEmpty() && !from.getAllDescendants()) {
        throw Filters.invalid("A collection id is required unless all_descendants is set.");
      }
      if (from.getCollectionId().contains("/")) {
        throw Filters.invalid("Collection id must not contain '/': " + from.getCollectionId());
      }
      if (query.hasWhere()) {
        Filters.validate(query.getWhere());
      }
      List<Orderings.Ordering> orderings = Orderings.normalized(query);
      if (query.getOffset() < 0) {
        throw Filters.invalid("offset must not be negative.");
      }
      if (query.hasLimit() && query.getLimit().getValue() < 0) {
        throw Filters.invalid("limit must not be negative.");
      }
      if (query.hasFindNearest()) {
        VectorSearch.validate(query.getFindNearest());
      }
      List<List<String>> projection =
          query.getSelect().getFieldsList().stream()
              .map(f -> FieldPaths.parse(f.getFieldPath()))
              .collect(Collectors.toList());
      String p = parent.endsWith("/") ? parent.substring(0, parent.length() - 1) : parent;
      ResourceNames.validateParent(p);
      PreparedQuery prepared =
          new PreparedQuery(
              p,
              from.getCollectionId(),
              from.getAllDescendants(),
              query.hasWhere() ? Optional.of(query.getWhere()) : Optional.empty(),
              orderings,
              projection);
      if (query.hasStartAt()) {
        Orderings.validateCursor(query.getStartAt(), orderings, prepared::cursorInScope);
      }
      if (query.hasEndAt()) {
        Orderings.validateCursor(query.getEndAt(), orderings, prepared::cursorInScope);
      }
      return prepared;
    }

    /**
     * A collection query's __name__ cursor must name a document of that collection; a collection
     * group query's may be any path under the parent (prefix ranges such as startAt("users/u1")).
     */
    boolean cursorInScope(String reference) {
      return allDescendants ? reference.startsWith(parent + "/") : inScope(reference);
    }

    boolean inScope(String name) {
      if (!name.startsWith(parent + "/")) {
        return false;
      }
      String[] segments = name.substring(parent.length() + 1).split("/", -1);
      if (segments.length % 2 != 0) {
        return false;
      }
      if (!allDescendants) {
        return segments.length == 2 && segments[0].equals(collectionId);
      }
      return collectionId.isEmpty() || segments[segments.length - 2].equals(collectionId);
    }

    boolean matches(Document doc) {
      return matchesFilters(doc) && Orderings.hasAllFields(doc, orderings);
    }

    boolean matchesFilters(Document doc) {
      return inScope(doc.getName()) && where.map(f -> Filters.matches(f, doc)).orElse(true);
    }

    /** select: only the listed fields; ["__name__"] alone gives documents without fields. */
    Document project(Document doc) {
      return projection.isEmpty() ? doc : Projections.project(doc, projection);
    }
  }
}
