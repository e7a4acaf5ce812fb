package au.com.backup247.agent.schedule;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Builds schedules from one-line specs for table-driven tests, e.g. "DAILY at 21:00",
 * "WEEKLY SAT,SUN every 4h", "MONTHLY LAST-FRIDAY at 20:00", "MONTHLY DAY-31 at 20:00",
 * "MONTHLY LAST-DAY at 20:00", "CUSTOM 2028-02-29 at 00:00". Deliberately independent of
 * {@link ScheduleJson} so evaluator tests do not depend on the codec.
 */
final class Specs {
  private Specs() {
  }

  static Schedule schedule(String name, String spec) {
    String[] w = spec.trim().split("\\s+");
    ScheduleType type = ScheduleType.valueOf(w[0]);
    int i = 1;
    Set<DayOfWeek> days = Set.of();
    MonthDayRule rule = null;
    LocalDate date = null;
    if (type == ScheduleType.WEEKLY) {
      days = weekdays(w[i++]);
    } else if (type == ScheduleType.MONTHLY) {
      rule = rule(w[i++]);
    } else if (type == ScheduleType.CUSTOM) {
      date = LocalDate.parse(w[i++]);
    }
    Start start = w[i].equals("at") ? new Start.At(LocalTime.parse(w[i + 1])) : new Start.Every(period(w[i + 1]));
    return new Schedule(name, true, type, days, rule, date, start, Stop.UNTIL_COMPLETED, false);
  }

  static Schedule schedule(String spec) {
    return schedule("S", spec);
  }

  private static Set<DayOfWeek> weekdays(String csv) {
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    for (String d : csv.split(",")) {
      for (DayOfWeek dow : DayOfWeek.values()) {
        if (dow.name().startsWith(d.toUpperCase(Locale.ROOT))) {
          days.add(dow);
        }
      }
    }
    return days;
  }

  private static MonthDayRule rule(String s) {
    String[] p = s.split("-");
    if (p[0].equals("DAY")) {
      return new MonthDayRule.DayOfMonth(Integer.parseInt(p[1]));
    }
    if (p[1].equals("DAY")) {
      return new MonthDayRule.LastDay();
    }
    return new MonthDayRule.NthWeekday(Ordinal.valueOf(p[0]), DayOfWeek.valueOf(p[1]));
  }

  private static Duration period(String s) {
    long n = Long.parseLong(s.substring(0, s.length() - 1));
    return s.endsWith("h") ? Duration.ofHours(n) : Duration.ofMinutes(n);
  }
}
