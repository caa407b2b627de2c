package dev.atelier.local.front;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.atelier.local.schedule.Schedules;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;

/** Reverse proxy on 127.0.0.1 from {@code /<name>/rest} to {@code <function base URL>/rest}. */
public final class FrontRouter implements AutoCloseable {

  /** Runs a schedule by name; empty when there is no such scheduled function. */
  public interface ScheduleRunner {
    Optional<Schedules.Run> runNow(String name);
  }

  // Hop-by-hop and client-managed headers are not forwarded.
  private static final Set<String> SKIPPED =
      Set.of(
          "connection",
          "content-length",
          "host",
          "transfer-encoding",
          "expect",
          "upgrade",
          "keep-alive",
          "te",
          "trailer",
          "proxy-connection",
          "http2-settings");
  private static final String SCHEDULES = "/_schedules/";
  private static final String FORWARDED_FOR = "X-Forwarded-For";

  private final HttpServer server;
  private final Map<String, URI> functions;
  private final ScheduleRunner schedules;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private FrontRouter(HttpServer server, Map<String, URI> functions, ScheduleRunner schedules) {
    this.server = server;
    this.functions = Map.copyOf(functions);
    this.schedules = schedules;
  }

  /**
   * @param functions function name → base URL of its process
   */
  public static FrontRouter start(int port, Map<String, URI> functions, ScheduleRunner schedules)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
    FrontRouter router = new FrontRouter(server, functions, schedules);
    server.createContext("/", router::handle);
    server.setExecutor(
        Executors.newFixedThreadPool(
            16,
            runnable -> {
              Thread thread = new Thread(runnable, "front");
              thread.setDaemon(true);
              return thread;
            }));
    server.start();
    return router;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public URI url(String functionName) {
    return URI.create("http://127.0.0.1:" + port() + "/" + functionName);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      if (path.startsWith(SCHEDULES)) {
        runSchedule(exchange, path.substring(SCHEDULES.length()));
        return;
      }
      String name = path.substring(1).split("/", 2)[0];
      URI base = functions.get(name);
      if (base == null) {
        reply(
            exchange,
            404,
            error(
                "NOT_FOUND",
                "no function named '"
                    + name
                    + "'; known: "
                    + functions.keySet().stream().sorted().toList()));
        return;
      }
      proxy(exchange, base, path.substring(1 + name.length()));
    }
  }

  private void runSchedule(HttpExchange exchange, String command) throws IOException {
    if (!exchange.getRequestMethod().equals("POST") || !command.endsWith(":run")) {
      reply(exchange, 405, error("METHOD_NOT_ALLOWED", "use POST /_schedules/<name>:run"));
      return;
    }
    String name = command.substring(0, command.length() - ":run".length());
    Optional<Schedules.Run> run = schedules.runNow(name);
    if (run.isEmpty()) {
      reply(exchange, 404, error("NOT_FOUND", "no scheduled function named '" + name + "'"));
      return;
    }
    // The function's own answer (its JSON summary) goes back as "response", as JSON when it is.
    JsonObject answer = new JsonObject();
    answer.addProperty("function", name);
    answer.addProperty("status", run.get().status());
    try {
      answer.add("response", JsonParser.parseString(run.get().body()));
    } catch (JsonParseException e) {
      answer.addProperty("response", run.get().body());
    }
    reply(exchange, run.get().status() / 100 == 2 ? 200 : 502, answer.toString());
  }

  private void proxy(HttpExchange exchange, URI base, String rest) throws IOException {
    String query = exchange.getRequestURI().getRawQuery();
    String origin = base.toString().replaceAll("/+$", "");
    URI target =
        URI.create(origin + (rest.isEmpty() ? "/" : rest) + (query == null ? "" : "?" + query));
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(target)
            .method(
                exchange.getRequestMethod(),
                body.length == 0 && !hasBody(exchange)
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    exchange
        .getRequestHeaders()
        .forEach(
            (header, values) -> {
              if (!SKIPPED.contains(header.toLowerCase())
                  && !header.equalsIgnoreCase(FORWARDED_FOR)) {
                values.forEach(v -> addHeader(request, header, v));
              }
            });
    // As Google's front end does: the client's own chain first, then the address we saw.
    String client = exchange.getRemoteAddress().getAddress().getHostAddress();
    String chain = exchange.getRequestHeaders().getFirst(FORWARDED_FOR);
    request.header(FORWARDED_FOR, chain == null ? client : chain + ", " + client);
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reply(exchange, 503, error("UNAVAILABLE", "interrupted"));
      return;
    } catch (IOException e) {
      reply(exchange, 502, error("BAD_GATEWAY", "function not reachable: " + e.getMessage()));
      return;
    }
    response
        .headers()
        .map()
        .forEach(
            (header, values) -> {
              if (!SKIPPED.contains(header.toLowerCase()) && !header.startsWith(":")) {
                exchange.getResponseHeaders().put(header, List.copyOf(values));
              }
            });
    byte[] out = response.body();
    exchange.sendResponseHeaders(response.statusCode(), out.length == 0 ? -1 : out.length);
    if (out.length > 0) {
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(out);
      }
    }
  }

  private static void addHeader(HttpRequest.Builder request, String header, String value) {
    try {
      request.header(header, value);
    } catch (IllegalArgumentException restrictedByHttpClient) {
      // the JDK client sets these itself
    }
  }

  private static boolean hasBody(HttpExchange exchange) {
    return exchange.getRequestHeaders().containsKey("Content-Length")
        || exchange.getRequestHeaders().containsKey("Transfer-Encoding");
  }

  private static String error(String code, String message) {
    return "{\"error\":{\"code\":\""
        + code
        + "\",\"message\":\""
        + message.replace("\"", "'")
        + "\",\"details\":{}}}";
  }

  private static void reply(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
