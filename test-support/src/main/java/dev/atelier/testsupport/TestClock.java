package dev.atelier.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A UTC clock a test controls: it stands still at the time last {@link #set}, or, once {@link
 * #ticking} was called, moves on by a fixed step at every reading (so a job's deadline comes after
 * a known number of readings). Thread-safe.
 */
public final class TestClock extends Clock {

  private final AtomicReference<Instant> now;
  private volatile Duration step = Duration.ZERO;

  public TestClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  /** Stands still at {@code t} from now on (and stops ticking). */
  public TestClock set(Instant t) {
    step = Duration.ZERO;
    now.set(t);
    return this;
  }

  /** Every reading from now on returns the current time, then moves it on by {@code step}. */
  public TestClock ticking(Duration step) {
    this.step = step;
    return this;
  }

  /** The current time, without moving a ticking clock. */
  public Instant peek() {
    return now.get();
  }

  @Override
  public Instant instant() {
    Duration s = step;
    return s.isZero() ? now.get() : now.getAndUpdate(t -> t.plus(s));
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("a TestClock is always UTC");
  }
}
