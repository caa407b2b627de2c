package dev.atelier.emulator.engine;

import com.google.firestore.v1.Document;
import com.google.firestore.v1.StructuredQuery.CompositeFilter;
import com.google.firestore.v1.StructuredQuery.FieldFilter;
import com.google.firestore.v1.StructuredQuery.Filter;
import com.google.firestore.v1.StructuredQuery.UnaryFilter;
import com.google.firestore.v1.Value;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Filter validation and evaluation with production's semantics (mirrored by the client SDKs' local
 * query engines):
 *
 * <ul>
 *   <li>range filters ({@code < <= > >=}) only match values of the filter value's type class
 *       (integers and doubles are one class);
 *   <li>{@code !=}, {@code not-in}, IS_NOT_NULL and IS_NOT_NAN never match a missing field or a
 *       null value; a {@code not-in} list containing null matches nothing;
 *   <li>{@code ==} with NaN never matches (clients send IS_NAN instead); IS_NULL/IS_NAN match only
 *       a present null/NaN;
 *   <li>{@code in}/{@code array-contains-any} take a non-empty array; a query may have at most 30
 *       disjunctions in disjunctive normal form; {@code not-in} takes at most 10 values and does
 *       not combine with another not-in, {@code !=}, {@code in} or {@code array-contains-any}; each
 *       disjunction may hold at most one {@code array-contains}/{@code array-contains-any}; filters
 *       on {@code __name__} compare reference values only.
 * </ul>
 */
final class Filters {
  private Filters() {}

  static final int MAX_DISJUNCTIONS = 30;
  static final int MAX_NOT_IN_VALUES = 10;

  private static final Set<FieldFilter.Operator> INEQUALITIES =
      EnumSet.of(
          FieldFilter.Operator.LESS_THAN,
          FieldFilter.Operator.LESS_THAN_OR_EQUAL,
          FieldFilter.Operator.GREATER_THAN,
          FieldFilter.Operator.GREATER_THAN_OR_EQUAL,
          FieldFilter.Operator.NOT_EQUAL,
          FieldFilter.Operator.NOT_IN);

  /** The value a filter or ordering sees at {@code path}: the document's name for __name__. */
  static Optional<Value> valueAt(Document doc, List<String> path) {
    if (path.size() == 1 && path.get(0).equals(FieldPaths.DOCUMENT_ID)) {
      return Optional.of(Values.ofReference(doc.getName()));
    }
    return FieldPaths.get(doc.getFieldsMap(), path);
  }

  static boolean isDocumentId(List<String> path) {
    return path.size() == 1 && path.get(0).equals(FieldPaths.DOCUMENT_ID);
  }

  /** Every leaf filter of the tree (field and unary filters), depth first. */
  static List<Filter> leaves(Filter filter) {
    List<Filter> out = new ArrayList<>();
    collectLeaves(filter, out);
    return out;
  }

  private static void collectLeaves(Filter f, List<Filter> out) {
    if (f.hasCompositeFilter()) {
      for (Filter child : f.getCompositeFilter().getFiltersList()) {
        collectLeaves(child, out);
      }
    } else if (f.hasFieldFilter() || f.hasUnaryFilter()) {
      out.add(f);
    }
  }

  /** Whether the leaf restricts its field to a range (needs an ordering on that field). */
  static boolean isInequality(Filter leaf) {
    if (leaf.hasFieldFilter()) {
      return INEQUALITIES.contains(leaf.getFieldFilter().getOp());
    }
    UnaryFilter.Operator op = leaf.getUnaryFilter().getOp();
    return op == UnaryFilter.Operator.IS_NOT_NULL || op == UnaryFilter.Operator.IS_NOT_NAN;
  }

  static List<String> fieldOf(Filter leaf) {
    String path =
        leaf.hasFieldFilter()
            ? leaf.getFieldFilter().getField().getFieldPath()
            : leaf.getUnaryFilter().getField().getFieldPath();
    return FieldPaths.parse(path);
  }

