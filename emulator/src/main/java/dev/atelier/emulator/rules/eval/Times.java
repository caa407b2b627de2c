package dev.atelier.emulator.rules.eval;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/** Timestamp and duration helpers (UTC; timestamps between years 1 and 9999, as Firestore's). */
public final class Times {
  private Times() {}

  static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final long MIN_SECONDS = -62_135_596_800L;
  private static final long MAX_SECONDS = 253_402_300_799L;

  public static Val.Timestamp timestamp(long seconds, int nanos) {
    long s = Math.addExact(seconds, Math.floorDiv(nanos, NANOS_PER_SECOND));
    int n = (int) Math.floorMod(nanos, NANOS_PER_SECOND);
    if (s < MIN_SECONDS || s > MAX_SECONDS) {
      throw EvalException.error("timestamp out of range");
    }
    return new Val.Timestamp(s, n);
  }

  public static Val.Timestamp ofInstant(Instant instant) {
    return timestamp(instant.getEpochSecond(), instant.getNano());
  }

  static Val.Timestamp plus(Val.Timestamp t, long nanos) {
    long seconds = Math.addExact(t.seconds(), Math.floorDiv(nanos, NANOS_PER_SECOND));
    return timestamp(seconds, t.nanos() + (int) Math.floorMod(nanos, NANOS_PER_SECOND));
  }

  /** {@code to - from}. */
  static Val.Duration between(Val.Timestamp from, Val.Timestamp to) {
    long seconds = Math.subtractExact(to.seconds(), from.seconds());
    return new Val.Duration(
        Math.addExact(Math.multiplyExact(seconds, NANOS_PER_SECOND), to.nanos() - from.nanos()));
  }

  static ZonedDateTime utc(Val.Timestamp t) {
    return Instant.ofEpochSecond(t.seconds(), t.nanos()).atZone(ZoneOffset.UTC);
  }

  static Val.Timestamp date(int year, int month, int day) {
    try {
      return timestamp(
          LocalDate.of(year, month, day).atStartOfDay(ZoneOffset.UTC).toEpochSecond(), 0);
    } catch (java.time.DateTimeException e) {
      throw EvalException.error("invalid date " + year + "-" + month + "-" + day);
    }
  }

  /** {@code duration.value(magnitude, unit)}: units w, d, h, m, s, ms, ns. */
  static Val.Duration duration(long magnitude, String unit) {
    long factor =
        switch (unit) {
          case "w" -> 7 * 24 * 3600 * NANOS_PER_SECOND;
          case "d" -> 24 * 3600 * NANOS_PER_SECOND;
          case "h" -> 3600 * NANOS_PER_SECOND;
          case "m" -> 60 * NANOS_PER_SECOND;
          case "s" -> NANOS_PER_SECOND;
          case "ms" -> 1_000_000L;
          case "ns" -> 1L;
          default ->
              throw EvalException.error(
                  "unknown duration unit '" + unit + "' (w, d, h, m, s, ms, ns)");
        };
    try {
      return new Val.Duration(Math.multiplyExact(magnitude, factor));
    } catch (ArithmeticException e) {
      throw EvalException.error("duration out of range");
    }
  }
}
