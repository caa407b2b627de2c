package dev.atelier.emulator.engine;

import static dev.atelier.emulator.engine.V.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.firestore.v1.ArrayValue;
import com.google.firestore.v1.Document;
import com.google.firestore.v1.DocumentMask;
import com.google.firestore.v1.DocumentTransform;
import com.google.firestore.v1.DocumentTransform.FieldTransform;
import com.google.firestore.v1.Precondition;
import com.google.firestore.v1.Value;
import com.google.firestore.v1.Write;
import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DocumentWritesTest {
  private static final Timestamp T2 = Timestamp.newBuilder().setSeconds(2).build();
  private static final String NAME = ROOT + "/c/d";

  private static Write.Builder set(Object... kv) {
    return Write.newBuilder()
        .setUpdate(Document.newBuilder().setName(NAME).putAllFields(fields(kv)));
  }

  private static Write.Builder update(List<String> mask, Object... kv) {
    return set(kv).setUpdateMask(DocumentMask.newBuilder().addAllFieldPaths(mask));
  }

  private static Map<String, Value> apply(Optional<Document> current, Write.Builder w) {
    return DocumentWrites.apply(current, w.build(), T2).document().orElseThrow().getFieldsMap();
  }

  private static Optional<Document> existing(Object... kv) {
    return Optional.of(doc("c/d", kv));
  }

  private static FieldTransform.Builder ft(String path) {
    return FieldTransform.newBuilder().setFieldPath(path);
  }

  private static ArrayValue elems(Value... vs) {
    return ArrayValue.newBuilder().addAllValues(List.of(vs)).build();
  }

  private static Status.Code failure(Optional<Document> current, Write.Builder w) {
    return assertThrows(
            StatusRuntimeException.class, () -> DocumentWrites.apply(current, w.build(), T2))
        .getStatus()
        .getCode();
  }

  @Test
  void updateWithoutMaskReplacesAllFields() {
    assertEquals(fields("b", i(2)), apply(existing("a", i(1)), set("b", i(2))));
  }

  @Test
  void maskChangesOnlyMaskedPaths() {
    assertEquals(
        fields("a", i(1), "b", i(3)),
        apply(existing("a", i(1), "b", i(2)), update(List.of("b"), "b", i(3), "c", i(9))));
  }

  @Test
  void maskedPathAbsentFromFieldsIsDeleted() {
    assertEquals(fields("a", i(1)), apply(existing("a", i(1), "b", i(2)), update(List.of("b"))));
  }

  @Test
  void nestedMaskPathKeepsSiblingsAndCreatesIntermediateMaps() {
    assertEquals(
        fields("m", map("x", i(1), "y", i(2)), "n", map("p", map("q", s("v")))),
        apply(
            existing("m", map("x", i(1), "y", i(0))),
            update(List.of("m.y", "n.p.q"), "m", map("y", i(2)), "n", map("p", map("q", s("v"))))));
  }

  @Test
  void nestedMaskPathDeletesOnlyTheLeaf() {
    assertEquals(
        fields("m", map("x", i(1))),
        apply(existing("m", map("x", i(1), "y", i(0))), update(List.of("m.y"))));
  }

  @Test
  void backtickQuotedSegmentIsOneField() {
    assertEquals(
        fields("a", i(1), "my.field", i(5)),
        apply(existing("a", i(1)), update(List.of("`my.field`"), "my.field", i(5))));
  }

  @Test
  void maskOnWholeMapReplacesTheMap() {
    assertEquals(
        fields("m", map("z", i(1))),
        apply(existing("m", map("x", i(1))), update(List.of("m"), "m", map("z", i(1)))));
  }

  @Test
  void newDocumentGetsCommitTimeAsCreateAndUpdateTime() {
    Document d =
        DocumentWrites.apply(Optional.empty(), set("a", i(1)).build(), T2).document().orElseThrow();
    assertEquals(T2, d.getCreateTime());
    assertEquals(T2, d.getUpdateTime());
    assertEquals(NAME, d.getName());
  }

  @Test
  void updateKeepsCreateTimeAndSetsUpdateTime() {
    Document d =
        DocumentWrites.apply(existing("a", i(1)), set("a", i(2)).build(), T2)
            .document()
            .orElseThrow();
    assertEquals(1, d.getCreateTime().getSeconds());
    assertEquals(T2, d.getUpdateTime());
  }

  @Test
  void writeThatChangesNothingKeepsOldUpdateTime() {
    Optional<Document> before = existing("a", i(1));
    DocumentWrites.Outcome o = DocumentWrites.apply(before, set("a", i(1)).build(), T2);
    assertEquals(before, o.document());
    assertTrue(o.unchanged(before));
  }

  @Test
  void deleteRemovesTheDocument() {
    assertEquals(
        Optional.empty(),
        DocumentWrites.apply(existing("a", i(1)), Write.newBuilder().setDelete(NAME).build(), T2)
            .document());
  }

  @Test
  void existsTruePreconditionOnMissingDocumentIsNotFound() {
    assertEquals(
        Status.Code.NOT_FOUND,
        failure(
            Optional.empty(),
            update(List.of("a"), "a", i(1))
                .setCurrentDocument(Precondition.newBuilder().setExists(true))));
  }

  @Test
  void existsFalsePreconditionOnExistingDocumentIsAlreadyExists() {
    assertEquals(
        Status.Code.ALREADY_EXISTS,
        failure(
            existing(),
            set("a", i(1)).setCurrentDocument(Precondition.newBuilder().setExists(false))));
  }

  @Test
  void updateTimePreconditionMismatchIsFailedPrecondition() {
    assertEquals(
        Status.Code.FAILED_PRECONDITION,
        failure(
            existing(),
            set("a", i(1)).setCurrentDocument(Precondition.newBuilder().setUpdateTime(T2))));
  }

  @Test
  void updateTimePreconditionMatchAllowsTheWrite() {
    Precondition p =
        Precondition.newBuilder().setUpdateTime(Timestamp.newBuilder().setSeconds(1)).build();
    assertEquals(fields("a", i(7)), apply(existing(), set("a", i(7)).setCurrentDocument(p)));
  }

  @Test
  void serverTimestampSetsCommitTimeAndReportsIt() {
    DocumentWrites.Outcome o =
        DocumentWrites.apply(
            Optional.empty(),
            set()
                .addUpdateTransforms(
                    ft("at").setSetToServerValue(FieldTransform.ServerValue.REQUEST_TIME))
                .build(),
            T2);
    Value t = Value.newBuilder().setTimestampValue(T2).build();
    assertEquals(fields("at", t), o.document().orElseThrow().getFieldsMap());
    assertEquals(List.of(t), o.transformResults());
  }

  @Test
  void incrementOfIntegersStaysInteger() {
    assertEquals(
        fields("n", i(5)),
        apply(
            existing("n", i(2)),
            update(List.of()).addUpdateTransforms(ft("n").setIncrement(i(3)))));
  }

  @Test
  void incrementWithADoubleGivesDouble() {
    assertEquals(
        fields("n", d(2.5)),
        apply(
            existing("n", i(2)),
            update(List.of()).addUpdateTransforms(ft("n").setIncrement(d(0.5)))));
  }

  @Test
  void incrementOfMissingOrNonNumericFieldSetsTheOperand() {
    assertEquals(
        fields("s", i(3), "m", map("n", i(3))),
        apply(
            existing("s", s("x")),
            update(List.of())
                .addUpdateTransforms(ft("s").setIncrement(i(3)))
                .addUpdateTransforms(ft("m.n").setIncrement(i(3)))));
  }

  @Test
  void incrementOverflowSaturates() {
    assertEquals(
        fields("n", i(Long.MAX_VALUE)),
        apply(
            existing("n", i(Long.MAX_VALUE - 1)),
            update(List.of()).addUpdateTransforms(ft("n").setIncrement(i(5)))));
  }

  @Test
  void incrementResultIsTheNewValue() {
    DocumentWrites.Outcome o =
        DocumentWrites.apply(
            existing("n", i(2)),
            update(List.of()).addUpdateTransforms(ft("n").setIncrement(i(3))).build(),
            T2);
    assertEquals(List.of(i(5)), o.transformResults());
  }

  @Test
  void maximumTakesTheLargerOperandWithItsType() {
    assertEquals(
        fields("n", d(3.5)),
        apply(
            existing("n", i(3)),
            update(List.of()).addUpdateTransforms(ft("n").setMaximum(d(3.5)))));
    assertEquals(
        fields("n", i(3)),
        apply(
            existing("n", i(3)),
            update(List.of()).addUpdateTransforms(ft("n").setMaximum(d(3.0)))));
  }

  @Test
  void minimumTakesTheSmallerOperandAndMissingFieldTakesOperand() {
    assertEquals(
        fields("n", i(1), "m", i(9)),
        apply(
            existing("n", i(3)),
            update(List.of())
                .addUpdateTransforms(ft("n").setMinimum(i(1)))
                .addUpdateTransforms(ft("m").setMinimum(i(9)))));
  }

  @Test
  void arrayUnionAppendsOnlyMissingElements() {
    DocumentWrites.Outcome o =
        DocumentWrites.apply(
            existing("a", arr(i(1), s("x"))),
            update(List.of())
                .addUpdateTransforms(
                    ft("a").setAppendMissingElements(elems(d(1.0), s("y"), s("y"))))
                .build(),
            T2);
    assertEquals(fields("a", arr(i(1), s("x"), s("y"))), o.document().orElseThrow().getFieldsMap());
    assertEquals(List.of(nul()), o.transformResults());
  }

  @Test
  void arrayUnionOnNonArrayFieldGivesTheElements() {
    assertEquals(
        fields("a", arr(i(1))),
        apply(
            existing("a", s("x")),
            update(List.of()).addUpdateTransforms(ft("a").setAppendMissingElements(elems(i(1))))));
  }

  @Test
  void arrayRemoveRemovesAllEquivalentElements() {
    assertEquals(
        fields("a", arr(s("x"))),
        apply(
            existing("a", arr(i(1), s("x"), d(1.0), d(Double.NaN))),
            update(List.of())
                .addUpdateTransforms(ft("a").setRemoveAllFromArray(elems(i(1), d(Double.NaN))))));
  }

  @Test
  void arrayRemoveOnMissingFieldGivesEmptyArray() {
    assertEquals(
        fields("a", arr()),
        apply(
            existing(),
            update(List.of()).addUpdateTransforms(ft("a").setRemoveAllFromArray(elems(i(1))))));
  }

  @Test
  void transformsApplyAfterTheUpdateInOrder() {
    DocumentWrites.Outcome o =
        DocumentWrites.apply(
            existing("n", i(100)),
            set("n", i(1))
                .addUpdateTransforms(ft("n").setIncrement(i(1)))
                .addUpdateTransforms(ft("n").setIncrement(i(10)))
                .build(),
            T2);
    assertEquals(fields("n", i(12)), o.document().orElseThrow().getFieldsMap());
    assertEquals(List.of(i(2), i(12)), o.transformResults());
  }

  @Test
  void transformOnlyLegacyWriteCreatesOrUpdatesTheDocument() {
    Write w =
        Write.newBuilder()
            .setTransform(
                DocumentTransform.newBuilder()
                    .setDocument(NAME)
                    .addFieldTransforms(ft("n").setIncrement(i(1))))
            .build();
    assertEquals(
        fields("a", i(1), "n", i(1)),
        DocumentWrites.apply(existing("a", i(1)), w, T2).document().orElseThrow().getFieldsMap());
    assertEquals(
        fields("n", i(1)),
        DocumentWrites.apply(Optional.empty(), w, T2).document().orElseThrow().getFieldsMap());
  }

  @Test
  void arrayUnionOfPresentElementChangesNothing() {
    Optional<Document> before = existing("a", arr(i(1)));
    assertEquals(
        before,
        DocumentWrites.apply(
                before,
                update(List.of())
                    .addUpdateTransforms(ft("a").setAppendMissingElements(elems(i(1))))
                    .build(),
                T2)
            .document());
  }

  @Test
  void nonNumericIncrementOperandIsInvalid() {
    assertEquals(
        Status.Code.INVALID_ARGUMENT,
        failure(existing(), update(List.of()).addUpdateTransforms(ft("n").setIncrement(s("1")))));
  }

  @Test
  void timestampsAreStoredWithMicrosecondPrecision() {
    assertEquals(
        fields("t", ts(5, 123456000), "m", map("a", arr(ts(1, 999000)))),
        apply(Optional.empty(), set("t", ts(5, 123456789), "m", map("a", arr(ts(1, 999999))))));
  }

  @Test
  void documentOfExactlyOneMebibyteIsAcceptedAndOneByteMoreRejected() {
    // name c/d = 2 + 2 + 16; field "s" = 2; string = n + 1; document overhead 32 -> n + 55 bytes
    int fits = 1_048_576 - 55;
    assertEquals(
        fits,
        apply(Optional.empty(), set("s", s("x".repeat(fits)))).get("s").getStringValue().length());
    assertEquals(
        Status.Code.INVALID_ARGUMENT, failure(Optional.empty(), set("s", s("x".repeat(fits + 1)))));
  }

  @Test
  void reservedDocumentIdIsInvalid() {
    Write.Builder w =
        Write.newBuilder().setUpdate(Document.newBuilder().setName(ROOT + "/c/__bad__"));
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () -> DocumentWrites.apply(Optional.empty(), w.build(), T2));
    assertEquals(
        "Resource id \"__bad__\" is invalid because it is reserved.",
        e.getStatus().getDescription());
  }

  @Test
  void reservedCollectionIdIsInvalid() {
    Write.Builder w =
        Write.newBuilder().setUpdate(Document.newBuilder().setName(ROOT + "/__c__/d"));
    assertEquals(Status.Code.INVALID_ARGUMENT, failure(Optional.empty(), w));
  }

  @Test
  void reservedFieldNamesAreInvalidButVectorsAreStored() {
    assertEquals(
        Status.Code.INVALID_ARGUMENT, failure(Optional.empty(), set("m", map("__x__", i(1)))));
    assertEquals(
        Status.Code.INVALID_ARGUMENT, failure(existing(), update(List.of("__x__"), "__x__", i(1))));
    assertEquals(fields("v", vector(1, 2)), apply(Optional.empty(), set("v", vector(1, 2))));
  }

  private static Value nest(int maps) {
    Value v = i(1);
    for (int k = 0; k < maps; k++) {
      v = map("m", v);
    }
    return v;
  }

  @Test
  void valuesNestedMoreThanTwentyLevelsBelowAFieldAreInvalid() {
    assertEquals(fields("f", nest(20)), apply(Optional.empty(), set("f", nest(20))));
    assertEquals(Status.Code.INVALID_ARGUMENT, failure(Optional.empty(), set("f", nest(21))));
  }
}
