package dev.atelier.emulator.rules.eval;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A value of the rules language. Documents, requests and resources are maps; references are paths.
 * {@link PartialMap} and {@link Unknown} exist for proving list queries: they stand for whatever a
 * document the query may return holds, and every operation whose result depends on them fails with
 * an "unknown" {@link EvalException} (which, like any error, never grants access).
 */
public sealed interface Val {
  Null NULL = new Null();
  Bool TRUE = new Bool(true);
  Bool FALSE = new Bool(false);

  /** The type name {@code is} checks and error messages use. */
  String typeName();

  static Bool of(boolean b) {
    return b ? TRUE : FALSE;
  }

  record Null() implements Val {
    @Override
    public String typeName() {
      return "null";
    }
  }

  record Bool(boolean value) implements Val {
    @Override
    public String typeName() {
      return "bool";
    }
  }

  record Int(long value) implements Val {
    @Override
    public String typeName() {
      return "int";
    }
  }

  record Float(double value) implements Val {
    @Override
    public String typeName() {
      return "float";
    }
  }

  record Str(String value) implements Val {
    @Override
    public String typeName() {
      return "string";
    }
  }

  record Bytes(ByteString value) implements Val {
    @Override
    public String typeName() {
      return "bytes";
    }
  }

  /** An instant: seconds since the epoch and nanos in [0, 1e9). */
  record Timestamp(long seconds, int nanos) implements Val {
    @Override
    public String typeName() {
      return "timestamp";
    }
  }

  /** A signed length of time in nanoseconds. */
  record Duration(long nanos) implements Val {
    @Override
    public String typeName() {
      return "duration";
    }
  }

  record LatLng(double latitude, double longitude) implements Val {
    @Override
    public String typeName() {
      return "latlng";
    }
  }

  record ListV(List<Val> items) implements Val {
    public ListV {
      items = Collections.unmodifiableList(new ArrayList<>(items));
    }

    @Override
    public String typeName() {
      return "list";
    }
  }

  record MapV(Map<String, Val> entries) implements Val {
    public MapV {
      entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    @Override
    public String typeName() {
      return "map";
    }
  }

  /** A set: distinct values (by rules equality) in insertion order. */
  record SetV(List<Val> items) implements Val {
    public SetV {
      List<Val> distinct = new ArrayList<>();
      for (Val v : items) {
        if (distinct.stream().noneMatch(d -> Equality.equal(d, v))) {
          distinct.add(v);
        }
      }
      items = Collections.unmodifiableList(distinct);
    }

    @Override
    public String typeName() {
      return "set";
    }
  }

  /** A path such as {@code /databases/(default)/documents/users/u1}: its segments. */
  record PathV(List<String> segments) implements Val {
    public PathV {
      segments = List.copyOf(segments);
    }

    @Override
    public String typeName() {
      return "path";
    }

    @Override
    public String toString() {
      return "/" + String.join("/", segments);
    }
  }

  /** {@code left.diff(right)}. */
  record MapDiff(MapV left, MapV right) implements Val {
    @Override
    public String typeName() {
      return "map_diff";
    }
  }

  /** A namespace of global functions such as {@code math} or {@code timestamp}. */
  record Namespace(String name) implements Val {
    @Override
    public String typeName() {
      return "namespace";
    }
  }

  /**
   * A map of which only some entries are known (a document a query may return: the fields its
   * equality filters fix). Anything else about it is unknown.
   */
  record PartialMap(Map<String, Val> known) implements Val {
    public PartialMap {
      known = Collections.unmodifiableMap(new LinkedHashMap<>(known));
    }

    @Override
    public String typeName() {
      return "map";
    }
  }

  /** A value that differs between the documents a query may return (e.g. the document id). */
  record Unknown(String what) implements Val {
    @Override
    public String typeName() {
      return "unknown";
    }
  }
}
