package dev.atelier.emulator.rules.eval;

import java.util.List;

/** {@code x in collection}: list and set elements by equality, map keys. */
final class Membership {
  private Membership() {}

  static boolean contains(List<Val> items, Val v) {
    for (Val item : items) {
      if (Equality.equal(item, v)) {
        return true;
      }
    }
    return false;
  }

  static boolean in(Val element, Val collection) {
    if (collection instanceof Val.ListV l) {
      return contains(l.items(), element);
    }
    if (collection instanceof Val.SetV s) {
      return contains(s.items(), element);
    }
    if (collection instanceof Val.MapV m) {
      Equality.requireKnown(element);
      return element instanceof Val.Str key && m.entries().containsKey(key.value());
    }
    if (collection instanceof Val.PartialMap m) {
      if (element instanceof Val.Str key && m.known().containsKey(key.value())) {
        return true;
      }
      throw EvalException.unknown("whether the document has the key " + Format.show(element));
    }
    Equality.requireKnown(collection);
    throw EvalException.error(
        "'in' needs a list, set or map on its right, not " + collection.typeName());
  }
}
