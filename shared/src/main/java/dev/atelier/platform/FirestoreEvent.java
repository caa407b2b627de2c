package dev.atelier.platform;

import com.google.events.cloud.firestore.v1.DocumentEventData;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.cloudevents.CloudEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * A Firestore document event reduced to what an idempotent trigger needs: which document, when, and
 * the event id. Triggers re-read the document themselves, so the payload is only decoded to find
 * the document name (protobuf as deployed, JSON as the Functions Framework converts emulator
 * events); the {@code document} extension and the subject are fallbacks.
 *
 * @param documentPath relative path such as {@code credits/u1/ledger/e1}
 */
public record FirestoreEvent(String id, String documentPath, Optional<Instant> time) {

  /**
   * Why an event cannot be used; the trigger logs it and returns (a retry would fail the same way).
   */
  public static final class Undecodable extends Exception {
    public Undecodable(String message, Throwable cause) {
      super(message, cause, false, false);
    }
  }

  public static FirestoreEvent decode(CloudEvent event) throws Undecodable {
    DocumentEventData data = data(event);
    String name =
        data.hasValue()
            ? data.getValue().getName()
            : data.hasOldValue() ? data.getOldValue().getName() : "";
    String path =
        relative(name)
            .or(
                () ->
                    Optional.ofNullable(event.getExtension("document"))
                        .map(Object::toString)
                        .filter(s -> !s.isBlank()))
            .or(
                () ->
                    Optional.ofNullable(event.getSubject())
                        .filter(s -> s.startsWith("documents/"))
                        .map(s -> s.substring(10)))
            .orElseThrow(() -> new Undecodable("event names no document", null));
    return new FirestoreEvent(
        event.getId(), path, Optional.ofNullable(event.getTime()).map(t -> t.toInstant()));
  }

  /** True when the event is older than {@code maxAge} (events without a time are never too old). */
  public boolean olderThan(java.time.Duration maxAge, Instant now) {
    return time.map(t -> t.plus(maxAge).isBefore(now)).orElse(false);
  }

  private static DocumentEventData data(CloudEvent event) throws Undecodable {
    if (event.getData() == null) {
      return DocumentEventData.getDefaultInstance();
    }
    byte[] bytes = event.getData().toBytes();
    String contentType =
        Optional.ofNullable(event.getDataContentType()).orElse("").toLowerCase(Locale.ROOT);
    try {
      if (contentType.contains("json")) {
        DocumentEventData.Builder builder = DocumentEventData.newBuilder();
        JsonFormat.parser()
            .ignoringUnknownFields()
            .merge(new String(bytes, StandardCharsets.UTF_8), builder);
        return builder.build();
      }
      return DocumentEventData.parseFrom(bytes);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new Undecodable("event payload is not a DocumentEventData (" + contentType + ")", e);
    }
  }

  private static Optional<String> relative(String name) {
    int at = name.indexOf("/documents/");
    return at < 0 ? Optional.empty() : Optional.of(name.substring(at + "/documents/".length()));
  }
}
