package dev.atelier.submit;

import dev.atelier.catalog.ModelConfig;
import dev.atelier.catalog.SystemConfig;
import dev.atelier.generations.GenerationParams;
import dev.atelier.generations.Visibility;
import java.util.List;

/** A request that passed every check, with defaults filled in and its price. */
record Validated(
    ModelConfig model,
    SystemConfig config,
    String prompt,
    GenerationParams params,
    Visibility visibility,
    List<String> tags,
    long cost) {

  /** Quota units a request uses at its provider: one per output. */
  long quotaUnits() {
    return params.numOutputs();
  }
}
