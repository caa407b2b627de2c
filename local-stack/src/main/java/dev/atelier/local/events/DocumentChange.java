package dev.atelier.local.events;

import com.google.firestore.v1.Document;
import com.google.protobuf.Timestamp;
import java.util.Optional;

/**
 * One committed change of one document as the emulator reports it. {@code documentName} is the full
 * resource name {@code projects/P/databases/D/documents/...}.
 */
public record DocumentChange(
    String documentName,
    Optional<Document> before,
    Optional<Document> after,
    Timestamp commitTime) {

  private static final String DOCUMENTS = "/documents/";

  public String projectId() {
    return documentName.split("/")[1];
  }

  public String databaseId() {
    return documentName.split("/")[3];
  }

  /** The path relative to {@code documents/}, e.g. {@code credits/u1/ledger/e1}. */
  public String documentPath() {
    return documentName.substring(documentName.indexOf(DOCUMENTS) + DOCUMENTS.length());
  }
}
