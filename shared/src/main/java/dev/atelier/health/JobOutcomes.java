package dev.atelier.health;

/**
 * What a provider's recent jobs reported (webhook outcomes): items that completed, and items that
 * failed with the provider's own error ({@code PROVIDER_FAILED}) since the policy's job window
 * began. Other failures (our media checks, timeouts on our side, cancellations, a dispatch that
 * never started) say nothing about the provider and are not counted.
 *
 * @param truncated more items than the per-run limit were recent: the counts are of the newest
 */
public record JobOutcomes(long completed, long failed, boolean truncated) {

  public static final JobOutcomes NONE = new JobOutcomes(0, 0, false);

  public long total() {
    return completed + failed;
  }
}
