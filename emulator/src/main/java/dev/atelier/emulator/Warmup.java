package dev.atelier.emulator;

import com.google.firestore.v1.BatchGetDocumentsRequest;
import com.google.firestore.v1.BeginTransactionRequest;
import com.google.firestore.v1.CommitRequest;
import com.google.firestore.v1.Document;
import com.google.firestore.v1.FirestoreGrpc;
import com.google.firestore.v1.RunQueryRequest;
import com.google.firestore.v1.StructuredQuery;
import com.google.firestore.v1.Value;
import com.google.firestore.v1.Write;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.time.Duration;

/**
 * Exercises the hot paths (get, commit, transaction, query) on a throwaway emulator before the real
 * one starts, so the standalone server answers at full speed from its first request instead of
 * after seconds of JIT warm-up. The real emulator's data, counters and listeners are untouched.
 */
final class Warmup {
  private static final String DATABASE = "projects/warmup/databases/(default)";

  private Warmup() {}

  static void run(Duration budget) throws IOException {
    long end = System.nanoTime() + budget.toNanos();
    try (FirestoreEmulator scratch = FirestoreEmulator.builder().start()) {
      ManagedChannel channel =
          ManagedChannelBuilder.forTarget(scratch.hostAndPort()).usePlaintext().build();
      try {
        FirestoreGrpc.FirestoreBlockingStub stub = FirestoreGrpc.newBlockingStub(channel);
        for (long i = 0; System.nanoTime() < end; i++) {
          String name = DATABASE + "/documents/warm/d" + (i % 50);
          Write write =
              Write.newBuilder()
                  .setUpdate(
                      Document.newBuilder()
                          .setName(name)
                          .putFields("n", Value.newBuilder().setIntegerValue(i).build()))
                  .build();
          stub.commit(CommitRequest.newBuilder().setDatabase(DATABASE).addWrites(write).build());
          stub.batchGetDocuments(
                  BatchGetDocumentsRequest.newBuilder()
                      .setDatabase(DATABASE)
                      .addDocuments(name)
                      .build())
              .forEachRemaining(response -> {});
          ByteString tx =
              stub.beginTransaction(
                      BeginTransactionRequest.newBuilder().setDatabase(DATABASE).build())
                  .getTransaction();
          stub.batchGetDocuments(
                  BatchGetDocumentsRequest.newBuilder()
                      .setDatabase(DATABASE)
                      .addDocuments(name)
                      .setTransaction(tx)
                      .build())
              .forEachRemaining(response -> {});
          stub.commit(
              CommitRequest.newBuilder()
                  .setDatabase(DATABASE)
                  .addWrites(write)
                  .setTransaction(tx)
                  .build());
          if (i % 10 == 0) {
            stub.runQuery(
                    RunQueryRequest.newBuilder()
                        .setParent(DATABASE + "/documents")
                        .setStructuredQuery(
                            StructuredQuery.newBuilder()
                                .addFrom(
                                    StructuredQuery.CollectionSelector.newBuilder()
                                        .setCollectionId("warm")))
                        .build())
                .forEachRemaining(response -> {});
          }
        }
      } finally {
        channel.shutdownNow();
      }
    }
  }
}
