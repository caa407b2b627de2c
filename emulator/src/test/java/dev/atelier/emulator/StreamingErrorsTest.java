package dev.atelier.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.firestore.v1.FirestoreGrpc;
import com.google.firestore.v1.RunQueryRequest;
import com.google.firestore.v1.RunQueryResponse;
import com.google.firestore.v1.StructuredQuery;
import com.google.firestore.v1.Value;
import dev.atelier.emulator.junit.EmulatorHandle;
import dev.atelier.emulator.junit.FirestoreEmulatorExtension;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** How errors on server-streaming calls look on the wire. */
@ExtendWith(FirestoreEmulatorExtension.class)
class StreamingErrorsTest {

  @Test
  void invalidQueryErrorFollowsResponseHeadersNotTrailersOnly(EmulatorHandle emulator)
      throws Exception {
    ManagedChannel channel =
        ManagedChannelBuilder.forTarget(emulator.host()).usePlaintext().build();
    try {
      List<String> events = new CopyOnWriteArrayList<>();
      CompletableFuture<Status> closed = new CompletableFuture<>();
      ClientCall<RunQueryRequest, RunQueryResponse> call =
          channel.newCall(FirestoreGrpc.getRunQueryMethod(), CallOptions.DEFAULT);
      call.start(
          new ClientCall.Listener<>() {
            @Override
            public void onHeaders(Metadata headers) {
              events.add("headers");
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
              events.add("close");
              closed.complete(status);
            }
          },
          new Metadata());
      // `in` with no values: production rejects it with INVALID_ARGUMENT.
      StructuredQuery emptyIn =
          StructuredQuery.newBuilder()
              .addFrom(StructuredQuery.CollectionSelector.newBuilder().setCollectionId("c"))
              .setWhere(
                  StructuredQuery.Filter.newBuilder()
                      .setFieldFilter(
                          StructuredQuery.FieldFilter.newBuilder()
                              .setField(
                                  StructuredQuery.FieldReference.newBuilder().setFieldPath("a"))
                              .setOp(StructuredQuery.FieldFilter.Operator.IN)
                              .setValue(
                                  Value.newBuilder()
                                      .setArrayValue(
                                          com.google.firestore.v1.ArrayValue
                                              .getDefaultInstance()))))
              .build();
      call.sendMessage(
          RunQueryRequest.newBuilder()
              .setParent("projects/" + emulator.projectId() + "/databases/(default)/documents")
              .setStructuredQuery(emptyIn)
              .build());
      call.halfClose();
      call.request(1);
      Status status = closed.get(10, TimeUnit.SECONDS);
      assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode(), status.toString());
      assertTrue(events.equals(List.of("headers", "close")), "events on the wire: " + events);
    } finally {
      channel.shutdownNow();
    }
  }
}
