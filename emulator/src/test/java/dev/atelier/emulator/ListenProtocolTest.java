package dev.atelier.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.firestore.Firestore;
import com.google.firestore.v1.FirestoreGrpc;
import com.google.firestore.v1.ListenRequest;
import com.google.firestore.v1.ListenResponse;
import com.google.firestore.v1.Target;
import com.google.firestore.v1.TargetChange.TargetChangeType;
import com.google.protobuf.ByteString;
import dev.atelier.emulator.junit.EmulatorHandle;
import dev.atelier.emulator.junit.FirestoreEmulatorExtension;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Listen message sequence the client's Watch relies on, checked on the wire. */
@ExtendWith(FirestoreEmulatorExtension.class)
class ListenProtocolTest {
  private ManagedChannel channel;

  @AfterEach
  void closeChannel() {
    if (channel != null) {
      channel.shutdownNow();
    }
  }

  private BlockingQueue<ListenResponse> listen(EmulatorHandle emulator, ListenRequest... requests) {
    channel = ManagedChannelBuilder.forTarget(emulator.host()).usePlaintext().build();
    BlockingQueue<ListenResponse> responses = new LinkedBlockingQueue<>();
    StreamObserver<ListenRequest> out =
        FirestoreGrpc.newStub(channel)
            .listen(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ListenResponse value) {
                    responses.add(value);
                  }

                  @Override
                  public void onError(Throwable t) {}

                  @Override
                  public void onCompleted() {}
                });
    for (ListenRequest request : requests) {
      out.onNext(request);
    }
    return responses;
  }

  private static ListenResponse next(BlockingQueue<ListenResponse> responses)
      throws InterruptedException {
    ListenResponse response = responses.poll(10, TimeUnit.SECONDS);
    assertNotNull(response, "no Listen response within 10 s");
    return response;
  }

  private static String documentName(EmulatorHandle emulator, String path) {
    return "projects/" + emulator.projectId() + "/databases/(default)/documents/" + path;
  }

  private static ListenRequest addDocumentTarget(
      EmulatorHandle emulator, int id, ByteString resumeToken) {
    return ListenRequest.newBuilder()
        .setDatabase("projects/" + emulator.projectId() + "/databases/(default)")
        .setAddTarget(
            Target.newBuilder()
                .setTargetId(id)
                .setResumeToken(resumeToken)
                .setDocuments(
                    Target.DocumentsTarget.newBuilder()
                        .addDocuments(documentName(emulator, "w/a"))))
        .build();
  }

  @Test
  void addTargetSendsAddDocumentsCurrentThenGlobalNoChange(Firestore db, EmulatorHandle emulator)
      throws Exception {
    db.document("w/a").set(Map.of("n", 1)).get();
    BlockingQueue<ListenResponse> responses =
        listen(emulator, addDocumentTarget(emulator, 7, ByteString.EMPTY));
    assertEquals(TargetChangeType.ADD, next(responses).getTargetChange().getTargetChangeType());
    ListenResponse change = next(responses);
    assertEquals(documentName(emulator, "w/a"), change.getDocumentChange().getDocument().getName());
    assertEquals(7, change.getDocumentChange().getTargetIds(0));
    ListenResponse current = next(responses);
    assertEquals(TargetChangeType.CURRENT, current.getTargetChange().getTargetChangeType());
    assertFalse(current.getTargetChange().getResumeToken().isEmpty());
    ListenResponse global = next(responses);
    assertEquals(TargetChangeType.NO_CHANGE, global.getTargetChange().getTargetChangeType());
    assertEquals(0, global.getTargetChange().getTargetIdsCount());
    assertTrue(global.getTargetChange().hasReadTime());

    db.document("w/a").delete().get();
    assertEquals(documentName(emulator, "w/a"), next(responses).getDocumentDelete().getDocument());
    assertEquals(
        TargetChangeType.NO_CHANGE, next(responses).getTargetChange().getTargetChangeType());
  }

  @Test
  void resumedTargetIsResetBeforeTheFullState(Firestore db, EmulatorHandle emulator)
      throws Exception {
    db.document("w/a").set(Map.of("n", 1)).get();
    BlockingQueue<ListenResponse> responses =
        listen(emulator, addDocumentTarget(emulator, 1, ByteString.copyFromUtf8("old-token")));
    assertEquals(TargetChangeType.ADD, next(responses).getTargetChange().getTargetChangeType());
    assertEquals(TargetChangeType.RESET, next(responses).getTargetChange().getTargetChangeType());
    assertTrue(next(responses).hasDocumentChange());
    assertEquals(TargetChangeType.CURRENT, next(responses).getTargetChange().getTargetChangeType());
  }

  @Test
  void removeTargetIsAcknowledgedWithRemove(EmulatorHandle emulator) throws Exception {
    BlockingQueue<ListenResponse> responses =
        listen(
            emulator,
            addDocumentTarget(emulator, 3, ByteString.EMPTY),
            ListenRequest.newBuilder().setRemoveTarget(3).build());
    ListenResponse response;
    do {
      response = next(responses);
    } while (response.getTargetChange().getTargetChangeType() != TargetChangeType.REMOVE);
    assertEquals(3, response.getTargetChange().getTargetIds(0));
  }
}
