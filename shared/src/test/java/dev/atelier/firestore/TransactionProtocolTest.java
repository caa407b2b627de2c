package dev.atelier.firestore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.firestore.v1.BatchGetDocumentsRequest;
import com.google.firestore.v1.BatchGetDocumentsResponse;
import com.google.firestore.v1.BeginTransactionRequest;
import com.google.firestore.v1.BeginTransactionResponse;
import com.google.firestore.v1.CommitRequest;
import com.google.firestore.v1.CommitResponse;
import com.google.firestore.v1.RollbackRequest;
import com.google.firestore.v1.RunAggregationQueryRequest;
import com.google.firestore.v1.RunAggregationQueryResponse;
import com.google.firestore.v1.RunQueryRequest;
import com.google.firestore.v1.RunQueryResponse;
import com.google.firestore.v1.Value;
import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import com.google.protobuf.Message;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The transaction protocol on the wire, against a stand-in Firestore service on loopback that
 * records every request: the first read begins the transaction, later reads and the commit name it,
 * a retry names the attempt it repeats, and no BeginTransaction call is made. (The emulator tests
 * show the locking and retries that rest on it.)
 */
class TransactionProtocolTest {

  private final List<Message> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger begun = new AtomicInteger();
  private final AtomicInteger commitsToAbort = new AtomicInteger();
  private Server server;
  private Database db;

  @BeforeEach
  void start() throws Exception {
    ServerServiceDefinition firestore =
        StandInFirestore.service()
            .addMethod(
                StandInFirestore.BATCH_GET, ServerCalls.asyncServerStreamingCall(this::batchGet))
            .addMethod(
                StandInFirestore.RUN_QUERY, ServerCalls.asyncServerStreamingCall(this::runQuery))
            .addMethod(
                StandInFirestore.RUN_AGGREGATION,
                ServerCalls.asyncServerStreamingCall(this::runAggregation))
            .addMethod(StandInFirestore.COMMIT, ServerCalls.asyncUnaryCall(this::commit))
            .addMethod(
                StandInFirestore.ROLLBACK,
                ServerCalls.asyncUnaryCall(
                    (RollbackRequest request, StreamObserver<Empty> out) -> {
                      requests.add(request);
                      out.onNext(Empty.getDefaultInstance());
                      out.onCompleted();
                    }))
            .addMethod(
                StandInFirestore.BEGIN,
                ServerCalls.asyncUnaryCall(
                    (BeginTransactionRequest request,
                        StreamObserver<BeginTransactionResponse> out) -> {
                      requests.add(request);
                      out.onNext(
                          BeginTransactionResponse.newBuilder().setTransaction(newId()).build());
                      out.onCompleted();
                    }))
            .build();
    server = StandInFirestore.serve(firestore);
    db = Database.connect("proj", Optional.of("127.0.0.1:" + server.getPort()));
  }

  @AfterEach
  void stop() {
    db.close();
    server.shutdownNow();
  }

  private ByteString newId() {
    return ByteString.copyFromUtf8("tx-" + begun.incrementAndGet());
  }

  private static ByteString id(int n) {
    return ByteString.copyFromUtf8("tx-" + n);
  }

  private void batchGet(
      BatchGetDocumentsRequest request, StreamObserver<BatchGetDocumentsResponse> out) {
    requests.add(request);
    boolean first = true;
    for (String name : request.getDocumentsList()) {
      BatchGetDocumentsResponse.Builder response =
          BatchGetDocumentsResponse.newBuilder().setMissing(name);
      if (first && request.hasNewTransaction()) {
        response.setTransaction(newId());
      }
      first = false;
      out.onNext(response.build());
    }
    out.onCompleted();
  }

  private void runQuery(RunQueryRequest request, StreamObserver<RunQueryResponse> out) {
    requests.add(request);
    if (request.hasNewTransaction()) {
      out.onNext(RunQueryResponse.newBuilder().setTransaction(newId()).build());
    }
    out.onCompleted();
  }

  private void runAggregation(
      RunAggregationQueryRequest request, StreamObserver<RunAggregationQueryResponse> out) {
    requests.add(request);
    RunAggregationQueryResponse.Builder response = RunAggregationQueryResponse.newBuilder();
    response
        .getResultBuilder()
        .putAggregateFields(Query.ALIAS, Value.newBuilder().setIntegerValue(3).build());
    if (request.hasNewTransaction()) {
      // In the same message as the result, after it on the wire (field 2 after field 1).
      response.setTransaction(newId());
    }
    out.onNext(response.build());
    out.onCompleted();
  }

