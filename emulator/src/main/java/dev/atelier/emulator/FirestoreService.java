package dev.atelier.emulator;

import com.google.firestore.v1.AggregationResult;
import com.google.firestore.v1.BatchGetDocumentsRequest;
import com.google.firestore.v1.BatchGetDocumentsResponse;
import com.google.firestore.v1.BatchWriteRequest;
import com.google.firestore.v1.BatchWriteResponse;
import com.google.firestore.v1.BeginTransactionRequest;
import com.google.firestore.v1.BeginTransactionResponse;
import com.google.firestore.v1.CommitRequest;
import com.google.firestore.v1.CommitResponse;
import com.google.firestore.v1.CreateDocumentRequest;
import com.google.firestore.v1.DeleteDocumentRequest;
import com.google.firestore.v1.Document;
import com.google.firestore.v1.DocumentMask;
import com.google.firestore.v1.FirestoreGrpc;
import com.google.firestore.v1.GetDocumentRequest;
import com.google.firestore.v1.ListCollectionIdsRequest;
import com.google.firestore.v1.ListCollectionIdsResponse;
import com.google.firestore.v1.ListDocumentsRequest;
import com.google.firestore.v1.ListDocumentsResponse;
import com.google.firestore.v1.ListenRequest;
import com.google.firestore.v1.ListenResponse;
import com.google.firestore.v1.PartitionQueryRequest;
import com.google.firestore.v1.PartitionQueryResponse;
import com.google.firestore.v1.Precondition;
import com.google.firestore.v1.RollbackRequest;
import com.google.firestore.v1.RunAggregationQueryRequest;
import com.google.firestore.v1.RunAggregationQueryResponse;
import com.google.firestore.v1.RunQueryRequest;
import com.google.firestore.v1.RunQueryResponse;
import com.google.firestore.v1.StructuredQuery;
import com.google.firestore.v1.TransactionOptions;
import com.google.firestore.v1.UpdateDocumentRequest;
import com.google.firestore.v1.Write;
import com.google.firestore.v1.WriteResult;
import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;
import dev.atelier.emulator.engine.Projections;
import dev.atelier.emulator.engine.QueryEngine;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The Firestore v1 gRPC API over the in-memory store. */
final class FirestoreService extends FirestoreGrpc.FirestoreImplBase {
  private static final Logger LOG = Logger.getLogger(FirestoreService.class.getName());
  private static final String ID_ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final int QUERY_LOCK_ATTEMPTS = 5;

  private final DocumentStore store;
  private final TransactionManager transactions;
  private final ChangeDispatcher dispatcher;
  private final IndexGuard indexGuard;
  private final RulesGuard rulesGuard;
  private final OperationCounters counters;
  private final Faults faults;
  private final SecureRandom random = new SecureRandom();
  private final java.util.concurrent.ExecutorService workers =
      java.util.concurrent.Executors.newCachedThreadPool(
          DaemonThreads.named("firestore-emulator-call"));

  FirestoreService(
      DocumentStore store,
      TransactionManager transactions,
      ChangeDispatcher dispatcher,
      IndexGuard indexGuard,
      RulesGuard rulesGuard,
      OperationCounters counters,
      Faults faults) {
    this.store = store;
    this.transactions = transactions;
    this.dispatcher = dispatcher;
    this.indexGuard = indexGuard;
    this.rulesGuard = rulesGuard;
    this.counters = counters;
    this.faults = faults;
  }

  /**
   * How one read call sees the database: a fixed snapshot, or inside a read-write transaction the
   * latest data after locking what it reads.
   */
  private final class ReadScope implements AutoCloseable {
    final TransactionManager.Tx tx;
    final ByteString newTransactionId;
    final long snapshotMicros;

    ReadScope(ByteString transaction, TransactionOptions newTransaction, Timestamp readTime) {
      if (!transaction.isEmpty()) {
        tx = transactions.enter(transaction);
        newTransactionId = ByteString.EMPTY;
      } else if (newTransaction != null) {
        tx = transactions.begin(newTransaction);
        newTransactionId = tx.id;
      } else {
        tx = null;
        newTransactionId = ByteString.EMPTY;
      }
      if (tx != null && tx.readOnly) {
        snapshotMicros = tx.readMicros;
      } else if (readTime != null) {
        snapshotMicros = Timestamps.toMicros(readTime);
      } else {
        snapshotMicros = store.snapshot();
      }
    }

