package dev.atelier.firestore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.firestore.v1.ArrayValue;
import com.google.firestore.v1.BatchGetDocumentsResponse;
import com.google.firestore.v1.Cursor;
import com.google.firestore.v1.Document;
import com.google.firestore.v1.DocumentMask;
import com.google.firestore.v1.DocumentTransform.FieldTransform;
import com.google.firestore.v1.MapValue;
import com.google.firestore.v1.Precondition;
import com.google.firestore.v1.StructuredQuery;
import com.google.firestore.v1.StructuredQuery.CompositeFilter;
import com.google.firestore.v1.StructuredQuery.FieldFilter;
import com.google.firestore.v1.StructuredQuery.FieldReference;
import com.google.firestore.v1.StructuredQuery.Filter;
import com.google.firestore.v1.StructuredQuery.UnaryFilter;
import com.google.firestore.v1.Value;
import com.google.firestore.v1.Write;
import com.google.protobuf.ByteString;
import com.google.protobuf.Int32Value;
import com.google.protobuf.NullValue;
import com.google.type.LatLng;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Our hand-made protobuf encoding against protobuf's own: each message the client builds parses,
 * with the generated {@code google.firestore.v1} classes, into exactly the message the official
 * client would send, and what those classes encode reads back as the same Java values. No server:
 * the bytes themselves.
 */
class ProtoCodecTest {

  private static final String DOCS = "projects/p/databases/(default)/documents";

  // The channel is lazy: nothing connects to this port unless a call is made.
  private final Database db = Database.connect("p", Optional.of("127.0.0.1:9"));

  @AfterEach
  void close() {
    db.close();
  }

  private static com.google.protobuf.Timestamp timestamp(Instant t) {
    return com.google.protobuf.Timestamp.newBuilder()
        .setSeconds(t.getEpochSecond())
        .setNanos(t.getNano())
        .build();
  }

  private static Value v(Object o) {
    Value.Builder b = Value.newBuilder();
    if (o == null) {
      b.setNullValue(NullValue.NULL_VALUE);
    } else if (o instanceof Boolean x) {
      b.setBooleanValue(x);
    } else if (o instanceof Long x) {
      b.setIntegerValue(x);
    } else if (o instanceof Double x) {
      b.setDoubleValue(x);
    } else if (o instanceof String x) {
      b.setStringValue(x);
    } else if (o instanceof Instant x) {
      b.setTimestampValue(timestamp(x));
    } else if (o instanceof byte[] x) {
      b.setBytesValue(ByteString.copyFrom(x));
    } else if (o instanceof Map<?, ?> m) {
      MapValue.Builder mv = MapValue.newBuilder();
      m.forEach((k, x) -> mv.putFields((String) k, v(x)));
      b.setMapValue(mv);
    } else if (o instanceof List<?> l) {
      ArrayValue.Builder a = ArrayValue.newBuilder();
      l.forEach(x -> a.addValues(v(x)));
      b.setArrayValue(a);
    }
    return b.build();
  }

