package dev.atelier.provider.standin;

import dev.atelier.generations.MediaKind;
import dev.atelier.providers.PredictionStatus;
import java.net.URI;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the stand-in received and where the prediction stands, for test assertions (a snapshot).
 *
 * @param model the model reference as the request named it ({@code version} or {@code model})
 * @param input the request's {@code input}, as JSON values (numbers are Doubles)
 * @param numOutputs {@code num_outputs} with its default applied
 * @param durationSeconds {@code duration} with its default applied
 * @param output the output URLs once it succeeded
 */
public record ReceivedPrediction(
    String id,
    String model,
    MediaKind kind,
    Map<String, Object> input,
    String prompt,
    int numOutputs,
    double durationSeconds,
    String aspectRatio,
    Optional<URI> webhook,
    Set<Marker> markers,
    PredictionStatus status,
    List<String> output,
    Optional<String> error,
    Instant createdAt,
    Optional<Instant> completedAt) {

  public ReceivedPrediction {
    // JSON nulls are kept, so no Map.copyOf.
    input = Collections.unmodifiableMap(new LinkedHashMap<>(input));
    markers = Set.copyOf(markers);
    output = List.copyOf(output);
  }
}
