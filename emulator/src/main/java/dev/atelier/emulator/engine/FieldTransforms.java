package dev.atelier.emulator.engine;

import com.google.firestore.v1.DocumentTransform.FieldTransform;
import com.google.firestore.v1.Value;
import com.google.protobuf.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The server-side field transforms of write.proto, each with its documented edge cases. */
final class FieldTransforms {
  private FieldTransforms() {}

  static Value apply(FieldTransform t, Optional<Value> current, Timestamp commitTime) {
    switch (t.getTransformTypeCase()) {
      case SET_TO_SERVER_VALUE:
        if (t.getSetToServerValue() != FieldTransform.ServerValue.REQUEST_TIME) {
          throw DocumentWrites.invalid("Unsupported server value: " + t.getSetToServerValue());
        }
        return Value.newBuilder().setTimestampValue(commitTime).build();
      case INCREMENT:
        return increment(current, numericOperand(t.getIncrement(), "increment"));
      case MAXIMUM:
        return extremum(current, numericOperand(t.getMaximum(), "maximum"), 1);
      case MINIMUM:
        return extremum(current, numericOperand(t.getMinimum(), "minimum"), -1);
      case APPEND_MISSING_ELEMENTS:
        return appendMissing(current, t.getAppendMissingElements().getValuesList());
      case REMOVE_ALL_FROM_ARRAY:
        return removeAll(current, t.getRemoveAllFromArray().getValuesList());
      default:
        throw DocumentWrites.invalid(
            "Field transform without a transform type: " + t.getFieldPath());
    }
  }

  /** Array transforms report null (write.proto); the others report the new field value. */
  static Value result(FieldTransform t, Value after) {
    switch (t.getTransformTypeCase()) {
      case APPEND_MISSING_ELEMENTS:
      case REMOVE_ALL_FROM_ARRAY:
        return Values.NULL;
      default:
        return after;
    }
  }

  private static Value numericOperand(Value operand, String kind) {
    if (!Values.isNumber(operand)) {
      throw DocumentWrites.invalid("The " + kind + " operand must be an integer or a double");
    }
    return operand;
  }

  /**
   * Integer arithmetic when both are integers (saturating at the long range, as documented); double
   * arithmetic otherwise; a missing or non-numeric field becomes the operand.
   */
  private static Value increment(Optional<Value> current, Value operand) {
    if (current.isEmpty() || !Values.isNumber(current.get())) {
      return operand;
    }
    Value c = current.get();
    if (c.hasIntegerValue() && operand.hasIntegerValue()) {
      long a = c.getIntegerValue();
      try {
        return Values.ofInteger(Math.addExact(a, operand.getIntegerValue()));
      } catch (ArithmeticException overflow) {
        return Values.ofInteger(a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE);
      }
    }
    return Values.ofDouble(toDouble(c) + toDouble(operand));
  }

  /**
   * maximum (sign 1) / minimum (sign -1): NaN wins; equivalent operands (3 and 3.0, 0 and -0.0)
   * keep the stored value; otherwise the winning operand with its own type.
   */
  private static Value extremum(Optional<Value> current, Value operand, int sign) {
    if (current.isEmpty() || !Values.isNumber(current.get())) {
      return operand;
    }
    Value c = current.get();
    if (Values.isNaN(c)) {
      return c;
    }
    if (Values.isNaN(operand)) {
      return operand;
    }
    int cmp = Values.compareNumbers(operand, c) * sign;
    return cmp > 0 ? operand : c;
  }

  private static Value appendMissing(Optional<Value> current, List<Value> elements) {
    List<Value> result = new ArrayList<>(currentArray(current));
    for (Value e : elements) {
      if (result.stream().noneMatch(v -> Values.equivalent(v, e))) {
        result.add(e);
      }
    }
    return Values.ofArray(result);
  }

  private static Value removeAll(Optional<Value> current, List<Value> elements) {
    List<Value> result = new ArrayList<>();
    for (Value v : currentArray(current)) {
      if (elements.stream().noneMatch(e -> Values.equivalent(v, e))) {
        result.add(v);
      }
    }
    return Values.ofArray(result);
  }

  private static List<Value> currentArray(Optional<Value> current) {
    return current
        .filter(Value::hasArrayValue)
        .map(v -> v.getArrayValue().getValuesList())
        .orElse(List.of());
  }

  static double toDouble(Value v) {
    return v.hasIntegerValue() ? (double) v.getIntegerValue() : v.getDoubleValue();
  }
}
