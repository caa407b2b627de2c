package dev.atelier.providers;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What to run: the provider's own model reference (Replicate: {@code owner/name}, {@code
 * owner/name:version} or a version id), the model input (JSON-compatible values: String, Long,
 * Double, Boolean, List, Map; snake_case keys such as {@code prompt}, {@code num_outputs}, {@code
 * aspect_ratio}, {@code duration}, {@code negative_prompt}) and the webhook to call on completion.
 */
public record PredictionRequest(String providerModel, Map<String, Object> input, URI webhook) {

  public PredictionRequest {
    if (providerModel == null || providerModel.isBlank()) {
      throw new IllegalArgumentException("providerModel is required");
    }
    input = input == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(input));
  }
}
