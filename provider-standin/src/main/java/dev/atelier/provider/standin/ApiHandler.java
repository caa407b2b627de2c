package dev.atelier.provider.standin;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.atelier.generations.MediaKind;
import dev.atelier.media.MediaFormat;
import dev.atelier.providers.PredictionStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stand-in's HTTP surface: Replicate's predictions API, the media it serves, health and its
 * control.
 */
final class ApiHandler implements HttpHandler {
  static final int MAX_OUTPUTS = 8;
  static final double DEFAULT_DURATION_SECONDS = 5;
  static final double MAX_DURATION_SECONDS = 300;
  private static final int MAX_BODY_BYTES = 1 << 20;
  private static final int MAX_PROMPT_CHARS = 10_000;
  private static final long MAX_HEALTH_LATENCY_MS = 60_000;
  private static final String THROTTLE_RETRY_AFTER_SECONDS = "5";

  /**
   * Replicate's queue answers quickly; the stand-in moves starting → processing after this (or the
   * delay).
   */
  private static final Duration START_AFTER = Duration.ofMillis(50);

  private static final Pattern PREDICTION =
      Pattern.compile("/v1/predictions/([A-Za-z0-9_-]{1,128})");
  private static final Pattern CANCEL =
      Pattern.compile("/v1/predictions/([A-Za-z0-9_-]{1,128})/cancel");
  private static final Pattern MEDIA =
      Pattern.compile("/media/([A-Za-z0-9_-]{1,128})/(\\d{1,2})\\.([a-z0-9]{2,4})");
  private static final Set<String> WEBHOOK_EVENTS = Set.of("start", "output", "logs", "completed");
  private static final Gson GSON =
      new GsonBuilder().serializeNulls().disableHtmlEscaping().create();
  private static final byte[] BAD_TYPE_PAGE =
      ("<!doctype html>\n<html><head><title>Stand-in</title></head>"
              + "<body><h1>Not media</h1><p>#badtype: this output is an HTML page.</p></body></html>\n")
          .getBytes(StandardCharsets.UTF_8);

  private final StandInProvider provider;

  ApiHandler(StandInProvider provider) {
    this.provider = provider;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    provider.options().log().accept(method + " " + exchange.getRequestURI());
    try {
      if (path.equals("/health")) {
        requireMethod(exchange, "GET");
        pauseForHealthLatency();
        if (!provider.healthy()) {
          json(exchange, 503, object("status", "down"));
        } else if (provider.throttled()) {
          exchange.getResponseHeaders().set("Retry-After", THROTTLE_RETRY_AFTER_SECONDS);
          json(exchange, 429, object("status", "throttled"));
        } else {
          json(exchange, 200, object("status", "up"));
        }
      } else if (path.equals("/_control/health")) {
        requireMethod(exchange, "POST");
        controlHealth(exchange);
      } else if (path.startsWith("/media/")) {
        media(exchange, path);
      } else if (path.startsWith("/v1/")) {
        api(exchange, method, path);
      } else {
        throw new Problem(404, "Not found", "Not found.");
      }
    } catch (Problem problem) {
      JsonObject body = new JsonObject();
      body.addProperty("title", problem.title);
      body.addProperty("detail", problem.getMessage());
      body.addProperty("status", problem.status);
      json(exchange, problem.status, body);
    } catch (IOException e) {
      // The client went away (e.g. stopped reading an oversize body): nothing to answer.
    } catch (RuntimeException e) {
      provider.options().log().accept("error: " + e);
      JsonObject body = new JsonObject();
      body.addProperty("detail", "stand-in internal error: " + e.getClass().getSimpleName());
      body.addProperty("status", 500);
      json(exchange, 500, body);
    } finally {
      exchange.close();
    }
  }

  private void api(HttpExchange exchange, String method, String path) throws IOException {
    if (path.equals("/v1/account")) {
      pauseForHealthLatency();
    }
    if (!provider.healthy()) {
      throw new Problem(
          503,
          "Service unavailable",
          "The stand-in provider is set down (POST /_control/health {\"status\":\"up\"} brings it back).");
    }
    if (provider.throttled()) {
      exchange.getResponseHeaders().set("Retry-After", THROTTLE_RETRY_AFTER_SECONDS);
      throw new Problem(
          429,
          "Too many requests",
          "Request was throttled (the stand-in is set throttled: POST /_control/health {\"status\":\"up\"} ends it).");
    }
    authorize(exchange);
    Matcher prediction = PREDICTION.matcher(path);
    Matcher cancel = CANCEL.matcher(path);
    if (path.equals("/v1/account")) {
      // Replicate's "get the authenticated account": what a health probe of the real API calls.
      requireMethod(exchange, "GET");
      JsonObject account = new JsonObject();
      account.addProperty("type", "organization");
      account.addProperty("username", "standin");
      account.addProperty("name", "Stand-in provider");
      account.add("github_url", com.google.gson.JsonNull.INSTANCE);
      json(exchange, 200, account);
    } else if (path.equals("/v1/predictions")) {
      requireMethod(exchange, "POST");
      create(exchange);
    } else if (prediction.matches()) {
      requireMethod(exchange, "GET");
      PredictionState state = known(prediction.group(1));
      json(exchange, 200, state.toJson());
    } else if (cancel.matches()) {
      requireMethod(exchange, "POST");
      PredictionState state = known(cancel.group(1));
      if (state.cancel(Instant.now())) {
        provider.options().log().accept("canceled " + state.id);
        notify(state);
      }
      json(exchange, 200, state.toJson());
    } else {
      throw new Problem(404, "Not found", "Not found.");
    }
  }

