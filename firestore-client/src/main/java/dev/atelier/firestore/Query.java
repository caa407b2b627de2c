package dev.atelier.firestore;

import com.google.firestore.v1.Cursor;
import com.google.firestore.v1.RunAggregationQueryRequest;
import com.google.firestore.v1.RunAggregationQueryResponse;
import com.google.firestore.v1.RunQueryRequest;
import com.google.firestore.v1.RunQueryResponse;
import com.google.firestore.v1.StructuredAggregationQuery;
import com.google.firestore.v1.StructuredAggregationQuery.Aggregation;
import com.google.firestore.v1.StructuredQuery;
import com.google.firestore.v1.StructuredQuery.CompositeFilter;
import com.google.firestore.v1.StructuredQuery.FieldFilter;
import com.google.firestore.v1.StructuredQuery.FieldReference;
import com.google.firestore.v1.StructuredQuery.Filter;
import com.google.firestore.v1.StructuredQuery.Projection;
import com.google.firestore.v1.StructuredQuery.UnaryFilter;
import com.google.firestore.v1.Value;
import com.google.protobuf.ByteString;
import com.google.protobuf.Int32Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A query over one collection (or every collection of an id), immutable: each method returns a new
 * query. Built into the same {@code StructuredQuery} the official client sends (no implicit
 * ordering; cursors take values of the explicit orderings).
 */
public final class Query {

  public enum Direction {
    ASCENDING,
    DESCENDING
  }

  /** Comparison operators of a field filter. */
  public enum Op {
    EQUAL(FieldFilter.Operator.EQUAL),
    LESS_THAN(FieldFilter.Operator.LESS_THAN),
    LESS_THAN_OR_EQUAL(FieldFilter.Operator.LESS_THAN_OR_EQUAL),
    GREATER_THAN(FieldFilter.Operator.GREATER_THAN),
    GREATER_THAN_OR_EQUAL(FieldFilter.Operator.GREATER_THAN_OR_EQUAL),
    IN(FieldFilter.Operator.IN);

    private final FieldFilter.Operator wire;

    Op(FieldFilter.Operator wire) {
      this.wire = wire;
    }
  }

  private record Where(FieldPath field, Op op, Object value) {}

  private record Order(FieldPath field, Direction direction) {}

  private final Database db;
  private final String parentPath;
  private final String collectionId;
  private final boolean allDescendants;
  private final List<Where> filters;
  private final List<Order> orders;
  private final Optional<Integer> limit;
  private final Optional<List<Object>> startAfter;
  private final Optional<List<FieldPath>> select;

  private Query(
      Database db,
      String parentPath,
      String collectionId,
      boolean allDescendants,
      List<Where> filters,
      List<Order> orders,
      Optional<Integer> limit,
      Optional<List<Object>> startAfter,
      Optional<List<FieldPath>> select) {
    this.db = db;
    this.parentPath = parentPath;
    this.collectionId = collectionId;
    this.allDescendants = allDescendants;
    this.filters = List.copyOf(filters);
    this.orders = List.copyOf(orders);
    this.limit = limit;
    this.startAfter = startAfter;
    this.select = select;
  }

