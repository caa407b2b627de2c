package dev.atelier.emulator;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The emulator's admin API over HTTP/1.1 (keep-alive): Google's wipe endpoint plus our counters and
 * fault injection.
 */
final class AdminHttp {
  private static final Pattern WIPE =
      Pattern.compile("/emulator/v1/projects/([^/]+)/databases/([^/]+)/documents");
  private static final Gson GSON = new Gson();
  private static final int MAX_LINE = 16 * 1024;

  private final FirestoreEmulator emulator;

  AdminHttp(FirestoreEmulator emulator) {
    this.emulator = emulator;
  }

  private record Response(int status, String contentType, String body) {
    static Response json(int status, Object body) {
      return new Response(status, "application/json", GSON.toJson(body));
    }
  }

  /** Serves requests on one connection until the client closes it or asks to. */
  void serve(InputStream in, OutputStream out) throws IOException {
    while (true) {
      String requestLine = readLine(in);
      if (requestLine == null || requestLine.isEmpty()) {
        return;
      }
      int contentLength = 0;
      boolean close = false;
      for (String header = readLine(in); header != null && !header.isEmpty(); header = readLine(in)) {
        int colon = header.indexOf(':');
        if (colon < 0) {
          continue;
        }
        String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = header.substring(colon + 1).trim();
        if (name.equals("content-length")) {
          contentLength = Integer.parseInt(value);
        } else if (name.equals("connection") && value.equalsIgnoreCase("close")) {
          close = true;
        }
      }
      byte[] body = in.readNBytes(contentLength);
      String[] parts = requestLine.split(" ");
      Response response =
          parts.length < 2
              ? Response.json(400, error(400, "Malformed request line"))
              : handle(parts[0], parts[1], new String(body, StandardCharsets.UTF_8));
      write(out, response, close);
      if (close) {
        return;
      }
    }
  }

  private Response handle(String method, String target, String body) {
    String path = URLDecoder.decode(target.split("\\?", 2)[0].replace("+", "%2B"), StandardCharsets.UTF_8);
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

  private Response faults(String body) {
    JsonObject json;
    try {
      json = body.isBlank() ? new JsonObject() : GSON.fromJson(body, JsonObject.class);
      if (json.has("abortNextCommits")) {
        emulator.abortNextCommits(json.get("abortNextCommits").getAsInt());
      }
      if (json.has("delayMillis")) {
        emulator.delayResponses(Duration.ofMillis(json.get("delayMillis").getAsLong()));
      }
    } catch (JsonParseException | IllegalStateException | UnsupportedOperationException | NumberFormatException e) {
      return Response.json(400, error(400, "Expected {\"abortNextCommits\":N,\"delayMillis\":M}"));
    }
    return Response.json(200, Map.of());
  }

  private static Map<String, Object> error(int code, String message) {
    return Map.of("error", Map.of("code", code, "message", message));
  }

  private static void write(OutputStream out, Response response, boolean close) throws IOException {
    byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
    String head =
        "HTTP/1.1 " + response.status() + " " + (response.status() == 200 ? "OK" : "Error") + "\r\n"
            + "Content-Type: " + response.contentType() + "; charset=utf-8\r\n"
            + "Content-Length: " + body.length + "\r\n"
            + (close ? "Connection: close\r\n" : "")
            + "\r\n";
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
  }

  /** A CRLF- or LF-terminated line, or null at end of stream. */
  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b >= 0; b = in.read()) {
      if (b == '\n') {
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
      }
      if (line.size() > MAX_LINE) {
        throw new IOException("Header line too long");
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }
}
