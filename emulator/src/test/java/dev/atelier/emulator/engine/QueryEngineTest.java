package dev.atelier.emulator.engine;

import static com.google.firestore.v1.StructuredQuery.FieldFilter.Operator.*;
import static com.google.firestore.v1.StructuredQuery.UnaryFilter.Operator.*;
import static dev.atelier.emulator.engine.Q.*;
import static dev.atelier.emulator.engine.V.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.firestore.v1.Document;
import com.google.firestore.v1.StructuredQuery;
import com.google.firestore.v1.Value;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class QueryEngineTest {

  private static final List<Document> NUMBERS =
      List.of(
          doc("c/a", "n", i(1), "tag", s("x")),
          doc("c/b", "n", d(2.5), "tag", s("y")),
          doc("c/c", "n", i(3), "tag", s("x")),
          doc("c/d", "n", s("3")),
          doc("c/e", "n", nul()),
          doc("c/f", "n", d(Double.NaN)),
          doc("c/g", "other", i(1)));

  private static List<String> ids(List<Document> docs) {
    return docs.stream()
        .map(d -> d.getName().substring(d.getName().lastIndexOf('/') + 1))
        .collect(Collectors.toList());
  }

  private static List<String> run(StructuredQuery.Builder q, List<Document> docs) {
    return ids(QueryEngine.run(ROOT, q.build(), docs));
  }

  private static List<String> run(StructuredQuery.Builder q) {
    return run(q, NUMBERS);
  }

  private static Status.Code rejection(StructuredQuery.Builder q) {
    return assertThrows(
            StatusRuntimeException.class, () -> QueryEngine.run(ROOT, q.build(), NUMBERS))
        .getStatus()
        .getCode();
  }

  @Test
  void collectionQueryReturnsDirectChildrenOrderedByName() {
    List<Document> docs =
        List.of(doc("c/b"), doc("other/x"), doc("c/a"), doc("c/a/sub/s"), doc("cc/z"));
    assertEquals(List.of("a", "b"), run(from("c"), docs));
  }

  @Test
  void subcollectionQueryUsesTheDocumentAsParent() {
    List<Document> docs = List.of(doc("u/1/h/a"), doc("u/2/h/b"), doc("h/c"));
    assertEquals(List.of("a"), ids(QueryEngine.run(ROOT + "/u/1", from("h").build(), docs)));
  }

  @Test
  void collectionGroupQueryFindsTheCollectionAtAnyDepthUnderTheParent() {
    List<Document> docs =
        List.of(doc("u/1/h/a"), doc("u/2/h/b"), doc("h/c"), doc("u/1/x/d"), doc("u/1/h/a/h/e"));
    assertEquals(List.of("c", "a", "e", "b"), run(group("h"), docs));
    assertEquals(List.of("a", "e"), ids(QueryEngine.run(ROOT + "/u/1", group("h").build(), docs)));
  }

  @Test
  void kindlessAllDescendantsQueryReturnsEveryDocumentUnderTheParent() {
    List<Document> docs = List.of(doc("u/1/h/a"), doc("u/1"), doc("u/2/h/b"));
    assertEquals(List.of("a"), ids(QueryEngine.run(ROOT + "/u/1", group("").build(), docs)));
  }

  @Test
  void equalityMatchesIntegerAndDoubleAlike() {
    List<Document> docs =
        List.of(doc("c/a", "n", i(1)), doc("c/b", "n", d(1.0)), doc("c/c", "n", s("1")));
    assertEquals(List.of("a", "b"), run(from("c").setWhere(f("n", EQUAL, d(1.0))), docs));
  }

  @Test
  void equalityWithNanMatchesNothing() {
    assertEquals(List.of(), run(from("c").setWhere(f("n", EQUAL, d(Double.NaN)))));
  }

  @Test
  void rangeFiltersMatchOnlyTheSameTypeClass() {
    assertEquals(List.of("b", "c"), run(from("c").setWhere(f("n", GREATER_THAN, i(1)))));
    assertEquals(List.of("d"), run(from("c").setWhere(f("n", GREATER_THAN_OR_EQUAL, s("")))));
  }

  @Test
  void lessThanIncludesNanWhichSortsBeforeNumbers() {
    assertEquals(List.of("f", "a"), run(from("c").setWhere(f("n", LESS_THAN, i(2)))));
  }

  @Test
  void notEqualExcludesMissingAndNullFields() {
    assertEquals(List.of("f", "b", "c", "d"), run(from("c").setWhere(f("n", NOT_EQUAL, i(1)))));
  }

  @Test
  void notInExcludesMissingNullAndListedValues() {
    assertEquals(
        List.of("f", "c", "d"), run(from("c").setWhere(f("n", NOT_IN, list(i(1), d(2.5))))));
  }

  @Test
  void notInWithNullInTheListMatchesNothing() {
    assertEquals(List.of(), run(from("c").setWhere(f("n", NOT_IN, list(nul(), i(1))))));
  }

  @Test
  void inMatchesAnyListedValueIncludingNull() {
    assertEquals(
        List.of("a", "d", "e"), run(from("c").setWhere(f("n", IN, list(d(1.0), s("3"), nul())))));
  }

  @Test
  void isNullMatchesOnlyPresentNulls() {
    assertEquals(List.of("e"), run(from("c").setWhere(u("n", IS_NULL))));
  }

  @Test
  void isNanMatchesOnlyNan() {
    assertEquals(List.of("f"), run(from("c").setWhere(u("n", IS_NAN))));
  }

  @Test
  void isNotNullMatchesPresentNonNullValues() {
    assertEquals(List.of("f", "a", "b", "c", "d"), run(from("c").setWhere(u("n", IS_NOT_NULL))));
  }

  @Test
  void isNotNanExcludesNanNullAndMissing() {
    assertEquals(List.of("a", "b", "c", "d"), run(from("c").setWhere(u("n", IS_NOT_NAN))));
  }

  @Test
  void arrayContainsMatchesAnElement() {
    List<Document> docs =
        List.of(
            doc("c/a", "t", arr(s("x"), i(1))),
            doc("c/b", "t", arr(s("y"))),
            doc("c/c", "t", s("x")));
    assertEquals(List.of("a"), run(from("c").setWhere(f("t", ARRAY_CONTAINS, s("x"))), docs));
    assertEquals(List.of("a"), run(from("c").setWhere(f("t", ARRAY_CONTAINS, d(1.0))), docs));
  }

  @Test
  void arrayContainsAnyMatchesAnyListedElement() {
    List<Document> docs =
        List.of(
            doc("c/a", "t", arr(s("x"))),
            doc("c/b", "t", arr(s("y"))),
            doc("c/c", "t", arr(s("z"))));
    assertEquals(
        List.of("a", "b"),
        run(from("c").setWhere(f("t", ARRAY_CONTAINS_ANY, list(s("x"), s("y")))), docs));
  }

  @Test
  void orFilterMatchesEitherBranch() {
    assertEquals(
        List.of("a", "d"), run(from("c").setWhere(or(f("n", EQUAL, i(1)), f("n", EQUAL, s("3"))))));
  }

  @Test
  void nestedAndInsideOr() {
    assertEquals(
        List.of("c", "e"),
        run(
            from("c")
                .setWhere(or(and(f("tag", EQUAL, s("x")), f("n", EQUAL, i(3))), u("n", IS_NULL)))));
  }

  @Test
  void nestedFieldPathsFilter() {
    List<Document> docs =
        List.of(
            doc("c/a", "by", map("uid", s("u1"))),
            doc("c/b", "by", map("uid", s("u2"))),
            doc("c/c", "by.uid", s("u1")));
    assertEquals(List.of("a"), run(from("c").setWhere(f("by.uid", EQUAL, s("u1"))), docs));
    assertEquals(List.of("c"), run(from("c").setWhere(f("`by.uid`", EQUAL, s("u1"))), docs));
  }

  @Test
  void orderByExcludesDocumentsLackingTheField() {
    assertEquals(List.of("e", "f", "a", "b", "c", "d"), run(from("c").addOrderBy(asc("n"))));
  }

  @Test
  void orderByDescendingBreaksTiesByNameDescending() {
    List<Document> docs =
        List.of(doc("c/a", "n", i(1)), doc("c/b", "n", i(1)), doc("c/c", "n", i(2)));
    assertEquals(List.of("c", "b", "a"), run(from("c").addOrderBy(desc("n")), docs));
  }

  @Test
  void inequalityFieldIsImplicitlyOrderedAfterExplicitOrders() {
    List<Document> docs =
        List.of(
            doc("c/a", "n", i(3), "m", i(1)),
            doc("c/b", "n", i(2), "m", i(1)),
            doc("c/c", "n", i(1), "m", i(0)));
    assertEquals(List.of("c", "b", "a"), run(from("c").setWhere(f("n", GREATER_THAN, i(0))), docs));
    assertEquals(
        List.of("c", "b", "a"),
        run(from("c").setWhere(f("n", GREATER_THAN, i(0))).addOrderBy(asc("m")), docs));
  }

  @Test
  void multipleInequalityFieldsAreOrderedLexicographically() {
    List<Document> docs =
        List.of(doc("c/a", "a", i(2), "b", i(1)), doc("c/b", "a", i(1), "b", i(2)));
    assertEquals(
        List.of("b", "a"),
        run(from("c").setWhere(and(f("b", GREATER_THAN, i(0)), f("a", GREATER_THAN, i(0)))), docs));
  }

  @Test
  void implicitOrdersFollowTheLastExplicitDirection() {
    List<Document> docs =
        List.of(doc("c/a", "m", i(1), "n", i(1)), doc("c/b", "m", i(1), "n", i(2)));
    assertEquals(
        List.of("b", "a"),
        run(from("c").setWhere(f("n", GREATER_THAN, i(0))).addOrderBy(desc("m")), docs));
  }

  @Test
  void orderByNameDescending() {
    assertEquals(
        List.of("g", "f", "e"), run(from("c").addOrderBy(desc("__name__")).setLimit(limit(3))));
  }

  @Test
  void nameFilterWithReferences() {
    assertEquals(List.of("b"), run(from("c").setWhere(f("__name__", EQUAL, ref("c/b")))));
    assertEquals(
        List.of("f", "g"), run(from("c").setWhere(f("__name__", GREATER_THAN, ref("c/e")))));
    assertEquals(
        List.of("a", "c"),
        run(from("c").setWhere(f("__name__", IN, list(ref("c/a"), ref("c/c"))))));
  }

  @Test
  void nameFilterWithAStringIsRejected() {
    assertEquals(
        Status.Code.INVALID_ARGUMENT, rejection(from("c").setWhere(f("__name__", EQUAL, s("a")))));
  }

  @Test
  void startAtIsInclusiveAndStartAfterExclusive() {
    StructuredQuery.Builder q = from("c").setWhere(f("n", GREATER_THAN, i(0)));
    assertEquals(List.of("b", "c"), run(q.clone().setStartAt(cursor(true, d(2.5)))));
    assertEquals(List.of("c"), run(q.clone().setStartAt(cursor(false, d(2.5)))));
  }

  @Test
  void endAtIsInclusiveAndEndBeforeExclusive() {
    StructuredQuery.Builder q = from("c").setWhere(f("n", GREATER_THAN, i(0)));
    assertEquals(List.of("a", "b"), run(q.clone().setEndAt(cursor(false, d(2.5)))));
    assertEquals(List.of("a"), run(q.clone().setEndAt(cursor(true, d(2.5)))));
  }

  @Test
  void cursorWithAPrefixOfTheOrderingCoversAllTies() {
    List<Document> docs =
        List.of(
            doc("c/a", "n", i(1)),
            doc("c/b", "n", i(2)),
            doc("c/c", "n", i(2)),
            doc("c/d", "n", i(3)));
    assertEquals(
        List.of("d"), run(from("c").addOrderBy(asc("n")).setStartAt(cursor(false, i(2))), docs));
    assertEquals(
        List.of("b", "c", "d"),
        run(from("c").addOrderBy(asc("n")).setStartAt(cursor(true, i(2))), docs));
  }

  @Test
  void snapshotCursorUsesTheNameToBreakTies() {
    List<Document> docs =
        List.of(
            doc("c/a", "n", i(1)),
            doc("c/b", "n", i(2)),
            doc("c/c", "n", i(2)),
            doc("c/d", "n", i(3)));
    assertEquals(
        List.of("c", "d"),
        run(
            from("c")
                .addOrderBy(asc("n"))
                .addOrderBy(asc("__name__"))
                .setStartAt(cursor(false, i(2), ref("c/b"))),
            docs));
  }

  @Test
  void cursorOnDescendingOrderFollowsTheQueryDirection() {
    List<Document> docs =
        List.of(doc("c/a", "n", i(1)), doc("c/b", "n", i(2)), doc("c/c", "n", i(3)));
    assertEquals(
        List.of("b", "a"),
        run(from("c").addOrderBy(desc("n")).setStartAt(cursor(true, i(2))), docs));
  }

  @Test
  void limitToLastAsClientsSendItReversedReturnsTheTail() {
    // Client: orderBy(n asc).endAt(3).limitToLast(2) -> orderBy(n desc, __name__
    // desc).startAt(3).limit(2)
    List<Document> docs =
        List.of(
            doc("c/a", "n", i(1)),
            doc("c/b", "n", i(2)),
            doc("c/c", "n", i(3)),
            doc("c/d", "n", i(4)));
    List<String> got =
        new ArrayList<>(
            run(
                from("c")
                    .addOrderBy(desc("n"))
                    .addOrderBy(desc("__name__"))
                    .setStartAt(cursor(true, i(3)))
                    .setLimit(limit(2)),
                docs));
    assertEquals(List.of("c", "b"), got);
  }

  @Test
  void tooManyCursorValuesAreRejected() {
    assertEquals(
        Status.Code.INVALID_ARGUMENT,
        rejection(from("c").setStartAt(cursor(true, ref("c/a"), i(1)))));
  }

  @Test
  void offsetSkipsBeforeLimit() {
    assertEquals(List.of("c", "d"), run(from("c").setOffset(2).setLimit(limit(2))));
  }

  @Test
  void selectReturnsOnlyTheListedFields() {
    List<Document> docs = List.of(doc("c/a", "x", i(1), "m", map("p", i(2), "q", i(3))));
    StructuredQuery.Builder q =
        from("c")
            .setSelect(
                StructuredQuery.Projection.newBuilder()
                    .addFields(field("m.p"))
                    .addFields(field("missing")));
    assertEquals(
        fields("m", map("p", i(2))), QueryEngine.run(ROOT, q.build(), docs).get(0).getFieldsMap());
  }

  @Test
  void selectOfNameOnlyReturnsDocumentsWithoutFields() {
    StructuredQuery.Builder q =
        from("c").setSelect(StructuredQuery.Projection.newBuilder().addFields(field("__name__")));
    List<Document> got = QueryEngine.run(ROOT, q.build(), NUMBERS);
    assertEquals(7, got.size());
    assertTrue(got.stream().allMatch(d -> d.getFieldsCount() == 0 && d.hasUpdateTime()));
  }

  @Test
  void emptyInListIsRejected() {
    assertEquals(Status.Code.INVALID_ARGUMENT, rejection(from("c").setWhere(f("n", IN, list()))));
  }

  @Test
  void moreThanThirtyDisjunctionsAreRejected() {
    Value[] values = new Value[31];
    for (int k = 0; k < values.length; k++) {
      values[k] = i(k);
    }
    assertEquals(
        Status.Code.INVALID_ARGUMENT, rejection(from("c").setWhere(f("n", IN, list(values)))));
    Value[] six = {i(1), i(2), i(3), i(4), i(5), i(6)};
    assertEquals(
        Status.Code.INVALID_ARGUMENT,
        rejection(from("c").setWhere(and(f("n", IN, list(six)), f("tag", IN, list(six))))));
  }

  @Test
  void thirtyInValuesAreAccepted() {
    Value[] values = new Value[30];
    for (int k = 0; k < values.length; k++) {
      values[k] = i(k);
    }
    assertEquals(List.of("a", "c"), run(from("c").setWhere(f("n", IN, list(values)))));
  }

  @Test
  void notInWithMoreThanTenValuesIsRejected() {
    Value[] values = new Value[11];
    for (int k = 0; k < values.length; k++) {
      values[k] = i(k);
    }
    assertEquals(
        Status.Code.INVALID_ARGUMENT, rejection(from("c").setWhere(f("n", NOT_IN, list(values)))));
  }

  @Test
  void notInCombinedWithNotEqualIsRejected() {
    assertEquals(
        Status.Code.INVALID_ARGUMENT,
        rejection(
            from("c").setWhere(and(f("n", NOT_IN, list(i(1))), f("tag", NOT_EQUAL, s("x"))))));
  }

  @Test
  void matchesIgnoresLimitAndCursorsButAppliesScopeFilterAndOrder() {
    StructuredQuery q =
        from("c").setWhere(f("tag", EQUAL, s("x"))).addOrderBy(asc("n")).setLimit(limit(0)).build();
    assertTrue(QueryEngine.matches(ROOT, q, doc("c/z", "tag", s("x"), "n", i(9))));
    assertFalse(QueryEngine.matches(ROOT, q, doc("c/z", "tag", s("x"))));
    assertFalse(QueryEngine.matches(ROOT, q, doc("d/z", "tag", s("x"), "n", i(9))));
  }

  @Test
  void twoArrayContainsFiltersInOneDisjunctionAreRejected() {
    assertEquals(
        Status.Code.INVALID_ARGUMENT,
        rejection(
            from("c")
                .setWhere(
                    and(
                        f("t", ARRAY_CONTAINS, s("x")),
                        f("u", ARRAY_CONTAINS_ANY, list(s("y")))))));
  }

  @Test
  void arrayContainsInSeparateOrBranchesIsAllowed() {
    List<Document> docs =
        List.of(
            doc("c/a", "t", arr(s("x"))),
            doc("c/b", "u", arr(s("y"))),
            doc("c/c", "t", arr(s("z"))));
    assertEquals(
        List.of("a", "b"),
        run(
            from("c").setWhere(or(f("t", ARRAY_CONTAINS, s("x")), f("u", ARRAY_CONTAINS, s("y")))),
            docs));
  }

  @Test
  void cursorReferenceOutsideTheQueriedCollectionIsRejected() {
    assertEquals(
        Status.Code.INVALID_ARGUMENT,
        rejection(from("c").addOrderBy(asc("__name__")).setStartAt(cursor(true, ref("other/a")))));
  }

  @Test
  void parentThatIsACollectionIsRejected() {
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () -> QueryEngine.run(ROOT + "/only-collection", from("c").build(), NUMBERS));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
  }

  @Test
  void collectionGroupCursorMayBeAnyPathUnderTheParent() {
    List<Document> docs = List.of(doc("u/1/h/a"), doc("u/1/x/y/h/b"), doc("u/2/h/c"));
    assertEquals(
        List.of("a", "b"),
        run(
            group("h")
                .addOrderBy(asc("__name__"))
                .setStartAt(cursor(true, ref("u/1")))
                .setEndAt(cursor(false, ref("u/1\uf8ff"))),
            docs));
  }
}
