package dev.atelier.emulator.rules.eval;

import com.google.protobuf.ByteString;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * The global functions ({@code string int float path debug}, and the document lookups the evaluator
 * provides) and the namespaces {@code math timestamp duration latlng hashing}.
 */
public final class Globals {
  private Globals() {}

  /** Names callable as {@code name(...)} without a declaration. */
  public static final Set<String> FUNCTIONS =
      Set.of("get", "exists", "getAfter", "existsAfter", "debug", "string", "int", "float", "path");

  /** Identifiers that name a namespace of functions. */
  static final Set<String> NAMESPACES =
      Set.of("math", "timestamp", "duration", "latlng", "hashing");

  /** string(), int(), float(), path() and debug(). */
  static Val call(String name, List<Val> args) {
    Methods.arity(name, args, 1);
    Val v = args.get(0);
    switch (name) {
      case "string":
        return new Val.Str(Format.string(v));
      case "int":
        return toInt(v);
      case "float":
        return toFloat(v);
      case "path":
        return parsePath(Methods.str(v, "path()'s argument"));
      case "debug":
        return v;
      default:
        throw EvalException.error("Function not found error: Name: [" + name + "]");
    }
  }

  private static Val toInt(Val v) {
    Equality.requireKnown(v);
    if (v instanceof Val.Int) {
      return v;
    }
    if (v instanceof Val.Float f) {
      if (Double.isNaN(f.value()) || Math.abs(f.value()) >= 0x1p63) {
        throw EvalException.error("int() of a float out of range");
      }
      return new Val.Int((long) f.value());
    }
    if (v instanceof Val.Str s) {
      try {
        return new Val.Int(Long.parseLong(s.value().strip()));
      } catch (NumberFormatException e) {
        throw EvalException.error("int() cannot parse '" + s.value() + "'");
      }
    }
    throw EvalException.error("int() of a " + v.typeName());
  }

  private static Val toFloat(Val v) {
    Equality.requireKnown(v);
    if (v instanceof Val.Float) {
      return v;
    }
    if (v instanceof Val.Int i) {
      return new Val.Float(i.value());
    }
    if (v instanceof Val.Str s) {
      try {
        return new Val.Float(Double.parseDouble(s.value().strip()));
      } catch (NumberFormatException e) {
        throw EvalException.error("float() cannot parse '" + s.value() + "'");
      }
    }
    throw EvalException.error("float() of a " + v.typeName());
  }

  /** {@code path('/a/b')} or {@code path('a/b')}. */
  public static Val.PathV parsePath(String text) {
    String trimmed = text.startsWith("/") ? text.substring(1) : text;
    List<String> segments = new ArrayList<>();
    for (String s : trimmed.split("/", -1)) {
      if (s.isEmpty()) {
        throw EvalException.error("invalid path '" + text + "'");
      }
      segments.add(s);
    }
    return new Val.PathV(segments);
  }

  /** {@code namespace.name(args)}. */
  static Val callNamespace(String namespace, String name, List<Val> args) {
    switch (namespace) {
      case "math":
        return math(name, args);
      case "timestamp":
        return timestamp(name, args);
      case "duration":
        return duration(name, args);
      case "latlng":
        Methods.arity(name, args, 2);
        if (!name.equals("value")) {
          break;
        }
        return new Val.LatLng(number(args.get(0)), number(args.get(1)));
      case "hashing":
        return hashing(name, args);
      default:
        break;
    }
    throw EvalException.error("Function not found error: Name: [" + namespace + "." + name + "]");
  }

  private static double number(Val v) {
    Equality.requireKnown(v);
    if (!Equality.isNumber(v)) {
      throw EvalException.error("expected a number, not " + v.typeName());
    }
    return Equality.asDouble(v);
  }

