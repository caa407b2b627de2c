package dev.atelier.provider.standin;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Behaviours a prompt asks of the stand-in, like a payment provider's test card numbers: each
 * marker may appear anywhere in the prompt, in any case, and markers combine ({@code "#slow #fail"}
 * fails after the slow delay).
 */
public enum Marker {
  /** The prediction fails, with an error message; the webhook is called. */
  FAIL("#fail"),
  /** It takes the slow delay (10 s by default) instead of the completion delay. */
  SLOW("#slow"),
  /** It completes but never calls back: only polling finds out. */
  NOWEBHOOK("#nowebhook"),
  /**
   * The completion webhook is delivered twice (same {@code webhook-id}, ~50 ms apart), as a retry
   * would.
   */
  DUPWEBHOOK("#dupwebhook"),
  /** The output URLs serve a body over the size limit, with the right media content type. */
  OVERSIZE("#oversize"),
  /** The output URLs serve an HTML page ({@code text/html}) instead of media. */
  BADTYPE("#badtype"),
  /** One output fewer than asked (none when one was asked), and still "succeeded". */
  PARTIAL("#partial");

  private final String tag;

  Marker(String tag) {
    this.tag = tag;
  }

  /** How it is written in a prompt, e.g. {@code #fail}. */
  public String tag() {
    return tag;
  }

  /** The markers present in {@code prompt}. */
  public static Set<Marker> in(String prompt) {
    String lower = prompt.toLowerCase(Locale.ROOT);
    Set<Marker> found = EnumSet.noneOf(Marker.class);
    for (Marker marker : values()) {
      if (lower.contains(marker.tag)) {
        found.add(marker);
      }
    }
    return found;
  }
}
