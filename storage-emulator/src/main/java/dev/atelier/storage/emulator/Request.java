package dev.atelier.storage.emulator;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * One incoming request with its method override applied, its query parsed and its body read once.
 */
record Request(HttpExchange exchange, String method, String path, Map<String, String> query) {
  static Request of(HttpExchange exchange) {
    String override = exchange.getRequestHeaders().getFirst("X-HTTP-Method-Override");
    String method =
        (override != null ? override : exchange.getRequestMethod()).toUpperCase(Locale.ROOT);
    return new Request(
        exchange,
        method,
        exchange.getRequestURI().getRawPath(),
        Paths.query(exchange.getRequestURI().getRawQuery()));
  }

  String header(String name) {
    return exchange.getRequestHeaders().getFirst(name);
  }

  Headers responseHeaders() {
    return exchange.getResponseHeaders();
  }

  /** Links point back at the address the client used, so they work from wherever it connected. */
  String baseUrl() {
    String host = header("Host");
    return "http://" + (host != null ? host : "127.0.0.1:" + exchange.getLocalAddress().getPort());
  }

  byte[] body() throws IOException {
    InputStream in = exchange.getRequestBody();
    if ("gzip".equalsIgnoreCase(header("Content-Encoding"))) {
      in = new GZIPInputStream(in);
    }
    return in.readAllBytes();
  }

  JsonObject jsonBody() throws IOException {
    String text = new String(body(), StandardCharsets.UTF_8);
    if (text.isBlank()) {
      return new JsonObject();
    }
    try {
      return JsonParser.parseString(text).getAsJsonObject();
    } catch (RuntimeException e) {
      throw GcsException.invalid("The request body is not a JSON object");
    }
  }

  void sendJson(int status, JsonObject json) throws IOException {
    send(
        status,
        "application/json; charset=UTF-8",
        json.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** A HEAD answer carries the Content-Length the GET would have, and no body. */
  void send(int status, String contentType, byte[] body) throws IOException {
    if (!contentType.isEmpty()) {
      exchange.getResponseHeaders().set("Content-Type", contentType);
    }
    boolean noBody = body.length == 0 || method.equals("HEAD") || status == 204 || status == 304;
    if (noBody && method.equals("HEAD") && body.length > 0) {
      exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
    }
    exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
    if (!noBody) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
