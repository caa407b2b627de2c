package dev.atelier.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.firestore.FieldPath;
import com.google.cloud.firestore.FieldValue;
import com.google.cloud.firestore.Firestore;
import com.google.events.cloud.firestore.v1.DocumentEventData;
import com.google.firestore.v1.ArrayValue;
import com.google.firestore.v1.Document;
import com.google.firestore.v1.MapValue;
import com.google.firestore.v1.Value;
import com.google.protobuf.ByteString;
import com.google.protobuf.NullValue;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import com.google.type.LatLng;
import dev.atelier.emulator.junit.EmulatorHandle;
import dev.atelier.emulator.junit.FirestoreEmulatorExtension;
import io.cloudevents.CloudEvent;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FirestoreEmulatorExtension.class)
class FirestoreEventsTest {

  private static final String NAME = "projects/p/databases/(default)/documents/a/b";

  private static Value str(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }

  private static Value map(Map<String, Value> fields) {
    return Value.newBuilder().setMapValue(MapValue.newBuilder().putAllFields(fields)).build();
  }

  private static Document doc(Map<String, Value> fields) {
    return Document.newBuilder().setName(NAME).putAllFields(fields).build();
  }

  @Test
  void everyValueTypeConvertsToTheEventDocumentByteForByte() {
    Document doc =
        Document.newBuilder()
            .setName(NAME)
            .putFields("s", str("x"))
            .putFields("i", Value.newBuilder().setIntegerValue(-7).build())
            .putFields("d", Value.newBuilder().setDoubleValue(1.5).build())
            .putFields("b", Value.newBuilder().setBooleanValue(true).build())
            .putFields("n", Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build())
            .putFields(
                "t",
                Value.newBuilder()
                    .setTimestampValue(Timestamp.newBuilder().setSeconds(9).setNanos(1))
                    .build())
            .putFields("y", Value.newBuilder().setBytesValue(ByteString.copyFromUtf8("z")).build())
            .putFields(
                "r",
                Value.newBuilder()
                    .setReferenceValue("projects/p/databases/(default)/documents/c/d")
                    .build())
            .putFields(
                "g",
                Value.newBuilder()
                    .setGeoPointValue(LatLng.newBuilder().setLatitude(1).setLongitude(2))
                    .build())
            .putFields(
                "a",
                Value.newBuilder()
                    .setArrayValue(ArrayValue.newBuilder().addValues(str("e")))
                    .build())
            .putFields("m", map(Map.of("k", str("v"))))
            .setCreateTime(Timestamp.newBuilder().setSeconds(1))
            .setUpdateTime(Timestamp.newBuilder().setSeconds(2))
            .build();
    var converted = FirestoreEvents.toEventDocument(doc);
    assertEquals(doc.toByteString(), converted.toByteString());
    assertEquals(-7, converted.getFieldsOrThrow("i").getIntegerValue());
    assertEquals(
        "v", converted.getFieldsOrThrow("m").getMapValue().getFieldsOrThrow("k").getStringValue());
    assertEquals(2, converted.getFieldsOrThrow("g").getGeoPointValue().getLongitude());
  }

  @Test
  void theMaskNamesChangedAddedAndRemovedFieldsDescendingIntoMaps() {
    Map<String, Value> before =
        Map.of(
            "same",
            str("1"),
            "changed",
            str("a"),
            "removed",
            str("r"),
            "meta",
            map(Map.of("keep", str("k"), "edit", str("1"))),
            "odd-name",
            str("1"));
    Map<String, Value> after =
        Map.of(
            "same",
            str("1"),
            "changed",
            str("b"),
            "added",
            str("n"),
            "meta",
            map(Map.of("keep", str("k"), "edit", str("2"))),
            "odd-name",
            str("2"));
    assertEquals(
        List.of("added", "changed", "meta.edit", "`odd-name`", "removed"),
        FirestoreEvents.data(Optional.of(doc(before)), Optional.of(doc(after)))
            .getUpdateMask()
            .getFieldPathsList());
  }

  @Test
  void aChangeWithEqualFieldsIsNoEvent() {
    Document before = doc(Map.of("x", str("1")));
    Document after = before.toBuilder().setUpdateTime(Timestamp.newBuilder().setSeconds(5)).build();
    assertEquals(
        Optional.empty(), FirestoreEvents.eventType(Optional.of(before), Optional.of(after)));
  }

