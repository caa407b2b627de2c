package dev.atelier.emulator;

import com.google.firestore.v1.Document;
import com.google.firestore.v1.StructuredQuery;
import dev.atelier.emulator.rules.Decision;
import dev.atelier.emulator.rules.FirestoreRules;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Security rules enforcement for the service: every request of a caller other than the owner is
 * decided by the rules; a denial is PERMISSION_DENIED naming the rules file, the request and each
 * applicable allow statement's location and outcome. Without rules it allows everything.
 */
final class RulesGuard {
  private final Optional<FirestoreRules> rules;
  private final DocumentStore store;

  RulesGuard(Optional<FirestoreRules> rules, DocumentStore store) {
    this.rules = rules;
    this.store = store;
  }

  boolean enforcing() {
    return rules.isPresent();
  }

  private boolean applies(Caller caller) {
    return rules.isPresent() && !(caller instanceof Caller.Owner);
  }

  /** Gets of documents as of {@code atMicros} (their current state, or absent). */
  void checkGet(Caller caller, Map<String, Optional<Document>> documents, long atMicros) {
    if (!applies(caller) || documents.isEmpty()) {
      return;
    }
    Decision d =
        rules
            .get()
            .read(caller.auth(), documents, Instant.now(), name -> store.get(name, atMicros));
    require(d, "get " + String.join(", ", documents.keySet()));
  }

  /** A query (or listing) of {@code parent}, proven for every document it may return. */
  void checkList(Caller caller, String parent, StructuredQuery query, long atMicros) {
    if (!applies(caller)) {
      return;
    }
    dev.atelier.emulator.engine.QueryEngine.validate(parent, query);
    Decision d =
        rules
            .get()
            .list(caller.auth(), parent, query, Instant.now(), name -> store.get(name, atMicros));
    StructuredQuery.CollectionSelector from = query.getFrom(0);
    require(
        d,
        "list "
            + (from.getAllDescendants() ? "collection group " : "")
            + parent
            + "/"
            + from.getCollectionId());
  }

  /** Calls only server SDKs may make (ListCollectionIds, PartitionQuery). */
  void checkServerOnly(Caller caller, String what) {
    if (applies(caller)) {
      throw Status.PERMISSION_DENIED
          .withDescription(
              "Missing or insufficient permissions: " + what + " is not available to client SDKs.")
          .asRuntimeException();
    }
  }

  /** The write check for a commit of {@code caller}. */
  CommitCheck commitCheck(Caller caller) {
    if (!applies(caller)) {
      return CommitCheck.NONE;
    }
    FirestoreRules firestoreRules = rules.get();
    return (before, after, commitMicros) -> {
      List<FirestoreRules.Change> changes = new ArrayList<>();
      for (Map.Entry<String, Optional<Document>> entry : after.entrySet()) {
        changes.add(
            new FirestoreRules.Change(
                entry.getKey(), before.get(entry.getKey()), entry.getValue()));
      }
      long now = store.snapshot();
      Instant time =
          Instant.ofEpochSecond(commitMicros / 1_000_000, (commitMicros % 1_000_000) * 1_000);
      Decision d =
          firestoreRules.write(
              caller.auth(),
              changes,
              time,
              name -> before.containsKey(name) ? before.get(name) : store.get(name, now),
              name -> after.containsKey(name) ? after.get(name) : store.get(name, now));
      require(d, "write " + String.join(", ", after.keySet()));
    };
  }

  private void require(Decision decision, String request) {
    if (!decision.allowed()) {
      throw denied(decision, request);
    }
  }

  StatusRuntimeException denied(Decision decision, String request) {
    return Status.PERMISSION_DENIED
        .withDescription(
            "Missing or insufficient permissions. "
                + request
                + " denied by "
                + rules.map(FirestoreRules::fileName).orElse("rules")
                + ": "
                + decision.explanation())
        .asRuntimeException();
  }
}
