package dev.atelier.emulator;

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
    if (rules.isEmpty() || query.getFromCount() == 0) {
      return;
    }
    StructuredQuery.CollectionSelector from = query.getFrom(0);
    rules
        .get()
        .missingIndex(from.getCollectionId(), from.getAllDescendants(), query)
        .ifPresent(
            message -> {
              throw Status.FAILED_PRECONDITION.withDescription(message).asRuntimeException();
            });
  }
}
