package dev.atelier.providers;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.atelier.providers.ProviderException.Kind;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Replicate's predictions HTTP API ({@code POST /v1/predictions}, {@code GET /v1/predictions/{id}},
 * {@code POST /v1/predictions/{id}/cancel}); the same adapter talks to the local stand-in provider.
 * Every call, body included, is bounded by the constructor's timeout. The API token is sent as a
 * bearer token and never appears in an exception message.
 */
public final class ReplicateProvider implements GenerationProvider {

  /**
   * Replicate's ids are 26 lowercase base32 characters; anything outside this never reaches a URL
   * path.
   */
  private static final Pattern PREDICTION_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

  /** A prediction is a few KiB; a bigger answer is not one. */
  private static final int MAX_RESPONSE_BYTES = 1 << 20;

  private static final int MAX_DETAIL_CHARS = 500;
  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

  private final ProviderSettings settings;
  private final HttpClient http;
  private final Duration timeout;
  private final String base;

  public ReplicateProvider(ProviderSettings settings, HttpClient http, Duration timeout) {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    this.settings = settings;
    this.http = http;
    this.timeout = timeout;
    String url = settings.baseUrl().toString();
    this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  @Override
  public String id() {
    return settings.id();
  }

  @Override
  public Prediction create(PredictionRequest request) throws ProviderException {
    JsonObject body = new JsonObject();
    // Replicate takes owner/name, owner/name:version or a bare version id in "version".
    body.addProperty("version", request.providerModel());
    body.add("input", GSON.toJsonTree(request.input()));
    if (request.webhook() != null) {
      body.addProperty("webhook", request.webhook().toString());
      JsonArray events = new JsonArray();
      events.add("completed");
      body.add("webhook_events_filter", events);
    }
    HttpRequest.Builder builder =
        request("/v1/predictions")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(GSON.toJson(body), StandardCharsets.UTF_8));
    return call("create", builder, Optional.empty());
  }

  @Override
  public Prediction get(String predictionId) throws ProviderException {
    checkId(predictionId);
    return call("get", request("/v1/predictions/" + predictionId).GET(), Optional.of(predictionId));
  }

  /**
   * Replicate posts the prediction object itself, as {@code GET /v1/predictions/{id}} returns it.
   */
  @Override
  public Prediction parseWebhook(String body) throws ProviderException {
    try {
      return parse(com.google.gson.JsonParser.parseString(body));
    } catch (RuntimeException e) {
      throw new ProviderException(
          ProviderException.Kind.REFUSED,
          0,
          "webhook body is not a Replicate prediction: " + e.getMessage(),
          null);
    }
  }

  @Override
  public Prediction cancel(String predictionId) throws ProviderException {
    checkId(predictionId);
    return call(
        "cancel",
        request("/v1/predictions/" + predictionId + "/cancel")
            .POST(HttpRequest.BodyPublishers.noBody()),
        Optional.of(predictionId));
  }

