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
final class ScheduleValidator {
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
      errors.add(FieldError.of(FieldError.path(prefix, "name"), "v.blank"));
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
      errors.add(FieldError.of(weekdays, "v.weekdays"));
    } else if (s.type() != ScheduleType.WEEKLY && !s.weekdays().isEmpty()) {
      errors.add(FieldError.of(weekdays, "v.weeklyOnly"));
    }
    if (s.type() == ScheduleType.MONTHLY) {
      errors.addAll(MonthDayRule.validate(s.monthDay(), monthDay));
    } else if (s.monthDay() != null) {
      errors.add(FieldError.of(monthDay, "v.monthlyOnly"));
    }
    if (s.type() == ScheduleType.CUSTOM && s.date() == null) {
      errors.add(FieldError.of(date, "v.customDate"));
    } else if (s.type() != ScheduleType.CUSTOM && s.date() != null) {
      errors.add(FieldError.of(date, "v.customOnly"));
    }
  }

  private static void checkStart(Schedule s, String prefix, List<FieldError> errors) {
    if (s.start() instanceof Start.At at) {
      LocalTime t = at.time();
      if (t.getSecond() != 0 || t.getNano() != 0) {
        errors.add(FieldError.of(FieldError.path(prefix, "at"), "v.hhmm", t));
      }
    } else if (s.start() instanceof Start.Every every) {
      String field = FieldError.path(prefix, "every");
      if (!s.type().allowsPeriodic()) {
        errors.add(FieldError.of(field, "v.every.type"));
      }
      Duration p = every.period();
      if (!Start.ALLOWED_PERIODS.contains(p)) {
        errors.add(FieldError.of(field, "v.oneOf", Start.allowedText(), p));
      }
    }
  }

  private static void checkStop(Schedule s, String prefix, List<FieldError> errors) {
    if (s.stop() instanceof Stop.AfterHours after) {
      String field = FieldError.path(prefix, "stopAfterHours");
      if (after.hours() < 1 || after.hours() > 24) {
        errors.add(FieldError.of(field, "v.stopAfter", after.hours()));
      }
      if (s.start() instanceof Start.Every) {
        errors.add(FieldError.of(field, "v.stopAfter.every"));
      }
    }
  }
}
