package dev.atelier.firestore;

import io.grpc.CallCredentials;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Firestore methods we call, as blocking gRPC calls with the official client's headers (the
 * resource prefix and the routing parameter) and deadline, and its retries of the calls that are
 * safe to repeat.
 */
final class Rpc {
  private static final String SERVICE = "google.firestore.v1.Firestore/";
  private static final long DEADLINE_SECONDS = 60;
  private static final int READ_ATTEMPTS = 5;

  /** Codes on which a call that changes nothing is repeated (gax's defaults for Firestore). */
  private static final Set<Status.Code> RETRY_READ =
      Set.of(
          Status.Code.UNAVAILABLE,
          Status.Code.RESOURCE_EXHAUSTED,
          Status.Code.INTERNAL,
          Status.Code.DEADLINE_EXCEEDED);

  /**
   * Messages cross the channel as their encoded bytes: {@link ProtoWriter} builds the requests and
   * {@link ProtoReader} reads the responses, so no protobuf runtime (and none of its descriptors)
   * loads on a cold start.
   */
  private static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] message) {
          return new ByteArrayInputStream(message);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  static final MethodDescriptor<byte[], byte[]> BATCH_GET =
      method("BatchGetDocuments", MethodDescriptor.MethodType.SERVER_STREAMING);
  static final MethodDescriptor<byte[], byte[]> COMMIT =
      method("Commit", MethodDescriptor.MethodType.UNARY);
  static final MethodDescriptor<byte[], byte[]> ROLLBACK =
      method("Rollback", MethodDescriptor.MethodType.UNARY);
  static final MethodDescriptor<byte[], byte[]> RUN_QUERY =
      method("RunQuery", MethodDescriptor.MethodType.SERVER_STREAMING);
  static final MethodDescriptor<byte[], byte[]> RUN_AGGREGATION =
      method("RunAggregationQuery", MethodDescriptor.MethodType.SERVER_STREAMING);

  /**
   * The streaming reads a transaction can run in, with where each names it: the request's
   * transaction id, the request's options that begin one, the first response's id of one begun.
   */
  enum Read {
    BATCH_GET(
        Rpc.BATCH_GET,
        Proto.BatchGetDocumentsRequest.TRANSACTION,
        Proto.BatchGetDocumentsRequest.NEW_TRANSACTION,
        Proto.BatchGetDocumentsResponse.TRANSACTION),
    RUN_QUERY(
        Rpc.RUN_QUERY,
        Proto.RunQueryRequest.TRANSACTION,
        Proto.RunQueryRequest.NEW_TRANSACTION,
        Proto.RunQueryResponse.TRANSACTION),
    RUN_AGGREGATION(
        Rpc.RUN_AGGREGATION,
        Proto.RunAggregationQueryRequest.TRANSACTION,
        Proto.RunAggregationQueryRequest.NEW_TRANSACTION,
        Proto.RunAggregationQueryResponse.TRANSACTION);

    final MethodDescriptor<byte[], byte[]> method;
    final int transaction;
    final int newTransaction;
    final int begun;

    Read(MethodDescriptor<byte[], byte[]> method, int transaction, int newTransaction, int begun) {
      this.method = method;
      this.transaction = transaction;
      this.newTransaction = newTransaction;
      this.begun = begun;
    }
  }

  private static final Metadata.Key<String> RESOURCE_PREFIX =
      Metadata.Key.of("google-cloud-resource-prefix", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> REQUEST_PARAMS =
      Metadata.Key.of("x-goog-request-params", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final Channel channel;
  private final CallCredentials credentials;
  private final Metadata fixedHeaders;
  final String database;
  final String documents;
  private final String databaseRoute;

  /**
   * @param credentials per-call credentials (production), or null
   * @param authorization a fixed authorization header (the emulator's {@code Bearer owner}), or
   *     null
   */
  Rpc(Channel channel, CallCredentials credentials, String authorization, String database) {
    this.channel = channel;
    this.credentials = credentials;
    this.database = database;
    this.documents = database + "/documents";
    this.databaseRoute = "database=" + URLEncoder.encode(database, StandardCharsets.UTF_8);
    this.fixedHeaders = new Metadata();
    fixedHeaders.put(RESOURCE_PREFIX, database);
    if (authorization != null) {
      fixedHeaders.put(AUTHORIZATION, authorization);
    }
  }

  private static MethodDescriptor<byte[], byte[]> method(
      String name, MethodDescriptor.MethodType type) {
    return MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(type)
        .setFullMethodName(SERVICE + name)
        .setRequestMarshaller(BYTES)
        .setResponseMarshaller(BYTES)
        .build();
  }

  /** One unary call, not repeated: for commits (and what the caller retries itself). */
  ProtoReader call(
      MethodDescriptor<byte[], byte[]> method, ProtoWriter request, String routing, String what) {
    try {
      return new ProtoReader(
          ClientCalls.blockingUnaryCall(
              channel(routing), method, options(), request.toByteArray()));
    } catch (StatusRuntimeException e) {
      throw new FirestoreError(what, e);
    }
  }

  /**
   * One unary call, not repeated, answered on gRPC's thread: the future completes when it is
   * answered (the answer itself is dropped), or fails with a FirestoreError.
   */
  CompletableFuture<Void> callAsync(
      MethodDescriptor<byte[], byte[]> method, ProtoWriter request, String routing, String what) {
    CompletableFuture<Void> future = new CompletableFuture<>();
    ClientCalls.asyncUnaryCall(
        channel(routing).newCall(method, options()),
        request.toByteArray(),
        new StreamObserver<byte[]>() {
          @Override
          public void onNext(byte[] value) {
            // The answer (a commit's write results) is not used.
          }

          @Override
          public void onError(Throwable t) {
            future.completeExceptionally(
                new FirestoreError(
                    what,
                    t instanceof StatusRuntimeException e
                        ? e
                        : Status.fromThrowable(t).asRuntimeException()));
          }

          @Override
          public void onCompleted() {
            future.complete(null);
          }
        });
    return future;
  }

  /** A unary call that changes nothing (a rollback): repeated on transient failures. */
  ProtoReader callRepeatable(
      MethodDescriptor<byte[], byte[]> method, ProtoWriter request, String routing, String what) {
    byte[] bytes = request.toByteArray();
    for (int attempt = 1; ; attempt++) {
      try {
        return new ProtoReader(
            ClientCalls.blockingUnaryCall(channel(routing), method, options(), bytes));
      } catch (StatusRuntimeException e) {
        if (attempt >= READ_ATTEMPTS || !RETRY_READ.contains(e.getStatus().getCode())) {
          throw new FirestoreError(what, e);
        }
        Backoff.sleep(attempt);
      }
    }
  }

  /**
   * Every response of a streaming read, the whole stream repeated on transient failures unless
   * {@code repeatable} is false: a read that begins a transaction is not repeated, since a repeat
   * would begin another and leave the first holding its locks until it expires (the transaction
   * runner repeats the whole attempt instead).
   */
  List<ProtoReader> stream(
      MethodDescriptor<byte[], byte[]> method,
      ProtoWriter request,
      String routing,
      String what,
      boolean repeatable) {
    byte[] bytes = request.toByteArray();
    int attempts = repeatable ? READ_ATTEMPTS : 1;
    for (int attempt = 1; ; attempt++) {
      List<ProtoReader> out = new ArrayList<>();
      try {
        Iterator<byte[]> it =
            ClientCalls.blockingServerStreamingCall(channel(routing), method, options(), bytes);
        while (it.hasNext()) {
          out.add(new ProtoReader(it.next()));
        }
        return out;
      } catch (StatusRuntimeException e) {
        if (attempt >= attempts || !RETRY_READ.contains(e.getStatus().getCode())) {
          throw new FirestoreError(what, e);
        }
        Backoff.sleep(attempt);
      }
    }
  }

  private CallOptions options() {
    CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    return credentials == null ? options : options.withCallCredentials(credentials);
  }

  /** The channel with this call's headers: {@code routing} is {@code database=…} or parent. */
  private Channel channel(String routing) {
    Metadata headers = new Metadata();
    headers.merge(fixedHeaders);
    headers.put(REQUEST_PARAMS, routing);
    return ClientInterceptors.intercept(
        channel, MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  /** The routing header of a call on the whole database, encoded once. */
  String routeToDatabase() {
    return databaseRoute;
  }

  static String routeToParent(String parent) {
    return "parent=" + URLEncoder.encode(parent, StandardCharsets.UTF_8);
  }
}
