package dev.atelier.provider.standin;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.atelier.providers.StandardWebhooks;
import dev.atelier.providers.StandardWebhooks.Verification;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback webhook endpoint for tests: verifies every delivery with {@link StandardWebhooks}
 * against the secret it was given, records it, and answers 204 (or the statuses queued with {@link
 * #answerNext}).
 */
public final class WebhookReceiver implements AutoCloseable {

  /** One request as it arrived. */
  public record Received(
      String path,
      Optional<String> webhookId,
      Optional<String> contentType,
      byte[] body,
      Verification verification,
      int answeredWith,
      Instant at) {

    public JsonObject json() {
      return JsonParser.parseString(new String(body, StandardCharsets.UTF_8)).getAsJsonObject();
    }

    public boolean valid() {
      return verification instanceof Verification.Valid;
    }
  }

  private final HttpServer server;
  private final String secret;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedQueue<Integer> answers = new ConcurrentLinkedQueue<>();

  private WebhookReceiver(String secret) throws IOException {
    this.secret = secret;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/", this::handle);
    server.start();
  }

  public static WebhookReceiver start(String secret) throws IOException {
    return new WebhookReceiver(secret);
  }

  /** The URL to pass as a prediction's {@code webhook}. */
  public URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  /** The next requests get these statuses, in order; then 204 again. */
  public void answerNext(int... statuses) {
    for (int status : statuses) {
      answers.add(status);
    }
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  /** What arrived for one prediction (by the {@code id} in the body). */
  public List<Received> receivedFor(String predictionId) {
    return received.stream()
        .filter(r -> predictionId.equals(r.json().get("id").getAsString()))
        .toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange;
        InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readAllBytes();
      var headers = exchange.getRequestHeaders();
      Verification verification =
          StandardWebhooks.verify(
              secret,
              Optional.ofNullable(headers.getFirst("webhook-id")),
              Optional.ofNullable(headers.getFirst("webhook-timestamp")),
              Optional.ofNullable(headers.getFirst("webhook-signature")),
              body,
              Instant.now());
      Integer queued = answers.poll();
      int status =
          verification instanceof Verification.Valid ? (queued == null ? 204 : queued) : 401;
      received.add(
          new Received(
              exchange.getRequestURI().getPath(),
              Optional.ofNullable(headers.getFirst("webhook-id")),
              Optional.ofNullable(headers.getFirst("Content-Type")),
              body,
              verification,
              status,
              Instant.now()));
      exchange.sendResponseHeaders(status, -1);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
