package dev.atelier.http;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dev.atelier.store.Ids;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Strict reading of a JSON object body: each getter records a field error instead of throwing, and
 * {@link #finish()} rejects unknown fields and throws one 400 INVALID_ARGUMENT listing every bad
 * field in {@code details.fields}. Typical use: read every field, then call {@code finish()}.
 */
public final class RequestBody {

  private final JsonObject json;
  private final String prefix;
  private final Set<String> read = new HashSet<>();
  private final Map<String, String> errors;

  private RequestBody(JsonObject json, String prefix, Map<String, String> errors) {
    this.json = json;
    this.prefix = prefix;
    this.errors = errors;
  }

  /** SPEC (Security): a body nested deeper than this is refused. */
  static final int MAX_DEPTH = 16;

  /**
   * Parses a body that must be exactly one JSON object (strict syntax). A key given twice in one
   * object (which value wins differs between parsers) and nesting deeper than {@value #MAX_DEPTH}
   * levels are refused.
   */
  public static RequestBody parse(String raw) {
    JsonElement element;
    try {
      JsonReader reader = new JsonReader(new StringReader(raw));
      reader.setStrictness(Strictness.STRICT);
      element = read(reader, 0);
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        throw new JsonParseException("trailing data after the JSON value");
      }
    } catch (JsonParseException | IOException | IllegalStateException | NumberFormatException e) {
      throw new ApiException(ErrorCode.INVALID_ARGUMENT, "request body is not valid JSON");
    }
    if (!element.isJsonObject()) {
      throw new ApiException(ErrorCode.INVALID_ARGUMENT, "request body must be a JSON object");
    }
    return new RequestBody(element.getAsJsonObject(), "", new LinkedHashMap<>());
  }

  /** One JSON value; {@code depth} counts the arrays and objects around it. */
  private static JsonElement read(JsonReader in, int depth) throws IOException {
    JsonToken token = in.peek();
    if ((token == JsonToken.BEGIN_OBJECT || token == JsonToken.BEGIN_ARRAY) && depth >= MAX_DEPTH) {
      throw new ApiException(
          ErrorCode.INVALID_ARGUMENT,
          "request body is nested deeper than " + MAX_DEPTH + " levels");
    }
    switch (token) {
      case BEGIN_OBJECT -> {
        JsonObject object = new JsonObject();
        in.beginObject();
        while (in.hasNext()) {
          String name = in.nextName();
          if (object.has(name)) {
            throw new ApiException(
                ErrorCode.INVALID_ARGUMENT,
                "request body has a duplicate key",
                Map.of("fields", Map.of(name, "duplicate key")));
          }
          object.add(name, read(in, depth + 1));
        }
        in.endObject();
        return object;
      }
      case BEGIN_ARRAY -> {
        JsonArray array = new JsonArray();
        in.beginArray();
        while (in.hasNext()) {
          array.add(read(in, depth + 1));
        }
        in.endArray();
        return array;
      }
      case STRING -> {
        return new JsonPrimitive(in.nextString());
      }
      case NUMBER -> {
        return new JsonPrimitive(new BigDecimal(in.nextString()));
      }
      case BOOLEAN -> {
        return new JsonPrimitive(in.nextBoolean());
      }
      case NULL -> {
        in.nextNull();
        return JsonNull.INSTANCE;
      }
      default -> throw new JsonParseException("unexpected " + token);
    }
  }

  public String requiredString(String field, int maxLength) {
    return optionalString(field, maxLength).orElseGet(() -> missing(field, null));
  }

  /** Free text (a prompt, a reason): like a string, but newlines and tabs are allowed. */
  public String requiredText(String field, int maxLength) {
    return optionalText(field, maxLength).orElseGet(() -> missing(field, null));
  }

  public Optional<String> optionalText(String field, int maxLength) {
    return string(field, maxLength, true);
  }

  /** A client-sent id (uid, item id…) in our id grammar ({@link Ids}); 400 otherwise. */
  public String requiredId(String field) {
    return optionalId(field).orElseGet(() -> missing(field, null));
  }

  public Optional<String> optionalId(String field) {
    return optionalString(field, 1024)
        .flatMap(
            s ->
                Ids.isValid(s)
                    ? Optional.of(s)
                    : invalid(
                        field,
                        "must be an id: 1-"
                            + Ids.MAX_LENGTH
                            + " of letters, digits and . _ : @ + -"));
  }

  /** A string without control characters (use {@link #optionalText} where newlines belong). */
  public Optional<String> optionalString(String field, int maxLength) {
    return string(field, maxLength, false);
  }

  private Optional<String> string(String field, int maxLength, boolean text) {
    return primitive(field)
        .flatMap(
            p -> {
              if (!p.isString()) {
                return invalid(field, "must be a string");
              }
              String s = p.getAsString();
              if (s.length() > maxLength) {
                return invalid(field, "must be at most " + maxLength + " characters");
              }
              if (hasControlCharacters(s, text)) {
                return invalid(
                    field,
                    text
                        ? "must not contain control characters (newline and tab are allowed)"
                        : "must not contain control characters");
              }
              return Optional.of(s);
            });
  }

  public long requiredLong(String field, long min, long max) {
    return optionalLong(field, min, max).orElseGet(() -> missing(field, 0L));
  }

  public Optional<Long> optionalLong(String field, long min, long max) {
    return primitive(field)
        .flatMap(
            p -> {
              if (!p.isNumber()) {
                return invalid(field, "must be an integer");
              }
              try {
                // Extreme exponents (1e10000) are refused by the parser itself: out of range either
                // way.
                BigDecimal n = p.getAsBigDecimal();
                long v = n.longValueExact();
                if (v < min || v > max) {
                  return invalid(field, "must be between " + min + " and " + max);
                }
                return Optional.of(v);
              } catch (ArithmeticException | NumberFormatException e) {
                return invalid(field, "must be an integer between " + min + " and " + max);
              }
            });
  }

  /**
   * Firestore stores times from year 1 to 9999; we take 1970 on (nothing in this system is older).
   */
  private static final Instant EARLIEST = Instant.EPOCH;

  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  /** An RFC 3339 timestamp string such as {@code 2026-12-31T23:59:59Z}, between 1970 and 9999. */
  public Optional<Instant> optionalTimestamp(String field) {
    return optionalString(field, 64)
        .flatMap(
            s -> {
              try {
                Instant t = Instant.parse(s);
                if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
                  return invalid(field, "must be between 1970 and 9999");
                }
                return Optional.of(t);
              } catch (DateTimeParseException e) {
                return invalid(field, "must be an RFC 3339 timestamp like 2026-12-31T23:59:59Z");
              }
            });
  }

  /** One of the enum's constant names. */
  public <E extends Enum<E>> Optional<E> optionalEnum(String field, Class<E> type) {
    return optionalString(field, 64)
        .flatMap(
            s -> {
              for (E e : type.getEnumConstants()) {
                if (e.name().equals(s)) {
                  return Optional.of(e);
                }
              }
              return invalid(
                  field, "must be one of " + java.util.Arrays.toString(type.getEnumConstants()));
            });
  }

  public <E extends Enum<E>> E requiredEnum(String field, Class<E> type) {
    return optionalEnum(field, type).orElseGet(() -> missing(field, null));
  }

  /** One of the allowed spellings (e.g. a stored enum's wire values). */
  public Optional<String> optionalOneOf(String field, java.util.List<String> allowed) {
    return optionalString(field, 64)
        .flatMap(
            s ->
                allowed.contains(s) ? Optional.of(s) : invalid(field, "must be one of " + allowed));
  }

  /**
   * A JSON array of strings: at most {@code maxItems}, each at most {@code maxLength} characters.
   */
  public Optional<List<String>> optionalStringList(String field, int maxItems, int maxLength) {
    read.add(field);
    JsonElement e = json.get(field);
    if (e == null || e.isJsonNull()) {
      return Optional.empty();
    }
    if (!e.isJsonArray()) {
      return invalid(field, "must be an array of strings");
    }
    JsonArray array = e.getAsJsonArray();
    if (array.size() > maxItems) {
      return invalid(field, "must have at most " + maxItems + " items");
    }
    List<String> out = new ArrayList<>(array.size());
    for (JsonElement item : array) {
      if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isString()) {
        return invalid(field, "must be an array of strings");
      }
      String s = item.getAsString();
      if (s.length() > maxLength) {
        return invalid(field, "items must be at most " + maxLength + " characters");
      }
      if (hasControlCharacters(s, false)) {
        return invalid(field, "items must not contain control characters");
      }
      out.add(s);
    }
    return Optional.of(out);
  }

  /** A JSON boolean. */
  public Optional<Boolean> optionalBoolean(String field) {
    return primitive(field)
        .flatMap(
            p ->
                p.isBoolean()
                    ? Optional.of(p.getAsBoolean())
                    : invalid(field, "must be true or false"));
  }

  /**
   * C0/C1 controls, DEL and unpaired surrogates; newline and tab only count when {@code text} is
   * false.
   */
  static boolean hasControlCharacters(String s, boolean text) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (text && (c == '\n' || c == '\t')) {
        continue;
      }
      if (Character.isISOControl(c)) {
        return true;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return true;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A nested object read with the same strictness; its errors are reported as {@code parent.child}.
   */
  public Optional<RequestBody> optionalObject(String field) {
    read.add(field);
    JsonElement e = json.get(field);
    if (e == null || e.isJsonNull()) {
      return Optional.empty();
    }
    if (!e.isJsonObject()) {
      return invalid(field, "must be an object");
    }
    return Optional.of(new RequestBody(e.getAsJsonObject(), prefix + field + ".", errors));
  }

  /**
   * Rejects unknown fields (here and in nested objects read before) and throws if any field was
   * bad.
   */
  public void finish() {
    checkUnknown();
    if (!errors.isEmpty()) {
      throw new ApiException(
          ErrorCode.INVALID_ARGUMENT,
          "request body has invalid fields",
          Map.of("fields", new LinkedHashMap<>(errors)));
    }
  }

  /**
   * Also called by the parent's {@link #finish()} through shared error map: nested objects check
   * themselves here.
   */
  public RequestBody done() {
    checkUnknown();
    return this;
  }

  private void checkUnknown() {
    List<String> unknown = new ArrayList<>();
    for (String key : json.keySet()) {
      if (!read.contains(key)) {
        unknown.add(key);
      }
    }
    unknown.forEach(key -> errors.putIfAbsent(prefix + key, "unknown field"));
  }

  private Optional<JsonPrimitive> primitive(String field) {
    read.add(field);
    JsonElement e = json.get(field);
    if (e == null || e.isJsonNull()) {
      return Optional.empty();
    }
    if (!e.isJsonPrimitive()) {
      return invalid(
          field, e instanceof JsonArray ? "must not be an array" : "must not be an object");
    }
    return Optional.of(e.getAsJsonPrimitive());
  }

  private <T> Optional<T> invalid(String field, String message) {
    errors.putIfAbsent(prefix + field, message);
    return Optional.empty();
  }

  private <T> T missing(String field, T placeholder) {
    errors.putIfAbsent(prefix + field, "is required");
    return placeholder;
  }
}
