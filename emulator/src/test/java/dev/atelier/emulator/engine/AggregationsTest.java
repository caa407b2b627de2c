package dev.atelier.emulator.engine;

import static com.google.firestore.v1.StructuredQuery.FieldFilter.Operator.*;
import static dev.atelier.emulator.engine.Q.*;
import static dev.atelier.emulator.engine.V.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.firestore.v1.Document;
import com.google.firestore.v1.StructuredAggregationQuery;
import com.google.firestore.v1.StructuredAggregationQuery.Aggregation;
import com.google.firestore.v1.StructuredQuery;
import com.google.firestore.v1.Value;
import com.google.protobuf.Int64Value;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AggregationsTest {
  private static final List<Document> DOCS =
      List.of(
          doc("c/a", "n", i(1), "k", s("x")),
          doc("c/b", "n", i(2), "k", s("x")),
          doc("c/c", "n", d(0.5), "k", s("y")),
          doc("c/d", "n", s("not a number"), "k", s("x")),
          doc("c/e", "k", s("x")));

  private static Aggregation count(String alias) {
    return Aggregation.newBuilder()
        .setAlias(alias)
        .setCount(Aggregation.Count.getDefaultInstance())
        .build();
  }

  private static Aggregation sum(String alias, String field) {
    return Aggregation.newBuilder()
        .setAlias(alias)
        .setSum(Aggregation.Sum.newBuilder().setField(field(field)))
        .build();
  }

  private static Aggregation avg(String alias, String field) {
    return Aggregation.newBuilder()
        .setAlias(alias)
        .setAvg(Aggregation.Avg.newBuilder().setField(field(field)))
        .build();
  }

  private static Map<String, Value> aggregate(
      StructuredQuery.Builder q, List<Document> docs, Aggregation... as) {
    return QueryEngine.aggregate(
        ROOT,
        StructuredAggregationQuery.newBuilder()
            .setStructuredQuery(q)
            .addAllAggregations(List.of(as))
            .build(),
        docs);
  }

  @Test
  void countCountsMatchingDocuments() {
    assertEquals(
        Map.of("n", i(4)), aggregate(from("c").setWhere(f("k", EQUAL, s("x"))), DOCS, count("n")));
  }

  @Test
  void countRespectsUpToAndTheQueryLimit() {
    Aggregation upTo2 =
        Aggregation.newBuilder()
            .setAlias("c")
            .setCount(Aggregation.Count.newBuilder().setUpTo(Int64Value.of(2)))
            .build();
    assertEquals(Map.of("c", i(2)), aggregate(from("c"), DOCS, upTo2));
    assertEquals(Map.of("c", i(3)), aggregate(from("c").setLimit(limit(3)), DOCS, count("c")));
  }

  @Test
  void sumOfIntegersStaysInteger() {
    assertEquals(
        Map.of("s", i(3)),
        aggregate(from("c").setWhere(f("k", EQUAL, s("x"))), DOCS, sum("s", "n")));
  }

  @Test
  void sumWithADoubleIsDoubleAndIgnoresNonNumbers() {
    assertEquals(Map.of("s", d(3.5)), aggregate(from("c"), DOCS, sum("s", "n")));
  }

  @Test
  void sumOverflowBecomesDouble() {
    List<Document> docs =
        List.of(doc("c/a", "n", i(Long.MAX_VALUE)), doc("c/b", "n", i(Long.MAX_VALUE)));
    assertEquals(Map.of("s", d(2.0 * Long.MAX_VALUE)), aggregate(from("c"), docs, sum("s", "n")));
  }

  @Test
  void sumOfNothingIsIntegerZero() {
    assertEquals(Map.of("s", i(0)), aggregate(from("c"), List.of(), sum("s", "n")));
  }

  @Test
  void avgIsDoubleOverNumericValues() {
    assertEquals(Map.of("a", d(3.5 / 3)), aggregate(from("c"), DOCS, avg("a", "n")));
  }

  @Test
  void avgOfNothingIsNull() {
    assertEquals(Map.of("a", nul()), aggregate(from("c"), DOCS, avg("a", "missing")));
  }

  @Test
  void missingAliasDefaultsToFieldN() {
    assertEquals(
        Map.of("field_1", i(5), "field_2", i(5)), aggregate(from("c"), DOCS, count(""), count("")));
  }

  @Test
  void moreThanFiveAggregationsAreRejected() {
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                aggregate(
                    from("c"),
                    DOCS,
                    count("a"),
                    count("b"),
                    count("c"),
                    count("d"),
                    count("e"),
                    count("f")));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
  }
}