    boolean locking() {
      return tx != null && !tx.readOnly;
    }

    /** Locks (in a read-write transaction) and reads the named documents. */
    List<Optional<Document>> get(List<String> names) {
      long at = snapshotMicros;
      if (locking()) {
        transactions.lock(tx, names);
        at = store.snapshot();
      }
      List<Optional<Document>> found = new ArrayList<>(names.size());
      for (String name : names) {
        found.add(store.get(name, at));
      }
      return found;
    }

    /**
     * Runs a query; in a read-write transaction, locks the results (re-running until stable) and
     * has the result set re-checked at commit, so a concurrent insert into it aborts the commit.
     */
    List<Document> query(String parent, StructuredQuery query) {
      if (!locking()) {
        return QueryEngine.run(parent, query, store.list(parent + "/", snapshotMicros));
      }
      Supplier<List<Document>> latest =
          () -> QueryEngine.run(parent, query, store.list(parent + "/", store.snapshot()));
      List<Document> results = latest.get();
      for (int attempt = 0; attempt < QUERY_LOCK_ATTEMPTS; attempt++) {
        List<String> names = names(results);
        transactions.lock(tx, names);
        List<Document> again = latest.get();
        if (names(again).equals(names)) {
          results = again;
          break;
        }
        results = again;
      }
      transactions.validateAtCommit(tx, names(results), () -> names(latest.get()));
      return results;
    }

    long readMicros() {
      return locking() ? store.snapshot() : snapshotMicros;
    }

    /**
     * Security rules for documents this scope read: on denial a transaction begun here is rolled
     * back.
     */
    void checkGet(Caller caller, List<String> names, List<Optional<Document>> found) {
      if (!rulesGuard.enforcing()) {
        return;
      }
      Map<String, Optional<Document>> documents = new java.util.LinkedHashMap<>();
      for (int i = 0; i < names.size(); i++) {
        documents.put(names.get(i), found.get(i));
      }
      try {
        rulesGuard.checkGet(caller, documents, readMicros());
      } catch (StatusRuntimeException e) {
        if (!newTransactionId.isEmpty()) {
          transactions.rollback(newTransactionId);
        }
        throw e;
      }
    }

    @Override
    public void close() {
      if (tx != null) {
        transactions.leave(tx);
      }
    }
  }

  // ---- reads ----

  @Override
  public void getDocument(GetDocumentRequest request, StreamObserver<Document> out) {
    Caller caller = Caller.current();
    unary(
        out,
        !request.getTransaction().isEmpty(),
        () -> {
          try (ReadScope scope =
              new ReadScope(
                  request.getTransaction(),
                  null,
                  request.hasReadTime() ? request.getReadTime() : null)) {
            counters.read(1);
            List<Optional<Document>> found = scope.get(List.of(request.getName()));
            scope.checkGet(caller, List.of(request.getName()), found);
            Document document =
                found
                    .get(0)
                    .orElseThrow(
                        () ->
                            Status.NOT_FOUND
                                .withDescription(
                                    "Document \"" + request.getName() + "\" not found.")
                                .asRuntimeException());
            return request.hasMask() ? Projections.project(document, request.getMask()) : document;
          }
        });
  }

