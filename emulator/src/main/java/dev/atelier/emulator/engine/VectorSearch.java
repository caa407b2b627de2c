package dev.atelier.emulator.engine;

import com.google.firestore.v1.Document;
import com.google.firestore.v1.StructuredQuery.FindNearest;
import com.google.firestore.v1.Value;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * find_nearest as production documents it: among the filtered documents whose vector field holds a
 * vector of the query vector's dimension, the nearest {@code limit} by EUCLIDEAN or COSINE distance
 * (ascending) or DOT_PRODUCT (descending), optionally cut at distance_threshold, with the distance
 * written to distance_result_field.
 */
final class VectorSearch {
  private VectorSearch() {}

  static final int MAX_LIMIT = 1000;

  record Hit(Document doc, double distance) {}

  static void validate(FindNearest fn) {
    if (!fn.hasQueryVector() || !Values.isVector(fn.getQueryVector())) {
      throw Filters.invalid("find_nearest needs a vector query_vector.");
    }
    if (vector(fn.getQueryVector()).length == 0) {
      throw Filters.invalid("find_nearest query_vector must not be empty.");
    }
    if (!fn.hasLimit() || fn.getLimit().getValue() < 1 || fn.getLimit().getValue() > MAX_LIMIT) {
      throw Filters.invalid("find_nearest limit must be between 1 and " + MAX_LIMIT + ".");
    }
    switch (fn.getDistanceMeasure()) {
      case EUCLIDEAN:
      case COSINE:
      case DOT_PRODUCT:
        break;
      default:
        throw Filters.invalid(
            "find_nearest needs a distance_measure (EUCLIDEAN, COSINE or DOT_PRODUCT).");
    }
    FieldPaths.parse(fn.getVectorField().getFieldPath());
  }

  static Stream<Hit> nearest(FindNearest fn, Stream<Document> candidates) {
    double[] query = vector(fn.getQueryVector());
    List<String> field = FieldPaths.parse(fn.getVectorField().getFieldPath());
    boolean similarity = fn.getDistanceMeasure() == FindNearest.DistanceMeasure.DOT_PRODUCT;
    Comparator<Hit> byDistance = Comparator.comparingDouble(Hit::distance);
    return candidates
        .flatMap(d -> hit(fn, d, field, query).stream())
        .filter(
            h ->
                !fn.hasDistanceThreshold()
                    || (similarity
                        ? h.distance() >= fn.getDistanceThreshold().getValue()
                        : h.distance() <= fn.getDistanceThreshold().getValue()))
        .sorted(similarity ? byDistance.reversed() : byDistance)
        .limit(fn.getLimit().getValue());
  }

  private static Optional<Hit> hit(FindNearest fn, Document d, List<String> field, double[] query) {
    Optional<Value> v =
        FieldPaths.get(d.getFieldsMap(), field).filter(x -> x.hasMapValue() && Values.isVector(x));
    if (v.isEmpty()) {
      return Optional.empty();
    }
    double[] x = vector(v.get());
    if (x.length != query.length) {
      return Optional.empty();
    }
    double dot = 0;
    double squares = 0;
    double normX = 0;
    double normQ = 0;
    for (int i = 0; i < x.length; i++) {
      dot += x[i] * query[i];
      squares += (x[i] - query[i]) * (x[i] - query[i]);
      normX += x[i] * x[i];
      normQ += query[i] * query[i];
    }
    switch (fn.getDistanceMeasure()) {
      case EUCLIDEAN:
        return Optional.of(new Hit(d, Math.sqrt(squares)));
      case COSINE:
        if (normX == 0 || normQ == 0) {
          return Optional.empty();
        }
        return Optional.of(new Hit(d, 1 - dot / (Math.sqrt(normX) * Math.sqrt(normQ))));
      default:
        return Optional.of(new Hit(d, dot));
    }
  }

  /** The (projected) result document with the distance in distance_result_field, if asked. */
  static Document withDistance(FindNearest fn, Document doc, double distance) {
    if (fn.getDistanceResultField().isEmpty()) {
      return doc;
    }
    Map<String, Value> fields = new LinkedHashMap<>(doc.getFieldsMap());
    FieldPaths.set(
        fields, FieldPaths.parse(fn.getDistanceResultField()), Values.ofDouble(distance));
    return doc.toBuilder().clearFields().putAllFields(fields).build();
  }

  private static double[] vector(Value v) {
    Value values = v.getMapValue().getFieldsMap().get("value");
    List<Value> list = values == null ? List.of() : values.getArrayValue().getValuesList();
    return list.stream().mapToDouble(FieldTransforms::toDouble).toArray();
  }
}