  /** The collection at {@code path} ({@code users}, {@code credits/u1/ledger}). */
  static Query collection(Database db, String path) {
    Paths.collection(path);
    int slash = path.lastIndexOf('/');
    String parent = slash < 0 ? "" : path.substring(0, slash);
    String id = path.substring(slash + 1);
    return new Query(
        db,
        parent,
        id,
        false,
        List.of(),
        List.of(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  static Query collectionGroup(Database db, String collectionId) {
    if (collectionId.isEmpty() || collectionId.contains("/")) {
      throw new IllegalArgumentException("not a collection id: '" + collectionId + "'");
    }
    return new Query(
        db,
        "",
        collectionId,
        true,
        List.of(),
        List.of(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  private Query with(
      List<Where> filters,
      List<Order> orders,
      Optional<Integer> limit,
      Optional<List<Object>> startAfter,
      Optional<List<FieldPath>> select) {
    return new Query(
        db, parentPath, collectionId, allDescendants, filters, orders, limit, startAfter, select);
  }

  public Query where(String field, Op op, Object value) {
    return where(FieldPath.parse(field), op, value);
  }

  public Query where(FieldPath field, Op op, Object value) {
    List<Where> f = new ArrayList<>(filters);
    f.add(new Where(field, op, value));
    return with(f, orders, limit, startAfter, select);
  }

  public Query whereEqualTo(String field, Object value) {
    return where(field, Op.EQUAL, value);
  }

  public Query whereLessThan(String field, Object value) {
    return where(field, Op.LESS_THAN, value);
  }

  public Query whereLessThanOrEqualTo(String field, Object value) {
    return where(field, Op.LESS_THAN_OR_EQUAL, value);
  }

  public Query whereGreaterThan(String field, Object value) {
    return where(field, Op.GREATER_THAN, value);
  }

  public Query whereGreaterThanOrEqualTo(String field, Object value) {
    return where(field, Op.GREATER_THAN_OR_EQUAL, value);
  }

  public Query whereIn(String field, List<?> values) {
    return where(field, Op.IN, values);
  }

  public Query orderBy(FieldPath field) {
    return orderBy(field, Direction.ASCENDING);
  }

  public Query orderBy(String field) {
    return orderBy(FieldPath.parse(field), Direction.ASCENDING);
  }

  public Query orderBy(String field, Direction direction) {
    return orderBy(FieldPath.parse(field), direction);
  }

  public Query orderBy(FieldPath field, Direction direction) {
    List<Order> o = new ArrayList<>(orders);
    o.add(new Order(field, direction));
    return with(filters, o, limit, startAfter, select);
  }

  public Query limit(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("a negative limit: " + n);
    }
    return with(filters, orders, Optional.of(n), startAfter, select);
  }

  /** Starts after the document whose ordered fields have these values, one per orderBy. */
  public Query startAfter(Object... values) {
    if (values.length == 0 || values.length > orders.size()) {
      throw new IllegalArgumentException(
          "startAfter takes one value per orderBy (" + orders.size() + "), got " + values.length);
    }
    return with(filters, orders, limit, Optional.of(List.of(values)), select);
  }

  /**
   * Starts after {@code doc}, as the official client does: the explicit orderings (or, without any,
   * the first inequality filter's field), then the document's name in the last ordering's
   * direction, with {@code doc}'s values of those fields as the cursor.
   */
  public Query startAfter(Snapshot doc) {
    List<Order> implicit = new ArrayList<>(orders);
    if (implicit.isEmpty()) {
      filters.stream()
          .filter(w -> w.op() != Op.EQUAL && w.op() != Op.IN)
          .findFirst()
          .ifPresent(w -> implicit.add(new Order(w.field(), Direction.ASCENDING)));
    }
    if (implicit.stream().noneMatch(o -> o.field().isDocumentId())) {
      Direction last =
          implicit.isEmpty() ? Direction.ASCENDING : implicit.get(implicit.size() - 1).direction();
      implicit.add(new Order(FieldPath.documentId(), last));
    }
    List<Object> values = new ArrayList<>();
    for (Order o : implicit) {
      if (o.field().isDocumentId()) {
        values.add(doc.path());
      } else {
        Object v = doc.get(o.field());
        if (v == null && !doc.exists()) {
          throw new IllegalArgumentException(
              "cannot start after a missing document: " + doc.path());
        }
        values.add(v);
      }
    }
    return with(filters, implicit, limit, Optional.of(values), select);
  }

  /** Only these fields (none: only the documents' names). */
  public Query select(String... fields) {
    List<FieldPath> s = new ArrayList<>();
    for (String f : fields) {
      s.add(FieldPath.parse(f));
    }
    return with(filters, orders, limit, startAfter, Optional.of(s));
  }

  public Query select(FieldPath... fields) {
    return with(filters, orders, limit, startAfter, Optional.of(List.of(fields)));
  }

  public List<Snapshot> get() {
    return run(null);
  }

  /** How many documents match, counted by the server (one read per 1,000 matches). */
  public long count() {
    return countIn(null);
  }

  /** The sum of {@code field} over the matches: a Long, or a Double when any is a double. */
  public Number sum(String field) {
    return sumIn(field, null);
  }

  Number sumIn(String field, ByteString transaction) {
    Value v =
        aggregate(
            Aggregation.newBuilder()
                .setSum(Aggregation.Sum.newBuilder().setField(reference(FieldPath.parse(field))))
                .setAlias("aggregate_0")
                .build(),
            transaction);
    return v.hasDoubleValue() ? (Number) v.getDoubleValue() : (Number) v.getIntegerValue();
  }

  List<Snapshot> run(ByteString transaction) {
    RunQueryRequest.Builder request =
        RunQueryRequest.newBuilder().setParent(parent()).setStructuredQuery(toProto());
    if (transaction != null) {
      request.setTransaction(transaction);
    }
    List<Snapshot> out = new ArrayList<>();
    for (RunQueryResponse r :
        db.rpc().stream(Rpc.RUN_QUERY, request.build(), Rpc.routeToParent(parent()), what())) {
      if (r.hasDocument()) {
        out.add(db.snapshot(r.getDocument()));
      }
    }
    return out;
  }

  long countIn(ByteString transaction) {
    return aggregate(
            Aggregation.newBuilder()
                .setCount(Aggregation.Count.getDefaultInstance())
                .setAlias("aggregate_0")
                .build(),
            transaction)
        .getIntegerValue();
  }

  private Value aggregate(Aggregation aggregation, ByteString transaction) {
    RunAggregationQueryRequest.Builder request =
        RunAggregationQueryRequest.newBuilder()
            .setParent(parent())
            .setStructuredAggregationQuery(
                StructuredAggregationQuery.newBuilder()
                    .setStructuredQuery(toProto())
                    .addAggregations(aggregation));
    if (transaction != null) {
      request.setTransaction(transaction);
    }
    for (RunAggregationQueryResponse r :
        db.rpc().stream(
            Rpc.RUN_AGGREGATION, request.build(), Rpc.routeToParent(parent()), what())) {
      if (r.hasResult()) {
        return r.getResult().getAggregateFieldsOrThrow("aggregate_0");
      }
    }
    throw new IllegalStateException("the server sent no aggregation result for " + what());
  }

  private String what() {
    return "query " + (allDescendants ? "group " : "") + collectionId;
  }

  private String parent() {
    return parentPath.isEmpty() ? db.rpc().documents : db.rpc().documents + "/" + parentPath;
  }

  StructuredQuery toProto() {
    StructuredQuery.Builder q =
        StructuredQuery.newBuilder()
            .addFrom(
                StructuredQuery.CollectionSelector.newBuilder()
                    .setCollectionId(collectionId)
                    .setAllDescendants(allDescendants));
    List<Filter> wire = new ArrayList<>();
    for (Where w : filters) {
      wire.add(filter(w));
    }
    if (wire.size() == 1) {
      q.setWhere(wire.get(0));
    } else if (wire.size() > 1) {
      q.setWhere(
          Filter.newBuilder()
              .setCompositeFilter(
                  CompositeFilter.newBuilder()
                      .setOp(CompositeFilter.Operator.AND)
                      .addAllFilters(wire)));
    }
    for (Order o : orders) {
      q.addOrderBy(
          StructuredQuery.Order.newBuilder()
              .setField(reference(o.field()))
              .setDirection(
                  o.direction() == Direction.ASCENDING
                      ? StructuredQuery.Direction.ASCENDING
                      : StructuredQuery.Direction.DESCENDING));
    }
    startAfter.ifPresent(
        values -> {
          Cursor.Builder c = Cursor.newBuilder().setBefore(false);
          for (int i = 0; i < values.size(); i++) {
            c.addValues(value(orders.get(i).field(), values.get(i)));
          }
          q.setStartAt(c);
        });
    limit.ifPresent(n -> q.setLimit(Int32Value.of(n)));
    select.ifPresent(
        fields -> {
          Projection.Builder p = Projection.newBuilder();
          if (fields.isEmpty()) {
            p.addFields(reference(FieldPath.documentId()));
          }
          fields.forEach(f -> p.addFields(reference(f)));
          q.setSelect(p);
        });
    return q.build();
  }

  private Filter filter(Where w) {
    if (w.value() == null && w.op() == Op.EQUAL) {
      return Filter.newBuilder()
          .setUnaryFilter(
              UnaryFilter.newBuilder()
                  .setField(reference(w.field()))
                  .setOp(UnaryFilter.Operator.IS_NULL))
          .build();
    }
    Value value;
    if (w.op() == Op.IN) {
      if (!(w.value() instanceof List<?> list) || list.isEmpty()) {
        throw new IllegalArgumentException("IN takes a non-empty list");
      }
      com.google.firestore.v1.ArrayValue.Builder a =
          com.google.firestore.v1.ArrayValue.newBuilder();
      list.forEach(item -> a.addValues(value(w.field(), item)));
      value = Value.newBuilder().setArrayValue(a).build();
    } else {
      value = value(w.field(), w.value());
    }
    return Filter.newBuilder()
        .setFieldFilter(
            FieldFilter.newBuilder()
                .setField(reference(w.field()))
                .setOp(w.op().wire)
                .setValue(value))
        .build();
  }

  /** A value compared with {@code field}: for the document id, the document's reference. */
  private Value value(FieldPath field, Object value) {
    if (!field.isDocumentId()) {
      return Values.encode(value);
    }
    if (!(value instanceof String id) || id.isEmpty()) {
      throw new IllegalArgumentException("a document id must be a non-empty string: " + value);
    }
    // A path names the document (a collection group's are named so, and a snapshot cursor);
    // a plain id is one of this collection's.
    String path;
    if (id.contains("/")) {
      path = id;
    } else if (allDescendants) {
      throw new IllegalArgumentException(
          "a collection group needs a document path, not an id: " + id);
    } else {
      path = (parentPath.isEmpty() ? "" : parentPath + "/") + collectionId + "/" + id;
    }
    return Value.newBuilder().setReferenceValue(Paths.name(db.rpc().documents, path)).build();
  }

  private static FieldReference reference(FieldPath field) {
    return FieldReference.newBuilder().setFieldPath(field.canonical()).build();
  }
}
