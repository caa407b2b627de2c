package dev.atelier.emulator.rules.eval;

import java.util.List;
import java.util.Map;

/**
 * {@code ==} and ordering as the rules language defines them: values of different types are not
 * equal (but an int equals the float of the same number, and NaN equals nothing); only numbers,
 * strings, bytes, timestamps and durations are ordered, and ordering others is an error.
 */
public final class Equality {
  private Equality() {}

  public static boolean equal(Val a, Val b) {
    requireKnown(a);
    requireKnown(b);
    if (a instanceof Val.Int x && b instanceof Val.Float y) {
      return (double) x.value() == y.value() && (long) y.value() == x.value();
    }
    if (a instanceof Val.Float x && b instanceof Val.Int y) {
      return equal(b, a);
    }
    if (a instanceof Val.Float x && b instanceof Val.Float y) {
      return x.value() == y.value();
    }
    if (a instanceof Val.ListV x && b instanceof Val.ListV y) {
      return equalLists(x.items(), y.items());
    }
    if (a instanceof Val.SetV x && b instanceof Val.SetV y) {
      return x.items().size() == y.items().size()
          && x.items().stream().allMatch(v -> Membership.contains(y.items(), v));
    }
    if (a instanceof Val.MapV x && b instanceof Val.MapV y) {
      return equalMaps(x.entries(), y.entries());
    }
    if (a instanceof Val.MapDiff x && b instanceof Val.MapDiff y) {
      return equal(x.left(), y.left()) && equal(x.right(), y.right());
    }
    if (a.getClass() != b.getClass()) {
      return false;
    }
    return a.equals(b);
  }

  private static boolean equalLists(List<Val> a, List<Val> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!equal(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean equalMaps(Map<String, Val> a, Map<String, Val> b) {
    if (!a.keySet().equals(b.keySet())) {
      return false;
    }
    for (Map.Entry<String, Val> e : a.entrySet()) {
      if (!equal(e.getValue(), b.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /** Orders two values of one ordered type (ints and floats together). */
  public static int compare(Val a, Val b) {
    requireKnown(a);
    requireKnown(b);
    if (isNumber(a) && isNumber(b)) {
      if (a instanceof Val.Int x && b instanceof Val.Int y) {
        return Long.compare(x.value(), y.value());
      }
      double x = asDouble(a);
      double y = asDouble(b);
      if (Double.isNaN(x) || Double.isNaN(y)) {
        throw EvalException.error("NaN is not ordered");
      }
      return Double.compare(x == 0.0 ? 0.0 : x, y == 0.0 ? 0.0 : y);
    }
    if (a instanceof Val.Str x && b instanceof Val.Str y) {
      return compareCodePoints(x.value(), y.value());
    }
    if (a instanceof Val.Timestamp x && b instanceof Val.Timestamp y) {
      int c = Long.compare(x.seconds(), y.seconds());
      return c != 0 ? c : Integer.compare(x.nanos(), y.nanos());
    }
    if (a instanceof Val.Duration x && b instanceof Val.Duration y) {
      return Long.compare(x.nanos(), y.nanos());
    }
    if (a instanceof Val.Bytes x && b instanceof Val.Bytes y) {
      return com.google.protobuf.ByteString.unsignedLexicographicalComparator()
          .compare(x.value(), y.value());
    }
    throw EvalException.error("cannot compare " + a.typeName() + " with " + b.typeName());
  }

  static boolean isNumber(Val v) {
    return v instanceof Val.Int || v instanceof Val.Float;
  }

  static double asDouble(Val v) {
    return v instanceof Val.Int i ? (double) i.value() : ((Val.Float) v).value();
  }

  private static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }

  /** Fails "unknown" for a value a query proof cannot know. */
  static void requireKnown(Val v) {
    if (v instanceof Val.Unknown u) {
      throw EvalException.unknown(u.what());
    }
    if (v instanceof Val.PartialMap) {
      throw EvalException.unknown("the document's data");
    }
  }
}
