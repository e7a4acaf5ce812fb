package au.com.backup247.agent.schedule;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.YearMonth;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One backup schedule of a backup set (guide ch. 9.5). Immutable; construct freely, then check
 * with {@link ScheduleValidator#validate(Schedule, String)} (the constructor only rejects nulls, so
 * a settings form can be turned into a record and get field errors back).
 *
 * @param name user-visible name, e.g. "Weekly-1"
 * @param enabled a disabled schedule never fires
 * @param type Daily, Weekly, Monthly or Custom
 * @param weekdays the days a WEEKLY schedule runs on; empty for other types
 * @param monthDay the day a MONTHLY schedule runs on; {@code null} for other types
 * @param date the single date a CUSTOM schedule runs on; {@code null} for other types
 * @param start "at" a time or "every" period
 * @param stop until completed, or after 1..24 hours (only with "at")
 * @param runRetentionAfterBackup run the retention policy job after the backup
 */
public record Schedule(String name, boolean enabled, ScheduleType type, Set<DayOfWeek> weekdays,
    MonthDayRule monthDay, LocalDate date, Start start, Stop stop, boolean runRetentionAfterBackup) {

  public Schedule {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(stop, "stop");
    weekdays = weekdays == null || weekdays.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(weekdays));
  }

  /** An enabled Daily schedule, stop until completed, no retention run. */
  public static Schedule daily(String name, Start start) {
    return new Schedule(name, true, ScheduleType.DAILY, Set.of(), null, null, start, Stop.UNTIL_COMPLETED, false);
  }

  /** An enabled Weekly schedule on {@code days}. */
  public static Schedule weekly(String name, Set<DayOfWeek> days, Start start) {
    return new Schedule(name, true, ScheduleType.WEEKLY, days, null, null, start, Stop.UNTIL_COMPLETED, false);
  }

  /** An enabled Monthly schedule on {@code day} at {@code time}. */
  public static Schedule monthly(String name, MonthDayRule day, LocalTime time) {
    return new Schedule(name, true, ScheduleType.MONTHLY, Set.of(), day, null, new Start.At(time),
        Stop.UNTIL_COMPLETED, false);
  }

  /** An enabled Custom (run once) schedule on {@code date} at {@code time}. */
  public static Schedule custom(String name, LocalDate date, LocalTime time) {
    return new Schedule(name, true, ScheduleType.CUSTOM, Set.of(), null, date, new Start.At(time),
        Stop.UNTIL_COMPLETED, false);
  }

  public Schedule withEnabled(boolean on) {
    return new Schedule(name, on, type, weekdays, monthDay, date, start, stop, runRetentionAfterBackup);
  }

  public Schedule withStop(Stop newStop) {
    return new Schedule(name, enabled, type, weekdays, monthDay, date, start, newStop, runRetentionAfterBackup);
  }

  public Schedule withRunRetentionAfterBackup(boolean run) {
    return new Schedule(name, enabled, type, weekdays, monthDay, date, start, stop, run);
  }

  /** Whether the schedule may fire on local date {@code d} (ignores the start time). */
  boolean runsOn(LocalDate d) {
    return switch (type) {
      case DAILY -> true;
      case WEEKLY -> weekdays.contains(d.getDayOfWeek());
      case MONTHLY -> monthDay != null && monthDay.resolve(YearMonth.from(d)).equals(d);
      case CUSTOM -> d.equals(date);
    };
  }
}
