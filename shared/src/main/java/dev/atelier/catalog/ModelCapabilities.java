package dev.atelier.catalog;

import java.util.List;

/**
 * What a model accepts. {@code aspectRatios} (e.g. {@code 1:1}, {@code 16:9}) is never null;
 * {@code maxDurationSeconds} is null for models without a duration (images).
 */
public record ModelCapabilities(
    List<String> aspectRatios,
    long maxOutputs,
    Long maxDurationSeconds,
    long maxPromptLength,
    boolean negativePrompt,
    boolean imageInput) {

  public ModelCapabilities {
    aspectRatios = aspectRatios == null ? List.of() : List.copyOf(aspectRatios);
  }

  public static final class Field {
    public static final String ASPECT_RATIOS = "aspectRatios";
    public static final String MAX_OUTPUTS = "maxOutputs";
    public static final String MAX_DURATION_SECONDS = "maxDurationSeconds";
    public static final String MAX_PROMPT_LENGTH = "maxPromptLength";
    public static final String NEGATIVE_PROMPT = "negativePrompt";
    public static final String IMAGE_INPUT = "imageInput";

    private Field() {}
  }
}
