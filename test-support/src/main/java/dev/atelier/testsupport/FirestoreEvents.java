package dev.atelier.testsupport;

import com.google.events.cloud.firestore.v1.Document;
import com.google.events.cloud.firestore.v1.DocumentEventData;
import com.google.events.cloud.firestore.v1.DocumentMask;
import com.google.events.cloud.firestore.v1.Value;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The one builder of Firestore CloudEvents, for function tests and the local stack's trigger
 * delivery alike (FACTS "Events"): what Eventarc emits for a committed change (binary mode, {@code
 * application/protobuf} DocumentEventData) and the JSON form the Functions Framework makes of
 * emulator events. Documents may come straight from the emulator's change feed: the Firestore v1
 * and the event Document messages share one wire format.
 *
 * <p>The static methods are Eventarc's rules for one change: which event it fires, if any ({@link
 * #eventType}), and its payload ({@link #data}, with the update mask of {@link #updateMask}).
 */
public final class FirestoreEvents {

  public static final String DATA_SCHEMA =
      "https://github.com/googleapis/google-cloudevents/blob/main/proto/google/events/cloud/firestore/v1/data.proto";
  public static final String DEFAULT_DATABASE = "(default)";

  /** Where test and local events claim to come from; any Firestore location id would do. */
  public static final String DEFAULT_LOCATION = "nam5";

  public static final String WRITTEN = FirestoreEventType.WRITTEN.ceType();

  private static final Pattern SIMPLE_FIELD = Pattern.compile("[A-Za-z_][A-Za-z_0-9]*");

  private final String projectId;
  private final String databaseId;
  private final String location;

  /**
   * Events of the {@code (default)} database of {@code projectId}, located in {@value
   * #DEFAULT_LOCATION}.
   */
  public FirestoreEvents(String projectId) {
    this(projectId, DEFAULT_DATABASE, DEFAULT_LOCATION);
  }

  public FirestoreEvents(String projectId, String databaseId, String location) {
    this.projectId = projectId;
    this.databaseId = databaseId;
    this.location = location;
  }

  /**
   * The event a committed change fires: CREATED, UPDATED or DELETED, or none when the write changed
   * no field (Firestore fires nothing for it, even though the update time moved).
   */
  public static Optional<FirestoreEventType> eventType(
      Optional<? extends MessageLite> before, Optional<? extends MessageLite> after) {
    if (before.isEmpty()) {
      return after.map(doc -> FirestoreEventType.CREATED);
    }
    if (after.isEmpty()) {
      return Optional.of(FirestoreEventType.DELETED);
    }
    return toEventDocument(before.get())
            .getFieldsMap()
            .equals(toEventDocument(after.get()).getFieldsMap())
        ? Optional.empty()
        : Optional.of(FirestoreEventType.UPDATED);
  }

  /**
   * The event payload for a change: create = value; update = value + old_value + update_mask (the
   * changed field paths, {@link #updateMask}); delete = old_value.
   */
  public static DocumentEventData data(
      Optional<? extends MessageLite> before, Optional<? extends MessageLite> after) {
    DocumentEventData.Builder data = DocumentEventData.newBuilder();
    before.ifPresent(doc -> data.setOldValue(toEventDocument(doc)));
    after.ifPresent(doc -> data.setValue(toEventDocument(doc)));
    if (before.isPresent() && after.isPresent()) {
      data.setUpdateMask(
          DocumentMask.newBuilder()
              .addAllFieldPaths(
                  updateMask(data.getOldValue().getFieldsMap(), data.getValue().getFieldsMap())));
    }
    return data.build();
  }

  /**
   * The field paths whose value differs (changed, added or removed), sorted, descending into maps
   * present on both sides; a name that is not a simple identifier is quoted with backticks, as
   * Firestore field paths are ({@code meta.`odd-name`}).
   */
  public static List<String> updateMask(Map<String, Value> before, Map<String, Value> after) {
    List<String> paths = new ArrayList<>();
    collect("", before, after, paths);
    return paths;
  }

