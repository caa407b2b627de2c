package dev.atelier.emulator.engine;

import com.google.firestore.v1.ArrayValue;
import com.google.firestore.v1.Cursor;
import com.google.firestore.v1.StructuredQuery;
import com.google.firestore.v1.StructuredQuery.CompositeFilter;
import com.google.firestore.v1.StructuredQuery.Direction;
import com.google.firestore.v1.StructuredQuery.FieldFilter;
import com.google.firestore.v1.StructuredQuery.FieldReference;
import com.google.firestore.v1.StructuredQuery.Filter;
import com.google.firestore.v1.StructuredQuery.UnaryFilter;
import com.google.firestore.v1.Value;
import com.google.protobuf.Int32Value;
import java.util.List;

/** Terse StructuredQuery builders for engine tests. */
final class Q {
  private Q() {}

  static StructuredQuery.Builder from(String collection) {
    return StructuredQuery.newBuilder()
        .addFrom(StructuredQuery.CollectionSelector.newBuilder().setCollectionId(collection));
  }

  static StructuredQuery.Builder group(String collection) {
    return StructuredQuery.newBuilder()
        .addFrom(
            StructuredQuery.CollectionSelector.newBuilder()
                .setCollectionId(collection)
                .setAllDescendants(true));
  }

  static FieldReference field(String path) {
    return FieldReference.newBuilder().setFieldPath(path).build();
  }

  static Filter f(String path, FieldFilter.Operator op, Value v) {
    return Filter.newBuilder()
        .setFieldFilter(FieldFilter.newBuilder().setField(field(path)).setOp(op).setValue(v))
        .build();
  }

  static Filter u(String path, UnaryFilter.Operator op) {
    return Filter.newBuilder()
        .setUnaryFilter(UnaryFilter.newBuilder().setField(field(path)).setOp(op))
        .build();
  }

  static Filter and(Filter... fs) {
    return Filter.newBuilder()
        .setCompositeFilter(
            CompositeFilter.newBuilder()
                .setOp(CompositeFilter.Operator.AND)
                .addAllFilters(List.of(fs)))
        .build();
  }

  static Filter or(Filter... fs) {
    return Filter.newBuilder()
        .setCompositeFilter(
            CompositeFilter.newBuilder()
                .setOp(CompositeFilter.Operator.OR)
                .addAllFilters(List.of(fs)))
        .build();
  }

  static StructuredQuery.Order asc(String path) {
    return StructuredQuery.Order.newBuilder()
        .setField(field(path))
        .setDirection(Direction.ASCENDING)
        .build();
  }

  static StructuredQuery.Order desc(String path) {
    return StructuredQuery.Order.newBuilder()
        .setField(field(path))
        .setDirection(Direction.DESCENDING)
        .build();
  }

  static Cursor cursor(boolean before, Value... values) {
    return Cursor.newBuilder().setBefore(before).addAllValues(List.of(values)).build();
  }

  static Int32Value limit(int n) {
    return Int32Value.of(n);
  }

  static Value list(Value... vs) {
    return Value.newBuilder()
        .setArrayValue(ArrayValue.newBuilder().addAllValues(List.of(vs)))
        .build();
  }
}
