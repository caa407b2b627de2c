package dev.atelier.emulator;

import com.google.firestore.v1.StructuredAggregationQuery;
import com.google.firestore.v1.StructuredQuery;
import dev.atelier.emulator.engine.IndexRules;
import io.grpc.Status;
import java.util.Optional;

/** Strict index mode: rejects queries that need an undeclared composite index, like production. */
final class IndexGuard {
  private final Optional<IndexRules> rules;

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

  private static void fail(Optional<String> missingIndex) {
    missingIndex.ifPresent(message -> {
      throw Status.FAILED_PRECONDITION.withDescription(message).asRuntimeException();
    });
  }
}
