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
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A stand-in Firestore service on loopback for wire tests: the client's methods as the server side
 * speaks them (the generated messages, parsed), served on a free port.
 */
final class StandInFirestore {

  static final MethodDescriptor<BatchGetDocumentsRequest, BatchGetDocumentsResponse> BATCH_GET =
      generated(
          Rpc.BATCH_GET,
          BatchGetDocumentsRequest.getDefaultInstance(),
          BatchGetDocumentsResponse.getDefaultInstance());
  static final MethodDescriptor<RunQueryRequest, RunQueryResponse> RUN_QUERY =
      generated(
          Rpc.RUN_QUERY,
          RunQueryRequest.getDefaultInstance(),
          RunQueryResponse.getDefaultInstance());
  static final MethodDescriptor<RunAggregationQueryRequest, RunAggregationQueryResponse>
      RUN_AGGREGATION =
          generated(
              Rpc.RUN_AGGREGATION,
              RunAggregationQueryRequest.getDefaultInstance(),
              RunAggregationQueryResponse.getDefaultInstance());
  static final MethodDescriptor<CommitRequest, CommitResponse> COMMIT =
      generated(
          Rpc.COMMIT, CommitRequest.getDefaultInstance(), CommitResponse.getDefaultInstance());
  static final MethodDescriptor<RollbackRequest, Empty> ROLLBACK =
      generated(Rpc.ROLLBACK, RollbackRequest.getDefaultInstance(), Empty.getDefaultInstance());

  /** A method the client no longer calls: served so that a test can see it is not called. */
  static final MethodDescriptor<BeginTransactionRequest, BeginTransactionResponse> BEGIN =
      MethodDescriptor.<BeginTransactionRequest, BeginTransactionResponse>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("google.firestore.v1.Firestore/BeginTransaction")
          .setRequestMarshaller(ProtoUtils.marshaller(BeginTransactionRequest.getDefaultInstance()))
          .setResponseMarshaller(
              ProtoUtils.marshaller(BeginTransactionResponse.getDefaultInstance()))
          .build();

  private StandInFirestore() {}

  static ServerServiceDefinition.Builder service() {
    return ServerServiceDefinition.builder("google.firestore.v1.Firestore");
  }

  /** The client's method with the generated request and response messages. */
  private static <Q extends Message, R extends Message> MethodDescriptor<Q, R> generated(
      MethodDescriptor<byte[], byte[]> method, Q request, R response) {
    return method.toBuilder(ProtoUtils.marshaller(request), ProtoUtils.marshaller(response))
        .build();
  }

  static Server serve(ServerServiceDefinition service) throws IOException {
    return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(service)
        .build()
        .start();
  }
}
