package dev.atelier.emulator.engine;

import com.google.firestore.v1.Document;
import com.google.firestore.v1.StructuredAggregationQuery.Aggregation;
import com.google.firestore.v1.Value;
import java.util.List;
import java.util.Optional;

/**
 * count (optionally capped by up_to), sum (integer while every summand is an integer and the sum
 * fits in 64 bits, else double; 0 when nothing numeric) and avg (double; null when nothing
 * numeric). Non-numeric values are ignored by sum and avg.
 */
final class Aggregations {
  private Aggregations() {}

  static Value compute(Aggregation a, List<Document> docs) {
    switch (a.getOperatorCase()) {
      case COUNT:
        long count = docs.size();
        if (a.getCount().hasUpTo()) {
          long upTo = a.getCount().getUpTo().getValue();
          if (upTo < 1) {
            throw Filters.invalid("count up_to must be greater than zero.");
          }
          count = Math.min(count, upTo);
        }
        return Values.ofInteger(count);
      case SUM:
        return sum(numbers(docs, a.getSum().getField().getFieldPath()));
      case AVG:
        return avg(numbers(docs, a.getAvg().getField().getFieldPath()));
      default:
        throw Filters.invalid("Aggregation without an operator (count, sum or avg).");
    }
  }

  private static List<Value> numbers(List<Document> docs, String fieldPath) {
    List<String> path = FieldPaths.parse(fieldPath);
    return docs.stream()
        .map(d -> Filters.valueAt(d, path))
        .flatMap(Optional::stream)
        .filter(Values::isNumber)
        .toList();
  }

  private static Value sum(List<Value> numbers) {
    long longSum = 0;
    double doubleSum = 0;
    boolean isDouble = false;
    for (Value v : numbers) {
      if (!isDouble && v.hasIntegerValue()) {
        try {
          longSum = Math.addExact(longSum, v.getIntegerValue());
        } catch (ArithmeticException overflow) {
          isDouble = true;
          doubleSum = (double) longSum + (double) v.getIntegerValue();
        }
      } else {
        if (!isDouble) {
          isDouble = true;
          doubleSum = longSum;
        }
        doubleSum += FieldTransforms.toDouble(v);
      }
    }
    return isDouble ? Values.ofDouble(doubleSum) : Values.ofInteger(longSum);
  }

  private static Value avg(List<Value> numbers) {
    if (numbers.isEmpty()) {
      return Values.NULL;
    }
    double total = 0;
    for (Value v : numbers) {
      total += FieldTransforms.toDouble(v);
    }
    return Values.ofDouble(total / numbers.size());
  }
}
