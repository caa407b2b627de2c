package dev.atelier.emulator.engine;

import com.google.firestore.v1.Cursor;
import com.google.firestore.v1.Document;
import com.google.firestore.v1.StructuredQuery;
import com.google.firestore.v1.StructuredQuery.Filter;
import com.google.firestore.v1.Value;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * A query's normalized ordering, as production computes it: the explicit orderBy clauses, then
 * every inequality-filtered field not yet ordered (in lexicographic field-path order), then {@code
 * __name__}; implicit orderings take the direction of the last explicit one. Cursors are positions
 * in that ordering.
 */
final class Orderings {
  private Orderings() {}

  record Ordering(List<String> path, boolean descending) {}

  static List<Ordering> normalized(StructuredQuery query) {
    List<Ordering> out = new ArrayList<>();
    for (StructuredQuery.Order o : query.getOrderByList()) {
      List<String> path = FieldPaths.parse(o.getField().getFieldPath());
      if (contains(out, path)) {
        continue; // a repeated orderBy cannot change the order
      }
      out.add(new Ordering(path, o.getDirection() == StructuredQuery.Direction.DESCENDING));
    }
    boolean lastDescending = !out.isEmpty() && out.get(out.size() - 1).descending();
    TreeSet<List<String>> inequalityFields = new TreeSet<>(FieldPaths::compare);
    if (query.hasWhere()) {
      for (Filter leaf : Filters.leaves(query.getWhere())) {
        if (Filters.isInequality(leaf)) {
          inequalityFields.add(Filters.fieldOf(leaf));
        }
      }
    }
    for (List<String> field : inequalityFields) {
      if (!Filters.isDocumentId(field) && !contains(out, field)) {
        out.add(new Ordering(field, lastDescending));
      }
    }
    if (!contains(out, List.of(FieldPaths.DOCUMENT_ID))) {
      out.add(new Ordering(List.of(FieldPaths.DOCUMENT_ID), lastDescending));
    }
    return List.copyOf(out);
  }

  private static boolean contains(List<Ordering> orderings, List<String> path) {
    return orderings.stream().anyMatch(o -> o.path().equals(path));
  }

  /** Production excludes documents lacking any ordered field. */
  static boolean hasAllFields(Document doc, List<Ordering> orderings) {
    return orderings.stream().allMatch(o -> Filters.valueAt(doc, o.path()).isPresent());
  }

  static Comparator<Document> comparator(List<Ordering> orderings) {
    return (a, b) -> {
      for (Ordering o : orderings) {
        int c =
            Values.compare(
                Filters.valueAt(a, o.path()).orElseThrow(),
                Filters.valueAt(b, o.path()).orElseThrow());
        if (c != 0) {
          return o.descending() ? -c : c;
        }
      }
      return 0;
    };
  }

  /**
   * Too many values, or a {@code __name__} position that is not a reference within the query's
   * scope ({@code inScope}), are rejected.
   */
  static void validateCursor(Cursor cursor, List<Ordering> orderings, Predicate<String> inScope) {
    if (cursor.getValuesCount() > orderings.size()) {
      throw Filters.invalid(
          "Too many cursor values specified: the cursor has "
              + cursor.getValuesCount()
              + " values but the query orders by "
              + orderings.size()
              + " fields.");
    }
    for (int i = 0; i < cursor.getValuesCount(); i++) {
      if (Filters.isDocumentId(orderings.get(i).path())) {
        Value v = cursor.getValues(i);
        if (!v.hasReferenceValue()) {
          throw Filters.invalid("Cursor position on __name__ must be a document reference.");
        }
        if (!inScope.test(v.getReferenceValue())) {
          throw Filters.invalid(
              "Cursor reference "
                  + v.getReferenceValue()
                  + " is not part of the query's result set.");
        }
      }
    }
  }

  /** The document's position relative to the cursor (a prefix of the ordering), in query order. */
  private static int compareToCursor(Document doc, Cursor cursor, List<Ordering> orderings) {
    for (int i = 0; i < cursor.getValuesCount(); i++) {
      Ordering o = orderings.get(i);
      Value v = cursor.getValues(i);
      int c = Values.compare(Filters.valueAt(doc, o.path()).orElseThrow(), v);
      if (c != 0) {
        return o.descending() ? -c : c;
      }
    }
    return 0;
  }

  /** start_at: before=true is startAt (inclusive), before=false is startAfter. */
  static boolean atOrAfterStart(Document doc, Cursor start, List<Ordering> orderings) {
    int c = compareToCursor(doc, start, orderings);
    return start.getBefore() ? c >= 0 : c > 0;
  }

  /** end_at: before=true is endBefore (exclusive), before=false is endAt. */
  static boolean atOrBeforeEnd(Document doc, Cursor end, List<Ordering> orderings) {
    int c = compareToCursor(doc, end, orderings);
    return end.getBefore() ? c < 0 : c <= 0;
  }
}
