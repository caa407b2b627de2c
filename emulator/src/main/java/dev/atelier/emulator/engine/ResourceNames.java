package dev.atelier.emulator.engine;

import io.grpc.Status;
import java.nio.charset.StandardCharsets;

/**
 * Production's constraints on the collection and document ids of a document name
 * ("projects/p/databases/d/documents/c/id/..."): an id must not be empty, "." or "..", match {@code
 * __.*__} (reserved) or exceed 1,500 bytes.
 */
public final class ResourceNames {
  private ResourceNames() {}

  private static final String DOCUMENTS = "/documents/";
  private static final int MAX_ID_BYTES = 1500;

  /**
   * @throws io.grpc.StatusRuntimeException INVALID_ARGUMENT naming the offending id, with
   *     production's wording
   */
  public static void validateDocumentName(String name) {
    int at = name.indexOf(DOCUMENTS);
    if (at < 0) {
      throw invalid("Document name \"" + name + "\" lacks \"/documents/\".");
    }
    String[] ids = name.substring(at + DOCUMENTS.length()).split("/", -1);
    if (ids.length % 2 != 0) {
      throw invalid("Document name \"" + name + "\" has an odd number of path segments.");
    }
    for (String id : ids) {
      validateId(id);
    }
  }

  private static final java.util.regex.Pattern PARENT =
      java.util.regex.Pattern.compile("projects/[^/]+/databases/[^/]+/documents(/[^/]+/[^/]+)*");

  /** A query or listing parent: the documents root or a document below it. */
  public static void validateParent(String parent) {
    if (!PARENT.matcher(parent).matches()) {
      throw invalid(
          "Invalid parent \""
              + parent
              + "\": expected projects/{p}/databases/{d}/documents or a document name.");
    }
  }

  static void validateId(String id) {
    if (id.isEmpty()) {
      throw invalid("Resource id must not be empty.");
    }
    if (id.equals(".") || id.equals("..")) {
      throw invalid("Resource id \"" + id + "\" is invalid.");
    }
    if (id.length() >= 4 && id.startsWith("__") && id.endsWith("__")) {
      throw invalid("Resource id \"" + id + "\" is invalid because it is reserved.");
    }
    if (id.getBytes(StandardCharsets.UTF_8).length > MAX_ID_BYTES) {
      throw invalid("Resource id is longer than " + MAX_ID_BYTES + " bytes.");
    }
  }

  private static RuntimeException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }
}