  /**
   * {@code GET} of the settings' health URL (Replicate: {@code /v1/account}), with the API token
   * when the URL is on the API's own origin. 2xx is OK, 408/429 THROTTLED, anything else FAILED.
   */
  @Override
  public HealthProbe probe(Duration probeTimeout) {
    if (probeTimeout == null || probeTimeout.isNegative() || probeTimeout.isZero()) {
      throw new IllegalArgumentException("probe timeout must be positive");
    }
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(settings.healthUrl())
            .timeout(probeTimeout)
            .header("Accept", "application/json")
            .GET();
    if (settings.healthUrlOnBaseOrigin()) {
      settings.apiToken().ifPresent(token -> builder.header("Authorization", "Bearer " + token));
    }
    long started = System.nanoTime();
    CompletableFuture<HttpResponse<byte[]>> future =
        http.sendAsync(builder.build(), LimitedBody::new);
    HttpResponse<byte[]> response;
    try {
      response = future.get(probeTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      return failed("no answer within " + probeTimeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      return failed("interrupted");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return failed(
          cause instanceof HttpTimeoutException
              ? "no answer within " + probeTimeout.toMillis() + " ms"
              : cause instanceof ResponseTooLarge
                  ? "answer over " + MAX_RESPONSE_BYTES + " bytes"
                  : "unreachable ("
                      + cause.getClass().getSimpleName()
                      + (cause.getMessage() == null ? "" : ": " + cause.getMessage())
                      + ")");
    }
    Duration latency = Duration.ofNanos(System.nanoTime() - started);
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return new HealthProbe(HealthProbe.Outcome.OK, latency, status, null);
    }
    String detail = "answered " + status + detail(response.body()).map(d -> ": " + d).orElse("");
    return new HealthProbe(
        status == 408 || status == 429 ? HealthProbe.Outcome.THROTTLED : HealthProbe.Outcome.FAILED,
        latency,
        status,
        detail);
  }

  private static HealthProbe failed(String detail) {
    return new HealthProbe(HealthProbe.Outcome.FAILED, null, 0, detail);
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(timeout)
            .header("Accept", "application/json");
    settings.apiToken().ifPresent(token -> builder.header("Authorization", "Bearer " + token));
    return builder;
  }

  private void checkId(String predictionId) throws ProviderException {
    if (predictionId == null || !PREDICTION_ID.matcher(predictionId).matches()) {
      throw new ProviderException(
          Kind.REFUSED, 0, id() + ": not a prediction id (expected [A-Za-z0-9_-]{1,128})", null);
    }
  }

  /**
   * Sends, waits at most the timeout for the whole answer, classifies. {@code expectedId}: get and
   * cancel must answer about the prediction they asked for.
   */
  private Prediction call(
      String operation, HttpRequest.Builder builder, Optional<String> expectedId)
      throws ProviderException {
    String what = id() + " " + operation;
    CompletableFuture<HttpResponse<byte[]>> future =
        http.sendAsync(builder.build(), LimitedBody::new);
    HttpResponse<byte[]> response;
    try {
      // HttpRequest.timeout only bounds the wait for the headers; this bounds the body too.
      response = future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new ProviderException(Kind.UNAVAILABLE, 0, what + ": no answer within " + timeout, e);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new ProviderException(Kind.UNAVAILABLE, 0, what + ": interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      String why =
          cause instanceof HttpTimeoutException
              ? "no answer within " + timeout
              : cause instanceof ResponseTooLarge
                  ? "answer over " + MAX_RESPONSE_BYTES + " bytes"
                  : "unreachable ("
                      + cause.getClass().getSimpleName()
                      + (cause.getMessage() == null ? "" : ": " + cause.getMessage())
                      + ")";
      throw new ProviderException(Kind.UNAVAILABLE, 0, what + ": " + why, cause);
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      try {
        Prediction prediction =
            parse(JsonParser.parseString(new String(response.body(), StandardCharsets.UTF_8)));
        if (expectedId.isPresent() && !expectedId.get().equals(prediction.id())) {
          throw new JsonParseException("answered about prediction " + prediction.id());
        }
        return prediction;
      } catch (JsonParseException | IllegalArgumentException | IllegalStateException e) {
        throw new ProviderException(
            Kind.UNAVAILABLE,
            status,
            what + ": malformed prediction in a " + status + " answer: " + e.getMessage(),
            e);
      }
    }
    String message =
        what + " answered " + status + detail(response.body()).map(d -> ": " + d).orElse("");
    Kind kind =
        status == 404 && expectedId.isPresent()
            ? Kind.NOT_FOUND
            : status == 408 || status == 429 || status >= 500 || status < 400
                ? Kind.UNAVAILABLE
                : Kind.REFUSED;
    throw new ProviderException(kind, status, message, null);
  }

  /** A Replicate prediction object; unknown fields are ignored. */
  static Prediction parse(JsonElement json) {
    JsonObject object = json.getAsJsonObject();
    String id = string(object, "id").orElseThrow(() -> new JsonParseException("no id"));
    if (!PREDICTION_ID.matcher(id).matches()) {
      throw new JsonParseException("id is not [A-Za-z0-9_-]{1,128}");
    }
    String statusWire =
        string(object, "status").orElseThrow(() -> new JsonParseException("no status"));
    // "aborted": the deadline passed before it started; nothing ran and nothing will, as for a
    // cancel.
    PredictionStatus status =
        "aborted".equals(statusWire)
            ? PredictionStatus.CANCELED
            : PredictionStatus.fromWire(statusWire);
    List<String> output = new ArrayList<>();
    JsonElement out = object.get("output");
    if (out != null && !out.isJsonNull()) {
      if (out.isJsonArray()) {
        for (JsonElement element : out.getAsJsonArray()) {
          output.add(url(element));
        }
      } else {
        output.add(url(out));
      }
    }
    JsonElement error = object.get("error");
    String message =
        error == null || error.isJsonNull()
            ? null
            : error.isJsonPrimitive() ? error.getAsString() : error.toString();
    return new Prediction(id, status, output, message);
  }

  private static String url(JsonElement element) {
    if (element == null || !element.isJsonPrimitive() || !element.getAsJsonPrimitive().isString()) {
      throw new JsonParseException("output is not a URL or a list of URLs");
    }
    return element.getAsString();
  }

  private static Optional<String> string(JsonObject object, String name) {
    JsonElement value = object.get(name);
    return value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()
        ? Optional.of(value.getAsString()).filter(s -> !s.isBlank())
        : Optional.empty();
  }

  /**
   * Replicate's error body is {@code {"detail": "…", "title": …, "status": …}}; anything else gives
   * nothing.
   */
  private static Optional<String> detail(byte[] body) {
    try {
      JsonElement json = JsonParser.parseString(new String(body, StandardCharsets.UTF_8));
      if (!json.isJsonObject()) {
        return Optional.empty();
      }
      JsonElement detail = json.getAsJsonObject().get("detail");
      if (detail == null || detail.isJsonNull()) {
        return Optional.empty();
      }
      String text =
          (detail.isJsonPrimitive() ? detail.getAsString() : detail.toString())
              .replaceAll("\\p{Cntrl}", " ")
              .strip();
      return Optional.of(
              text.length() > MAX_DETAIL_CHARS ? text.substring(0, MAX_DETAIL_CHARS) + "…" : text)
          .filter(s -> !s.isEmpty());
    } catch (JsonParseException e) {
      return Optional.empty();
    }
  }

  private static final class ResponseTooLarge extends IOException {
    ResponseTooLarge() {
      super("response body over " + MAX_RESPONSE_BYTES + " bytes", null);
    }
  }

  /**
   * Collects the body up to {@link #MAX_RESPONSE_BYTES}, then gives up (and cancels the stream).
   */
  private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final List<ByteBuffer> buffers = new ArrayList<>();
    private Flow.Subscription subscription;
    private long size;

    LimitedBody(HttpResponse.ResponseInfo info) {}

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer item : items) {
        size += item.remaining();
        buffers.add(item);
      }
      if (size > MAX_RESPONSE_BYTES) {
        buffers.clear();
        subscription.cancel();
        result.completeExceptionally(new ResponseTooLarge());
      }
    }

    @Override
    public void onError(Throwable throwable) {
      result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
      if (result.isDone()) {
        return;
      }
      byte[] bytes = new byte[(int) size];
      int at = 0;
      for (ByteBuffer buffer : buffers) {
        int n = buffer.remaining();
        buffer.get(bytes, at, n);
        at += n;
      }
      result.complete(bytes);
    }
  }
}
