package dev.atelier.router;

import dev.atelier.store.WireEnum;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/** How often a model quota's {@code tokens_used} goes back to 0. */
public enum QuotaPeriod implements WireEnum {
  HOUR("hour"),
  DAY("day"),
  MONTH("month");

  private final String wire;

  QuotaPeriod(String wire) {
    this.wire = wire;
  }

  @Override
  public String wire() {
    return wire;
  }

  /**
   * The first period boundary strictly after {@code t}, in UTC (top of the hour, midnight, the
   * 1st).
   */
  public Instant nextBoundaryAfter(Instant t) {
    ZonedDateTime utc = t.atZone(ZoneOffset.UTC);
    ZonedDateTime start =
        switch (this) {
          case HOUR -> utc.truncatedTo(ChronoUnit.HOURS);
          case DAY -> utc.truncatedTo(ChronoUnit.DAYS);
          case MONTH -> utc.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
        };
    return (switch (this) {
          case HOUR -> start.plusHours(1);
          case DAY -> start.plusDays(1);
          case MONTH -> start.plusMonths(1);
        })
        .toInstant();
  }

  public static QuotaPeriod fromWire(String value) {
    return WireEnum.fromWire(QuotaPeriod.class, value);
  }
}
