package dev.atelier.generations;

/**
 * What the user asked the model for, besides the prompt. {@code aspectRatio} and {@code
 * durationSeconds} are null when the model takes none; {@code negativePrompt} is owner-only (never
 * mirrored).
 */
public record GenerationParams(
    long numOutputs, String aspectRatio, Long durationSeconds, String negativePrompt) {

  /** The same parameters without the owner-only ones, as the public mirror shows them. */
  public GenerationParams publicView() {
    return new GenerationParams(numOutputs, aspectRatio, durationSeconds, null);
  }

  public static final class Field {
    public static final String NUM_OUTPUTS = "numOutputs";
    public static final String ASPECT_RATIO = "aspectRatio";
    public static final String DURATION_SECONDS = "durationSeconds";
    public static final String NEGATIVE_PROMPT = "negativePrompt";

    private Field() {}
  }
}
