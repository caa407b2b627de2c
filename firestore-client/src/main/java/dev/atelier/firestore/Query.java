package dev.atelier.firestore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    EQUAL(Proto.FieldFilter.EQUAL),
    LESS_THAN(Proto.FieldFilter.LESS_THAN),
    LESS_THAN_OR_EQUAL(Proto.FieldFilter.LESS_THAN_OR_EQUAL),
    GREATER_THAN(Proto.FieldFilter.GREATER_THAN),
    GREATER_THAN_OR_EQUAL(Proto.FieldFilter.GREATER_THAN_OR_EQUAL),
    IN(Proto.FieldFilter.IN);

    private final int wire;

    Op(int wire) {
      this.wire = wire;
    }
  }

  /** The name the one aggregation of an aggregation query answers under (the official client's). */
  static final String ALIAS = "aggregate_0";

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

  Number sumIn(String field, Transaction transaction) {
    ProtoWriter sum = new ProtoWriter().message(Proto.Sum.FIELD, reference(FieldPath.parse(field)));
    return (Number) aggregate(Proto.Aggregation.SUM, sum, transaction);
  }

  /** The matches, read in {@code transaction} (or outside any when it is null). */
  List<Snapshot> run(Transaction transaction) {
    ProtoWriter request =
        new ProtoWriter()
            .string(Proto.RunQueryRequest.PARENT, parent())
            .message(Proto.RunQueryRequest.STRUCTURED_QUERY, toProto());
    List<Snapshot> out = new ArrayList<>();
    db.stream(
        Rpc.Read.RUN_QUERY,
        request,
        Rpc.routeToParent(parent()),
        what(),
        transaction,
        response -> {
          if (response.field() == Proto.RunQueryResponse.DOCUMENT) {
            out.add(db.snapshot(response.message()));
          } else {
            response.skip();
          }
        });
    return out;
  }

  long countIn(Transaction transaction) {
    return (Long) aggregate(Proto.Aggregation.COUNT, new ProtoWriter(), transaction);
  }

  /** The one aggregation {@code operator} over the query's matches, as a Java value. */
  private Object aggregate(int operator, ProtoWriter aggregation, Transaction transaction) {
    ProtoWriter query =
        new ProtoWriter()
            .message(Proto.StructuredAggregationQuery.STRUCTURED_QUERY, toProto())
            .message(
                Proto.StructuredAggregationQuery.AGGREGATIONS,
                new ProtoWriter()
                    .message(operator, aggregation)
                    .string(Proto.Aggregation.ALIAS, ALIAS));
    ProtoWriter request =
        new ProtoWriter()
            .string(Proto.RunAggregationQueryRequest.PARENT, parent())
            .message(Proto.RunAggregationQueryRequest.STRUCTURED_AGGREGATION_QUERY, query);
    List<Map<String, Object>> results = new ArrayList<>();
    db.stream(
        Rpc.Read.RUN_AGGREGATION,
        request,
        Rpc.routeToParent(parent()),
        what(),
        transaction,
        response -> {
          if (response.field() == Proto.RunAggregationQueryResponse.RESULT) {
            results.add(
                Values.entries(response.message(), Proto.AggregationResult.AGGREGATE_FIELDS));
          } else {
            response.skip();
          }
        });
    if (results.isEmpty()) {
      throw new IllegalStateException("the server sent no aggregation result for " + what());
    }
    Map<String, Object> result = results.get(0);
    Object value = result.get(ALIAS);
    if (value instanceof Number n) {
      return n;
    }
    if (value == null && result.containsKey(ALIAS)) {
      return 0L; // a sum over no numbers, as the official client reads a null result
    }
    throw new IllegalStateException("the server's aggregation result has no number: " + result);
  }

  private String what() {
    return "query " + (allDescendants ? "group " : "") + collectionId;
  }

  private String parent() {
    return parentPath.isEmpty() ? db.rpc().documents : db.rpc().documents + "/" + parentPath;
  }

  /** The {@code StructuredQuery} message. */
  ProtoWriter toProto() {
    ProtoWriter from =
        new ProtoWriter().string(Proto.CollectionSelector.COLLECTION_ID, collectionId);
    if (allDescendants) {
      from.bool(Proto.CollectionSelector.ALL_DESCENDANTS, true);
    }
    ProtoWriter q = new ProtoWriter();
    select.ifPresent(
        fields -> {
          ProtoWriter p = new ProtoWriter();
          if (fields.isEmpty()) {
            p.message(Proto.Projection.FIELDS, reference(FieldPath.documentId()));
          }
          fields.forEach(f -> p.message(Proto.Projection.FIELDS, reference(f)));
          q.message(Proto.StructuredQuery.SELECT, p);
        });
    q.message(Proto.StructuredQuery.FROM, from);
    List<ProtoWriter> wire = new ArrayList<>();
    for (Where w : filters) {
      wire.add(filter(w));
    }
    if (wire.size() == 1) {
      q.message(Proto.StructuredQuery.WHERE, wire.get(0));
    } else if (wire.size() > 1) {
      ProtoWriter and =
          new ProtoWriter().varint(Proto.CompositeFilter.OP, Proto.CompositeFilter.AND);
      wire.forEach(f -> and.message(Proto.CompositeFilter.FILTERS, f));
      q.message(
          Proto.StructuredQuery.WHERE, new ProtoWriter().message(Proto.Filter.COMPOSITE, and));
    }
    for (Order o : orders) {
      q.message(
          Proto.StructuredQuery.ORDER_BY,
          new ProtoWriter()
              .message(Proto.Order.FIELD, reference(o.field()))
              .varint(
                  Proto.Order.DIRECTION,
                  o.direction() == Direction.ASCENDING
                      ? Proto.StructuredQuery.ASCENDING
                      : Proto.StructuredQuery.DESCENDING));
    }
    limit.ifPresent(
        n -> {
          ProtoWriter wrapper = new ProtoWriter();
          if (n != 0) {
            wrapper.varint(Proto.Int32Value.VALUE, n);
          }
          q.message(Proto.StructuredQuery.LIMIT, wrapper);
        });
    // before = false (start after these values) is the default, so not written.
    startAfter.ifPresent(
        values -> {
          ProtoWriter c = new ProtoWriter();
          for (int i = 0; i < values.size(); i++) {
            c.message(Proto.Cursor.VALUES, value(orders.get(i).field(), values.get(i)));
          }
          q.message(Proto.StructuredQuery.START_AT, c);
        });
    return q;
  }

  /** A {@code Filter} message. */
  private ProtoWriter filter(Where w) {
    if (w.value() == null && w.op() == Op.EQUAL) {
      return new ProtoWriter()
          .message(
              Proto.Filter.UNARY,
              new ProtoWriter()
                  .varint(Proto.UnaryFilter.OP, Proto.UnaryFilter.IS_NULL)
                  .message(Proto.UnaryFilter.FIELD, reference(w.field())));
    }
    ProtoWriter value;
    if (w.op() == Op.IN) {
      if (!(w.value() instanceof List<?> list) || list.isEmpty()) {
        throw new IllegalArgumentException("IN takes a non-empty list");
      }
      List<ProtoWriter> items = new ArrayList<>();
      list.forEach(item -> items.add(value(w.field(), item)));
      value = Values.array(items);
    } else {
      value = value(w.field(), w.value());
    }
    return new ProtoWriter()
        .message(
            Proto.Filter.FIELD,
            new ProtoWriter()
                .message(Proto.FieldFilter.FIELD, reference(w.field()))
                .varint(Proto.FieldFilter.OP, w.op().wire)
                .message(Proto.FieldFilter.VALUE, value));
  }

  /** A value compared with {@code field}: for the document id, the document's reference. */
  private ProtoWriter value(FieldPath field, Object value) {
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
    return Values.reference(Paths.name(db.rpc().documents, path));
  }

  /** A {@code FieldReference} message. */
  private static ProtoWriter reference(FieldPath field) {
    return new ProtoWriter().string(Proto.FieldReference.FIELD_PATH, field.canonical());
  }
}
