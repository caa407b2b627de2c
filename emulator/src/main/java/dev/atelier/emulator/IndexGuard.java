package dev.atelier.emulator;

import com.google.firestore.v1.StructuredAggregationQuery;
import com.google.firestore.v1.StructuredQuery;
import dev.atelier.emulator.engine.IndexRules;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Strict index mode: rejects queries that need an undeclared composite index, like production, and
 * keeps every rejection so a test harness can fail the test even when the code under test swallowed
 * the error.
 */
final class IndexGuard {
  private final Optional<IndexRules> rules;
  private final Queue<String> rejected = new ConcurrentLinkedQueue<>();

  IndexGuard(Optional<IndexRules> rules) {
    this.rules = rules;
  }

  void check(StructuredQuery query) {
    if (rules.isPresent() && query.getFromCount() > 0) {
      StructuredQuery.CollectionSelector from = query.getFrom(0);
      fail(rules.get().missingIndex(from.getCollectionId(), from.getAllDescendants(), query));
    }
  }

  /** sum() and avg() scan indexes too, so they may need more than the query's own index. */
  void check(StructuredAggregationQuery aggregation) {
    StructuredQuery query = aggregation.getStructuredQuery();
    if (rules.isPresent() && query.getFromCount() > 0) {
      StructuredQuery.CollectionSelector from = query.getFrom(0);
      fail(rules.get().missingIndex(from.getCollectionId(), from.getAllDescendants(), aggregation));
    }
  }

  /** The rejections since the last call, oldest first. */
  List<String> takeRejected() {
    List<String> out = new ArrayList<>();
    for (String s; (s = rejected.poll()) != null; ) {
      out.add(s);
    }
    return out;
  }

  private void fail(Optional<String> missingIndex) {
    missingIndex.ifPresent(
        message -> {
          rejected.add(message);
          throw Status.FAILED_PRECONDITION.withDescription(message).asRuntimeException();
        });
  }
}
