package dev.atelier.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded, reproducible stream of requests no HTTP function may accept: each carries at least one
 * defect every function refuses before changing anything — no or a garbage token, a wrong method or
 * content type, a body that is not one JSON object, invalid UTF-8, an oversized body, or a JSON
 * object with an unknown field next to random shapes of the known ones (wrong types, deep nesting,
 * huge or strange strings, extreme numbers). The same seed always gives the same cases.
 */
public final class HostileInputs {

  /**
   * One request: method, headers, raw body, whether it carries a valid user token, and what it
   * tries.
   */
  public record Case(
      String method, Map<String, String> headers, byte[] body, boolean token, String description) {
    @Override
    public String toString() {
      String shown = new String(body, StandardCharsets.UTF_8);
      return description
          + " ["
          + method
          + " "
          + headers
          + " "
          + (shown.length() > 120 ? shown.substring(0, 120) + "…" : shown)
          + "]";
    }
  }

  private static final String[] STRANGE = {
    "",
    " ",
    "\u0000",
    "\u0007bell",
    "line\nbreak",
    "tab\there",
    "\u202Eright-to-left",
    "zero\u200Bwidth",
    "e\u0301 combining",
    "😀🎨",
    "\uD83D\uDE00\uD83D",
    "\\u0000",
    "\"quoted\"",
    "<script>alert(1)</script>",
    "'; DROP TABLE users; --",
    "../../etc/passwd",
    "a/b",
    ".",
    "..",
    "__x__",
    "%00",
    "null",
    "true",
    "0",
    "\uFEFFbom",
    "\uFFFF",
    "ﬁ ligature",
    "İstanbul",
    "ß",
    "\u00A0nbsp"
  };
  private static final String[] NUMBERS = {
    "0",
    "-0",
    "1",
    "-1",
    "1.5",
    "1e10000",
    "-1e10000",
    "9007199254740993",
    "1e-400",
    "123456789012345678901234567890",
    "0.1e1",
    "2E2",
    "-9223372036854775809"
  };

  /** The size of every HTTP function's hostile-input suite. */
  public static final int SUITE_SIZE = 2000;

  private HostileInputs() {}

