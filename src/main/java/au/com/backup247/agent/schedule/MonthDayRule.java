package au.com.backup247.agent.schedule;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which day of a month: the guide's "Day [1..31 | Last]" or "[First..Fourth | Last] [weekday]".
 * Used by Monthly schedules and by the Monthly, Quarterly and Yearly retention policies.
 *
 * <p>Decisions where the guide is silent:
 * <ul>
 *   <li>"First/Second/Third/Fourth day" is the same as Day 1..4 and "Last day" the same as
 *       Day Last, so they are modelled as {@link DayOfMonth} and {@link LastDay}; the JSON codec
 *       accepts both spellings.
 *   <li>{@code Day 29..31} in a month that has fewer days resolves to that month's last day
 *       (Day 31 in April is 30 April, Day 30 in February 2025 is 28 February). A monthly backup
 *       therefore runs every month, and a retention policy keeps one snapshot per month. "Last"
 *       stays the explicit way to say "end of month".
 *   <li>No "weekday"/"weekend day" choice: the guide does not offer one.
 * </ul>
 */
public sealed interface MonthDayRule {

  /** The date this rule picks in {@code month}; every month has exactly one. */
  LocalDate resolve(YearMonth month);

  /** Human text as the guide shows it: "Day 15", "Last day", "Last Friday". */
  String describe();

  /** Day {@code day} of the month, 1..31, clamped to the month's length. */
  record DayOfMonth(int day) implements MonthDayRule {
    @Override
    public LocalDate resolve(YearMonth month) {
      return month.atDay(Math.max(1, Math.min(day, month.lengthOfMonth())));
    }

    @Override
    public String describe() {
      return "Day " + day;
    }
  }

  /** The last day of the month. */
  record LastDay() implements MonthDayRule {
    @Override
    public LocalDate resolve(YearMonth month) {
      return month.atEndOfMonth();
    }

    @Override
    public String describe() {
      return "Last day";
    }
  }

  /** The n-th (or last) given weekday of the month, e.g. "First Monday", "Last Friday". */
  record NthWeekday(Ordinal ordinal, DayOfWeek weekday) implements MonthDayRule {
    @Override
    public LocalDate resolve(YearMonth month) {
      if (ordinal == Ordinal.LAST) {
        return month.atEndOfMonth().with(TemporalAdjusters.lastInMonth(weekday));
      }
      return month.atDay(1).with(TemporalAdjusters.dayOfWeekInMonth(ordinal.number(), weekday));
    }

    @Override
    public String describe() {
      return capitalise(ordinal.name()) + " " + capitalise(weekday.name());
    }
  }

  /** Field errors of a rule; {@code field} is the rule's own path, e.g. {@code schedules[0].monthDay}. */
  static List<FieldError> validate(MonthDayRule rule, String field) {
    List<FieldError> errors = new ArrayList<>();
    if (rule == null) {
      errors.add(FieldError.of(field, "v.monthDay.required"));
    } else if (rule instanceof DayOfMonth d && (d.day() < 1 || d.day() > 31)) {
      errors.add(FieldError.of(field + ".day", "v.monthDay.day", d.day()));
    } else if (rule instanceof NthWeekday n) {
      if (n.ordinal() == null) {
        errors.add(FieldError.of(field + ".ordinal", "v.ordinal"));
      }
      if (n.weekday() == null) {
        errors.add(FieldError.of(field + ".weekday", "v.weekday"));
      }
    }
    return errors;
  }

  private static String capitalise(String s) {
    return s.charAt(0) + s.substring(1).toLowerCase(Locale.ROOT);
  }
}