  static void validate(Filter filter) {
    List<Filter> leaves = leaves(filter);
    List<FieldFilter.Operator> ops = new ArrayList<>();
    for (Filter leaf : leaves) {
      if (leaf.hasFieldFilter()) {
        validate(leaf.getFieldFilter());
        ops.add(leaf.getFieldFilter().getOp());
      } else {
        validate(leaf.getUnaryFilter());
      }
    }
    long notIn = ops.stream().filter(o -> o == FieldFilter.Operator.NOT_IN).count();
    if (notIn > 1) {
      throw invalid("A query can have at most one 'NOT_IN' filter.");
    }
    if (notIn == 1
        && ops.stream()
            .anyMatch(
                o ->
                    o == FieldFilter.Operator.NOT_EQUAL
                        || o == FieldFilter.Operator.IN
                        || o == FieldFilter.Operator.ARRAY_CONTAINS_ANY)) {
      throw invalid(
          "A 'NOT_IN' filter cannot be combined with 'NOT_EQUAL', 'IN' or 'ARRAY_CONTAINS_ANY' filters.");
    }
    if (notIn == 1 && containsOr(filter)) {
      throw invalid("A 'NOT_IN' filter cannot be combined with an OR filter.");
    }
    for (List<Filter> conjunction : disjunctiveNormalForm(filter, MAX_DISJUNCTIONS)) {
      long arrayFilters =
          conjunction.stream()
              .filter(Filter::hasFieldFilter)
              .map(l -> l.getFieldFilter().getOp())
              .filter(
                  o ->
                      o == FieldFilter.Operator.ARRAY_CONTAINS
                          || o == FieldFilter.Operator.ARRAY_CONTAINS_ANY)
              .count();
      if (arrayFilters > 1) {
        throw invalid(
            "A maximum of 1 'ARRAY_CONTAINS' or 'ARRAY_CONTAINS_ANY' filter is allowed per disjunction.");
      }
    }
    long disjunctions = disjunctions(filter);
    if (disjunctions > MAX_DISJUNCTIONS) {
      throw invalid(
          "The query contains "
              + disjunctions
              + " disjunctions in disjunctive normal form; at most "
              + MAX_DISJUNCTIONS
              + " are allowed.");
    }
  }

  private static boolean containsOr(Filter f) {
    return f.hasCompositeFilter()
        && (f.getCompositeFilter().getOp() == CompositeFilter.Operator.OR
            || f.getCompositeFilter().getFiltersList().stream().anyMatch(Filters::containsOr));
  }

  /** Size of the filter's disjunctive normal form; in / array-contains-any count per value. */
  private static long disjunctions(Filter f) {
    if (f.hasCompositeFilter()) {
      boolean or = f.getCompositeFilter().getOp() == CompositeFilter.Operator.OR;
      long n = or ? 0 : 1;
      for (Filter child : f.getCompositeFilter().getFiltersList()) {
        long c = disjunctions(child);
        n = or ? n + c : Math.min(n * c, Integer.MAX_VALUE);
      }
      return Math.max(n, 1);
    }
    if (f.hasFieldFilter()) {
      FieldFilter.Operator op = f.getFieldFilter().getOp();
      if (op == FieldFilter.Operator.IN || op == FieldFilter.Operator.ARRAY_CONTAINS_ANY) {
        return Math.max(1, f.getFieldFilter().getValue().getArrayValue().getValuesCount());
      }
    }
    return 1;
  }

  private static void validate(FieldFilter f) {
    List<String> path = FieldPaths.parse(f.getField().getFieldPath());
    Value value = f.getValue();
    switch (f.getOp()) {
      case IN:
      case NOT_IN:
      case ARRAY_CONTAINS_ANY:
        if (!value.hasArrayValue() || value.getArrayValue().getValuesCount() == 0) {
          throw invalid("A non-empty array is required for '" + f.getOp() + "' filters.");
        }
        if (f.getOp() == FieldFilter.Operator.NOT_IN
            && value.getArrayValue().getValuesCount() > MAX_NOT_IN_VALUES) {
          throw invalid("'NOT_IN' supports up to " + MAX_NOT_IN_VALUES + " comparison values.");
        }
        if (isDocumentId(path)) {
          if (f.getOp() == FieldFilter.Operator.ARRAY_CONTAINS_ANY) {
            throw invalid("'ARRAY_CONTAINS_ANY' cannot be used on __name__.");
          }
          value.getArrayValue().getValuesList().forEach(Filters::requireReference);
        }
        break;
      case ARRAY_CONTAINS:
        if (isDocumentId(path)) {
          throw invalid("'ARRAY_CONTAINS' cannot be used on __name__.");
        }
        break;
      case LESS_THAN:
      case LESS_THAN_OR_EQUAL:
      case GREATER_THAN:
      case GREATER_THAN_OR_EQUAL:
      case EQUAL:
      case NOT_EQUAL:
        if (isDocumentId(path)) {
          requireReference(value);
        }
        break;
      default:
        throw invalid("Unsupported field filter operator: " + f.getOp());
    }
  }

  private static void requireReference(Value v) {
    if (!v.hasReferenceValue()) {
      throw invalid(
          "__name__ filter value must be a document reference, got " + v.getValueTypeCase() + ".");
    }
  }

  private static void validate(UnaryFilter f) {
    FieldPaths.parse(f.getField().getFieldPath());
    switch (f.getOp()) {
      case IS_NULL:
      case IS_NAN:
      case IS_NOT_NULL:
      case IS_NOT_NAN:
        break;
      default:
        throw invalid("Unsupported unary filter operator: " + f.getOp());
    }
  }