  @Override
  public void batchGetDocuments(
      BatchGetDocumentsRequest request, StreamObserver<BatchGetDocumentsResponse> out) {
    Caller caller = Caller.current();
    stream(
        out,
        inTransaction(request.getTransaction(), request.hasNewTransaction()),
        () -> {
          try (ReadScope scope =
              new ReadScope(
                  request.getTransaction(),
                  request.hasNewTransaction() ? request.getNewTransaction() : null,
                  request.hasReadTime() ? request.getReadTime() : null)) {
            List<Optional<Document>> found = scope.get(request.getDocumentsList());
            scope.checkGet(caller, request.getDocumentsList(), found);
            Timestamp readTime = Timestamps.fromMicros(scope.readMicros());
            counters.read(found.size());
            for (int i = 0; i < found.size(); i++) {
              BatchGetDocumentsResponse.Builder response =
                  BatchGetDocumentsResponse.newBuilder().setReadTime(readTime);
              if (i == 0) {
                response.setTransaction(scope.newTransactionId);
              }
              Optional<Document> document = found.get(i);
              if (document.isPresent()) {
                response.setFound(
                    request.hasMask()
                        ? Projections.project(document.get(), request.getMask())
                        : document.get());
              } else {
                response.setMissing(request.getDocuments(i));
              }
              out.onNext(response.build());
            }
            if (found.isEmpty() && !scope.newTransactionId.isEmpty()) {
              out.onNext(
                  BatchGetDocumentsResponse.newBuilder()
                      .setTransaction(scope.newTransactionId)
                      .setReadTime(readTime)
                      .build());
            }
          }
        });
  }

  @Override
  public void runQuery(RunQueryRequest request, StreamObserver<RunQueryResponse> out) {
    Caller caller = Caller.current();
    stream(
        out,
        inTransaction(request.getTransaction(), request.hasNewTransaction()),
        () -> {
          indexGuard.check(request.getStructuredQuery());
          rulesGuard.checkList(
              caller,
              request.getParent(),
              request.getStructuredQuery(),
              readMicros(request.getReadTime()));
          try (ReadScope scope =
              new ReadScope(
                  request.getTransaction(),
                  request.hasNewTransaction() ? request.getNewTransaction() : null,
                  request.hasReadTime() ? request.getReadTime() : null)) {
            List<Document> results = scope.query(request.getParent(), request.getStructuredQuery());
            Timestamp readTime = Timestamps.fromMicros(scope.readMicros());
            counters.read(Math.max(1, results.size()));
            boolean first = true;
            for (Document document : results) {
              RunQueryResponse.Builder response =
                  RunQueryResponse.newBuilder().setDocument(document).setReadTime(readTime);
              if (first) {
                response.setTransaction(scope.newTransactionId);
                first = false;
              }
              out.onNext(response.build());
            }
            if (first) {
              out.onNext(
                  RunQueryResponse.newBuilder()
                      .setTransaction(scope.newTransactionId)
                      .setReadTime(readTime)
                      .build());
            }
          }
        });
  }

  @Override
  public void runAggregationQuery(
      RunAggregationQueryRequest request, StreamObserver<RunAggregationQueryResponse> out) {
    Caller caller = Caller.current();
    stream(
        out,
        inTransaction(request.getTransaction(), request.hasNewTransaction()),
        () -> {
          StructuredQuery query = request.getStructuredAggregationQuery().getStructuredQuery();
          indexGuard.check(request.getStructuredAggregationQuery());
          rulesGuard.checkList(
              caller, request.getParent(), query, readMicros(request.getReadTime()));
          try (ReadScope scope =
              new ReadScope(
                  request.getTransaction(),
                  request.hasNewTransaction() ? request.getNewTransaction() : null,
                  request.hasReadTime() ? request.getReadTime() : null)) {
            long at = scope.readMicros();
            List<Document> candidates = store.list(request.getParent() + "/", at);
            Map<String, com.google.firestore.v1.Value> fields =
                QueryEngine.aggregate(
                    request.getParent(), request.getStructuredAggregationQuery(), candidates);
            if (scope.locking()) {
              // Aggregations lock nothing; a concurrent change to what they counted aborts the
              // commit.
              transactions.validateAtCommit(
                  scope.tx,
                  fields,
                  () ->
                      QueryEngine.aggregate(
                          request.getParent(),
                          request.getStructuredAggregationQuery(),
                          store.list(request.getParent() + "/", store.snapshot())));
            }
            int entries = QueryEngine.run(request.getParent(), query, candidates).size();
            counters.read(Math.max(1, (entries + 999) / 1000));
            out.onNext(
                RunAggregationQueryResponse.newBuilder()
                    .setResult(AggregationResult.newBuilder().putAllAggregateFields(fields))
                    .setTransaction(scope.newTransactionId)
                    .setReadTime(Timestamps.fromMicros(at))
                    .build());
          }
        });
  }

