package dev.atelier.local.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.firestore.v1.ArrayValue;
import com.google.firestore.v1.Document;
import com.google.firestore.v1.MapValue;
import com.google.firestore.v1.Value;
import com.google.protobuf.ByteString;
import com.google.protobuf.NullValue;
import com.google.protobuf.Timestamp;
import com.google.type.LatLng;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FirestoreEventsTest {

    private static Value str(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }

    private static Value map(Map<String, Value> fields) {
        return Value.newBuilder().setMapValue(MapValue.newBuilder().putAllFields(fields)).build();
    }

    @Test
    void everyValueTypeConvertsToTheEventDocumentByteForByte() {
        Document doc = Document.newBuilder()
                .setName("projects/p/databases/(default)/documents/a/b")
                .putFields("s", str("x"))
                .putFields("i", Value.newBuilder().setIntegerValue(-7).build())
                .putFields("d", Value.newBuilder().setDoubleValue(1.5).build())
                .putFields("b", Value.newBuilder().setBooleanValue(true).build())
                .putFields("n", Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build())
                .putFields("t", Value.newBuilder().setTimestampValue(Timestamp.newBuilder().setSeconds(9).setNanos(1)).build())
                .putFields("y", Value.newBuilder().setBytesValue(ByteString.copyFromUtf8("z")).build())
                .putFields("r", Value.newBuilder().setReferenceValue("projects/p/databases/(default)/documents/c/d").build())
                .putFields("g", Value.newBuilder().setGeoPointValue(LatLng.newBuilder().setLatitude(1).setLongitude(2)).build())
                .putFields("a", Value.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(str("e"))).build())
                .putFields("m", map(Map.of("k", str("v"))))
                .setCreateTime(Timestamp.newBuilder().setSeconds(1))
                .setUpdateTime(Timestamp.newBuilder().setSeconds(2))
                .build();
        var converted = FirestoreEvents.convert(doc);
        assertEquals(doc.toByteString(), converted.toByteString());
        assertEquals(-7, converted.getFieldsOrThrow("i").getIntegerValue());
        assertEquals("v", converted.getFieldsOrThrow("m").getMapValue().getFieldsOrThrow("k").getStringValue());
        assertEquals(2, converted.getFieldsOrThrow("g").getGeoPointValue().getLongitude());
    }

    @Test
    void theMaskNamesChangedAddedAndRemovedFieldsDescendingIntoMaps() {
        Map<String, Value> before = Map.of("same", str("1"), "changed", str("a"), "removed", str("r"),
                "meta", map(Map.of("keep", str("k"), "edit", str("1"))), "odd-name", str("1"));
        Map<String, Value> after = Map.of("same", str("1"), "changed", str("b"), "added", str("n"),
                "meta", map(Map.of("keep", str("k"), "edit", str("2"))), "odd-name", str("2"));
        assertEquals(List.of("added", "changed", "meta.edit", "`odd-name`", "removed"),
                FirestoreEvents.changedFields(before, after));
    }

    @Test
    void aChangeWithEqualFieldsIsNoEvent() {
        Document doc = Document.newBuilder().setName("projects/p/databases/(default)/documents/a/b").putFields("x", str("1")).build();
        DocumentChange same = new DocumentChange(doc.getName(), Optional.of(doc),
                Optional.of(doc.toBuilder().setUpdateTime(Timestamp.newBuilder().setSeconds(5)).build()), Timestamp.getDefaultInstance());
        assertEquals(Optional.empty(), FirestoreEvents.kind(same));
    }
}