  @Test
  void createsUpdatesAndDeletesFireTheirTypeWithTheirPayload() {
    Document one = doc(Map.of("x", str("1")));
    Document two = doc(Map.of("x", str("2")));

    assertEquals(
        Optional.of(FirestoreEventType.CREATED),
        FirestoreEvents.eventType(Optional.empty(), Optional.of(one)));
    assertEquals(
        Optional.of(FirestoreEventType.UPDATED),
        FirestoreEvents.eventType(Optional.of(one), Optional.of(two)));
    assertEquals(
        Optional.of(FirestoreEventType.DELETED),
        FirestoreEvents.eventType(Optional.of(one), Optional.empty()));
    assertEquals(Optional.empty(), FirestoreEvents.eventType(Optional.empty(), Optional.empty()));

    DocumentEventData created = FirestoreEvents.data(Optional.empty(), Optional.of(one));
    assertTrue(created.hasValue());
    assertFalse(created.hasOldValue());
    assertFalse(created.hasUpdateMask());
    DocumentEventData deleted = FirestoreEvents.data(Optional.of(one), Optional.empty());
    assertFalse(deleted.hasValue());
    assertEquals(NAME, deleted.getOldValue().getName());
    assertFalse(deleted.hasUpdateMask());
  }

  @Test
  void updateMaskOfARealWriteNamesExactlyTheChangedFieldsNestedAndQuoted(
      EmulatorHandle emulator, Firestore db) throws Exception {
    BlockingQueue<DocumentEventData> changes = new LinkedBlockingQueue<>();
    emulator.addChangeListener(
        (name, before, after, time) -> changes.add(FirestoreEvents.data(before, after)));
    Map<String, Object> meta =
        new HashMap<>(Map.of("a", 1, "b", 2, "odd key", "x", "deep", Map.of("x", 1, "y", 1)));
    db.document("a/b")
        .set(
            Map.of(
                "amount",
                5,
                "status",
                "PENDING",
                "keep",
                "k",
                "gone",
                1,
                "odd-name",
                1,
                "tick`name",
                1,
                "meta",
                meta))
        .get();
    assertNotNull(changes.poll(5, TimeUnit.SECONDS));

    db.document("a/b")
        .update(
            FieldPath.of("status"),
            "CONFIRMED",
            FieldPath.of("meta", "b"),
            3,
            FieldPath.of("meta", "odd key"),
            "y",
            FieldPath.of("meta", "deep", "x"),
            2,
            FieldPath.of("odd-name"),
            2,
            FieldPath.of("tick`name"),
            2,
            FieldPath.of("gone"),
            FieldValue.delete(),
            FieldPath.of("added"),
            Map.of("new", 1))
        .get();
    DocumentEventData update = changes.poll(5, TimeUnit.SECONDS);

    assertNotNull(update);
    assertEquals(
        List.of(
            "added",
            "gone",
            "meta.b",
            "meta.deep.x",
            "meta.`odd key`",
            "`odd-name`",
            "status",
            "`tick\\`name`"),
        update.getUpdateMask().getFieldPathsList());
    assertEquals("PENDING", update.getOldValue().getFieldsOrThrow("status").getStringValue());
    assertEquals("CONFIRMED", update.getValue().getFieldsOrThrow("status").getStringValue());
  }

  @Test
  void eventsCarryEventarcsAttributesInBothEncodings() throws Exception {
    FirestoreEvents events = new FirestoreEvents("proj", "(default)", "europe-west1");
    DocumentEventData data =
        FirestoreEvents.data(Optional.empty(), Optional.of(doc(Map.of("x", str("1")))));
    Instant time = Instant.parse("2030-01-02T03:04:05.123456Z");

    CloudEvent protobuf = events.protobuf(FirestoreEventType.CREATED, "id-1", "a/b", data, time);
    CloudEvent json = events.json(FirestoreEventType.CREATED, "id-1", "a/b", data, time);

    for (CloudEvent event : List.of(protobuf, json)) {
      assertEquals("1.0", event.getSpecVersion().toString());
      assertEquals("id-1", event.getId());
      assertEquals(
          URI.create("//firestore.googleapis.com/projects/proj/databases/(default)"),
          event.getSource());
      assertEquals("google.cloud.firestore.document.v1.created", event.getType());
      assertEquals("documents/a/b", event.getSubject());
      assertEquals(time, event.getTime().toInstant());
      assertEquals(URI.create(FirestoreEvents.DATA_SCHEMA), event.getDataSchema());
      assertEquals("europe-west1", event.getExtension("location"));
      assertEquals("proj", event.getExtension("project"));
      assertEquals("(default)", event.getExtension("database"));
      assertEquals("(default)", event.getExtension("namespace"));
      assertEquals("a/b", event.getExtension("document"));
    }
    assertEquals("application/protobuf", protobuf.getDataContentType());
    assertEquals(data, DocumentEventData.parseFrom(protobuf.getData().toBytes()));
    assertEquals("application/json", json.getDataContentType());
    DocumentEventData.Builder parsed = DocumentEventData.newBuilder();
    JsonFormat.parser().merge(new String(json.getData().toBytes(), StandardCharsets.UTF_8), parsed);
    assertEquals(data, parsed.build());

    CloudEvent written = new FirestoreEvents("proj").protobuf("a/b", data, time);
    assertEquals(FirestoreEvents.WRITTEN, written.getType());
    assertEquals("nam5", written.getExtension("location"));
  }
}
