package au.com.backup247.agent.retention;

import au.com.backup247.agent.schedule.MonthDayRule;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A named advanced retention policy (guide: Daily, Weekly, Monthly, Quarterly, Yearly, Custom).
 * Each one picks a set of <em>snapshot dates</em>; for each date the planner keeps the version
 * that was live at the end of that day in the profile's zone (precisely: at the last backup job
 * that started before the next local midnight). Only completed days count: a date is a snapshot
 * date only when it is before today, so a snapshot is never taken of a day still in progress
 * (today's state is the current version, which is always kept anyway).
 *
 * <p>Counts (days, weeks, months, quarters, years) are 1..365; the guide documents only 1..365 days,
 * the same range is used for the others. What each keeps, with {@code today} the local date of
 * {@code now}:
 * <ul>
 *   <li>{@link Daily}: each of the {@code days} days before today.
 *   <li>{@link Weekly}: each day in the {@code 7 × weeks} days before today whose weekday is
 *       selected ("the last four Saturdays" = Sat, weeks 4).
 *   <li>{@link Monthly}: the {@code day} of each of the last {@code months} months whose chosen
 *       day is before today (Day 31 in a 30-day month is the 30th).
 *   <li>{@link Quarterly}: the {@code day} of month {@code monthOfQuarter} (1 = Jan/Apr/Jul/Oct,
 *       2 = Feb/May/Aug/Nov, 3 = Mar/Jun/Sep/Dec) of the last {@code quarters} quarters whose
 *       chosen day is before today.
 *   <li>{@link Yearly}: the {@code day} of {@code month} of the last {@code years} years whose
 *       chosen day is before today (29 February is 28 February in non-leap years).
 *   <li>{@link Custom}: each listed date before today, with no count: kept until the date is
 *       removed from the policy (the guide does not describe the Custom form).
 * </ul>
 */
public sealed interface SnapshotPolicy {

  /** The user-defined name, e.g. "Weekly-1". */
  String name();

  /** The guide's type name: "Daily", "Weekly", ... (used in plan reasons). */
  default String typeName() {
    return getClass().getSimpleName();
  }

  /** Keep end-of-day snapshots of the last {@code days} days. */
  record Daily(String name, int days) implements SnapshotPolicy {
    public Daily {
      Objects.requireNonNull(name, "name");
    }
  }

  /** Keep end-of-day snapshots of the selected weekdays of the last {@code weeks} weeks. */
  record Weekly(String name, Set<DayOfWeek> weekdays, int weeks) implements SnapshotPolicy {
    public Weekly {
      Objects.requireNonNull(name, "name");
      weekdays = weekdays == null || weekdays.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(weekdays));
    }
  }

  /** Keep the snapshot of {@code day} of each of the last {@code months} months. */
  record Monthly(String name, MonthDayRule day, int months) implements SnapshotPolicy {
    public Monthly {
      Objects.requireNonNull(name, "name");
    }
  }

  /** Keep the snapshot of {@code day} in month {@code monthOfQuarter} (1..3) of the last quarters. */
  record Quarterly(String name, MonthDayRule day, int monthOfQuarter, int quarters) implements SnapshotPolicy {
    public Quarterly {
      Objects.requireNonNull(name, "name");
    }
  }

  /** Keep the snapshot of {@code day} of {@code month} of each of the last {@code years} years. */
  record Yearly(String name, Month month, MonthDayRule day, int years) implements SnapshotPolicy {
    public Yearly {
      Objects.requireNonNull(name, "name");
    }
  }

  /** Keep the snapshots of the listed dates. */
  record Custom(String name, List<LocalDate> dates) implements SnapshotPolicy {
    public Custom {
      Objects.requireNonNull(name, "name");
      dates = List.copyOf(dates);
    }
  }
}
