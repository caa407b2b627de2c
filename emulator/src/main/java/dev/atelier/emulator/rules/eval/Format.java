package dev.atelier.emulator.rules.eval;

import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;

/** Text forms of values: {@code string(x)} and values quoted in messages. */
public final class Format {
  private Format() {}

  /** What {@code string(x)} gives. */
  public static String string(Val v) {
    Equality.requireKnown(v);
    if (v instanceof Val.Str s) {
      return s.value();
    }
    if (v instanceof Val.Int i) {
      return Long.toString(i.value());
    }
    if (v instanceof Val.Float f) {
      return Double.toString(f.value());
    }
    if (v instanceof Val.Bool b) {
      return Boolean.toString(b.value());
    }
    if (v instanceof Val.Null) {
      return "null";
    }
    if (v instanceof Val.PathV p) {
      return p.toString();
    }
    if (v instanceof Val.Timestamp t) {
      return Instant.ofEpochSecond(t.seconds(), t.nanos()).toString();
    }
    return show(v);
  }

  /** A short literal-like rendering for messages. */
  public static String show(Val v) {
    if (v instanceof Val.Str s) {
      return "'" + s.value() + "'";
    }
    if (v instanceof Val.ListV l) {
      return l.items().stream().map(Format::show).collect(Collectors.joining(", ", "[", "]"));
    }
    if (v instanceof Val.SetV s) {
      return s.items().stream().map(Format::show).collect(Collectors.joining(", ", "set([", "])"));
    }
    if (v instanceof Val.MapV m) {
      return showMap(m.entries());
    }
    if (v instanceof Val.PartialMap m) {
      return showMap(m.known()).replace("}", ", ...}");
    }
    if (v instanceof Val.Duration d) {
      return "duration(" + d.nanos() + "ns)";
    }
    if (v instanceof Val.Unknown u) {
      return "<" + u.what() + ">";
    }
    if (v instanceof Val.Namespace n) {
      return n.name();
    }
    if (v instanceof Val.MapDiff) {
      return "map_diff";
    }
    if (v instanceof Val.Bytes b) {
      return "b'" + b.value().toStringUtf8() + "'";
    }
    if (v instanceof Val.LatLng g) {
      return "latlng(" + g.latitude() + ", " + g.longitude() + ")";
    }
    return string(v);
  }

  private static String showMap(Map<String, Val> entries) {
    return entries.entrySet().stream()
        .map(e -> "'" + e.getKey() + "': " + show(e.getValue()))
        .collect(Collectors.joining(", ", "{", "}"));
  }
}
