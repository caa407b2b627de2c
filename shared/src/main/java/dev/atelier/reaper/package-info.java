/**
 * The {@code reap-stale-jobs} job ({@link dev.atelier.reaper.StaleJobReaper}): quiet generations
 * are polled at their provider (a lost webhook completes through {@link
 * dev.atelier.results.ProviderResults}, the webhook's own path), stuck ones fail with TIMED_OUT and
 * their HOLD reversed, and PENDING holds no live item needs are reversed (captured when their item
 * completed).
 */
package dev.atelier.reaper;