  private void commit(CommitRequest request, StreamObserver<CommitResponse> out) {
    requests.add(request);
    if (commitsToAbort.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      out.onError(Status.ABORTED.withDescription("contention").asRuntimeException());
      return;
    }
    out.onNext(CommitResponse.getDefaultInstance());
    out.onCompleted();
  }

  private <T extends Message> List<T> sent(Class<T> type) {
    return requests.stream().filter(type::isInstance).map(type::cast).toList();
  }

  @Test
  void theFirstReadBeginsTheTransactionAndLaterReadsAndTheCommitNameIt() {
    db.runTransaction(
        tx -> {
          tx.get("users/u1");
          tx.getAll("users/u2", "users/u3");
          return tx.set("users/u1", Map.of("n", 1L));
        },
        5);

    List<BatchGetDocumentsRequest> reads = sent(BatchGetDocumentsRequest.class);
    assertEquals(2, reads.size());
    assertTrue(reads.get(0).getNewTransaction().hasReadWrite());
    assertTrue(reads.get(0).getNewTransaction().getReadWrite().getRetryTransaction().isEmpty());
    assertEquals(id(1), reads.get(1).getTransaction());
    CommitRequest commit = sent(CommitRequest.class).get(0);
    assertEquals(id(1), commit.getTransaction());
    assertEquals(1, commit.getWritesCount());
    assertEquals(List.of(), sent(BeginTransactionRequest.class));
    assertEquals(1, begun.get());
  }

  @Test
  void anAbortedCommitRepeatsTheAttemptNamingTheTransactionItRepeats() {
    commitsToAbort.set(1);

    db.runTransaction(tx -> tx.set("users/u1", Map.of("n", tx.get("users/u1").exists())), 5);

    List<BatchGetDocumentsRequest> reads = sent(BatchGetDocumentsRequest.class);
    assertEquals(2, reads.size());
    assertEquals(id(1), reads.get(1).getNewTransaction().getReadWrite().getRetryTransaction());
    List<CommitRequest> commits = sent(CommitRequest.class);
    assertEquals(List.of(id(1), id(2)), commits.stream().map(c -> c.getTransaction()).toList());
    assertEquals(List.of(), sent(RollbackRequest.class));
  }

  @Test
  void aBodyThatOnlyWritesCommitsItsWritesWithoutATransaction() {
    db.runTransaction(tx -> tx.create("users/u1", Map.of("n", 1L)), 5);

    assertEquals(1, requests.size(), requests.toString());
    CommitRequest commit = sent(CommitRequest.class).get(0);
    assertTrue(commit.getTransaction().isEmpty());
    assertEquals(1, commit.getWritesCount());
  }

  @Test
  void aBodyThatFailsAfterItsFirstReadRollsBackTheTransactionItBegan() {
    IllegalArgumentException refused = new IllegalArgumentException("refused");

    IllegalArgumentException thrown =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                db.runTransaction(
                    tx -> {
                      tx.get("users/u1");
                      throw refused;
                    },
                    5));

    assertSame(refused, thrown);
    assertEquals(
        List.of(id(1)), sent(RollbackRequest.class).stream().map(r -> r.getTransaction()).toList());
    assertEquals(List.of(), sent(CommitRequest.class));
  }

  @Test
  void aQueryOrACountCanBeginTheTransaction() {
    db.runTransaction(tx -> tx.get(db.collection("users").whereEqualTo("a", 1L)), 5);
    long count = db.runTransaction(tx -> tx.count(db.collection("users").whereEqualTo("a", 1L)), 5);

    assertEquals(3, count);
    assertTrue(sent(RunQueryRequest.class).get(0).hasNewTransaction());
    assertTrue(sent(RunAggregationQueryRequest.class).get(0).hasNewTransaction());
    assertEquals(
        List.of(id(1), id(2)),
        sent(CommitRequest.class).stream().map(c -> c.getTransaction()).toList());
    assertFalse(requests.stream().anyMatch(BeginTransactionRequest.class::isInstance));
  }
}
