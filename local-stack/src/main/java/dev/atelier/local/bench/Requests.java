package dev.atelier.local.bench;

import dev.atelier.local.StackInfo;
import dev.atelier.providers.StandardWebhooks;
import dev.atelier.testsupport.IdTokens;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Each function's first real request: one that needs a verified ID token (or a webhook signature)
 * and Firestore reads, and whose answer is known. Every call is a new user (a fresh uid in an
 * emulator-format token), so no per-user rate limit or cap turns later requests into another path.
 */
final class Requests {

  /** Builds request {@code n} for a target served at {@code base}. */
  @FunctionalInterface
  interface Call {
    HttpRequest build(URI base, long n);
  }

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String UNKNOWN_CODE = "{\"code\":\"STUDENT-NOPE2345\"}";
  private static final Map<String, Integer> EXPECTED =
      Map.of(
          "open-session", 200,
          "redeem-code", 404,
          "admin", 404,
          "submit-generation", 202,
          "update-generation", 404,
          "provider-webhook", 204);

  private final IdTokens tokens;
  private final String adminToken;
  private final String providerId;
  private final String webhookSecret;
  private final AtomicLong users = new AtomicLong();

  Requests(String projectId, Map.Entry<String, StackInfo.Provider> provider) {
    this.tokens = new IdTokens(projectId);
    this.adminToken = tokens.forAdmin("bench-admin");
    this.providerId = provider.getKey();
    this.webhookSecret = provider.getValue().webhookSecret();
  }

  int expectedStatus(String function) {
    Integer status = EXPECTED.get(function);
    if (status == null) {
      throw new IllegalStateException("no benchmark request for HTTP function " + function);
    }
    return status;
  }

  Call forFunction(String function) {
    return switch (function) {
      case "open-session" -> (base, n) -> user(base, "{}");
      case "redeem-code" -> this::redeem;
      case "admin" ->
          (base, n) ->
              json(base.resolve("redeem-codes/STUDENT-NOPE2345:disable"), "{}")
                  .header("Authorization", "Bearer " + adminToken)
                  .build();
      case "submit-generation" ->
          (base, n) ->
              user(base, "{\"model\":\"flux-schnell\",\"prompt\":\"a lighthouse at dusk\"}");
      case "update-generation" ->
          (base, n) -> user(base, "{\"id\":\"bench-absent\",\"visibility\":\"public\"}");
      case "provider-webhook" -> this::webhook;
      default ->
          throw new IllegalStateException("no benchmark request for HTTP function " + function);
    };
  }

  HttpRequest floor(URI base, long n) {
    return json(base, "{}").build();
  }

  /** An unknown code: token, config + profile, rate-limit transaction, code read, 404. */
  HttpRequest redeem(URI base, long n) {
    return user(base, UNKNOWN_CODE);
  }

  /** A signed completion for a task nobody submitted: verified, looked up, acknowledged. */
  private HttpRequest webhook(URI base, long n) {
    String id = "bench-" + users.incrementAndGet();
    String body =
        "{\"id\":\""
            + id
            + "\",\"status\":\"succeeded\",\"output\":[\"http://127.0.0.1:1/x.png\"]}";
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    long now = Instant.now().getEpochSecond();
    String webhookId = "msg_" + id;
    return HttpRequest.newBuilder(base.resolve("?provider=" + providerId))
        .timeout(TIMEOUT)
        .header("Content-Type", "application/json")
        .header(StandardWebhooks.ID_HEADER, webhookId)
        .header(StandardWebhooks.TIMESTAMP_HEADER, Long.toString(now))
        .header(
            StandardWebhooks.SIGNATURE_HEADER,
            StandardWebhooks.sign(webhookSecret, webhookId, now, bytes))
        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
        .build();
  }

  private HttpRequest user(URI base, String body) {
    String uid = "bench-user-" + users.incrementAndGet();
    return json(base, body).header("Authorization", "Bearer " + tokens.forUser(uid)).build();
  }

  private static HttpRequest.Builder json(URI uri, String body) {
    return HttpRequest.newBuilder(uri)
        .timeout(TIMEOUT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }
}
