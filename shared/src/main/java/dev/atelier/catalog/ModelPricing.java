package dev.atelier.catalog;

/**
 * Price of one generation in credits: a base plus per output (image, clip) plus per second of
 * media.
 */
public record ModelPricing(long baseCredits, long creditsPerOutput, long creditsPerSecond) {

  /**
   * Credits for a request producing {@code outputs} outputs of {@code seconds} seconds of media in
   * all.
   */
  public long cost(long outputs, long seconds) {
    return Math.addExact(
        baseCredits,
        Math.addExact(
            Math.multiplyExact(creditsPerOutput, outputs),
            Math.multiplyExact(creditsPerSecond, seconds)));
  }

  public static final class Field {
    public static final String BASE_CREDITS = "baseCredits";
    public static final String CREDITS_PER_OUTPUT = "creditsPerOutput";
    public static final String CREDITS_PER_SECOND = "creditsPerSecond";

    private Field() {}
  }
}
