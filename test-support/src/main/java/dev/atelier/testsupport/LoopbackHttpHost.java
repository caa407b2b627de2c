package dev.atelier.testsupport;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves one {@link HttpFunction} on 127.0.0.1 at {@code /<name>} (and below), adapting the JDK's
 * HTTP server to the Functions Framework API, so tests send real, parallel HTTP requests. Like the
 * invoker, an exception escaping the function becomes a bare 500.
 */
public final class LoopbackHttpHost implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor;
  private final String name;
  private final HttpClient client;

  private LoopbackHttpHost(HttpServer server, ExecutorService executor, String name) {
    this.server = server;
    this.executor = executor;
    this.name = name;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newFixedThreadPool(16))
            .build();
  }

  /** Starts serving {@code function} at {@code http://127.0.0.1:<port>/<name>}. */
  public static LoopbackHttpHost start(String name, HttpFunction function) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
      ExecutorService executor = Executors.newFixedThreadPool(64);
      server.setExecutor(executor);
      server.createContext("/" + name, exchange -> handle(function, exchange));
      server.start();
      return new LoopbackHttpHost(server, executor, name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public URI uri() {
    return uri("");
  }

  /** The function's URL with a path suffix, e.g. {@code "/redeem-codes"}. */
  public URI uri(String suffix) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + name + suffix);
  }

  /** A client shared by the test (HTTP/1.1, its own thread pool). */
  public HttpClient client() {
    return client;
  }

  /**
   * POSTs a JSON body to {@code /<name><suffix>} with a bearer token (none when null) and extra
   * header pairs.
   */
  public java.net.http.HttpResponse<String> post(
      String suffix, String token, String json, String... headers) {
    return send(
        request(suffix, token, headers)
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  /**
   * A request builder for {@code /<name><suffix>} with JSON content type, bearer token and header
   * pairs.
   */
  public java.net.http.HttpRequest.Builder request(String suffix, String token, String... headers) {
    java.net.http.HttpRequest.Builder b =
        java.net.http.HttpRequest.newBuilder(uri(suffix))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.setHeader(headers[i], headers[i + 1]);
    }
    return b;
  }

  /**
   * Sends every request before awaiting any answer (parallel calls into the one instance); the
   * answers in the requests' order.
   */
  public List<java.net.http.HttpResponse<String>> sendAllAtOnce(
      List<java.net.http.HttpRequest> requests) {
    List<java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>>> calls =
        requests.stream()
            .map(r -> client.sendAsync(r, java.net.http.HttpResponse.BodyHandlers.ofString()))
            .toList();
    return calls.stream().map(java.util.concurrent.CompletableFuture::join).toList();
  }

  public java.net.http.HttpResponse<String> send(java.net.http.HttpRequest request) {
    try {
      return client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private static void handle(HttpFunction function, HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    ExchangeResponse response = new ExchangeResponse();
    try {
      function.service(new ExchangeRequest(exchange, body), response);
    } catch (Exception | Error e) {
      response.reset();
      response.setStatusCode(500);
    }
    response.flushWriter();
    byte[] out = response.bytes.toByteArray();
    response.headers.forEach(
        (k, values) -> values.forEach(v -> exchange.getResponseHeaders().add(k, v)));
    response.contentType.ifPresent(ct -> exchange.getResponseHeaders().set("Content-Type", ct));
    exchange.sendResponseHeaders(response.status, out.length == 0 ? -1 : out.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(out);
    }
  }

  private static final class ExchangeRequest implements HttpRequest {
    private final HttpExchange exchange;
    private final byte[] body;
    private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    ExchangeRequest(HttpExchange exchange, byte[] body) {
      this.exchange = exchange;
      this.body = body;
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, List.copyOf(v)));
    }

    @Override
    public String getMethod() {
      return exchange.getRequestMethod();
    }

    @Override
    public String getUri() {
      return exchange.getRequestURI().toString();
    }

    @Override
    public String getPath() {
      return exchange.getRequestURI().getPath();
    }

    @Override
    public Optional<String> getQuery() {
      return Optional.ofNullable(exchange.getRequestURI().getRawQuery());
    }

    @Override
    public Map<String, List<String>> getQueryParameters() {
      Map<String, List<String>> params = new LinkedHashMap<>();
      getQuery()
          .ifPresent(
              q -> {
                for (String pair : q.split("&")) {
                  if (pair.isEmpty()) continue;
                  int eq = pair.indexOf('=');
                  String k =
                      URLDecoder.decode(
                          eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                  String v =
                      eq < 0
                          ? ""
                          : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                  params.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
                }
              });
      return params;
    }

    @Override
    public Map<String, HttpPart> getParts() {
      throw new IllegalStateException("multipart not supported");
    }

    @Override
    public Optional<String> getContentType() {
      return getFirstHeader("Content-Type");
    }

    @Override
    public long getContentLength() {
      return body.length;
    }

    @Override
    public Optional<String> getCharacterEncoding() {
      return getContentType()
          .flatMap(
              ct -> {
                for (String part : ct.split(";")) {
                  String p = part.trim();
                  if (p.toLowerCase().startsWith("charset=")) return Optional.of(p.substring(8));
                }
                return Optional.empty();
              });
    }

    @Override
    public InputStream getInputStream() {
      return new ByteArrayInputStream(body);
    }

    @Override
    public BufferedReader getReader() {
      return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
    }

    @Override
    public Map<String, List<String>> getHeaders() {
      return headers;
    }
  }

  private static final class ExchangeResponse implements HttpResponse {
    private int status = 200;
    private Optional<String> contentType = Optional.empty();
    private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private BufferedWriter writer;

    void reset() {
      bytes = new ByteArrayOutputStream();
      writer = null;
      headers.clear();
      contentType = Optional.empty();
    }

    void flushWriter() throws IOException {
      if (writer != null) writer.flush();
    }

    @Override
    public void setStatusCode(int code) {
      status = code;
    }

    @Override
    public void setStatusCode(int code, String message) {
      status = code;
    }

    @Override
    public void setContentType(String type) {
      contentType = Optional.of(type);
    }

    @Override
    public Optional<String> getContentType() {
      return contentType;
    }

    @Override
    public void appendHeader(String header, String value) {
      headers.computeIfAbsent(header, k -> new ArrayList<>()).add(value);
    }

    @Override
    public Map<String, List<String>> getHeaders() {
      return headers;
    }

    @Override
    public OutputStream getOutputStream() {
      return bytes;
    }

    @Override
    public BufferedWriter getWriter() {
      if (writer == null)
        writer = new BufferedWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8));
      return writer;
    }
  }
}
