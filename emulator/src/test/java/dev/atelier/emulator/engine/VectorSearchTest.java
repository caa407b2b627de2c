package dev.atelier.emulator.engine;

import static com.google.firestore.v1.StructuredQuery.FieldFilter.Operator.*;
import static dev.atelier.emulator.engine.Q.*;
import static dev.atelier.emulator.engine.V.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.firestore.v1.Document;
import com.google.firestore.v1.StructuredQuery;
import com.google.firestore.v1.StructuredQuery.FindNearest;
import com.google.firestore.v1.StructuredQuery.FindNearest.DistanceMeasure;
import com.google.protobuf.DoubleValue;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class VectorSearchTest {
  private static final List<Document> DOCS =
      List.of(
          doc("c/a", "v", vector(0, 0), "k", s("x")),
          doc("c/b", "v", vector(3, 4), "k", s("x")),
          doc("c/c", "v", vector(1, 1), "k", s("y")),
          doc("c/d", "v", vector(1, 1, 1), "k", s("x")),
          doc("c/e", "v", arr(d(0), d(0)), "k", s("x")));

  private static FindNearest.Builder nearest(DistanceMeasure m, int limit, double... q) {
    return FindNearest.newBuilder()
        .setVectorField(field("v"))
        .setQueryVector(vector(q))
        .setDistanceMeasure(m)
        .setLimit(limit(limit));
  }

  private static List<String> ids(StructuredQuery.Builder q) {
    return QueryEngine.run(ROOT, q.build(), DOCS).stream()
        .map(d -> d.getName().substring(d.getName().lastIndexOf('/') + 1))
        .collect(Collectors.toList());
  }

  @Test
  void euclideanReturnsNearestFirstAmongVectorsOfTheSameDimension() {
    assertEquals(
        List.of("a", "c", "b"),
        ids(from("c").setFindNearest(nearest(DistanceMeasure.EUCLIDEAN, 10, 0, 0))));
  }

  @Test
  void filtersApplyBeforeTheSearchAndLimitCaps() {
    assertEquals(
        List.of("a"),
        ids(
            from("c")
                .setWhere(f("k", EQUAL, s("x")))
                .setFindNearest(nearest(DistanceMeasure.EUCLIDEAN, 1, 1, 1))));
  }

  @Test
  void dotProductReturnsLargestFirstAndThresholdIsAMinimum() {
    assertEquals(
        List.of("b", "c"),
        ids(
            from("c")
                .setFindNearest(
                    nearest(DistanceMeasure.DOT_PRODUCT, 10, 1, 1)
                        .setDistanceThreshold(DoubleValue.of(1)))));
  }

  @Test
  void distanceResultFieldCarriesTheDistance() {
    Document b =
        QueryEngine.run(
                ROOT,
                from("c")
                    .setFindNearest(
                        nearest(DistanceMeasure.EUCLIDEAN, 1, 3, 8).setDistanceResultField("dist"))
                    .build(),
                DOCS)
            .get(0);
    assertEquals(d(4), b.getFieldsMap().get("dist"));
  }

  @Test
  void missingLimitIsRejected() {
    FindNearest.Builder noLimit = nearest(DistanceMeasure.COSINE, 1, 1, 1).clearLimit();
    assertThrows(
        StatusRuntimeException.class,
        () -> QueryEngine.run(ROOT, from("c").setFindNearest(noLimit).build(), DOCS));
  }
}
