package dev.atelier.emulator.engine;

import com.google.firestore.v1.Document;
import com.google.firestore.v1.Value;
import com.google.firestore.v1.Write;
import com.google.protobuf.Timestamp;
import java.util.List;
import java.util.Optional;

/** Applies one {@link Write} to a document the way Firestore's Commit does. Pure: no storage. */
public final class DocumentWrites {
  private DocumentWrites() {}

  /** The document after a write (empty = deleted/absent) and the write's transform results. */
  public record Outcome(Optional<Document> document, List<Value> transformResults) {}

  /**
   * @param current the stored document, empty when it does not exist
   * @param write update (set, or update with mask), delete, or transform-only write, with
   *     update_transforms and current_document precondition
   * @param commitTime becomes update_time (and create_time for a new document) and the value of
   *     serverTimestamp transforms
   * @throws io.grpc.StatusRuntimeException FAILED_PRECONDITION / NOT_FOUND / ALREADY_EXISTS for a
   *     failed precondition, INVALID_ARGUMENT for a malformed write
   */
  public static Outcome apply(Optional<Document> current, Write write, Timestamp commitTime) {
    throw new UnsupportedOperationException("TODO");
  }
}