  static boolean matches(Filter f, Document doc) {
    switch (f.getFilterTypeCase()) {
      case COMPOSITE_FILTER:
        CompositeFilter c = f.getCompositeFilter();
        if (c.getOp() == CompositeFilter.Operator.OR && c.getFiltersCount() > 0) {
          return c.getFiltersList().stream().anyMatch(child -> matches(child, doc));
        }
        return c.getFiltersList().stream().allMatch(child -> matches(child, doc));
      case FIELD_FILTER:
        return matches(f.getFieldFilter(), doc);
      case UNARY_FILTER:
        return matches(f.getUnaryFilter(), doc);
      default:
        return true;
    }
  }

  private static boolean matches(UnaryFilter f, Document doc) {
    Optional<Value> v = valueAt(doc, FieldPaths.parse(f.getField().getFieldPath()));
    if (v.isEmpty()) {
      return false;
    }
    Value value = v.get();
    switch (f.getOp()) {
      case IS_NULL:
        return Values.isNull(value);
      case IS_NAN:
        return Values.isNaN(value);
      case IS_NOT_NULL:
        return !Values.isNull(value);
      case IS_NOT_NAN:
        return !Values.isNull(value) && !Values.isNaN(value);
      default:
        return false;
    }
  }

  private static boolean matches(FieldFilter f, Document doc) {
    Optional<Value> v = valueAt(doc, FieldPaths.parse(f.getField().getFieldPath()));
    if (v.isEmpty()) {
      return false;
    }
    Value field = v.get();
    Value operand = f.getValue();
    switch (f.getOp()) {
      case EQUAL:
        return Values.equal(field, operand);
      case NOT_EQUAL:
        return !Values.isNull(field) && !Values.equal(field, operand) && !bothNaN(field, operand);
      case LESS_THAN:
        return sameClass(field, operand) && Values.compare(field, operand) < 0;
      case LESS_THAN_OR_EQUAL:
        return sameClass(field, operand) && Values.compare(field, operand) <= 0;
      case GREATER_THAN:
        return sameClass(field, operand) && Values.compare(field, operand) > 0;
      case GREATER_THAN_OR_EQUAL:
        return sameClass(field, operand) && Values.compare(field, operand) >= 0;
      case IN:
        return operand.getArrayValue().getValuesList().stream()
            .anyMatch(x -> Values.equal(field, x));
      case NOT_IN:
        List<Value> excluded = operand.getArrayValue().getValuesList();
        return !Values.isNull(field)
            && excluded.stream().noneMatch(Values::isNull)
            && excluded.stream().noneMatch(x -> Values.equal(field, x) || bothNaN(field, x));
      case ARRAY_CONTAINS:
        return field.hasArrayValue()
            && field.getArrayValue().getValuesList().stream()
                .anyMatch(e -> Values.equal(e, operand));
      case ARRAY_CONTAINS_ANY:
        return field.hasArrayValue()
            && field.getArrayValue().getValuesList().stream()
                .anyMatch(
                    e ->
                        operand.getArrayValue().getValuesList().stream()
                            .anyMatch(x -> Values.equal(e, x)));
      default:
        return false;
    }
  }

  /** NaN is excluded by {@code != NaN} / {@code not-in [NaN]}, as IS_NOT_NAN does. */
  private static boolean bothNaN(Value a, Value b) {
    return Values.isNaN(a) && Values.isNaN(b);
  }

  /** NaN is in the number class (sorting first), so {@code x < 5} matches NaN as in production. */
  private static boolean sameClass(Value a, Value b) {
    return Values.typeOrder(a) == Values.typeOrder(b);
  }

  static RuntimeException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }

  /**
   * OR branches multiplied out; leaves are field and unary filters. Stops growing past {@code cap}
   * conjunctions (callers treat a larger result as too big to analyse).
   */
  static List<List<Filter>> disjunctiveNormalForm(Filter f, int cap) {
    if (!f.hasCompositeFilter()) {
      return f.hasFieldFilter() || f.hasUnaryFilter() ? List.of(List.of(f)) : List.of(List.of());
    }
    boolean or = f.getCompositeFilter().getOp() == CompositeFilter.Operator.OR;
    List<List<Filter>> result = or ? new ArrayList<>() : new ArrayList<>(List.of(List.of()));
    for (Filter child : f.getCompositeFilter().getFiltersList()) {
      List<List<Filter>> c = disjunctiveNormalForm(child, cap);
      if (or) {
        result.addAll(c);
      } else {
        List<List<Filter>> product = new ArrayList<>();
        for (List<Filter> left : result) {
          for (List<Filter> right : c) {
            List<Filter> joined = new ArrayList<>(left);
            joined.addAll(right);
            product.add(joined);
            if (product.size() > cap) {
              return product;
            }
          }
        }
        result = product;
      }
    }
    return result.isEmpty() ? List.of(List.of()) : result;
  }
}
