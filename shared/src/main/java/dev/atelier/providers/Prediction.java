package dev.atelier.providers;

import java.util.List;

/**
 * A provider's prediction as it reports it.
 *
 * @param id the provider's task id (stored on the history item as {@code providerTaskId})
 * @param output media URLs, in output order; empty until it succeeded (Replicate's {@code output}
 *     is a URL or a list of URLs)
 * @param error the provider's error message when FAILED (null otherwise)
 */
public record Prediction(String id, PredictionStatus status, List<String> output, String error) {

  public Prediction {
    output = output == null ? List.of() : List.copyOf(output);
  }
}
