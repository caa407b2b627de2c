package dev.atelier.provider.standin;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.reflect.TypeToken;
import dev.atelier.generations.MediaKind;
import dev.atelier.providers.PredictionStatus;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Future;

/** One prediction the stand-in runs. Mutable; every access holds its monitor. */
final class PredictionState {
  private static final Gson GSON = new Gson();

  final String id;
  final String requestedModel;
  final String model;
  final String version;
  final MediaKind kind;
  final JsonObject input;
  final String prompt;
  final int numOutputs;
  final double durationSeconds;
  final AspectRatio aspect;
  final Optional<URI> webhook;
  final Set<Marker> markers;
  final Instant createdAt;
  final String baseUrl;

  private PredictionStatus status = PredictionStatus.STARTING;
  private final List<String> output = new ArrayList<>();
  private String error;
  private String logs = "";
  private Instant startedAt;
  private Instant completedAt;
  private Future<?> completion;

  PredictionState(
      String id,
      String requestedModel,
      String model,
      String version,
      MediaKind kind,
      JsonObject input,
      String prompt,
      int numOutputs,
      double durationSeconds,
      AspectRatio aspect,
      Optional<URI> webhook,
      Set<Marker> markers,
      Instant createdAt,
      String baseUrl) {
    this.id = id;
    this.requestedModel = requestedModel;
    this.model = model;
    this.version = version;
    this.kind = kind;
    this.input = input;
    this.prompt = prompt;
    this.numOutputs = numOutputs;
    this.durationSeconds = durationSeconds;
    this.aspect = aspect;
    this.webhook = webhook;
    this.markers = markers;
    this.createdAt = createdAt;
    this.baseUrl = baseUrl;
  }

  synchronized PredictionStatus status() {
    return status;
  }

  synchronized int outputCount() {
    return output.size();
  }

  synchronized void setCompletion(Future<?> completion) {
    this.completion = completion;
  }

  /** starting → processing; false when it is already past that (e.g. canceled). */
  synchronized boolean start(Instant now) {
    if (status != PredictionStatus.STARTING) {
      return false;
    }
    status = PredictionStatus.PROCESSING;
    startedAt = now;
    logs =
        "stand-in: generating "
            + numOutputs
            + " "
            + kind.name().toLowerCase(Locale.ROOT)
            + " output(s)\n";
    return true;
  }

  /** Runs to its end as the markers say; false when it had already ended (canceled first). */
  synchronized boolean complete(Instant now, String extension) {
    if (status.terminal()) {
      return false;
    }
    if (startedAt == null) {
      start(now);
    }
    completedAt = now;
    if (markers.contains(Marker.FAIL)) {
      status = PredictionStatus.FAILED;
      error = "Stand-in failure: the prompt asked for it with #fail";
      logs += "stand-in: failed on request\n";
      return true;
    }
    int count = markers.contains(Marker.PARTIAL) ? numOutputs - 1 : numOutputs;
    for (int i = 0; i < count; i++) {
      output.add(baseUrl + "/media/" + id + "/" + i + "." + extension);
    }
    status = PredictionStatus.SUCCEEDED;
    logs += "stand-in: done, " + count + " output(s)\n";
    return true;
  }

  /**
   * A running prediction becomes canceled (its completion will not happen); false when it had
   * already ended.
   */
  synchronized boolean cancel(Instant now) {
    if (status.terminal()) {
      return false;
    }
    status = PredictionStatus.CANCELED;
    completedAt = now;
    logs += "stand-in: canceled\n";
    if (completion != null) {
      completion.cancel(false);
    }
    return true;
  }

  /** The prediction object as Replicate's API and webhooks show it. */
  synchronized JsonObject toJson() {
    JsonObject json = new JsonObject();
    json.addProperty("id", id);
    json.addProperty("model", model);
    json.addProperty("version", version);
    json.add("input", input.deepCopy());
    json.addProperty("logs", logs);
    if (status == PredictionStatus.SUCCEEDED) {
      JsonArray urls = new JsonArray();
      output.forEach(urls::add);
      json.add("output", urls);
    } else {
      json.add("output", JsonNull.INSTANCE);
    }
    json.addProperty("data_removed", false);
    json.add("error", error == null ? JsonNull.INSTANCE : GSON.toJsonTree(error));
    json.addProperty("status", status.wire());
    json.addProperty("source", "api");
    json.addProperty("created_at", createdAt.toString());
    json.add(
        "started_at",
        startedAt == null ? JsonNull.INSTANCE : GSON.toJsonTree(startedAt.toString()));
    json.add(
        "completed_at",
        completedAt == null ? JsonNull.INSTANCE : GSON.toJsonTree(completedAt.toString()));
    JsonObject metrics = new JsonObject();
    if (completedAt != null && startedAt != null && status == PredictionStatus.SUCCEEDED) {
      metrics.addProperty("predict_time", Duration.between(startedAt, completedAt).toNanos() / 1e9);
    }
    json.add("metrics", metrics);
    JsonObject urls = new JsonObject();
    urls.addProperty("get", baseUrl + "/v1/predictions/" + id);
    urls.addProperty("cancel", baseUrl + "/v1/predictions/" + id + "/cancel");
    json.add("urls", urls);
    return json;
  }

  synchronized ReceivedPrediction snapshot() {
    Map<String, Object> inputMap =
        GSON.fromJson(input, new TypeToken<Map<String, Object>>() {}.getType());
    return new ReceivedPrediction(
        id,
        requestedModel,
        kind,
        inputMap,
        prompt,
        numOutputs,
        durationSeconds,
        aspect.toString(),
        webhook,
        markers,
        status,
        output,
        Optional.ofNullable(error),
        createdAt,
        Optional.ofNullable(completedAt));
  }
}