  /** The edges of each kind: defaults (which a oneof still writes), signs, sizes, code points. */
  private static Map<String, Object> edgeValues() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("null", null);
    m.put("false", false);
    m.put("true", true);
    m.put("zero", 0L);
    m.put("minus one", -1L);
    m.put("min", Long.MIN_VALUE);
    m.put("max", Long.MAX_VALUE);
    m.put("negative zero", -0.0);
    m.put("nan", Double.NaN);
    m.put("infinity", Double.NEGATIVE_INFINITY);
    m.put("tiny", Double.MIN_VALUE);
    m.put("empty", "");
    m.put("unicode", "héllo 世界 \uD83C\uDFA8");
    m.put("long text", "x".repeat(70_000));
    m.put("epoch", Instant.EPOCH);
    m.put("first", Instant.parse("0001-01-01T00:00:00Z"));
    m.put("before epoch", Instant.ofEpochSecond(-1, 999_999_999));
    m.put("last", Instant.parse("9999-12-31T23:59:59.999999999Z"));
    m.put("bytes", new byte[] {0, -1, 127, -128});
    m.put("no bytes", new byte[0]);
    m.put("empty map", Map.of());
    m.put("empty list", List.of());
    m.put("nested", Map.of("list", List.of(List.of(1L), Map.of("k", "v")), "", "empty key"));
    return m;
  }

  @Test
  void everyValueEncodesAsProtobufDoesAndReadsBack() throws Exception {
    edgeValues()
        .forEach(
            (name, java) -> {
              byte[] ours = Values.encode(java).toByteArray();
              try {
                assertEquals(v(java), Value.parseFrom(ours), name);
              } catch (Exception e) {
                throw new AssertionError(name, e);
              }
              Object back = Values.decode(new ProtoReader(v(java).toByteArray()));
              if (java instanceof byte[] bytes) {
                assertArrayEquals(bytes, (byte[]) back, name);
              } else if (java instanceof Double d) {
                assertEquals(
                    Double.doubleToRawLongBits(d), Double.doubleToRawLongBits((Double) back));
              } else {
                assertEquals(java, back, name);
              }
            });
  }

  @Test
  void aDocumentReadsWithItsNameFieldsAndTimes() {
    Map<String, Object> fields = new LinkedHashMap<>(edgeValues());
    fields.remove("bytes");
    fields.remove("no bytes");
    fields.remove("nan");
    Document.Builder d =
        Document.newBuilder()
            .setName(DOCS + "/users/u1")
            .setCreateTime(timestamp(Instant.ofEpochSecond(10, 1)))
            .setUpdateTime(timestamp(Instant.ofEpochSecond(20, 2)));
    fields.forEach((k, x) -> d.putFields(k, v(x)));
    Snapshot s = db.snapshot(new ProtoReader(d.build().toByteArray()));
    assertEquals("users/u1", s.path());
    assertEquals(fields, s.data());
    assertEquals(Optional.of(Instant.ofEpochSecond(10, 1)), s.createTime());
    assertEquals(Optional.of(Instant.ofEpochSecond(20, 2)), s.updateTime());
  }

  @Test
  void fieldsWeDoNotUseAreSkippedAndUnsupportedValuesRefused() {
    byte[] response =
        BatchGetDocumentsResponse.newBuilder()
            .setTransaction(ByteString.copyFromUtf8("tx"))
            .setReadTime(timestamp(Instant.now()))
            .setMissing(DOCS + "/users/u1")
            .build()
            .toByteArray();
    ProtoReader r = new ProtoReader(response);
    int fields = 0;
    while (r.next()) {
      r.skip();
      fields++;
    }
    assertEquals(3, fields);
    byte[] geo =
        Value.newBuilder()
            .setGeoPointValue(LatLng.newBuilder().setLatitude(1).setLongitude(2))
            .build()
            .toByteArray();
    assertThrows(IllegalArgumentException.class, () -> Values.decode(new ProtoReader(geo)));
  }

  @Test
  void aTimestampFirestoreCannotStoreIsRefusedBeforeAnyCall() {
    for (Instant outside :
        List.of(
            Instant.parse("0000-12-31T23:59:59.999999999Z"),
            Instant.parse("+10000-01-01T00:00:00Z"))) {
      assertThrows(
          IllegalArgumentException.class, () -> Values.encode(outside), outside.toString());
    }
  }

  @Test
  void malformedBytesFailAsMalformedNotAsSomethingElse() {
    byte[] text = Value.newBuilder().setStringValue("hello").build().toByteArray();
    for (int cut = 1; cut < text.length; cut++) {
      byte[] truncated = Arrays.copyOf(text, cut);
      assertThrows(
          IllegalStateException.class, () -> Values.decode(new ProtoReader(truncated)), "" + cut);
    }
    byte[] tooLongVarint = {0x10, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 1};
    assertThrows(IllegalStateException.class, () -> Values.decode(new ProtoReader(tooLongVarint)));
    byte[] group = {0x0B};
    assertThrows(
        IllegalStateException.class,
        () -> {
          ProtoReader g = new ProtoReader(group);
          g.next();
          g.skip();
        });
    byte[] fieldZero = {0x00, 0x01};
    assertThrows(IllegalStateException.class, () -> new ProtoReader(fieldZero).next());
  }

  @Test
  void writesAreTheOfficialClientsWrites() throws Exception {
    Writes writes = new Writes(DOCS);
    Map<String, Object> created = new LinkedHashMap<>();
    created.put("n", 1L);
    created.put("at", FieldValue.serverTimestamp());
    created.put("inner", Map.of("only", FieldValue.increment(2L)));
    writes.create("users/u1", created);
    Map<String, Object> merged = new LinkedHashMap<>();
    merged.put("a", Map.of("b", "c"));
    merged.put("gone", FieldValue.delete());
    writes.merge("users/u2", merged);
    Map<String, Object> updated = new LinkedHashMap<>();
    updated.put("x.y", 2.5);
    updated.put("z", FieldValue.delete());
    updated.put("m", Map.of("t", FieldValue.serverTimestamp(), "k", 1L));
    writes.update("users/u3", updated);
    writes.delete("users/u4");

    FieldTransform now =
        FieldTransform.newBuilder()
            .setFieldPath("at")
            .setSetToServerValue(FieldTransform.ServerValue.REQUEST_TIME)
            .build();
    List<Write> expected =
        List.of(
            Write.newBuilder()
                .setUpdate(Document.newBuilder().setName(DOCS + "/users/u1").putFields("n", v(1L)))
                .addUpdateTransforms(now)
                .addUpdateTransforms(
                    FieldTransform.newBuilder().setFieldPath("inner.only").setIncrement(v(2L)))
                .setCurrentDocument(Precondition.newBuilder().setExists(false))
                .build(),
            Write.newBuilder()
                .setUpdate(
                    Document.newBuilder()
                        .setName(DOCS + "/users/u2")
                        .putFields("a", v(Map.of("b", "c"))))
                .setUpdateMask(DocumentMask.newBuilder().addFieldPaths("a.b").addFieldPaths("gone"))
                .build(),
            Write.newBuilder()
                .setUpdate(
                    Document.newBuilder()
                        .setName(DOCS + "/users/u3")
                        .putFields("x", v(Map.of("y", 2.5)))
                        .putFields("m", v(Map.of("k", 1L))))
                .setUpdateMask(
                    DocumentMask.newBuilder()
                        .addFieldPaths("x.y")
                        .addFieldPaths("m")
                        .addFieldPaths("z"))
                .addUpdateTransforms(
                    FieldTransform.newBuilder()
                        .setFieldPath("m.t")
                        .setSetToServerValue(FieldTransform.ServerValue.REQUEST_TIME))
                .setCurrentDocument(Precondition.newBuilder().setExists(true))
                .build(),
            Write.newBuilder().setDelete(DOCS + "/users/u4").build());
    assertEquals(expected.size(), writes.list().size());
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i), Write.parseFrom(writes.list().get(i).toByteArray()), "" + i);
    }
  }

  private static FieldReference ref(String path) {
    return FieldReference.newBuilder().setFieldPath(path).build();
  }

  @Test
  void aQueryIsTheOfficialClientsStructuredQuery() throws Exception {
    Query q =
        db.collection("users/u1/items")
            .whereEqualTo("state", "done")
            .whereEqualTo("gone", null)
            .whereIn("kind", List.of("a", "b"))
            .orderBy("at", Query.Direction.DESCENDING)
            .orderBy(FieldPath.documentId())
            .startAfter(Instant.ofEpochSecond(5), "i9")
            .limit(0)
            .select("state", "at");
    StructuredQuery expected =
        StructuredQuery.newBuilder()
            .setSelect(
                StructuredQuery.Projection.newBuilder()
                    .addFields(ref("state"))
                    .addFields(ref("at")))
            .addFrom(StructuredQuery.CollectionSelector.newBuilder().setCollectionId("items"))
            .setWhere(
                Filter.newBuilder()
                    .setCompositeFilter(
                        CompositeFilter.newBuilder()
                            .setOp(CompositeFilter.Operator.AND)
                            .addFilters(
                                Filter.newBuilder()
                                    .setFieldFilter(
                                        FieldFilter.newBuilder()
                                            .setField(ref("state"))
                                            .setOp(FieldFilter.Operator.EQUAL)
                                            .setValue(v("done"))))
                            .addFilters(
                                Filter.newBuilder()
                                    .setUnaryFilter(
                                        UnaryFilter.newBuilder()
                                            .setField(ref("gone"))
                                            .setOp(UnaryFilter.Operator.IS_NULL)))
                            .addFilters(
                                Filter.newBuilder()
                                    .setFieldFilter(
                                        FieldFilter.newBuilder()
                                            .setField(ref("kind"))
                                            .setOp(FieldFilter.Operator.IN)
                                            .setValue(v(List.of("a", "b")))))))
            .addOrderBy(
                StructuredQuery.Order.newBuilder()
                    .setField(ref("at"))
                    .setDirection(StructuredQuery.Direction.DESCENDING))
            .addOrderBy(
                StructuredQuery.Order.newBuilder()
                    .setField(ref("__name__"))
                    .setDirection(StructuredQuery.Direction.ASCENDING))
            .setStartAt(
                Cursor.newBuilder()
                    .addValues(v(Instant.ofEpochSecond(5)))
                    .addValues(Value.newBuilder().setReferenceValue(DOCS + "/users/u1/items/i9")))
            .setLimit(Int32Value.of(0))
            .build();
    assertEquals(expected, StructuredQuery.parseFrom(q.toProto().toByteArray()));

    StructuredQuery group =
        StructuredQuery.parseFrom(
            db.collectionGroup("ledger").whereLessThan("n", 3L).limit(7).toProto().toByteArray());
    assertEquals(
        StructuredQuery.newBuilder()
            .addFrom(
                StructuredQuery.CollectionSelector.newBuilder()
                    .setCollectionId("ledger")
                    .setAllDescendants(true))
            .setWhere(
                Filter.newBuilder()
                    .setFieldFilter(
                        FieldFilter.newBuilder()
                            .setField(ref("n"))
                            .setOp(FieldFilter.Operator.LESS_THAN)
                            .setValue(v(3L))))
            .setLimit(Int32Value.of(7))
            .build(),
        group);
  }

  /**
   * What the codec is for: no class of the client names a protobuf or generated Firestore class, so
   * none loads through it on a cold start. Read from the client's own class files.
   */
  @Test
  void theClientNamesNoProtobufClass() throws Exception {
    Path location =
        Path.of(Database.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Map<String, byte[]> classes = new TreeMap<>();
    if (Files.isDirectory(location)) {
      try (Stream<Path> files = Files.walk(location)) {
        for (Path f : files.filter(f -> f.toString().endsWith(".class")).toList()) {
          classes.put(location.relativize(f).toString(), Files.readAllBytes(f));
        }
      }
    } else {
      try (JarFile jar = new JarFile(location.toFile())) {
        for (JarEntry e : Collections.list(jar.entries())) {
          if (e.getName().endsWith(".class")) {
            classes.put(e.getName(), jar.getInputStream(e).readAllBytes());
          }
        }
      }
    }
    assertTrue(
        classes.containsKey("dev/atelier/firestore/Database.class"), classes.keySet().toString());
    classes.forEach(
        (name, bytes) -> {
          String text = new String(bytes, StandardCharsets.ISO_8859_1);
          assertFalse(text.contains("com/google/protobuf/"), name + " names a protobuf class");
          assertFalse(text.contains("com/google/firestore/v1/"), name + " names a generated class");
        });
  }
}
