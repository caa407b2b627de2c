package dev.atelier.emulator;

import com.google.firestore.v1.Document;
import com.google.firestore.v1.DocumentChange;
import com.google.firestore.v1.DocumentDelete;
import com.google.firestore.v1.DocumentRemove;
import com.google.firestore.v1.ListenRequest;
import com.google.firestore.v1.ListenResponse;
import com.google.firestore.v1.Target;
import com.google.firestore.v1.TargetChange;
import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;
import dev.atelier.emulator.engine.QueryEngine;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One Listen stream, speaking the protocol the client's Watch expects: on add_target, ADD, the
 * current documents, CURRENT, then a global NO_CHANGE with read_time (the client's "consistent
 * snapshot" signal); after each commit that affects a target, the changed, deleted or removed
 * documents, then the global NO_CHANGE. Queries are re-run over the store and diffed, so limits and
 * orderings stay exact. All work runs on the dispatcher thread.
 */
final class ListenStream implements StreamObserver<ListenRequest> {
  private final ServerCallStreamObserver<ListenResponse> out;
  private final DocumentStore store;
  private final ChangeDispatcher dispatcher;
  private final IndexGuard indexGuard;
  private final RulesGuard rulesGuard;
  private final Caller caller;
  private final OperationCounters counters;
  private final Map<Integer, WatchedTarget> targets = new HashMap<>();
  private boolean closed;

  /** A target and the documents the client currently has for it. */
  private final class WatchedTarget {
    final int id;
    final Target target;
    Map<String, Document> current = new LinkedHashMap<>();
    long asOfMicros;

    WatchedTarget(int id, Target target) {
      this.id = id;
      this.target = target;
    }

    boolean affectedBy(Commit commit) {
      for (CommittedChange change : commit.changes()) {
        if (target.hasDocuments()
            ? target.getDocuments().getDocumentsList().contains(change.name())
            : change.name().startsWith(target.getQuery().getParent() + "/")) {
          return true;
        }
      }
      return false;
    }

    /**
     * The security rules for this target as of {@code atMicros}: a query is proven once (its proof
     * does not depend on the data), documents are re-checked at every change, as production does.
     */
    void checkRules(long atMicros, boolean initial) {
      if (target.hasDocuments()) {
        Map<String, java.util.Optional<Document>> documents = new LinkedHashMap<>();
        for (String name : target.getDocuments().getDocumentsList()) {
          documents.put(name, store.get(name, atMicros));
        }
        rulesGuard.checkGet(caller, documents, atMicros);
      } else if (initial) {
        rulesGuard.checkList(
            caller,
            target.getQuery().getParent(),
            target.getQuery().getStructuredQuery(),
            atMicros);
      }
    }

    Map<String, Document> evaluate(long atMicros) {
      Map<String, Document> result = new LinkedHashMap<>();
      if (target.hasDocuments()) {
        for (String name : target.getDocuments().getDocumentsList()) {
          store.get(name, atMicros).ifPresent(document -> result.put(name, document));
        }
      } else {
        String parent = target.getQuery().getParent();
        List<Document> matches =
            QueryEngine.run(
                parent, target.getQuery().getStructuredQuery(), store.list(parent + "/", atMicros));
        for (Document document : matches) {
          result.put(document.getName(), document);
        }
      }
      return result;
    }
  }

  ListenStream(
      ServerCallStreamObserver<ListenResponse> out,
      DocumentStore store,
      ChangeDispatcher dispatcher,
      IndexGuard indexGuard,
      RulesGuard rulesGuard,
      Caller caller,
      OperationCounters counters) {
    this.out = out;
    this.store = store;
    this.dispatcher = dispatcher;
    this.indexGuard = indexGuard;
    this.rulesGuard = rulesGuard;
    this.caller = caller;
    this.counters = counters;
    out.setOnCancelHandler(() -> dispatcher.execute(this::close));
    dispatcher.register(this);
  }

  @Override
  public void onNext(ListenRequest request) {
    switch (request.getTargetChangeCase()) {
      case ADD_TARGET:
        Target target = request.getAddTarget();
        dispatcher.execute(() -> addTarget(target));
        break;
      case REMOVE_TARGET:
        int id = request.getRemoveTarget();
        dispatcher.execute(() -> removeTarget(id));
        break;
      default:
        break;
    }
  }

  @Override
  public void onError(Throwable t) {
    dispatcher.execute(this::close);
  }

  @Override
  public void onCompleted() {
    dispatcher.execute(
        () -> {
          if (!closed) {
            close();
            out.onCompleted();
          }
        });
  }

  /** Runs on the dispatcher thread, in commit order. */
  void onCommit(Commit commit) {
    update(commit.commitMicros(), watched -> watched.affectedBy(commit));
  }

  /** After a wipe: every target is re-read. Runs on the dispatcher thread. */
  void refresh(long micros) {
    update(micros, watched -> true);
  }

  private void update(long micros, java.util.function.Predicate<WatchedTarget> affected) {
    if (closed) {
      return;
    }
    boolean sent = false;
    for (WatchedTarget watched : new java.util.ArrayList<>(targets.values())) {
      if (micros <= watched.asOfMicros || !affected.test(watched)) {
        continue;
      }
      try {
        watched.checkRules(micros, false);
      } catch (StatusRuntimeException e) {
        targets.remove(watched.id);
        sendRemoval(watched.id, e);
        continue;
      }
      Map<String, Document> next;
      try {
        next = watched.evaluate(micros);
      } catch (StatusRuntimeException e) {
        continue;
      }
      sent |= sendDiff(watched, next, micros);
    }
    if (sent) {
      sendGlobalNoChange(micros);
    }
  }

  private void addTarget(Target target) {
    if (closed) {
      return;
    }
    int id = target.getTargetId();
    WatchedTarget watched = new WatchedTarget(id, target);
    long at = store.snapshot();
    Map<String, Document> initial;
    try {
      if (target.hasQuery()) {
        indexGuard.check(target.getQuery().getStructuredQuery());
      } else if (!target.hasDocuments()) {
        throw Status.INVALID_ARGUMENT
            .withDescription("A target needs documents or a query.")
            .asRuntimeException();
      }
      watched.checkRules(at, true);
      initial = watched.evaluate(at);
    } catch (StatusRuntimeException e) {
      sendRemoval(id, e);
      return;
    }
    targets.put(id, watched);
    send(targetChange(TargetChange.TargetChangeType.ADD, id));
    if (!target.getResumeToken().isEmpty() || target.hasReadTime()) {
      // We keep no history to resume from: the client drops what it has and takes the full state.
      send(targetChange(TargetChange.TargetChangeType.RESET, id));
    }
    sendDiff(watched, initial, at);
    send(
        targetChange(TargetChange.TargetChangeType.CURRENT, id)
            .setResumeToken(resumeToken(at))
            .setReadTime(timestamp(at)));
    sendGlobalNoChange(at);
  }

  private void sendRemoval(int id, StatusRuntimeException cause) {
    send(
        targetChange(TargetChange.TargetChangeType.REMOVE, id)
            .setCause(
                com.google.rpc.Status.newBuilder()
                    .setCode(cause.getStatus().getCode().value())
                    .setMessage(String.valueOf(cause.getStatus().getDescription()))));
  }

  private void removeTarget(int id) {
    if (!closed && targets.remove(id) != null) {
      send(targetChange(TargetChange.TargetChangeType.REMOVE, id));
    }
  }

  private boolean sendDiff(WatchedTarget watched, Map<String, Document> next, long atMicros) {
    boolean sent = false;
    for (Document document : next.values()) {
      Document old = watched.current.get(document.getName());
      if (old == null || !old.getUpdateTime().equals(document.getUpdateTime())) {
        counters.read(1);
        send(
            ListenResponse.newBuilder()
                .setDocumentChange(
                    DocumentChange.newBuilder().setDocument(document).addTargetIds(watched.id)));
        sent = true;
      }
    }
    for (String name : watched.current.keySet()) {
      if (next.containsKey(name)) {
        continue;
      }
      if (store.get(name, atMicros).isEmpty()) {
        send(
            ListenResponse.newBuilder()
                .setDocumentDelete(
                    DocumentDelete.newBuilder()
                        .setDocument(name)
                        .addRemovedTargetIds(watched.id)
                        .setReadTime(timestamp(atMicros))));
      } else {
        send(
            ListenResponse.newBuilder()
                .setDocumentRemove(
                    DocumentRemove.newBuilder()
                        .setDocument(name)
                        .addRemovedTargetIds(watched.id)
                        .setReadTime(timestamp(atMicros))));
      }
      sent = true;
    }
    watched.current = next;
    watched.asOfMicros = atMicros;
    return sent;
  }

  private void sendGlobalNoChange(long atMicros) {
    send(
        ListenResponse.newBuilder()
            .setTargetChange(
                TargetChange.newBuilder()
                    .setTargetChangeType(TargetChange.TargetChangeType.NO_CHANGE)
                    .setResumeToken(resumeToken(atMicros))
                    .setReadTime(timestamp(atMicros))));
  }

  private static TargetChange.Builder targetChange(TargetChange.TargetChangeType type, int id) {
    return TargetChange.newBuilder().setTargetChangeType(type).addTargetIds(id);
  }

  private void send(TargetChange.Builder change) {
    send(ListenResponse.newBuilder().setTargetChange(change));
  }

  private void send(ListenResponse.Builder response) {
    if (closed || out.isCancelled()) {
      return;
    }
    try {
      out.onNext(response.build());
    } catch (RuntimeException e) {
      close();
    }
  }

  private void close() {
    closed = true;
    targets.clear();
    dispatcher.unregister(this);
  }

  private static ByteString resumeToken(long micros) {
    return ByteString.copyFrom(ByteBuffer.allocate(Long.BYTES).putLong(micros).array());
  }

  private static Timestamp timestamp(long micros) {
    return Timestamps.fromMicros(micros);
  }
}
