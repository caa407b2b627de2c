package dev.atelier.emulator.engine;

import static com.google.firestore.v1.StructuredQuery.FieldFilter.Operator.*;
import static dev.atelier.emulator.engine.Q.*;
import static dev.atelier.emulator.engine.V.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.firestore.v1.StructuredQuery;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IndexRulesTest {
  private static final IndexRules NONE =
      IndexRules.fromJson("{\"indexes\":[],\"fieldOverrides\":[]}");

  private static final StructuredQuery PUBLIC_FEED =
      from("generations")
          .setWhere(f("isPublic", EQUAL, bool(true)))
          .addOrderBy(desc("createdAt"))
          .build();

  private static IndexRules rules(String json) {
    return IndexRules.fromJson(json);
  }

  @Test
  void permissiveAllowsEverything() {
    assertEquals(
        Optional.empty(), IndexRules.permissive().missingIndex("generations", false, PUBLIC_FEED));
  }

  @Test
  void equalityPlusOrderNeedsACompositeAndTheMessageSaysWhatToDeclare() {
    assertEquals(
        Optional.of(
            "The query requires an index. Add to firestore.indexes.json: {\"collectionGroup\":\"generations\","
                + "\"queryScope\":\"COLLECTION\",\"fields\":[{\"fieldPath\":\"isPublic\",\"order\":\"ASCENDING\"},"
                + "{\"fieldPath\":\"createdAt\",\"order\":\"DESCENDING\"}]}"),
        NONE.missingIndex("generations", false, PUBLIC_FEED));
  }

  @Test
  void declaredCompositeServesTheQuery() {
    IndexRules r =
        rules(
            "{\"indexes\":[{\"collectionGroup\":\"generations\",\"queryScope\":\"COLLECTION\",\"fields\":["
                + "{\"fieldPath\":\"isPublic\",\"order\":\"ASCENDING\"},{\"fieldPath\":\"createdAt\",\"order\":\"DESCENDING\"}]}]}");
    assertEquals(Optional.empty(), r.missingIndex("generations", false, PUBLIC_FEED));
  }

  @Test
  void compositeWithAMixedUpDirectionDoesNotServe() {
    IndexRules r =
        rules(
            "{\"indexes\":[{\"collectionGroup\":\"generations\",\"queryScope\":\"COLLECTION\",\"fields\":["
                + "{\"fieldPath\":\"isPublic\",\"order\":\"ASCENDING\"},{\"fieldPath\":\"createdAt\",\"order\":\"ASCENDING\"},"
                + "{\"fieldPath\":\"score\",\"order\":\"ASCENDING\"}]}]}");
    StructuredQuery q =
        from("generations")
            .setWhere(f("isPublic", EQUAL, bool(true)))
            .addOrderBy(desc("createdAt"))
            .addOrderBy(asc("score"))
            .build();
    assertTrue(r.missingIndex("generations", false, q).isPresent());
  }

  @Test
  void compositeServesTheFullyReversedOrderThatLimitToLastSends() {
    IndexRules r =
        rules(
            "{\"indexes\":[{\"collectionGroup\":\"generations\",\"queryScope\":\"COLLECTION\",\"fields\":["
                + "{\"fieldPath\":\"isPublic\",\"order\":\"ASCENDING\"},{\"fieldPath\":\"createdAt\",\"order\":\"ASCENDING\"}]}]}");
    assertEquals(Optional.empty(), r.missingIndex("generations", false, PUBLIC_FEED));
  }

  @Test
  void compositeOfAnotherCollectionDoesNotServe() {
    IndexRules r =
        rules(
            "{\"indexes\":[{\"collectionGroup\":\"other\",\"queryScope\":\"COLLECTION\",\"fields\":["
                + "{\"fieldPath\":\"isPublic\",\"order\":\"ASCENDING\"},{\"fieldPath\":\"createdAt\",\"order\":\"DESCENDING\"}]}]}");
    assertTrue(r.missingIndex("generations", false, PUBLIC_FEED).isPresent());
  }

  @Test
  void equalityOnlyQueriesAreServedByMergingSingleFieldIndexes() {
    StructuredQuery q =
        from("c")
            .setWhere(and(f("a", EQUAL, i(1)), f("b", EQUAL, i(2)), f("t", ARRAY_CONTAINS, s("x"))))
            .build();
    assertEquals(Optional.empty(), NONE.missingIndex("c", false, q));
  }

  @Test
  void oneRangeOrOrderFieldAloneNeedsNoComposite() {
    assertEquals(
        Optional.empty(),
        NONE.missingIndex("c", false, from("c").setWhere(f("n", GREATER_THAN, i(1))).build()));
    assertEquals(
        Optional.empty(), NONE.missingIndex("c", false, from("c").addOrderBy(desc("n")).build()));
    assertEquals(
        Optional.empty(),
        NONE.missingIndex(
            "c",
            false,
            from("c").setWhere(f("n", GREATER_THAN, i(1))).addOrderBy(asc("n")).build()));
  }

  @Test
  void twoOrderFieldsNeedAComposite() {
    assertTrue(
        NONE.missingIndex("c", false, from("c").addOrderBy(asc("a")).addOrderBy(asc("b")).build())
            .isPresent());
  }

  @Test
  void orderByAnEqualityFilteredFieldNeedsNoComposite() {
    StructuredQuery q = from("c").setWhere(f("a", EQUAL, i(1))).addOrderBy(asc("a")).build();
    assertEquals(Optional.empty(), NONE.missingIndex("c", false, q));
  }

  @Test
  void arrayContainsWithOrderNeedsACompositeWithAContainsEntry() {
    StructuredQuery q =
        from("c").setWhere(f("tags", ARRAY_CONTAINS, s("x"))).addOrderBy(asc("at")).build();
    String message = NONE.missingIndex("c", false, q).orElseThrow();
    assertTrue(
        message.contains(
            "{\"fieldPath\":\"tags\",\"arrayConfig\":\"CONTAINS\"},{\"fieldPath\":\"at\",\"order\":\"ASCENDING\"}"),
        message);
  }

  @Test
  void equalityWithRangeNeedsACompositeWithTheRangeFieldLast() {
    StructuredQuery q =
        from("c").setWhere(and(f("n", LESS_THAN, i(5)), f("a", EQUAL, s("x")))).build();
    String message = NONE.missingIndex("c", false, q).orElseThrow();
    assertTrue(
        message.endsWith(
            "[{\"fieldPath\":\"a\",\"order\":\"ASCENDING\"},{\"fieldPath\":\"n\",\"order\":\"ASCENDING\"}]}"),
        message);
  }

  @Test
  void equalityFieldsMayBeDeclaredInAnyOrderAndTrailingNameIsIgnored() {
    IndexRules r =
        rules(
            "{\"indexes\":[{\"collectionGroup\":\"c\",\"queryScope\":\"COLLECTION\",\"fields\":["
                + "{\"fieldPath\":\"b\",\"order\":\"DESCENDING\"},{\"fieldPath\":\"a\",\"order\":\"ASCENDING\"},"
                + "{\"fieldPath\":\"n\",\"order\":\"ASCENDING\"},{\"fieldPath\":\"__name__\",\"order\":\"ASCENDING\"}]}]}");
    StructuredQuery q =
        from("c")
            .setWhere(and(f("a", EQUAL, i(1)), f("b", EQUAL, i(1))))
            .addOrderBy(asc("n"))
            .build();
    assertEquals(Optional.empty(), r.missingIndex("c", false, q));
  }

  @Test
  void compositesSharingTheOrderSuffixMerge() {
    IndexRules r =
        rules(
            "{\"indexes\":["
                + "{\"collectionGroup\":\"c\",\"queryScope\":\"COLLECTION\",\"fields\":[{\"fieldPath\":\"a\",\"order\":\"ASCENDING\"},{\"fieldPath\":\"n\",\"order\":\"ASCENDING\"}]},"
                + "{\"collectionGroup\":\"c\",\"queryScope\":\"COLLECTION\",\"fields\":[{\"fieldPath\":\"b\",\"order\":\"ASCENDING\"},{\"fieldPath\":\"n\",\"order\":\"ASCENDING\"}]}]}");
    StructuredQuery q =
        from("c")
            .setWhere(and(f("a", EQUAL, i(1)), f("b", EQUAL, i(1))))
            .addOrderBy(asc("n"))
            .build();
    assertEquals(Optional.empty(), r.missingIndex("c", false, q));
  }

  @Test
  void collectionGroupQueryNeedsACollectionGroupSingleFieldIndex() {
    StructuredQuery q = group("h").setWhere(f("uid", EQUAL, s("u"))).build();
    String message = NONE.missingIndex("h", true, q).orElseThrow();
    assertTrue(
        message.contains("COLLECTION_GROUP_ASC index for collection h and field uid"), message);
    IndexRules r =
        rules(
            "{\"fieldOverrides\":[{\"collectionGroup\":\"h\",\"fieldPath\":\"uid\",\"indexes\":["
                + "{\"order\":\"ASCENDING\",\"queryScope\":\"COLLECTION\"},{\"order\":\"ASCENDING\",\"queryScope\":\"COLLECTION_GROUP\"}]}]}");
    assertEquals(Optional.empty(), r.missingIndex("h", true, q));
  }

  @Test
  void collectionGroupQueryWithoutFiltersNeedsNoIndex() {
    assertEquals(Optional.empty(), NONE.missingIndex("h", true, group("h").build()));
  }

  @Test
  void collectionGroupCompositeNeedsCollectionGroupScope() {
    String fields =
        "\"fields\":[{\"fieldPath\":\"uid\",\"order\":\"ASCENDING\"},{\"fieldPath\":\"at\",\"order\":\"DESCENDING\"}]";
    StructuredQuery q = group("h").setWhere(f("uid", EQUAL, s("u"))).addOrderBy(desc("at")).build();
    IndexRules collectionScoped =
        rules(
            "{\"indexes\":[{\"collectionGroup\":\"h\",\"queryScope\":\"COLLECTION\","
                + fields
                + "}]}");
    IndexRules groupScoped =
        rules(
            "{\"indexes\":[{\"collectionGroup\":\"h\",\"queryScope\":\"COLLECTION_GROUP\","
                + fields
                + "}]}");
    assertTrue(
        collectionScoped
            .missingIndex("h", true, q)
            .orElseThrow()
            .contains("\"queryScope\":\"COLLECTION_GROUP\""));
    assertEquals(Optional.empty(), groupScoped.missingIndex("h", true, q));
  }

  @Test
  void fieldOverrideWithoutIndexesExemptsTheFieldFromAutomaticIndexing() {
    IndexRules r =
        rules(
            "{\"fieldOverrides\":[{\"collectionGroup\":\"c\",\"fieldPath\":\"blob\",\"indexes\":[]}]}");
    assertTrue(r.missingIndex("c", false, from("c").addOrderBy(asc("blob")).build()).isPresent());
    assertEquals(
        Optional.empty(), r.missingIndex("c", false, from("c").addOrderBy(asc("other")).build()));
  }

  @Test
  void eachOrBranchMustBeServableWithTheQuerysImplicitOrder() {
    // The inequality on n orders the whole query by n, so the branch a == 1 needs (a, n) too.
    StructuredQuery q =
        from("c")
            .setWhere(or(f("a", EQUAL, i(1)), and(f("b", EQUAL, i(1)), f("n", GREATER_THAN, i(0)))))
            .build();
    String first = NONE.missingIndex("c", false, q).orElseThrow();
    assertTrue(
        first.contains("[{\"fieldPath\":\"a\",\"order\":\"ASCENDING\"},{\"fieldPath\":\"n\""),
        first);
    IndexRules withA =
        rules(
            "{\"indexes\":[{\"collectionGroup\":\"c\",\"queryScope\":\"COLLECTION\",\"fields\":["
                + "{\"fieldPath\":\"a\",\"order\":\"ASCENDING\"},{\"fieldPath\":\"n\",\"order\":\"ASCENDING\"}]}]}");
    String second = withA.missingIndex("c", false, q).orElseThrow();
    assertTrue(
        second.contains("[{\"fieldPath\":\"b\",\"order\":\"ASCENDING\"},{\"fieldPath\":\"n\""),
        second);
  }

  @Test
  void nameFiltersNeedNoIndex() {
    StructuredQuery q =
        from("c")
            .setWhere(and(f("__name__", GREATER_THAN, ref("c/a")), f("a", EQUAL, i(1))))
            .build();
    // a == 1 with __name__ range: the equality index is ordered by __name__ already.
    assertEquals(Optional.empty(), NONE.missingIndex("c", false, q));
  }

  @Test
  void malformedIndexFileIsReportedAsAnArgumentError() {
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class,
        () -> IndexRules.fromJson("{\"indexes\":[{\"fields\":[1]}]}"));
  }

  private static com.google.firestore.v1.StructuredAggregationQuery sumOf(
      StructuredQuery q, String field) {
    com.google.firestore.v1.StructuredAggregationQuery.Aggregation sum =
        com.google.firestore.v1.StructuredAggregationQuery.Aggregation.newBuilder()
            .setAlias("s")
            .setSum(
                com.google.firestore.v1.StructuredAggregationQuery.Aggregation.Sum.newBuilder()
                    .setField(field(field)))
            .build();
    return com.google.firestore.v1.StructuredAggregationQuery.newBuilder()
        .setStructuredQuery(q)
        .addAggregations(sum)
        .build();
  }

  @Test
  void sumOverAnotherFieldOfAFilteredQueryNeedsTheFieldInTheIndex() {
    StructuredQuery q = from("trips").setWhere(f("type", EQUAL, s("moto"))).build();
    String message = NONE.missingIndex("trips", false, sumOf(q, "distance")).orElseThrow();
    assertTrue(
        message.endsWith(
            "[{\"fieldPath\":\"type\",\"order\":\"ASCENDING\"},{\"fieldPath\":\"distance\",\"order\":\"ASCENDING\"}]}"),
        message);
  }

  @Test
  void sumWithoutFiltersOrOfTheFilteredFieldNeedsNoComposite() {
    assertEquals(
        Optional.empty(),
        NONE.missingIndex("trips", false, sumOf(from("trips").build(), "distance")));
    StructuredQuery q = from("trips").setWhere(f("distance", GREATER_THAN, i(1))).build();
    assertEquals(Optional.empty(), NONE.missingIndex("trips", false, sumOf(q, "distance")));
  }
}