  private void authorize(HttpExchange exchange) {
    Optional<String> token = provider.apiToken();
    if (token.isEmpty()) {
      return;
    }
    String header =
        Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")).orElse("");
    // Replicate takes "Bearer" and its older "Token" scheme.
    String given =
        header.startsWith("Bearer ")
            ? header.substring(7)
            : header.startsWith("Token ") ? header.substring(6) : "";
    if (!MessageDigest.isEqual(
        given.strip().getBytes(StandardCharsets.UTF_8),
        token.get().getBytes(StandardCharsets.UTF_8))) {
      throw new Problem(401, "Unauthenticated", "You did not pass a valid authentication token");
    }
  }

  private PredictionState known(String id) {
    return provider.find(id).orElseThrow(() -> new Problem(404, "Not found", "Not found."));
  }

  private void create(HttpExchange exchange) throws IOException {
    JsonObject body = jsonBody(exchange);
    String requested =
        string(body, "version")
            .or(() -> string(body, "model"))
            .orElseThrow(
                () ->
                    invalid(
                        "version is required (owner/name, owner/name:version or a version id)"));
    String key =
        provider.models().containsKey(requested)
            ? requested
            : requested.contains(":") ? requested.substring(0, requested.indexOf(':')) : requested;
    MediaKind kind = provider.models().get(key);
    if (kind == null) {
      throw invalid(
          "Unknown model '" + requested + "': this stand-in runs " + provider.models().keySet());
    }
    JsonElement inputElement = body.get("input");
    if (inputElement == null || !inputElement.isJsonObject()) {
      throw invalid("input is required and must be an object");
    }
    JsonObject input = inputElement.getAsJsonObject();
    String prompt =
        string(input, "prompt")
            .filter(p -> !p.isBlank())
            .orElseThrow(() -> invalid("input.prompt is required"));
    if (prompt.length() > MAX_PROMPT_CHARS) {
      throw invalid("input.prompt is longer than " + MAX_PROMPT_CHARS + " characters");
    }
    int numOutputs = (int) number(input, "num_outputs", 1, 1, MAX_OUTPUTS, true);
    double duration =
        number(
            input,
            "duration",
            DEFAULT_DURATION_SECONDS,
            Double.MIN_VALUE,
            MAX_DURATION_SECONDS,
            false);
    AspectRatio aspect =
        optional(input, "aspect_ratio")
            .map(
                value -> {
                  if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
                    throw invalid("input.aspect_ratio must be a string such as \"16:9\"");
                  }
                  return AspectRatio.parse(value.getAsString())
                      .orElseThrow(
                          () ->
                              invalid(
                                  "input.aspect_ratio must be W:H with neither side over 4 times the other"));
                })
            .orElse(AspectRatio.SQUARE);
    optional(input, "negative_prompt")
        .ifPresent(
            value -> {
              if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
                throw invalid("input.negative_prompt must be a string");
              }
            });
    Optional<URI> webhook = optional(body, "webhook").map(ApiHandler::webhookUrl);
    optional(body, "webhook_events_filter").ifPresent(ApiHandler::checkEvents);

    String id = WebhookSender.randomId(26).toLowerCase(Locale.ROOT);
    String model = key.contains("/") ? key : requested;
    String version =
        requested.contains(":")
            ? requested.substring(requested.indexOf(':') + 1)
            : key.contains("/") ? fakeVersion(key) : requested;
    PredictionState state =
        new PredictionState(
            id,
            requested,
            model,
            version,
            kind,
            input.deepCopy(),
            prompt,
            numOutputs,
            duration,
            aspect,
            webhook,
            Marker.in(prompt),
            Instant.now(),
            provider.url());
    provider.add(state);
    run(state);
    provider.options().log().accept("created " + id + " " + requested + " " + state.markers);
    json(exchange, 201, state.toJson());
  }

  /** Schedules starting → processing → its end. */
  private void run(PredictionState state) {
    Duration delay =
        state.markers.contains(Marker.SLOW)
            ? provider.options().slowDelay()
            : provider.options().completionDelay();
    Duration startAfter =
        delay.compareTo(START_AFTER.multipliedBy(2)) < 0 ? delay.dividedBy(2) : START_AFTER;
    provider
        .scheduler()
        .schedule(() -> state.start(Instant.now()), startAfter.toNanos(), TimeUnit.NANOSECONDS);
    state.setCompletion(
        provider
            .scheduler()
            .schedule(
                () -> {
                  if (state.complete(Instant.now(), format(state.kind).extension())) {
                    provider.options().log().accept(state.status().wire() + " " + state.id);
                    notify(state);
                  }
                },
                delay.toNanos(),
                TimeUnit.NANOSECONDS));
  }

  /** The "completed" webhook (the only event the backend's filter asks for), unless #nowebhook. */
  private void notify(PredictionState state) {
    if (state.webhook.isEmpty() || state.markers.contains(Marker.NOWEBHOOK)) {
      return;
    }
    provider
        .webhooks()
        .send(
            state.id,
            state.status(),
            state.webhook.get(),
            GSON.toJson(state.toJson()),
            state.markers.contains(Marker.DUPWEBHOOK) ? 2 : 1);
  }

  private void media(HttpExchange exchange, String path) throws IOException {
    requireMethod(exchange, "GET");
    Matcher m = MEDIA.matcher(path);
    if (!m.matches()) {
      throw new Problem(404, "Not found", "Not found.");
    }
    PredictionState state = known(m.group(1));
    int index = Integer.parseInt(m.group(2));
    MediaFormat format = format(state.kind);
    if (state.status() != PredictionStatus.SUCCEEDED
        || index >= state.outputCount()
        || !format.extension().equals(m.group(3))) {
      throw new Problem(404, "Not found", "Not found.");
    }
    if (state.markers.contains(Marker.BADTYPE)) {
      send(exchange, 200, "text/html; charset=utf-8", BAD_TYPE_PAGE);
      return;
    }
    byte[] media =
        switch (state.kind) {
          case IMAGE -> MediaMaker.png(state.prompt, index, state.aspect);
          case VIDEO -> MediaMaker.mp4(state.prompt, index, state.aspect, state.durationSeconds);
          case AUDIO -> MediaMaker.mp3(state.durationSeconds);
          case TEXT -> throw new IllegalStateException("no text models");
        };
    if (state.markers.contains(Marker.OVERSIZE)) {
      oversize(exchange, format, media);
    } else {
      send(exchange, 200, format.contentType(), media);
    }
  }

  /**
   * The real media, then zeros, up to the oversize length, streamed in chunks (chunked encoding, no
   * Content-Length: the receiver has to count) and never held in memory.
   */
  private void oversize(HttpExchange exchange, MediaFormat format, byte[] prefix)
      throws IOException {
    long total = provider.options().oversizeBytes();
    exchange.getResponseHeaders().set("Content-Type", format.contentType());
    exchange.sendResponseHeaders(200, 0);
    byte[] zeros = new byte[64 * 1024];
    try (OutputStream out = exchange.getResponseBody()) {
      int first = (int) Math.min(prefix.length, total);
      out.write(prefix, 0, first);
      long left = total - first;
      while (left > 0) {
        int n = (int) Math.min(zeros.length, left);
        out.write(zeros, 0, n);
        left -= n;
      }
    }
  }

  /**
   * {@code {"status": "up" | "down" | "throttled", "latencyMs"?: 0..60000}}: down answers 503,
   * throttled 429 (health and API); latencyMs delays the health endpoints (unchanged when absent).
   */
  private void controlHealth(HttpExchange exchange) throws IOException {
    JsonObject body = jsonBody(exchange);
    String status = string(body, "status").orElse("");
    if (!status.equals("up") && !status.equals("down") && !status.equals("throttled")) {
      throw new Problem(
          400,
          "Bad request",
          "expected {\"status\": \"up\" | \"down\" | \"throttled\", \"latencyMs\"?: 0..60000}");
    }
    Optional<Long> latency = Optional.empty();
    if (optional(body, "latencyMs").isPresent()) {
      JsonElement v = body.get("latencyMs");
      if (!v.isJsonPrimitive()
          || !v.getAsJsonPrimitive().isNumber()
          || v.getAsDouble() != Math.rint(v.getAsDouble())
          || v.getAsDouble() < 0
          || v.getAsDouble() > MAX_HEALTH_LATENCY_MS) {
        throw new Problem(
            400, "Bad request", "latencyMs must be an integer in 0.." + MAX_HEALTH_LATENCY_MS);
      }
      latency = Optional.of(v.getAsLong());
    }
    provider.setHealthy(!status.equals("down"));
    provider.setThrottled(status.equals("throttled"));
    latency.ifPresent(ms -> provider.setHealthLatency(Duration.ofMillis(ms)));
    JsonObject answer = object("status", status);
    answer.addProperty("latencyMs", provider.healthLatency().toMillis());
    json(exchange, 200, answer);
  }

  private void pauseForHealthLatency() {
    long ms = provider.healthLatency().toMillis();
    if (ms > 0) {
      try {
        Thread.sleep(ms);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static MediaFormat format(MediaKind kind) {
    return switch (kind) {
      case IMAGE -> MediaFormat.PNG;
      case VIDEO -> MediaFormat.MP4;
      case AUDIO -> MediaFormat.MP3;
      case TEXT -> throw new IllegalArgumentException("no text models");
    };
  }

  private static URI webhookUrl(JsonElement value) {
    if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
      throw invalid("webhook must be a URL");
    }
    try {
      URI uri = new URI(value.getAsString());
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null) {
        throw invalid("webhook must be an absolute http(s) URL");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw invalid("webhook must be an absolute http(s) URL");
    }
  }

  private static void checkEvents(JsonElement value) {
    if (!value.isJsonArray()) {
      throw invalid("webhook_events_filter must be a list of " + WEBHOOK_EVENTS);
    }
    for (JsonElement event : value.getAsJsonArray()) {
      if (!event.isJsonPrimitive() || !WEBHOOK_EVENTS.contains(event.getAsString())) {
        throw invalid("webhook_events_filter must be a list of " + WEBHOOK_EVENTS);
      }
    }
  }

  /** A stable 64-hex "version id" for an owner/name model, shaped like Replicate's. */
  private static String fakeVersion(String model) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(model.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static double number(
      JsonObject input, String name, double fallback, double min, double max, boolean integer) {
    Optional<JsonElement> value = optional(input, name);
    if (value.isEmpty()) {
      return fallback;
    }
    JsonElement v = value.get();
    if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber()) {
      throw invalid("input." + name + " must be a number");
    }
    double d = v.getAsDouble();
    if ((integer && d != Math.rint(d)) || !(d >= min && d <= max)) {
      throw invalid(
          "input."
              + name
              + " must be "
              + (integer
                  ? "an integer in " + (long) min + ".." + (long) max
                  : "a number of seconds in (0, " + (long) max + "]"));
    }
    return d;
  }

  /** Present and not JSON null. */
  private static Optional<JsonElement> optional(JsonObject object, String name) {
    JsonElement value = object.get(name);
    return value == null || value.isJsonNull() ? Optional.empty() : Optional.of(value);
  }

  private static Optional<String> string(JsonObject object, String name) {
    JsonElement value = object.get(name);
    return value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()
        ? Optional.of(value.getAsString()).filter(s -> !s.isBlank())
        : Optional.empty();
  }

  private static JsonObject jsonBody(HttpExchange exchange) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = exchange.getRequestBody()) {
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        if (out.size() > MAX_BODY_BYTES) {
          throw new Problem(
              413, "Payload too large", "request body over " + MAX_BODY_BYTES + " bytes");
        }
      }
    }
    try {
      JsonElement json = JsonParser.parseString(out.toString(StandardCharsets.UTF_8));
      if (!json.isJsonObject()) {
        throw new Problem(400, "Bad request", "the body must be a JSON object");
      }
      return json.getAsJsonObject();
    } catch (JsonParseException e) {
      throw new Problem(400, "Bad request", "the body is not valid JSON");
    }
  }

  private static void requireMethod(HttpExchange exchange, String method) {
    if (!exchange.getRequestMethod().equals(method)) {
      exchange.getResponseHeaders().set("Allow", method);
      throw new Problem(
          405, "Method not allowed", exchange.getRequestMethod() + " is not allowed here");
    }
  }

  private static Problem invalid(String detail) {
    return new Problem(422, "Input validation failed", detail);
  }

  private static JsonObject object(String name, String value) {
    JsonObject json = new JsonObject();
    json.add(name, new JsonPrimitive(value));
    return json;
  }

  private static void json(HttpExchange exchange, int status, JsonObject body) throws IOException {
    send(exchange, status, "application/json", GSON.toJson(body).getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /**
   * An answer other than success, in Replicate's error shape ({@code title}, {@code detail}, {@code
   * status}).
   */
  private static final class Problem extends RuntimeException {
    final int status;
    final String title;

    Problem(int status, String title, String detail) {
      super(detail, null, false, false);
      this.status = status;
      this.title = title;
    }
  }
}
