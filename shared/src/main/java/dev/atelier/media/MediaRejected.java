package dev.atelier.media;

/**
 * A provider's media URL that was not downloaded, and why. The generation fails and its hold is
 * reversed.
 */
public final class MediaRejected extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a download was refused. */
  public enum Reason {
    /** Not https (or http where allowed), no host, or not a URL at all. */
    INSECURE_URL,
    /** The host resolves to an address inside a private network (SSRF guard). */
    PRIVATE_HOST,
    /**
     * Unknown host, connection refused, a non-2xx answer, too many redirects, or the download timed
     * out.
     */
    UNREACHABLE,
    /** Declared or streamed past the size limit. */
    TOO_LARGE,
    /**
     * The declared content type is not one the caller accepts, or the bytes are not what it
     * declares.
     */
    WRONG_TYPE
  }

  private final Reason reason;

  public MediaRejected(Reason reason, String message) {
    this(reason, message, null);
  }

  public MediaRejected(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  @Override
  public String toString() {
    return "MediaRejected[" + reason + "]: " + getMessage();
  }
}
