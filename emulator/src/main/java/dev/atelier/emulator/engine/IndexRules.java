package dev.atelier.emulator.engine;

import com.google.firestore.v1.StructuredQuery;
import java.util.Optional;

/**
 * Strict index mode: the composite indexes declared in a firestore.indexes.json, and which
 * queries production would reject for want of one.
 */
public final class IndexRules {
  private IndexRules() {}

  /** No index file loaded: every query allowed (Google's emulator behaviour). */
  public static IndexRules permissive() {
    throw new UnsupportedOperationException("TODO");
  }

  /** Parses the firestore.indexes.json format ({"indexes": [...], "fieldOverrides": [...]}). */
  public static IndexRules fromJson(String firestoreIndexesJson) {
    throw new UnsupportedOperationException("TODO");
  }

  /**
   * The index production would require for this query and is not declared, described the way
   * Firestore's FAILED_PRECONDITION message does (collection group, scope, fields with order);
   * empty when the query can be served.
   *
   * @param collectionId the query's collection id
   * @param collectionGroup whether the query has allDescendants (COLLECTION_GROUP scope)
   */
  public Optional<String> missingIndex(String collectionId, boolean collectionGroup, StructuredQuery query) {
    throw new UnsupportedOperationException("TODO");
  }
}
