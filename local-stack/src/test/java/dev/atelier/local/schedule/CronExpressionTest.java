package dev.atelier.local.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class CronExpressionTest {

  private static final ZoneId UTC = ZoneId.of("Etc/UTC");

  private static ZonedDateTime at(String local, ZoneId zone) {
    return java.time.LocalDateTime.parse(local).atZone(zone);
  }

  @Test
  void everyFiveMinutesFiresOnTheNextMultipleOfFive() {
    assertEquals(
        at("2026-11-22T01:55:00", UTC),
        CronExpression.parse("*/5 * * * *").next(at("2026-11-22T01:52:30", UTC)));
    assertEquals(
        at("2026-11-22T02:00:00", UTC),
        CronExpression.parse("*/5 * * * *").next(at("2026-11-22T01:55:00", UTC)));
  }

  @Test
  void dailyRunsAtTheGivenTimeInTheScheduleZone() {
    ZoneId kolkata = ZoneId.of("Asia/Kolkata");
    assertEquals(
        at("2026-11-23T03:30:00", kolkata),
        CronExpression.parse("30 3 * * *").next(at("2026-11-22T03:30:00", kolkata)));
  }

  @Test
  void rangesListsAndDayNames() {
    // 2026-11-22 is a Sunday; next weekday 09:00 or 17:00 is Monday 09:00.
    assertEquals(
        at("2026-11-23T09:00:00", UTC),
        CronExpression.parse("0 9,17 * * MON-FRI").next(at("2026-11-22T10:00:00", UTC)));
  }

  @Test
  void restrictedDayOfMonthAndDayOfWeekMatchEither() {
    // The 1st of the month or any Sunday: from Saturday 2026-11-21 the next is Sunday the 22nd.
    assertEquals(
        at("2026-11-22T00:00:00", UTC),
        CronExpression.parse("0 0 1 * 0").next(at("2026-11-21T12:00:00", UTC)));
  }

  @Test
  void sundayIsAlsoSeven() {
    assertEquals(
        at("2026-11-29T00:00:00", UTC),
        CronExpression.parse("0 0 * * 7").next(at("2026-11-22T00:00:00", UTC)));
  }

  @Test
  void rejectsMalformedExpressions() {
    assertThrows(IllegalArgumentException.class, () -> CronExpression.parse("* * * *"));
    assertThrows(IllegalArgumentException.class, () -> CronExpression.parse("61 * * * *"));
    assertThrows(IllegalArgumentException.class, () -> CronExpression.parse("*/0 * * * *"));
  }
}
