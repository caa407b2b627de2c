package dev.atelier.emulator.engine;

import com.google.firestore.v1.StructuredQuery;
import com.google.firestore.v1.StructuredQuery.Filter;
import com.google.firestore.v1.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a query's filters fix about every document it can return, for proving security rules ("rules
 * are not filters"). The filter is split into the conjunctions of its disjunctive normal form; in
 * each, a field compared with {@code ==} has one possible value, with {@code in} the listed values,
 * with IS_NULL null and with IS_NAN NaN. Other filters fix nothing. {@code __name__} is the field
 * path {@code ["__name__"]} with reference values.
 */
public final class QueryConstraints {
  private QueryConstraints() {}

  /** One OR branch: the possible values of each field it pins, by parsed field path. */
  public record Branch(Map<List<String>, List<Value>> candidates) {}

  /** The branches (one without candidates when the query has no filter). */
  public static List<Branch> branches(StructuredQuery query) {
    if (!query.hasWhere()) {
      return List.of(new Branch(Map.of()));
    }
    List<Branch> branches = new ArrayList<>();
    for (List<Filter> conjunction :
        Filters.disjunctiveNormalForm(query.getWhere(), Filters.MAX_DISJUNCTIONS)) {
      Map<List<String>, List<Value>> candidates = new LinkedHashMap<>();
      for (Filter leaf : conjunction) {
        pinned(leaf, candidates);
      }
      branches.add(new Branch(candidates));
    }
    return branches;
  }

  /** Field path syntax of the v1 API (dots, backticks) as segments. */
  public static List<String> fieldPath(String path) {
    return FieldPaths.parse(path);
  }

  private static void pinned(Filter leaf, Map<List<String>, List<Value>> candidates) {
    if (leaf.hasFieldFilter()) {
      StructuredQuery.FieldFilter f = leaf.getFieldFilter();
      List<String> path = FieldPaths.parse(f.getField().getFieldPath());
      switch (f.getOp()) {
        case EQUAL:
          if (!Values.isNaN(f.getValue())) {
            candidates.putIfAbsent(path, List.of(f.getValue()));
          }
          break;
        case IN:
          candidates.putIfAbsent(path, f.getValue().getArrayValue().getValuesList());
          break;
        default:
          break;
      }
    } else if (leaf.hasUnaryFilter()) {
      StructuredQuery.UnaryFilter f = leaf.getUnaryFilter();
      List<String> path = FieldPaths.parse(f.getField().getFieldPath());
      if (f.getOp() == StructuredQuery.UnaryFilter.Operator.IS_NULL) {
        candidates.putIfAbsent(path, List.of(Values.NULL));
      } else if (f.getOp() == StructuredQuery.UnaryFilter.Operator.IS_NAN) {
        candidates.putIfAbsent(path, List.of(Values.ofDouble(Double.NaN)));
      }
    }
  }
}