  private static Val math(String name, List<Val> args) {
    if (name.equals("pow")) {
      Methods.arity(name, args, 2);
      return new Val.Float(Math.pow(number(args.get(0)), number(args.get(1))));
    }
    Methods.arity(name, args, 1);
    Val v = args.get(0);
    double x = number(v);
    switch (name) {
      case "abs":
        if (v instanceof Val.Int i) {
          return new Val.Int(Math.abs(i.value()));
        }
        return new Val.Float(Math.abs(x));
      case "ceil":
        return new Val.Int((long) Math.ceil(x));
      case "floor":
        return new Val.Int((long) Math.floor(x));
      case "round":
        return new Val.Int(Math.round(x));
      case "sqrt":
        return new Val.Float(Math.sqrt(x));
      case "isInfinite":
        return Val.of(Double.isInfinite(x));
      case "isNaN":
        return Val.of(Double.isNaN(x));
      default:
        throw EvalException.error("Function not found error: Name: [math." + name + "]");
    }
  }

  private static Val timestamp(String name, List<Val> args) {
    switch (name) {
      case "date":
        Methods.arity(name, args, 3);
        return Times.date(
            (int) Methods.integer(args.get(0), "year"),
            (int) Methods.integer(args.get(1), "month"),
            (int) Methods.integer(args.get(2), "day"));
      case "value":
        {
          Methods.arity(name, args, 1);
          long millis = Methods.integer(args.get(0), "epoch milliseconds");
          return Times.timestamp(
              Math.floorDiv(millis, 1000L), (int) Math.floorMod(millis, 1000L) * 1_000_000);
        }
      default:
        throw EvalException.error("Function not found error: Name: [timestamp." + name + "]");
    }
  }

  private static Val duration(String name, List<Val> args) {
    switch (name) {
      case "value":
        Methods.arity(name, args, 2);
        return Times.duration(
            Methods.integer(args.get(0), "the magnitude"), Methods.str(args.get(1), "the unit"));
      case "time":
        {
          Methods.arity(name, args, 4);
          long nanos = 0;
          long[] factors = {
            3600 * Times.NANOS_PER_SECOND, 60 * Times.NANOS_PER_SECOND, Times.NANOS_PER_SECOND, 1
          };
          try {
            for (int i = 0; i < 4; i++) {
              nanos =
                  Math.addExact(
                      nanos,
                      Math.multiplyExact(Methods.integer(args.get(i), "a time part"), factors[i]));
            }
          } catch (ArithmeticException e) {
            throw EvalException.error("duration out of range");
          }
          return new Val.Duration(nanos);
        }
      case "abs":
        {
          Methods.arity(name, args, 1);
          if (!(args.get(0) instanceof Val.Duration d)) {
            throw EvalException.error("duration.abs() needs a duration");
          }
          return new Val.Duration(Math.abs(d.nanos()));
        }
      default:
        throw EvalException.error("Function not found error: Name: [duration." + name + "]");
    }
  }

  private static Val hashing(String name, List<Val> args) {
    Methods.arity(name, args, 1);
    Val v = args.get(0);
    Equality.requireKnown(v);
    byte[] input;
    if (v instanceof Val.Str s) {
      input = Methods.utf8(s.value());
    } else if (v instanceof Val.Bytes b) {
      input = b.value().toByteArray();
    } else {
      throw EvalException.error("hashing needs a string or bytes");
    }
    try {
      switch (name) {
        case "md5":
          return new Val.Bytes(ByteString.copyFrom(MessageDigest.getInstance("MD5").digest(input)));
        case "sha256":
          return new Val.Bytes(
              ByteString.copyFrom(MessageDigest.getInstance("SHA-256").digest(input)));
        case "crc32":
          {
            CRC32 crc = new CRC32();
            crc.update(input);
            long c = crc.getValue();
            return new Val.Bytes(
                ByteString.copyFrom(
                    new byte[] {(byte) (c >>> 24), (byte) (c >>> 16), (byte) (c >>> 8), (byte) c}));
          }
        default:
          throw EvalException.error("Function not found error: Name: [hashing." + name + "]");
      }
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