  @Override
  public void listDocuments(
      ListDocumentsRequest request, StreamObserver<ListDocumentsResponse> out) {
    Caller caller = Caller.current();
    unary(
        out,
        false,
        () -> {
          rulesGuard.checkList(
              caller,
              request.getParent(),
              StructuredQuery.newBuilder()
                  .addFrom(
                      StructuredQuery.CollectionSelector.newBuilder()
                          .setCollectionId(request.getCollectionId()))
                  .build(),
              readMicros(request.getReadTime()));
          try (ReadScope scope =
              new ReadScope(
                  request.getTransaction(),
                  null,
                  request.hasReadTime() ? request.getReadTime() : null)) {
            String prefix = request.getParent() + "/" + request.getCollectionId() + "/";
            TreeMap<String, Document> byId = new TreeMap<>();
            for (Document document : store.list(prefix, scope.readMicros())) {
              String rest = document.getName().substring(prefix.length());
              int slash = rest.indexOf('/');
              if (slash < 0) {
                byId.put(
                    rest,
                    request.hasMask()
                        ? Projections.project(document, request.getMask())
                        : document);
              } else if (request.getShowMissing()) {
                String id = rest.substring(0, slash);
                byId.putIfAbsent(id, Document.newBuilder().setName(prefix + id).build());
              }
            }
            ListDocumentsResponse.Builder response = ListDocumentsResponse.newBuilder();
            String next =
                page(byId, request.getPageToken(), request.getPageSize(), response::addDocuments);
            counters.read(response.getDocumentsCount());
            return response.setNextPageToken(next).build();
          }
        });
  }

  @Override
  public void listCollectionIds(
      ListCollectionIdsRequest request, StreamObserver<ListCollectionIdsResponse> out) {
    Caller caller = Caller.current();
    unary(
        out,
        false,
        () -> {
          rulesGuard.checkServerOnly(caller, "ListCollectionIds");
          long at =
              request.hasReadTime() ? Timestamps.toMicros(request.getReadTime()) : store.snapshot();
          String prefix = request.getParent() + "/";
          TreeMap<String, String> ids = new TreeMap<>();
          for (Document document : store.list(prefix, at)) {
            String rest = document.getName().substring(prefix.length());
            String id = rest.substring(0, rest.indexOf('/'));
            ids.put(id, id);
          }
          ListCollectionIdsResponse.Builder response = ListCollectionIdsResponse.newBuilder();
          String next =
              page(ids, request.getPageToken(), request.getPageSize(), response::addCollectionIds);
          return response.setNextPageToken(next).build();
        });
  }

  /**
   * Emits the entries after {@code token} (a key), up to {@code size}; returns the next token or
   * "".
   */
  private static <T> String page(
      NavigableMap<String, T> entries, String token, int size, Consumer<T> sink) {
    NavigableMap<String, T> rest = token.isEmpty() ? entries : entries.tailMap(token, false);
    int emitted = 0;
    for (Map.Entry<String, T> entry : rest.entrySet()) {
      if (size > 0 && emitted == size) {
        return rest.lowerKey(entry.getKey());
      }
      sink.accept(entry.getValue());
      emitted++;
    }
    return "";
  }

  @Override
  public void partitionQuery(
      PartitionQueryRequest request, StreamObserver<PartitionQueryResponse> out) {
    Caller caller = Caller.current();
    unary(
        out,
        false,
        () -> {
          rulesGuard.checkServerOnly(caller, "PartitionQuery");
          long at =
              request.hasReadTime() ? Timestamps.toMicros(request.getReadTime()) : store.snapshot();
          return PartitionQueryResponse.newBuilder()
              .addAllPartitions(
                  QueryEngine.partition(
                      request.getParent(),
                      request.getStructuredQuery(),
                      store.list(request.getParent() + "/", at),
                      request.getPartitionCount()))
              .build();
        });
  }