  private static void collect(
      String prefix, Map<String, Value> before, Map<String, Value> after, List<String> out) {
    TreeSet<String> names = new TreeSet<>(before.keySet());
    names.addAll(after.keySet());
    for (String name : names) {
      Value old = before.get(name);
      Value now = after.get(name);
      if (old != null && old.equals(now)) {
        continue;
      }
      String path = prefix + quote(name);
      if (old != null && now != null && old.hasMapValue() && now.hasMapValue()) {
        collect(
            path + ".", old.getMapValue().getFieldsMap(), now.getMapValue().getFieldsMap(), out);
      } else {
        out.add(path);
      }
    }
  }

  private static String quote(String field) {
    return SIMPLE_FIELD.matcher(field).matches()
        ? field
        : "`" + field.replace("\\", "\\\\").replace("`", "\\`") + "`";
  }

  /**
   * A Firestore v1 Document (the emulator's) as the event's Document: same field numbers and wire
   * types, so the bytes convert losslessly.
   */
  public static Document toEventDocument(MessageLite doc) {
    try {
      return doc instanceof Document d ? d : Document.parseFrom(doc.toByteString());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("not a Firestore Document", e);
    }
  }

  /**
   * A protobuf timestamp as an instant (commit times from the emulator's change feed arrive like
   * this).
   */
  public static Instant instant(Timestamp ts) {
    return Instant.ofEpochSecond(ts.getSeconds(), ts.getNanos());
  }

  /** A {@code written} event with a fresh id, protobuf body, as deployed functions receive it. */
  public CloudEvent protobuf(String documentPath, DocumentEventData data, Instant time) {
    return protobuf(
        FirestoreEventType.WRITTEN, UUID.randomUUID().toString(), documentPath, data, time);
  }

  /**
   * The event Eventarc delivers to a function subscribed to {@code type}: binary mode, protobuf
   * body. Every subscriber of one change gets the same {@code id}.
   */
  public CloudEvent protobuf(
      FirestoreEventType type,
      String id,
      String documentPath,
      DocumentEventData data,
      Instant time) {
    return builder(type, id, documentPath, time)
        .withDataContentType("application/protobuf")
        .withData(data.toByteArray())
        .build();
  }

  /**
   * A {@code written} event with a fresh id in the JSON form the Functions Framework makes of
   * emulator events.
   */
  public CloudEvent json(String documentPath, DocumentEventData data, Instant time) {
    return json(FirestoreEventType.WRITTEN, UUID.randomUUID().toString(), documentPath, data, time);
  }

  /**
   * Like {@link #protobuf(FirestoreEventType, String, String, DocumentEventData, Instant)}, JSON
   * body.
   */
  public CloudEvent json(
      FirestoreEventType type,
      String id,
      String documentPath,
      DocumentEventData data,
      Instant time) {
    try {
      String json = JsonFormat.printer().print(data);
      return builder(type, id, documentPath, time)
          .withDataContentType("application/json")
          .withData(json.getBytes(StandardCharsets.UTF_8))
          .build();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A {@code written} event whose body is not a DocumentEventData at all. */
  public CloudEvent garbage(String documentPath, Instant time) {
    return builder(FirestoreEventType.WRITTEN, UUID.randomUUID().toString(), documentPath, time)
        .withDataContentType("application/protobuf")
        .withData(new byte[] {(byte) 0xff, 0x01, 0x02, 0x03})
        .build();
  }

  /** The full resource name of a document path such as {@code credits/u1/ledger/e1}. */
  public String documentName(String documentPath) {
    return "projects/" + projectId + "/databases/" + databaseId + "/documents/" + documentPath;
  }

  private CloudEventBuilder builder(
      FirestoreEventType type, String id, String documentPath, Instant time) {
    return CloudEventBuilder.v1()
        .withId(id)
        .withSource(
            URI.create(
                "//firestore.googleapis.com/projects/" + projectId + "/databases/" + databaseId))
        .withType(type.ceType())
        .withSubject("documents/" + documentPath)
        .withTime(OffsetDateTime.ofInstant(time, ZoneOffset.UTC))
        .withDataSchema(URI.create(DATA_SCHEMA))
        .withExtension("location", location)
        .withExtension("project", projectId)
        .withExtension("database", databaseId)
        .withExtension("namespace", "(default)")
        .withExtension("document", documentPath);
  }
}
