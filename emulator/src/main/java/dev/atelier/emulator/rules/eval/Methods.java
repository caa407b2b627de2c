package dev.atelier.emulator.rules.eval;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The methods of the built-in types: string, list, map, map_diff, set, timestamp, duration, bytes
 * and latlng. Regular expressions are Java's, which agree with RE2 on the expressions rules use;
 * {@code matches} must match the whole string.
 */
final class Methods {
  private Methods() {}

  private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

  static Val call(Val target, String name, List<Val> args) {
    if (target instanceof Val.PartialMap partial) {
      return partialMap(partial, name, args);
    }
    Equality.requireKnown(target);
    if (target instanceof Val.Str s) {
      return string(s.value(), name, args);
    }
    if (target instanceof Val.ListV l) {
      return list(l.items(), name, args);
    }
    if (target instanceof Val.MapV m) {
      return map(m, name, args);
    }
    if (target instanceof Val.SetV s) {
      return set(s.items(), name, args);
    }
    if (target instanceof Val.MapDiff d) {
      return mapDiff(d, name, args);
    }
    if (target instanceof Val.Timestamp t) {
      return timestamp(t, name, args);
    }
    if (target instanceof Val.Duration d) {
      return duration(d, name, args);
    }
    if (target instanceof Val.Bytes b) {
      return bytes(b.value(), name, args);
    }
    if (target instanceof Val.LatLng g) {
      return latlng(g, name, args);
    }
    throw noSuchMethod(target, name);
  }

  private static EvalException noSuchMethod(Val target, String name) {
    return EvalException.error(
        "Function not found error: Name: [" + name + "] on " + target.typeName());
  }

  static void arity(String name, List<Val> args, int n) {
    if (args.size() != n) {
      throw EvalException.error(name + "() takes " + n + " argument(s), got " + args.size());
    }
  }

  static String str(Val v, String what) {
    Equality.requireKnown(v);
    if (v instanceof Val.Str s) {
      return s.value();
    }
    throw EvalException.error(what + " must be a string, not " + v.typeName());
  }

  static long integer(Val v, String what) {
    Equality.requireKnown(v);
    if (v instanceof Val.Int i) {
      return i.value();
    }
    throw EvalException.error(what + " must be an int, not " + v.typeName());
  }

  static List<Val> items(Val v, String what) {
    Equality.requireKnown(v);
    if (v instanceof Val.ListV l) {
      return l.items();
    }
    if (v instanceof Val.SetV s) {
      return s.items();
    }
    throw EvalException.error(what + " must be a list or set, not " + v.typeName());
  }

  private static Pattern pattern(String regex) {
    try {
      return PATTERNS.computeIfAbsent(regex, Pattern::compile);
    } catch (PatternSyntaxException e) {
      throw EvalException.error("invalid regular expression '" + regex + "'");
    }
  }

  private static Val string(String s, String name, List<Val> args) {
    switch (name) {
      case "size":
        arity(name, args, 0);
        return new Val.Int(s.codePointCount(0, s.length()));
      case "matches":
        arity(name, args, 1);
        return Val.of(pattern(str(args.get(0), "the regular expression")).matcher(s).matches());
      case "lower":
        arity(name, args, 0);
        return new Val.Str(s.toLowerCase(java.util.Locale.ROOT));
      case "upper":
        arity(name, args, 0);
        return new Val.Str(s.toUpperCase(java.util.Locale.ROOT));
      case "trim":
        arity(name, args, 0);
        return new Val.Str(s.strip());
      case "split":
        {
          arity(name, args, 1);
          List<Val> parts = new ArrayList<>();
          for (String part : pattern(str(args.get(0), "the separator")).split(s, -1)) {
            parts.add(new Val.Str(part));
          }
          return new Val.ListV(parts);
        }
      case "replace":
        arity(name, args, 2);
        return new Val.Str(
            pattern(str(args.get(0), "the regular expression"))
                .matcher(s)
                .replaceAll(
                    java.util.regex.Matcher.quoteReplacement(str(args.get(1), "the replacement"))));
      case "toUtf8":
        arity(name, args, 0);
        return new Val.Bytes(ByteString.copyFromUtf8(s));
      default:
        throw noSuchMethod(new Val.Str(s), name);
    }
  }

