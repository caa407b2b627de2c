package dev.atelier.emulator.engine;

import com.google.firestore.v1.Document;
import com.google.firestore.v1.DocumentTransform.FieldTransform;
import com.google.firestore.v1.Precondition;
import com.google.firestore.v1.Value;
import com.google.firestore.v1.Write;
import com.google.protobuf.Timestamp;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Applies one {@link Write} to a document the way Firestore's Commit does. Pure: no storage.
 *
 * <p>An update without a mask replaces all fields; with a mask only the masked paths change (a
 * masked path the write does not carry is deleted). Transforms run afterwards, in order. A write
 * that leaves an existing document's fields identical returns that document unchanged, including
 * its old update_time (WriteResult: "if the write did not actually change the document, this will
 * be the previous update_time"), so callers can tell that nothing happened. Writes are rejected as
 * in production for reserved or malformed ids ({@link ResourceNames}), reserved field names and too
 * deep nesting ({@link StoredValues}) and documents over 1 MiB ({@link DocumentSizes}).
 */
public final class DocumentWrites {
  private DocumentWrites() {}

  /** The document after a write (empty = deleted/absent) and the write's transform results. */
  public record Outcome(Optional<Document> document, List<Value> transformResults) {
    /** Whether the write left the stored state as it was (no event, no listener change). */
    public boolean unchanged(Optional<Document> before) {
      return document.equals(before);
    }
  }

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
    String name = documentName(write);
    ResourceNames.validateDocumentName(name);
    if (write.hasCurrentDocument()) {
      checkPrecondition(current, write.getCurrentDocument(), name);
    }
    switch (write.getOperationCase()) {
      case DELETE:
        return new Outcome(Optional.empty(), List.of());
      case UPDATE:
        return update(current, write, commitTime);
      case TRANSFORM:
        return transform(current, name, write.getTransform().getFieldTransformsList(), commitTime);
      default:
        throw invalid("Write has no operation (update, delete or transform)");
    }
  }

  private static String documentName(Write write) {
    switch (write.getOperationCase()) {
      case DELETE:
        return write.getDelete();
      case UPDATE:
        return write.getUpdate().getName();
      case TRANSFORM:
        return write.getTransform().getDocument();
      default:
        throw invalid("Write has no operation (update, delete or transform)");
    }
  }

  private static void checkPrecondition(Optional<Document> current, Precondition p, String name) {
    switch (p.getConditionTypeCase()) {
      case EXISTS:
        if (p.getExists() && current.isEmpty()) {
          throw Status.NOT_FOUND
              .withDescription("No document to update: " + name)
              .asRuntimeException();
        }
        if (!p.getExists() && current.isPresent()) {
          throw Status.ALREADY_EXISTS
              .withDescription("Document already exists: " + name)
              .asRuntimeException();
        }
        break;
      case UPDATE_TIME:
        if (current.isEmpty() || !current.get().getUpdateTime().equals(p.getUpdateTime())) {
          long stored = current.map(d -> micros(d.getUpdateTime())).orElse(0L);
          throw Status.FAILED_PRECONDITION
              .withDescription(
                  "the stored version ("
                      + stored
                      + ") does not match the required base version ("
                      + micros(p.getUpdateTime())
                      + ")")
              .asRuntimeException();
        }
        break;
      default:
        break;
    }
  }

  private static Outcome update(Optional<Document> current, Write write, Timestamp commitTime) {
    Document update = write.getUpdate();
    StoredValues.validate(update.getFieldsMap());
    Map<String, Value> fields;
    if (write.hasUpdateMask()) {
      fields = new LinkedHashMap<>(current.map(Document::getFieldsMap).orElse(Map.of()));
      for (String path : write.getUpdateMask().getFieldPathsList()) {
        List<String> segments = FieldPaths.parse(path);
        segments.forEach(StoredValues::validateFieldName);
        Optional<Value> value = FieldPaths.get(update.getFieldsMap(), segments);
        if (value.isPresent()) {
          FieldPaths.set(fields, segments, value.get());
        } else {
          FieldPaths.delete(fields, segments);
        }
      }
    } else {
      fields = new LinkedHashMap<>(update.getFieldsMap());
    }
    List<Value> results = applyTransforms(fields, write.getUpdateTransformsList(), commitTime);
    return new Outcome(result(current, update.getName(), fields, commitTime), results);
  }

  private static Outcome transform(
      Optional<Document> current,
      String name,
      List<FieldTransform> transforms,
      Timestamp commitTime) {
    Map<String, Value> fields =
        new LinkedHashMap<>(current.map(Document::getFieldsMap).orElse(Map.of()));
    List<Value> results = applyTransforms(fields, transforms, commitTime);
    return new Outcome(result(current, name, fields, commitTime), results);
  }

  private static Optional<Document> result(
      Optional<Document> current, String name, Map<String, Value> written, Timestamp commitTime) {
    Map<String, Value> fields = StoredValues.normalize(written);
    if (current.isPresent() && current.get().getFieldsMap().equals(fields)) {
      return current;
    }
    long size = DocumentSizes.document(name, fields);
    if (size > DocumentSizes.MAX_DOCUMENT_BYTES) {
      throw invalid(
          String.format(
              Locale.ROOT,
              "Document '%s' cannot be written because its size (%,d bytes) exceeds the maximum allowed size of %,d bytes.",
              name,
              size,
              DocumentSizes.MAX_DOCUMENT_BYTES));
    }
    Timestamp createTime = current.map(Document::getCreateTime).orElse(commitTime);
    return Optional.of(
        Document.newBuilder()
            .setName(name)
            .putAllFields(fields)
            .setCreateTime(createTime)
            .setUpdateTime(commitTime)
            .build());
  }

  private static List<Value> applyTransforms(
      Map<String, Value> fields, List<FieldTransform> transforms, Timestamp commitTime) {
    List<Value> results = new ArrayList<>();
    for (FieldTransform t : transforms) {
      List<String> path = FieldPaths.parse(t.getFieldPath());
      path.forEach(StoredValues::validateFieldName);
      Optional<Value> before = FieldPaths.get(fields, path);
      Value after = FieldTransforms.apply(t, before, commitTime);
      FieldPaths.set(fields, path, after);
      results.add(FieldTransforms.result(t, after));
    }
    return results;
  }

  /** Production reports versions as microseconds since the epoch. */
  private static long micros(Timestamp t) {
    return t.getSeconds() * 1_000_000L + t.getNanos() / 1_000;
  }

  static RuntimeException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }
}