  // ---- transactions and writes ----

  @Override
  public void beginTransaction(
      BeginTransactionRequest request, StreamObserver<BeginTransactionResponse> out) {
    unary(
        out,
        true,
        () -> {
          TransactionOptions options =
              request.hasOptions()
                  ? request.getOptions()
                  : TransactionOptions.newBuilder()
                      .setReadWrite(TransactionOptions.ReadWrite.getDefaultInstance())
                      .build();
          TransactionManager.Tx tx = transactions.begin(options);
          transactions.leave(tx);
          return BeginTransactionResponse.newBuilder().setTransaction(tx.id).build();
        });
  }

  @Override
  public void rollback(RollbackRequest request, StreamObserver<Empty> out) {
    unary(
        out,
        false,
        () -> {
          transactions.rollback(request.getTransaction());
          return Empty.getDefaultInstance();
        });
  }

  @Override
  public void commit(CommitRequest request, StreamObserver<CommitResponse> out) {
    CommitCheck check = rulesGuard.commitCheck(Caller.current());
    unary(
        out,
        true,
        () -> {
          TransactionManager.Tx tx =
              request.getTransaction().isEmpty()
                  ? null
                  : transactions.enter(request.getTransaction());
          try {
            Optional<Status.Code> failure =
                faults.takeCommitFailure(() -> writtenPaths(request.getWritesList()));
            if (failure.isPresent()) {
              if (tx != null) {
                transactions.abortAndFinish(tx, "fault injection");
              }
              throw Status.fromCode(failure.get())
                  .withDescription("Commit failed by fault injection.")
                  .asRuntimeException();
            }
            Commit commit = transactions.commit(tx, request.getWritesList(), check);
            countWrites(request.getWritesList());
            return CommitResponse.newBuilder()
                .addAllWriteResults(commit.writeResults())
                .setCommitTime(Timestamps.fromMicros(commit.commitMicros()))
                .build();
          } finally {
            if (tx != null) {
              transactions.leave(tx);
            }
          }
        });
  }

  @Override
  public void batchWrite(BatchWriteRequest request, StreamObserver<BatchWriteResponse> out) {
    CommitCheck check = rulesGuard.commitCheck(Caller.current());
    unary(
        out,
        true,
        () -> {
          BatchWriteResponse.Builder response = BatchWriteResponse.newBuilder();
          for (Write write : request.getWritesList()) {
            try {
              Commit commit = transactions.commit(null, List.of(write), check);
              countWrites(List.of(write));
              response.addWriteResults(commit.writeResults().get(0));
              response.addStatus(com.google.rpc.Status.newBuilder().setCode(0));
            } catch (StatusRuntimeException e) {
              response.addWriteResults(WriteResult.getDefaultInstance());
              response.addStatus(
                  com.google.rpc.Status.newBuilder()
                      .setCode(e.getStatus().getCode().value())
                      .setMessage(String.valueOf(e.getStatus().getDescription())));
            }
          }
          return response.build();
        });
  }

  @Override
  public void createDocument(CreateDocumentRequest request, StreamObserver<Document> out) {
    CommitCheck check = rulesGuard.commitCheck(Caller.current());
    unary(
        out,
        true,
        () -> {
          String id = request.getDocumentId().isEmpty() ? randomId() : request.getDocumentId();
          String name = request.getParent() + "/" + request.getCollectionId() + "/" + id;
          Write write =
              Write.newBuilder()
                  .setUpdate(request.getDocument().toBuilder().setName(name))
                  .setCurrentDocument(Precondition.newBuilder().setExists(false))
                  .build();
          return writeOne(write, request.hasMask() ? request.getMask() : null, check);
        });
  }

  @Override
  public void updateDocument(UpdateDocumentRequest request, StreamObserver<Document> out) {
    CommitCheck check = rulesGuard.commitCheck(Caller.current());
    unary(
        out,
        true,
        () -> {
          Write.Builder write = Write.newBuilder().setUpdate(request.getDocument());
          if (request.hasUpdateMask()) {
            write.setUpdateMask(request.getUpdateMask());
          }
          if (request.hasCurrentDocument()) {
            write.setCurrentDocument(request.getCurrentDocument());
          }
          return writeOne(write.build(), request.hasMask() ? request.getMask() : null, check);
        });
  }