  private static Val list(List<Val> items, String name, List<Val> args) {
    switch (name) {
      case "size":
        arity(name, args, 0);
        return new Val.Int(items.size());
      case "hasAll":
      case "hasAny":
      case "hasOnly":
        arity(name, args, 1);
        return collectionTest(items, name, items(args.get(0), name + "()'s argument"));
      case "join":
        {
          arity(name, args, 1);
          String separator = str(args.get(0), "the separator");
          List<String> parts = new ArrayList<>();
          for (Val v : items) {
            parts.add(str(v, "each joined element"));
          }
          return new Val.Str(String.join(separator, parts));
        }
      case "concat":
        {
          arity(name, args, 1);
          List<Val> joined = new ArrayList<>(items);
          joined.addAll(items(args.get(0), "concat()'s argument"));
          return new Val.ListV(joined);
        }
      case "removeAll":
        {
          arity(name, args, 1);
          List<Val> removed = items(args.get(0), "removeAll()'s argument");
          List<Val> kept = new ArrayList<>();
          for (Val v : items) {
            if (!Membership.contains(removed, v)) {
              kept.add(v);
            }
          }
          return new Val.ListV(kept);
        }
      case "toSet":
        arity(name, args, 0);
        return new Val.SetV(items);
      default:
        throw noSuchMethod(new Val.ListV(items), name);
    }
  }

  /**
   * hasAll: every argument element is in the collection; hasAny: some is; hasOnly: nothing else is.
   */
  private static Val collectionTest(List<Val> items, String name, List<Val> other) {
    switch (name) {
      case "hasAll":
        return Val.of(other.stream().allMatch(v -> Membership.contains(items, v)));
      case "hasAny":
        return Val.of(other.stream().anyMatch(v -> Membership.contains(items, v)));
      default:
        return Val.of(items.stream().allMatch(v -> Membership.contains(other, v)));
    }
  }

  private static Val set(List<Val> items, String name, List<Val> args) {
    switch (name) {
      case "size":
        arity(name, args, 0);
        return new Val.Int(items.size());
      case "hasAll":
      case "hasAny":
      case "hasOnly":
        arity(name, args, 1);
        return collectionTest(items, name, items(args.get(0), name + "()'s argument"));
      case "difference":
        {
          arity(name, args, 1);
          List<Val> other = items(args.get(0), "difference()'s argument");
          return new Val.SetV(items.stream().filter(v -> !Membership.contains(other, v)).toList());
        }
      case "intersection":
        {
          arity(name, args, 1);
          List<Val> other = items(args.get(0), "intersection()'s argument");
          return new Val.SetV(items.stream().filter(v -> Membership.contains(other, v)).toList());
        }
      case "union":
        {
          arity(name, args, 1);
          List<Val> all = new ArrayList<>(items);
          all.addAll(items(args.get(0), "union()'s argument"));
          return new Val.SetV(all);
        }
      default:
        throw noSuchMethod(new Val.SetV(items), name);
    }
  }

  private static Val map(Val.MapV map, String name, List<Val> args) {
    Map<String, Val> entries = map.entries();
    switch (name) {
      case "keys":
        arity(name, args, 0);
        return new Val.ListV(entries.keySet().stream().<Val>map(Val.Str::new).toList());
      case "values":
        arity(name, args, 0);
        return new Val.ListV(new ArrayList<>(entries.values()));
      case "size":
        arity(name, args, 0);
        return new Val.Int(entries.size());
      case "get":
        arity(name, args, 2);
        return get(map, args.get(0), args.get(1));
      case "diff":
        {
          arity(name, args, 1);
          Val other = args.get(0);
          Equality.requireKnown(other);
          if (!(other instanceof Val.MapV right)) {
            throw EvalException.error("diff() needs a map, not " + other.typeName());
          }
          return new Val.MapDiff(map, right);
        }
      default:
        throw noSuchMethod(map, name);
    }
  }

  /** {@code map.get(key, default)}; a list key walks nested maps. */
  private static Val get(Val map, Val key, Val fallback) {
    List<Val> path = key instanceof Val.ListV l ? l.items() : List.of(key);
    Val current = map;
    for (Val segment : path) {
      String k = str(segment, "the key");
      if (current instanceof Val.PartialMap partial) {
        if (!partial.known().containsKey(k)) {
          throw EvalException.unknown("the document's field '" + k + "'");
        }
        current = partial.known().get(k);
      } else if (current instanceof Val.MapV m && m.entries().containsKey(k)) {
        current = m.entries().get(k);
      } else {
        Equality.requireKnown(current);
        return fallback;
      }
    }
    return current;
  }

  private static Val partialMap(Val.PartialMap partial, String name, List<Val> args) {
    if (name.equals("get") && args.size() == 2) {
      return get(partial, args.get(0), args.get(1));
    }
    throw EvalException.unknown("the document's " + name + "()");
  }

