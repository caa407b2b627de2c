package dev.atelier.emulator;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The emulator's HTTP/1.1 API: Google's wipe endpoint, our counters and fault injection, and
 * Firestore's REST document reads ({@link RestReads}).
 */
final class AdminHttp {
  private static final Pattern WIPE =
      Pattern.compile("/emulator/v1/projects/([^/]+)/databases/([^/]+)/documents");
  private static final Gson GSON = new Gson();

  private final FirestoreEmulator emulator;
  private final RestReads rest;

  AdminHttp(FirestoreEmulator emulator, RestReads rest) {
    this.emulator = emulator;
    this.rest = rest;
  }

  record Response(int status, String contentType, String body) {
    static Response json(int status, Object body) {
      return new Response(status, "application/json", GSON.toJson(body));
    }
  }

  /**
   * Answers one admin request without credentials (the owner's view: admin endpoints are not
   * rules-checked).
   */
  Response handle(String method, String target, String body) {
    return handle(method, target, body, null);
  }

  /**
   * Answers one admin request; {@code target} is the request URI (path and query), {@code
   * authorization} the request's Authorization header (REST reads are decided by the rules for
   * anyone but the owner).
   */
  Response handle(String method, String target, String body, String authorization) {
    String[] pathAndQuery = target.split("\\?", 2);
    String path = URLDecoder.decode(pathAndQuery[0].replace("+", "%2B"), StandardCharsets.UTF_8);
    if (RestReads.matches(path)) {
      return rest.handle(
          method, path, query(pathAndQuery.length > 1 ? pathAndQuery[1] : ""), authorization);
    }
    Matcher wipe = WIPE.matcher(path);
    if (method.equals("GET") && path.equals("/")) {
      return new Response(200, "text/plain", "Ok");
    }
    if (method.equals("DELETE") && wipe.matches()) {
      emulator.wipe(wipe.group(1), wipe.group(2));
      return Response.json(200, Map.of());
    }
    if (method.equals("GET") && path.equals("/emulator/v1/counters")) {
      return Response.json(200, emulator.counters());
    }
    if (method.equals("POST") && path.equals("/emulator/v1/counters:reset")) {
      emulator.resetCounters();
      return Response.json(200, Map.of());
    }
    if (method.equals("POST") && path.equals("/emulator/v1/faults")) {
      return faults(body);
    }
    return Response.json(404, error(404, "No admin endpoint " + method + " " + path));
  }

  /** {@code a=1&b=x&b=y} → {a: [1], b: [x, y]}, decoded as a form (a '+' is a space). */
  private static Map<String, List<String>> query(String raw) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      String[] kv = pair.split("=", 2);
      out.computeIfAbsent(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), k -> new ArrayList<>())
          .add(kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
    }
    return out;
  }

  /** Reads the whole body before applying any of it: a bad body sets no fault. */
  private Response faults(String body) {
    List<Runnable> apply = new ArrayList<>();
    try {
      JsonObject json = body.isBlank() ? new JsonObject() : GSON.fromJson(body, JsonObject.class);
      if (json.has("abortNextCommits")) {
        int count = json.get("abortNextCommits").getAsInt();
        apply.add(() -> emulator.abortNextCommits(count));
      }
      if (json.has("failNextCommits")) {
        int count = json.get("failNextCommits").getAsInt();
        io.grpc.Status.Code code =
            io.grpc.Status.Code.valueOf(json.has("code") ? json.get("code").getAsString() : "");
        if (code == io.grpc.Status.Code.OK) {
          throw new IllegalArgumentException("OK is not a failure");
        }
        // Checked now, so that a bad path sets no fault.
        String under = Faults.checkedPath(json.has("under") ? json.get("under").getAsString() : "");
        apply.add(() -> emulator.failNextCommitsUnder(under, count, code));
      }
      if (json.has("delayMillis")) {
        Duration delay = Duration.ofMillis(json.get("delayMillis").getAsLong());
        apply.add(() -> emulator.delayResponses(delay));
      }
    } catch (JsonParseException
        | IllegalStateException
        | UnsupportedOperationException
        | IllegalArgumentException e) {
      return Response.json(
          400,
          error(
              400,
              "Expected {\"abortNextCommits\":N,\"delayMillis\":M} or"
                  + " {\"failNextCommits\":N,\"code\":\"<a gRPC status other than OK>\","
                  + "\"under\":\"<optional document or collection path>\"}"));
    }
    apply.forEach(Runnable::run);
    return Response.json(200, Map.of());
  }

  private static Map<String, Object> error(int code, String message) {
    return Map.of("error", Map.of("code", code, "message", message));
  }
}
