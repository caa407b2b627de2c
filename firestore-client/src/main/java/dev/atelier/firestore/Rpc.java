package dev.atelier.firestore;

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
import com.google.protobuf.Empty;
import com.google.protobuf.Message;
import io.grpc.CallCredentials;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
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

  static final MethodDescriptor<BatchGetDocumentsRequest, BatchGetDocumentsResponse> BATCH_GET =
      method(
          "BatchGetDocuments",
          MethodDescriptor.MethodType.SERVER_STREAMING,
          BatchGetDocumentsRequest.getDefaultInstance(),
          BatchGetDocumentsResponse.getDefaultInstance());
  static final MethodDescriptor<BeginTransactionRequest, BeginTransactionResponse> BEGIN =
      method(
          "BeginTransaction",
          MethodDescriptor.MethodType.UNARY,
          BeginTransactionRequest.getDefaultInstance(),
          BeginTransactionResponse.getDefaultInstance());
  static final MethodDescriptor<CommitRequest, CommitResponse> COMMIT =
      method(
          "Commit",
          MethodDescriptor.MethodType.UNARY,
          CommitRequest.getDefaultInstance(),
          CommitResponse.getDefaultInstance());
  static final MethodDescriptor<RollbackRequest, Empty> ROLLBACK =
      method(
          "Rollback",
          MethodDescriptor.MethodType.UNARY,
          RollbackRequest.getDefaultInstance(),
          Empty.getDefaultInstance());
  static final MethodDescriptor<RunQueryRequest, RunQueryResponse> RUN_QUERY =
      method(
          "RunQuery",
          MethodDescriptor.MethodType.SERVER_STREAMING,
          RunQueryRequest.getDefaultInstance(),
          RunQueryResponse.getDefaultInstance());
  static final MethodDescriptor<RunAggregationQueryRequest, RunAggregationQueryResponse>
      RUN_AGGREGATION =
          method(
              "RunAggregationQuery",
              MethodDescriptor.MethodType.SERVER_STREAMING,
              RunAggregationQueryRequest.getDefaultInstance(),
              RunAggregationQueryResponse.getDefaultInstance());

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

  private static <Q extends Message, R extends Message> MethodDescriptor<Q, R> method(
      String name, MethodDescriptor.MethodType type, Q request, R response) {
    return MethodDescriptor.<Q, R>newBuilder()
        .setType(type)
        .setFullMethodName(SERVICE + name)
        .setRequestMarshaller(ProtoUtils.marshaller(request))
        .setResponseMarshaller(ProtoUtils.marshaller(response))
        .build();
  }

  /** One unary call, not repeated: for commits (and what the caller retries itself). */
  <Q, R> R call(MethodDescriptor<Q, R> method, Q request, String routing, String what) {
    try {
      return ClientCalls.blockingUnaryCall(channel(routing), method, options(), request);
    } catch (StatusRuntimeException e) {
      throw new FirestoreError(what, e);
    }
  }

  /**
   * One unary call, not repeated, answered on gRPC's thread: the future fails with a
   * FirestoreError.
   */
  <Q, R> CompletableFuture<R> callAsync(
      MethodDescriptor<Q, R> method, Q request, String routing, String what) {
    CompletableFuture<R> future = new CompletableFuture<>();
    ClientCalls.asyncUnaryCall(
        channel(routing).newCall(method, options()),
        request,
        new StreamObserver<R>() {
          private R response;

          @Override
          public void onNext(R value) {
            response = value;
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
            future.complete(response);
          }
        });
    return future;
  }

  /** A unary call that changes nothing (begin, rollback): repeated on transient failures. */
  <Q, R> R callRepeatable(MethodDescriptor<Q, R> method, Q request, String routing, String what) {
    for (int attempt = 1; ; attempt++) {
      try {
        return ClientCalls.blockingUnaryCall(channel(routing), method, options(), request);
      } catch (StatusRuntimeException e) {
        if (attempt >= READ_ATTEMPTS || !RETRY_READ.contains(e.getStatus().getCode())) {
          throw new FirestoreError(what, e);
        }
        Backoff.sleep(attempt);
      }
    }
  }

  /** Every response of a streaming read, the whole stream repeated on transient failures. */
  <Q, R> List<R> stream(MethodDescriptor<Q, R> method, Q request, String routing, String what) {
    for (int attempt = 1; ; attempt++) {
      List<R> out = new ArrayList<>();
      try {
        Iterator<R> it =
            ClientCalls.blockingServerStreamingCall(channel(routing), method, options(), request);
        while (it.hasNext()) {
          out.add(it.next());
        }
        return out;
      } catch (StatusRuntimeException e) {
        if (attempt >= READ_ATTEMPTS || !RETRY_READ.contains(e.getStatus().getCode())) {
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
