package dev.atelier.firestore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.firestore.v1.BatchGetDocumentsRequest;
import com.google.firestore.v1.BatchGetDocumentsResponse;
import com.google.firestore.v1.RunQueryRequest;
import com.google.firestore.v1.RunQueryResponse;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The headers production Firestore routes by, which the emulator does not check: a stand-in
 * Firestore service on loopback records what each call carries.
 */
class WireHeadersTest {

  private static final Metadata.Key<String> PREFIX =
      Metadata.Key.of("google-cloud-resource-prefix", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> PARAMS =
      Metadata.Key.of("x-goog-request-params", Metadata.ASCII_STRING_MARSHALLER);

  private final Map<String, Metadata> headersByMethod = new ConcurrentHashMap<>();
  private Server server;
  private Database db;

  @BeforeEach
  void start() throws Exception {
    ServerServiceDefinition firestore =
        StandInFirestore.service()
            .addMethod(
                StandInFirestore.BATCH_GET,
                ServerCalls.asyncServerStreamingCall(
                    (BatchGetDocumentsRequest request,
                        io.grpc.stub.StreamObserver<BatchGetDocumentsResponse> out) -> {
                      for (String name : request.getDocumentsList()) {
                        out.onNext(BatchGetDocumentsResponse.newBuilder().setMissing(name).build());
                      }
                      out.onCompleted();
                    }))
            .addMethod(
                StandInFirestore.RUN_QUERY,
                ServerCalls.asyncServerStreamingCall(
                    (RunQueryRequest request, io.grpc.stub.StreamObserver<RunQueryResponse> out) ->
                        out.onCompleted()))
            .build();
    ServerInterceptor record =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            headersByMethod.put(call.getMethodDescriptor().getBareMethodName(), headers);
            return next.startCall(call, headers);
          }
        };
    server = StandInFirestore.serve(ServerInterceptors.intercept(firestore, record));
    db = Database.connect("proj", Optional.of("127.0.0.1:" + server.getPort()));
  }

  @AfterEach
  void stop() {
    db.close();
    server.shutdownNow();
  }

  @Test
  void aReadCarriesTheResourcePrefixAndRoutesToTheDatabase() {
    assertFalse(db.get("users/u1").exists());
    Metadata headers = headersByMethod.get("BatchGetDocuments");
    assertEquals("projects/proj/databases/(default)", headers.get(PREFIX));
    assertEquals("database=projects%2Fproj%2Fdatabases%2F%28default%29", headers.get(PARAMS));
    assertEquals("Bearer owner", headers.get(Rpc.AUTHORIZATION));
  }

  @Test
  void aQueryRoutesToItsParent() {
    assertEquals(List.of(), db.collection("users/u1/items").whereEqualTo("a", 1L).get());
    Metadata headers = headersByMethod.get("RunQuery");
    assertEquals("projects/proj/databases/(default)", headers.get(PREFIX));
    assertEquals(
        "parent=projects%2Fproj%2Fdatabases%2F%28default%29%2Fdocuments%2Fusers%2Fu1",
        headers.get(PARAMS));
  }
}
