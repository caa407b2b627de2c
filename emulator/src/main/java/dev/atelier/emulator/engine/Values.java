package dev.atelier.emulator.engine;

import com.google.firestore.v1.Value;

/** Firestore's value semantics: the total order across types and equality as queries see it. */
public final class Values {
  private Values() {}

  /**
   * Firestore's total order: null < boolean < NaN < numbers (int and double compared numerically,
   * -0.0 == 0.0) < timestamp < string (UTF-8 byte order) < bytes < reference (segment-wise) <
   * geo point < array (element-wise, then length) < vector < map (key-sorted, key then value).
   */
  public static int compare(Value a, Value b) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Equality as `==`/`in`/`array-contains` filters use it (1 == 1.0; NaN never equals NaN). */
  public static boolean equal(Value a, Value b) {
    throw new UnsupportedOperationException("TODO");
  }
}