  private static Val mapDiff(Val.MapDiff diff, String name, List<Val> args) {
    arity(name, args, 0);
    Map<String, Val> left = diff.left().entries();
    Map<String, Val> right = diff.right().entries();
    List<Val> keys = new ArrayList<>();
    switch (name) {
      case "addedKeys":
        right.keySet().stream()
            .filter(k -> !left.containsKey(k))
            .forEach(k -> keys.add(new Val.Str(k)));
        break;
      case "removedKeys":
        left.keySet().stream()
            .filter(k -> !right.containsKey(k))
            .forEach(k -> keys.add(new Val.Str(k)));
        break;
      case "changedKeys":
        left.keySet().stream()
            .filter(k -> right.containsKey(k) && !Equality.equal(left.get(k), right.get(k)))
            .forEach(k -> keys.add(new Val.Str(k)));
        break;
      case "unchangedKeys":
        left.keySet().stream()
            .filter(k -> right.containsKey(k) && Equality.equal(left.get(k), right.get(k)))
            .forEach(k -> keys.add(new Val.Str(k)));
        break;
      case "affectedKeys":
        {
          Map<String, Boolean> affected = new LinkedHashMap<>();
          left.keySet().stream()
              .filter(k -> !right.containsKey(k) || !Equality.equal(left.get(k), right.get(k)))
              .forEach(k -> affected.put(k, true));
          right.keySet().stream()
              .filter(k -> !left.containsKey(k))
              .forEach(k -> affected.put(k, true));
          affected.keySet().forEach(k -> keys.add(new Val.Str(k)));
          break;
        }
      default:
        throw noSuchMethod(diff, name);
    }
    return new Val.SetV(keys);
  }

  private static Val timestamp(Val.Timestamp t, String name, List<Val> args) {
    arity(name, args, 0);
    ZonedDateTime utc = Times.utc(t);
    switch (name) {
      case "date":
        return Times.date(utc.getYear(), utc.getMonthValue(), utc.getDayOfMonth());
      case "year":
        return new Val.Int(utc.getYear());
      case "month":
        return new Val.Int(utc.getMonthValue());
      case "day":
        return new Val.Int(utc.getDayOfMonth());
      case "hours":
        return new Val.Int(utc.getHour());
      case "minutes":
        return new Val.Int(utc.getMinute());
      case "seconds":
        return new Val.Int(utc.getSecond());
      case "nanos":
        return new Val.Int(t.nanos());
      case "dayOfWeek":
        return new Val.Int(utc.getDayOfWeek().getValue());
      case "dayOfYear":
        return new Val.Int(utc.getDayOfYear());
      case "time":
        return Times.between(
            Times.date(utc.getYear(), utc.getMonthValue(), utc.getDayOfMonth()), t);
      case "toMillis":
        return new Val.Int(
            Math.addExact(Math.multiplyExact(t.seconds(), 1000L), t.nanos() / 1_000_000));
      default:
        throw noSuchMethod(t, name);
    }
  }

  private static Val duration(Val.Duration d, String name, List<Val> args) {
    arity(name, args, 0);
    switch (name) {
      case "seconds":
        return new Val.Int(d.nanos() / Times.NANOS_PER_SECOND);
      case "nanos":
        return new Val.Int(d.nanos() % Times.NANOS_PER_SECOND);
      default:
        throw noSuchMethod(d, name);
    }
  }

  private static Val bytes(ByteString b, String name, List<Val> args) {
    arity(name, args, 0);
    switch (name) {
      case "size":
        return new Val.Int(b.size());
      case "toBase64":
        return new Val.Str(Base64.getEncoder().encodeToString(b.toByteArray()));
      case "toHexString":
        {
          StringBuilder hex = new StringBuilder();
          for (byte x : b.toByteArray()) {
            hex.append(String.format("%02X", x));
          }
          return new Val.Str(hex.toString());
        }
      default:
        throw noSuchMethod(new Val.Bytes(b), name);
    }
  }

  private static Val latlng(Val.LatLng g, String name, List<Val> args) {
    switch (name) {
      case "latitude":
        arity(name, args, 0);
        return new Val.Float(g.latitude());
      case "longitude":
        arity(name, args, 0);
        return new Val.Float(g.longitude());
      case "distance":
        {
          arity(name, args, 1);
          if (!(args.get(0) instanceof Val.LatLng other)) {
            throw EvalException.error("distance() needs a latlng");
          }
          double lat1 = Math.toRadians(g.latitude());
          double lat2 = Math.toRadians(other.latitude());
          double dLat = lat2 - lat1;
          double dLng = Math.toRadians(other.longitude() - g.longitude());
          double h =
              Math.pow(Math.sin(dLat / 2), 2)
                  + Math.cos(lat1) * Math.cos(lat2) * Math.pow(Math.sin(dLng / 2), 2);
          return new Val.Float(2 * 6_371_000 * Math.asin(Math.sqrt(h)));
        }
      default:
        throw noSuchMethod(g, name);
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
