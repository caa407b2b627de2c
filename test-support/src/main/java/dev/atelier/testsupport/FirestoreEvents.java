package dev.atelier.testsupport;

import com.google.events.cloud.firestore.v1.Document;
import com.google.events.cloud.firestore.v1.DocumentEventData;
import com.google.events.cloud.firestore.v1.DocumentMask;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

/**
 * Builds Firestore "document written" CloudEvents the way Eventarc delivers them (binary mode,
 * {@code application/protobuf} DocumentEventData) and the way the Functions Framework converts emulator
 * events (JSON). Documents may come straight from the emulator's change feed: the Firestore v1 and the
 * event Document messages share one wire format.
 */
public final class FirestoreEvents {

  public static final String WRITTEN = "google.cloud.firestore.document.v1.written";

  private final String projectId;

  public FirestoreEvents(String projectId) {
    this.projectId = projectId;
  }

  /** The event payload for a change: create = value, update = value + old value + mask, delete = old value. */
  public static DocumentEventData data(Optional<? extends MessageLite> before, Optional<? extends MessageLite> after) {
    DocumentEventData.Builder data = DocumentEventData.newBuilder();
    before.ifPresent(doc -> data.setOldValue(toEventDocument(doc)));
    after.ifPresent(doc -> data.setValue(toEventDocument(doc)));
    if (before.isPresent() && after.isPresent()) {
      data.setUpdateMask(DocumentMask.newBuilder().addAllFieldPaths(data.getValue().getFieldsMap().keySet()));
    }
    return data.build();
  }

  /** A binary-mode protobuf event as deployed functions receive it. */
  public CloudEvent protobuf(String documentPath, DocumentEventData data, Instant time) {
    return builder(documentPath, time).withDataContentType("application/protobuf").withData(data.toByteArray()).build();
  }

  /** The JSON form the Functions Framework produces from emulator events. */
  public CloudEvent json(String documentPath, DocumentEventData data, Instant time) {
    try {
      String json = JsonFormat.printer().print(data);
      return builder(documentPath, time).withDataContentType("application/json")
          .withData(json.getBytes(StandardCharsets.UTF_8)).build();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An event whose body is not a DocumentEventData at all. */
  public CloudEvent garbage(String documentPath, Instant time) {
    return builder(documentPath, time).withDataContentType("application/protobuf")
        .withData(new byte[] {(byte) 0xff, 0x01, 0x02, 0x03}).build();
  }

  /** The full resource name of a document path such as {@code credits/u1/ledger/e1}. */
  public String documentName(String documentPath) {
    return "projects/" + projectId + "/databases/(default)/documents/" + documentPath;
  }

  private CloudEventBuilder builder(String documentPath, Instant time) {
    return CloudEventBuilder.v1()
        .withId(UUID.randomUUID().toString())
        .withSource(URI.create("//firestore.googleapis.com/projects/" + projectId + "/databases/(default)"))
        .withType(WRITTEN)
        .withSubject("documents/" + documentPath)
        .withTime(OffsetDateTime.ofInstant(time, ZoneOffset.UTC))
        .withExtension("project", projectId)
        .withExtension("database", "(default)")
        .withExtension("namespace", "(default)")
        .withExtension("document", documentPath)
        .withExtension("location", "nam5");
  }

  private static Document toEventDocument(MessageLite doc) {
    try {
      return doc instanceof Document d ? d : Document.parseFrom(doc.toByteString());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("not a Firestore Document", e);
    }
  }

  /** A protobuf timestamp for an instant (commit times from the emulator's change feed arrive like this). */
  public static Instant instant(Timestamp ts) {
    return Instant.ofEpochSecond(ts.getSeconds(), ts.getNanos());
  }
}
