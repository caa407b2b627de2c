package dev.atelier.providers;

/** A provider call that did not succeed, classified so the caller can fall back or give up. */
public final class ProviderException extends Exception {

  public enum Kind {
    /**
     * The provider answered and said no (4xx other than 408/429): another attempt would be refused
     * too.
     */
    REFUSED,
    /**
     * Unreachable, 5xx, 408, 429, or no answer in time: another provider (or a later attempt) may
     * work.
     */
    UNAVAILABLE,
    /** The provider does not know this prediction id. */
    NOT_FOUND
  }

  private final Kind kind;
  private final int httpStatus;

  /**
   * @param httpStatus the provider's HTTP status, or 0 when there was no answer
   */
  public ProviderException(Kind kind, int httpStatus, String message, Throwable cause) {
    super(message, cause, false, false);
    this.kind = kind;
    this.httpStatus = httpStatus;
  }

  public Kind kind() {
    return kind;
  }

  public int httpStatus() {
    return httpStatus;
  }
}
