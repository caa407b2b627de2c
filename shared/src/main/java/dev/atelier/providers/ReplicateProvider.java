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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

  /** A 401 to a POST arrives without Replicate's own detail (see ProviderHttp). */
  static final String UNAUTHORIZED = "the API token was refused";

  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

  private final ProviderSettings settings;
  private final Duration timeout;
  private final String base;

  public ReplicateProvider(ProviderSettings settings, Duration timeout) {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    this.settings = settings;
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
    Map<String, String> headers = headers();
    headers.put("Content-Type", "application/json");
    return call(
        "create",
        "POST",
        "/v1/predictions",
        headers,
        GSON.toJson(body).getBytes(StandardCharsets.UTF_8),
        Optional.empty());
  }

  @Override
  public Prediction get(String predictionId) throws ProviderException {
    checkId(predictionId);
    return call(
        "get",
        "GET",
        "/v1/predictions/" + predictionId,
        headers(),
        null,
        Optional.of(predictionId));
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
        "POST",
        "/v1/predictions/" + predictionId + "/cancel",
        headers(),
        new byte[0],
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
    // The token goes only to the API's own origin.
    Map<String, String> headers = headers(settings.healthUrlOnBaseOrigin());
    long started = System.nanoTime();
    ProviderHttp.Answer response;
    try {
      response =
          ProviderHttp.exchange(
              "GET", settings.healthUrl(), headers, null, probeTimeout, MAX_RESPONSE_BYTES);
    } catch (ProviderHttp.TimedOut e) {
      return failed("no answer within " + probeTimeout.toMillis() + " ms");
    } catch (ProviderHttp.TooLarge e) {
      return failed("answer over " + MAX_RESPONSE_BYTES + " bytes");
    } catch (IOException | RuntimeException e) {
      return failed(unreachable(e));
    }
    Duration latency = Duration.ofNanos(System.nanoTime() - started);
    int status = response.status();
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

  /** Accept JSON, and the API token as a bearer token when there is one. */
  private Map<String, String> headers() {
    return headers(true);
  }

  private Map<String, String> headers(boolean withToken) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Accept", "application/json");
    if (withToken) {
      settings.apiToken().ifPresent(token -> headers.put("Authorization", "Bearer " + token));
    }
    return headers;
  }

  /** Why a call did not get an answer; the exception's own words, never a header. */
  private static String unreachable(Exception e) {
    return "unreachable ("
        + e.getClass().getSimpleName()
        + (e.getMessage() == null ? "" : ": " + e.getMessage())
        + ")";
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
      String operation,
      String method,
      String path,
      Map<String, String> headers,
      byte[] body,
      Optional<String> expectedId)
      throws ProviderException {
    String what = id() + " " + operation;
    ProviderHttp.Answer response;
    try {
      response =
          ProviderHttp.exchange(
              method, URI.create(base + path), headers, body, timeout, MAX_RESPONSE_BYTES);
    } catch (ProviderHttp.TimedOut e) {
      throw new ProviderException(Kind.UNAVAILABLE, 0, what + ": no answer within " + timeout, e);
    } catch (ProviderHttp.TooLarge e) {
      throw new ProviderException(
          Kind.UNAVAILABLE, 0, what + ": answer over " + MAX_RESPONSE_BYTES + " bytes", e);
    } catch (IOException | RuntimeException e) {
      throw new ProviderException(Kind.UNAVAILABLE, 0, what + ": " + unreachable(e), e);
    }
    int status = response.status();
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
        what
            + " answered "
            + status
            + detail(response.body())
                .or(() -> status == 401 ? Optional.of(UNAUTHORIZED) : Optional.empty())
                .map(d -> ": " + d)
                .orElse("");
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
}
