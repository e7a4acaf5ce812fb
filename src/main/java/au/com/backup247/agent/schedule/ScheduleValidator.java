package au.com.backup247.agent.schedule;

import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a {@link Schedule} against the guide's rules and reports every violation with the full
 * field path (the JSON names of {@link ScheduleJson}): {@code name}, {@code weekdays},
 * {@code monthDay[.day|.ordinal|.weekday]}, {@code date}, {@code at}, {@code every},
 * {@code stopAfterHours}.
 */
public final class ScheduleValidator {
  private ScheduleValidator() {
  }

  /**
   * All problems of {@code s}; empty when it is valid.
   *
   * @param prefix path of the schedule itself, e.g. {@code schedules[0]}; may be empty
   */
  public static List<FieldError> validate(Schedule s, String prefix) {
    List<FieldError> errors = new ArrayList<>();
    if (s.name().isBlank()) {
      errors.add(new FieldError(FieldError.path(prefix, "name"), "must not be blank"));
    }
    checkDays(s, prefix, errors);
    checkStart(s, prefix, errors);
    checkStop(s, prefix, errors);
    return errors;
  }

  private static void checkDays(Schedule s, String prefix, List<FieldError> errors) {
    String weekdays = FieldError.path(prefix, "weekdays");
    String monthDay = FieldError.path(prefix, "monthDay");
    String date = FieldError.path(prefix, "date");
    if (s.type() == ScheduleType.WEEKLY && s.weekdays().isEmpty()) {
      errors.add(new FieldError(weekdays, "must name at least one of sunday, monday, tuesday, "
          + "wednesday, thursday, friday, saturday"));
    } else if (s.type() != ScheduleType.WEEKLY && !s.weekdays().isEmpty()) {
      errors.add(new FieldError(weekdays, "is only allowed for weekly schedules"));
    }
    if (s.type() == ScheduleType.MONTHLY) {
      errors.addAll(MonthDayRule.validate(s.monthDay(), monthDay));
    } else if (s.monthDay() != null) {
      errors.add(new FieldError(monthDay, "is only allowed for monthly schedules"));
    }
    if (s.type() == ScheduleType.CUSTOM && s.date() == null) {
      errors.add(new FieldError(date, "is required for custom schedules (yyyy-MM-dd)"));
    } else if (s.type() != ScheduleType.CUSTOM && s.date() != null) {
      errors.add(new FieldError(date, "is only allowed for custom schedules"));
    }
  }

  private static void checkStart(Schedule s, String prefix, List<FieldError> errors) {
    if (s.start() instanceof Start.At at) {
      LocalTime t = at.time();
      if (t.getSecond() != 0 || t.getNano() != 0) {
        errors.add(new FieldError(FieldError.path(prefix, "at"), "must be HH:MM (00:00..23:59), got " + t));
      }
    } else if (s.start() instanceof Start.Every every) {
      String field = FieldError.path(prefix, "every");
      if (!s.type().allowsPeriodic()) {
        errors.add(new FieldError(field, "\"every\" is only allowed for daily and weekly schedules; "
            + "use \"at\""));
      }
      Duration p = every.period();
      if (!Start.ALLOWED_PERIODS.contains(p)) {
        errors.add(new FieldError(field, "must be one of " + Start.allowedText() + ", got " + p));
      }
    }
  }

  private static void checkStop(Schedule s, String prefix, List<FieldError> errors) {
    if (s.stop() instanceof Stop.AfterHours after) {
      String field = FieldError.path(prefix, "stopAfterHours");
      if (after.hours() < 1 || after.hours() > 24) {
        errors.add(new FieldError(field, "must be 1..24 hours, got " + after.hours()));
      }
      if (s.start() instanceof Start.Every) {
        errors.add(new FieldError(field, "stop after a number of hours is not supported for periodic "
            + "(\"every\") schedules; omit it to stop until the full backup is completed"));
      }
    }
  }
}
