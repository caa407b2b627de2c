package dev.atelier.catalog;

import java.util.List;

/**
 * What a model accepts. {@code aspectRatios} (e.g. {@code 1:1}, {@code 16:9}; empty: the model
 * takes none) and {@code durationsSeconds} (the lengths it offers; empty: any from 1 to {@code
 * maxDurationSeconds}) are never null; {@code maxDurationSeconds} is null for models without a
 * duration (images).
 */
public record ModelCapabilities(
    List<String> aspectRatios,
    long maxOutputs,
    Long maxDurationSeconds,
    long maxPromptLength,
    boolean negativePrompt,
    boolean imageInput,
    List<Long> durationsSeconds) {

  public ModelCapabilities {
    aspectRatios = aspectRatios == null ? List.of() : List.copyOf(aspectRatios);
    durationsSeconds = durationsSeconds == null ? List.of() : List.copyOf(durationsSeconds);
  }

  /** Whether the model produces media with a length (video, music). */
  public boolean takesDuration() {
    return maxDurationSeconds != null;
  }

  /** Whether {@code seconds} is a length this model offers. */
  public boolean allowsDuration(long seconds) {
    if (!takesDuration()) {
      return false;
    }
    return durationsSeconds.isEmpty()
        ? seconds >= 1 && seconds <= maxDurationSeconds
        : durationsSeconds.contains(seconds);
  }

  public static final class Field {
    public static final String ASPECT_RATIOS = "aspectRatios";
    public static final String MAX_OUTPUTS = "maxOutputs";
    public static final String MAX_DURATION_SECONDS = "maxDurationSeconds";
    public static final String MAX_PROMPT_LENGTH = "maxPromptLength";
    public static final String NEGATIVE_PROMPT = "negativePrompt";
    public static final String IMAGE_INPUT = "imageInput";
    public static final String DURATIONS_SECONDS = "durationsSeconds";

    private Field() {}
  }
}
