package dev.atelier.local.schedule;

import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * A standard 5-field unix-cron expression (minute hour day-of-month month day-of-week) as Cloud
 * Scheduler accepts it: {@code *}, numbers, ranges {@code a-b}, steps {@code * /n} and {@code
 * a-b/n}, lists, month and day names; Sunday is 0 or 7. As in cron, when both day fields are
 * restricted a day matching either runs.
 */
public final class CronExpression {

  private static final List<String> MONTHS =
      List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
  private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

  private final String expression;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek;
  private final boolean dayOfMonthRestricted;
  private final boolean dayOfWeekRestricted;

  private CronExpression(String expression) {
    this.expression = expression;
    String[] fields = expression.trim().split("\\s+");
    if (fields.length != 5) {
      throw new IllegalArgumentException("cron needs 5 fields: " + expression);
    }
    minutes = field(fields[0], 0, 59, List.of(), 0);
    hours = field(fields[1], 0, 23, List.of(), 0);
    daysOfMonth = field(fields[2], 1, 31, List.of(), 0);
    months = field(fields[3], 1, 12, MONTHS, 1);
    daysOfWeek = field(fields[4], 0, 7, DAYS, 0);
    if (daysOfWeek.get(7)) {
      daysOfWeek.set(0);
    }
    dayOfMonthRestricted = !fields[2].startsWith("*");
    dayOfWeekRestricted = !fields[4].startsWith("*");
  }

  public static CronExpression parse(String expression) {
    return new CronExpression(expression);
  }

  /** The first matching minute strictly after {@code after}, in {@code after}'s zone. */
  public ZonedDateTime next(ZonedDateTime after) {
    ZonedDateTime t = after.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    // Five years covers every satisfiable expression (Feb 29 on a given weekday included).
    ZonedDateTime limit = t.plusYears(5);
    while (t.isBefore(limit)) {
      if (!months.get(t.getMonthValue())) {
        t = t.plusMonths(1).withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS);
      } else if (!dayMatches(t)) {
        t = t.plusDays(1).truncatedTo(ChronoUnit.DAYS);
      } else if (!hours.get(t.getHour())) {
        t = t.plusHours(1).truncatedTo(ChronoUnit.HOURS);
      } else if (!minutes.get(t.getMinute())) {
        t = t.plusMinutes(1);
      } else {
        return t;
      }
    }
    throw new IllegalArgumentException("cron never fires: " + expression);
  }

  private boolean dayMatches(ZonedDateTime t) {
    boolean dom = daysOfMonth.get(t.getDayOfMonth());
    boolean dow = daysOfWeek.get(t.getDayOfWeek().getValue() % 7);
    if (dayOfMonthRestricted && dayOfWeekRestricted) {
      return dom || dow;
    }
    return dom && dow;
  }

  private static BitSet field(
      String spec, int min, int max, List<String> names, int firstNameValue) {
    BitSet bits = new BitSet(max + 1);
    for (String part : spec.split(",")) {
      String range = part;
      int step = 1;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        range = part.substring(0, slash);
        step = Integer.parseInt(part.substring(slash + 1));
        if (step < 1) {
          throw new IllegalArgumentException("bad step in " + spec);
        }
      }
      int from;
      int to;
      if (range.equals("*")) {
        from = min;
        to = max;
      } else if (range.contains("-")) {
        String[] ends = range.split("-", 2);
        from = value(ends[0], names, firstNameValue);
        to = value(ends[1], names, firstNameValue);
      } else {
        from = value(range, names, firstNameValue);
        to = slash >= 0 ? max : from;
      }
      if (from < min || to > max || from > to) {
        throw new IllegalArgumentException("out of range " + min + "-" + max + ": " + spec);
      }
      for (int v = from; v <= to; v += step) {
        bits.set(v);
      }
    }
    return bits;
  }

  private static int value(String token, List<String> names, int firstNameValue) {
    int named = names.indexOf(token.toUpperCase(Locale.ROOT));
    if (named >= 0) {
      return named + firstNameValue;
    }
    return Integer.parseInt(token);
  }

  @Override
  public String toString() {
    return expression;
  }
}
