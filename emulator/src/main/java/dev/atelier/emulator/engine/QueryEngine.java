package dev.atelier.emulator.engine;

import com.google.firestore.v1.Document;
import com.google.firestore.v1.StructuredAggregationQuery;
import com.google.firestore.v1.StructuredQuery;
import com.google.firestore.v1.Value;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Evaluates structured queries over a snapshot of documents. Pure: no storage, no locking. */
public final class QueryEngine {
  private QueryEngine() {}

  /**
   * Runs {@code query} under {@code parent} ("projects/p/databases/d/documents" or a document name
   * below it) over {@code documents} (any superset of the candidates, e.g. the whole database).
   * Applies from/allDescendants, where, implicit and explicit orderBy (with the implicit __name__
   * order and exclusion of documents lacking an ordered field), cursors, offset, limit and select.
   *
   * @throws io.grpc.StatusRuntimeException INVALID_ARGUMENT for a query production rejects
   */
  public static List<Document> run(String parent, StructuredQuery query, Collection<Document> documents) {
    throw new UnsupportedOperationException("TODO");
  }

  /**
   * Whether {@code document} is in the result set of {@code query} ignoring cursors, offset and
   * limit (used by listeners, which re-run the query on change).
   */
  public static boolean matches(String parent, StructuredQuery query, Document document) {
    throw new UnsupportedOperationException("TODO");
  }

  /** count/sum/avg over the query's results, keyed by each aggregation's alias. */
  public static Map<String, Value> aggregate(
      String parent, StructuredAggregationQuery query, Collection<Document> documents) {
    throw new UnsupportedOperationException("TODO");
  }
}
