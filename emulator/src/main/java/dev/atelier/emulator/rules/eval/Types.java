package dev.atelier.emulator.rules.eval;

/** {@code value is type}. */
final class Types {
  private Types() {}

  static boolean is(Val v, String type) {
    if (v instanceof Val.PartialMap) {
      return type.equals("map");
    }
    Equality.requireKnown(v);
    switch (type) {
      case "bool":
        return v instanceof Val.Bool;
      case "int":
        return v instanceof Val.Int;
      case "float":
        return v instanceof Val.Float;
      case "number":
        return v instanceof Val.Int || v instanceof Val.Float;
      case "string":
        return v instanceof Val.Str;
      case "bytes":
        return v instanceof Val.Bytes;
      case "timestamp":
        return v instanceof Val.Timestamp;
      case "duration":
        return v instanceof Val.Duration;
      case "latlng":
        return v instanceof Val.LatLng;
      case "list":
        return v instanceof Val.ListV;
      case "map":
        return v instanceof Val.MapV;
      case "set":
        return v instanceof Val.SetV;
      case "path":
        return v instanceof Val.PathV;
      case "map_diff":
        return v instanceof Val.MapDiff;
      default:
        throw EvalException.error("unknown type '" + type + "' after 'is'");
    }
  }
}
