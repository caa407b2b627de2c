package dev.atelier.generations;

/**
 * Why a generation failed: a stable {@code code} (e.g. {@code PROVIDER_FAILED}, {@code
 * PROVIDER_UNAVAILABLE}, {@code MEDIA_REJECTED}, {@code TIMED_OUT}) and a human-readable message.
 * Owner-only: never mirrored.
 */
public record GenerationError(String code, String message) {

  /** Codes this system writes. */
  public static final String PROVIDER_FAILED = "PROVIDER_FAILED";

  public static final String PROVIDER_CANCELED = "PROVIDER_CANCELED";
  public static final String PROVIDER_UNAVAILABLE = "PROVIDER_UNAVAILABLE";
  public static final String MEDIA_REJECTED = "MEDIA_REJECTED";
  public static final String NO_OUTPUT = "NO_OUTPUT";
  public static final String TIMED_OUT = "TIMED_OUT";

  /** What an older document's plain-string error reads as. */
  public static final String UNKNOWN = "UNKNOWN";

  public static final class Field {
    public static final String CODE = "code";
    public static final String MESSAGE = "message";

    private Field() {}
  }
}