  /**
   * Sends {@code count} generated cases from {@code seed} to {@code host} (8 at a time) with a
   * valid token from {@code token} where the case carries one, and asserts that every answer is a
   * 4xx in the SPEC's error shape without a stack trace, and — through the emulator's counters —
   * that nothing was written or deleted.
   *
   * @return how many cases ran
   */
  public static int assertAllRefused(
      LoopbackHttpHost host,
      String suffix,
      java.util.function.Supplier<String> token,
      List<String> knownFields,
      long seed,
      int count,
      dev.atelier.emulator.junit.EmulatorHandle emulator) {
    List<Case> cases = generate(seed, count, knownFields);
    emulator.resetCounters();
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(8);
    List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    long started = System.nanoTime();
    try {
      List<java.util.concurrent.Future<?>> done = new ArrayList<>();
      for (Case c : cases) {
        done.add(
            pool.submit(
                () -> {
                  java.net.http.HttpRequest.Builder request =
                      host.request(suffix, c.token() ? token.get() : null);
                  c.headers().forEach(request::setHeader);
                  java.net.http.HttpResponse<String> r =
                      host.send(
                          request
                              .method(
                                  c.method(),
                                  java.net.http.HttpRequest.BodyPublishers.ofByteArray(c.body()))
                              .build());
                  String problem = refusalProblem(r);
                  if (problem != null) {
                    failures.add(c + " → " + r.statusCode() + " " + r.body() + ": " + problem);
                  }
                }));
      }
      for (java.util.concurrent.Future<?> f : done) {
        f.get();
      }
    } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
      throw new AssertionError("sending the hostile cases failed", e);
    } finally {
      pool.shutdownNow();
    }
    dev.atelier.emulator.Counters counters = emulator.counters();
    System.out.printf(
        "%s hostile input: %d cases (seed %d) in %d ms, %s%n",
        host.uri(), cases.size(), seed, (System.nanoTime() - started) / 1_000_000, counters);
    if (!failures.isEmpty()) {
      throw new AssertionError(
          failures.size()
              + " of "
              + cases.size()
              + " cases were not refused properly, e.g.:\n  "
              + String.join("\n  ", failures.subList(0, Math.min(5, failures.size()))));
    }
    if (counters.writes() != 0 || counters.deletes() != 0) {
      throw new AssertionError("hostile input changed the database: " + counters);
    }
    return cases.size();
  }

  /** Why {@code r} is not a proper refusal, or null when it is one. */
  private static String refusalProblem(java.net.http.HttpResponse<String> r) {
    if (r.statusCode() < 400 || r.statusCode() > 499) {
      return "not a 4xx";
    }
    if (r.body().contains("Exception") || r.body().contains("\tat ")) {
      return "a stack trace leaked";
    }
    try {
      com.google.gson.JsonObject error =
          com.google.gson.JsonParser.parseString(r.body())
              .getAsJsonObject()
              .getAsJsonObject("error");
      if (error == null
          || !error.has("code")
          || !error.has("message")
          || !error.has("details")
          || !error.get("code").getAsString().matches("[A-Z][A-Z_]*")) {
        return "not the error shape";
      }
    } catch (RuntimeException e) {
      return "not JSON";
    }
    return null;
  }

  /**
   * {@code count} cases from {@code seed}. {@code knownFields} are the function's own body fields:
   * they appear with random values, always beside a defect that makes the request invalid.
   */
  public static List<Case> generate(long seed, int count, List<String> knownFields) {
    Random random = new Random(seed);
    List<Case> cases = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      cases.add(one(random, knownFields, i));
    }
    return cases;
  }

  private static Case one(Random random, List<String> known, int i) {
    Map<String, String> json = Map.of("Content-Type", "application/json");
    switch (random.nextInt(12)) {
      case 0:
        return new Case("POST", json, object(random, known, true), false, i + " no token");
      case 1:
        return new Case(
            "POST",
            Map.of("Content-Type", "application/json", "Authorization", garbageAuth(random)),
            object(random, known, false),
            false,
            i + " garbage Authorization");
      case 2:
        {
          String method = new String[] {"GET", "PUT", "DELETE", "PATCH"}[random.nextInt(4)];
          return new Case(
              method,
              json,
              method.equals("GET") || method.equals("DELETE")
                  ? new byte[0]
                  : object(random, known, false),
              true,
              i + " method " + method);
        }
      case 3:
        {
          String type =
              new String[] {
                    "text/plain",
                    "application/x-www-form-urlencoded",
                    "multipart/form-data",
                    "application/jsonx",
                    "application/xml"
                  }
                  [random.nextInt(5)];
          return new Case(
              "POST",
              Map.of("Content-Type", type),
              object(random, known, false),
              true,
              i + " content type " + type);
        }
      case 4:
        return new Case(
            "POST",
            json,
            notAnObject(random).getBytes(StandardCharsets.UTF_8),
            true,
            i + " not one JSON object");
      case 5:
        return new Case("POST", json, invalidUtf8(random, known), true, i + " invalid UTF-8");
      case 6:
        {
          StringBuilder big = new StringBuilder("{\"").append(pick(random, known)).append("\":\"");
          big.append("A".repeat(70_000 + random.nextInt(30_000))).append("\"}");
          return new Case(
              "POST",
              json,
              big.toString().getBytes(StandardCharsets.UTF_8),
              true,
              i + " oversized body");
        }
      case 7:
        return new Case(
            "POST",
            json,
            deep(random, known, 20 + random.nextInt(200)).getBytes(StandardCharsets.UTF_8),
            true,
            i + " deep nesting");
      default:
        return new Case(
            "POST",
            json,
            object(random, known, true),
            true,
            i + " unknown field among random values");
    }
  }

  /** A JSON object of random known fields plus (when {@code unknown}) a field no function takes. */
  private static byte[] object(Random random, List<String> known, boolean unknown) {
    Map<String, String> fields = new LinkedHashMap<>();
    int n = random.nextInt(known.size() + 1);
    for (int k = 0; k < n; k++) {
      fields.put(pick(random, known), value(random, 0));
    }
    if (unknown || fields.isEmpty()) {
      fields.put(
          "zz" + Integer.toHexString(random.nextInt()) + strangeKeySuffix(random),
          value(random, 0));
    }
    StringBuilder b = new StringBuilder("{");
    fields.forEach(
        (k, v) -> b.append(b.length() > 1 ? "," : "").append(quote(k)).append(':').append(v));
    return b.append('}').toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String strangeKeySuffix(Random random) {
    return new String[] {"", " ", ".dot", "`tick`", "__", "/slash", "😀"}[random.nextInt(7)];
  }

  /**
   * A random JSON value: strings (strange, long), numbers (extreme), booleans, null, arrays,
   * objects.
   */
  private static String value(Random random, int depth) {
    int kind = random.nextInt(depth > 3 ? 5 : 7);
    return switch (kind) {
      case 0 -> quote(STRANGE[random.nextInt(STRANGE.length)]);
      case 1 -> quote("x".repeat(random.nextInt(random.nextBoolean() ? 50 : 30_000)));
      case 2 -> NUMBERS[random.nextInt(NUMBERS.length)];
      case 3 -> random.nextBoolean() ? "true" : "false";
      case 4 -> "null";
      case 5 -> {
        StringBuilder b = new StringBuilder("[");
        int n = random.nextInt(5);
        for (int k = 0; k < n; k++) {
          b.append(k > 0 ? "," : "").append(value(random, depth + 1));
        }
        yield b.append(']').toString();
      }
      default -> {
        StringBuilder b = new StringBuilder("{");
        int n = random.nextInt(4);
        for (int k = 0; k < n; k++) {
          b.append(k > 0 ? "," : "")
              .append(quote("k" + k))
              .append(':')
              .append(value(random, depth + 1));
        }
        yield b.append('}').toString();
      }
    };
  }

  private static String notAnObject(Random random) {
    String[] shapes = {
      "",
      " ",
      "null",
      "[]",
      "[1,2]",
      "\"a string\"",
      "42",
      "true",
      "{",
      "}",
      "{\"a\":}",
      "{\"a\":1,}",
      "{'a':1}",
      "{\"a\":1}{\"b\":2}",
      "{\"a\":1} trailing",
      "{a:1}",
      "\u0000",
      "{\"a\":NaN}",
      "{\"a\":Infinity}",
      "/* comment */{}",
      "{\"a\":\"unterminated}"
    };
    return shapes[random.nextInt(shapes.length)];
  }

  private static byte[] invalidUtf8(Random random, List<String> known) {
    byte[] prefix = ("{\"" + pick(random, known) + "\":\"").getBytes(StandardCharsets.UTF_8);
    byte[][] bad = {
      {(byte) 0xC3},
      {(byte) 0xFF},
      {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
      {(byte) 0xC0, (byte) 0xAF},
      {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}
    };
    byte[] middle = bad[random.nextInt(bad.length)];
    byte[] suffix = "\"}".getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[prefix.length + middle.length + suffix.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(middle, 0, out, prefix.length, middle.length);
    System.arraycopy(suffix, 0, out, prefix.length + middle.length, suffix.length);
    return out;
  }

  /**
   * Nested arrays or objects {@code depth} deep around a known field, plus an unknown field at the
   * top.
   */
  private static String deep(Random random, List<String> known, int depth) {
    boolean arrays = random.nextBoolean();
    String inner =
        arrays
            ? "[".repeat(depth) + "1" + "]".repeat(depth)
            : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    return "{" + quote(pick(random, known)) + ":" + inner + "," + quote("zzdeep") + ":1}";
  }

  private static String garbageAuth(Random random) {
    return new String[] {
          "Bearer",
          "Bearer ",
          "Basic dXNlcjpwYXNz",
          "Bearer not.a.jwt",
          "bearer x.y.z",
          "Bearer eyJhbGciOiJub25lIn0.e30.",
          "Token abc"
        }
        [random.nextInt(7)];
  }

  private static String pick(Random random, List<String> known) {
    return known.isEmpty() ? "field" : known.get(random.nextInt(known.size()));
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || Character.isSurrogate(c)) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