  @Override
  public void deleteDocument(DeleteDocumentRequest request, StreamObserver<Empty> out) {
    CommitCheck check = rulesGuard.commitCheck(Caller.current());
    unary(
        out,
        true,
        () -> {
          Write.Builder write = Write.newBuilder().setDelete(request.getName());
          if (request.hasCurrentDocument()) {
            write.setCurrentDocument(request.getCurrentDocument());
          }
          transactions.commit(null, List.of(write.build()), check);
          countWrites(List.of(write.build()));
          return Empty.getDefaultInstance();
        });
  }

  private Document writeOne(Write write, DocumentMask mask, CommitCheck check) {
    Commit commit = transactions.commit(null, List.of(write), check);
    countWrites(List.of(write));
    Document document = store.get(write.getUpdate().getName(), commit.commitMicros()).orElseThrow();
    return mask == null ? document : Projections.project(document, mask);
  }

  /** The documents {@code writes} touch, as paths below the database's documents root. */
  private static List<String> writtenPaths(List<Write> writes) {
    return writes.stream()
        .map(
            w ->
                w.hasUpdate()
                    ? w.getUpdate().getName()
                    : w.hasDelete() ? w.getDelete() : w.getTransform().getDocument())
        .map(name -> name.substring(name.indexOf("/documents/") + "/documents/".length()))
        .toList();
  }

  private void countWrites(List<Write> writes) {
    long deletes = writes.stream().filter(Write::hasDelete).count();
    counters.deleted(deletes);
    counters.wrote(writes.size() - deletes);
  }

  /** The snapshot a read without a transaction sees: its read_time, or now. */
  private long readMicros(Timestamp readTime) {
    return readTime != null && !readTime.equals(Timestamp.getDefaultInstance())
        ? Timestamps.toMicros(readTime)
        : store.snapshot();
  }

  private static List<String> names(List<Document> documents) {
    List<String> names = new ArrayList<>(documents.size());
    for (Document document : documents) {
      names.add(document.getName());
    }
    return names;
  }

  private String randomId() {
    StringBuilder id = new StringBuilder(20);
    for (int i = 0; i < 20; i++) {
      id.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
    }
    return id.toString();
  }

  // ---- listen ----

  @Override
  public StreamObserver<ListenRequest> listen(StreamObserver<ListenResponse> out) {
    return new ListenStream(
        (ServerCallStreamObserver<ListenResponse>) out,
        store,
        dispatcher,
        indexGuard,
        rulesGuard,
        Caller.current(),
        counters);
  }

  // ---- call plumbing ----

  private interface StreamBody {
    void run();
  }

  /** Reads inside a read-write transaction may wait for locks. */
  private static boolean inTransaction(ByteString transaction, boolean newTransaction) {
    return !transaction.isEmpty() || newTransaction;
  }

  private <T> void unary(StreamObserver<T> out, boolean mayBlock, Supplier<T> body) {
    stream(out, mayBlock, () -> out.onNext(body.get()));
  }

  /**
   * Calls arrive on Netty's event loop (direct executor: no thread hand-off for the common reads);
   * a call that may wait (locks, admission, injected delay) moves to a worker thread first.
   */
  private <T> void stream(StreamObserver<T> out, boolean mayBlock, StreamBody body) {
    if (mayBlock || faults.delaying()) {
      workers.execute(io.grpc.Context.current().wrap(() -> respond(out, body)));
    } else {
      respond(out, body);
    }
  }

  private <T> void respond(StreamObserver<T> out, StreamBody body) {
    faults.delay();
    try {
      body.run();
    } catch (StatusRuntimeException e) {
      out.onError(e);
      return;
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Emulator failure", e);
      out.onError(
          Status.INTERNAL.withDescription(String.valueOf(e)).withCause(e).asRuntimeException());
      return;
    }
    out.onCompleted();
  }
}
