package au.com.backup247.agent.retention;

import au.com.backup247.agent.schedule.MonthDayRule;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

/** The snapshot dates a {@link SnapshotPolicy} picks, newest first, all before {@code today}. */
final class SnapshotDates {
  private SnapshotDates() {
  }

  static List<LocalDate> of(SnapshotPolicy p, LocalDate today) {
    List<LocalDate> out = new ArrayList<>();
    if (p instanceof SnapshotPolicy.Daily d) {
      for (int i = 1; i <= d.days(); i++) {
        out.add(today.minusDays(i));
      }
    } else if (p instanceof SnapshotPolicy.Weekly w) {
      for (int i = 1; i <= 7 * w.weeks(); i++) {
        LocalDate day = today.minusDays(i);
        if (w.weekdays().contains(day.getDayOfWeek())) {
          out.add(day);
        }
      }
    } else if (p instanceof SnapshotPolicy.Monthly m) {
      stepBack(m.day(), YearMonth.from(today), 1, m.months(), today, out);
    } else if (p instanceof SnapshotPolicy.Quarterly q) {
      int firstMonth = (today.getMonthValue() - 1) / 3 * 3 + 1;
      YearMonth start = YearMonth.of(today.getYear(), firstMonth + q.monthOfQuarter() - 1);
      stepBack(q.day(), start, 3, q.quarters(), today, out);
    } else if (p instanceof SnapshotPolicy.Yearly y) {
      stepBack(y.day(), YearMonth.of(today.getYear(), y.month()), 12, y.years(), today, out);
    } else if (p instanceof SnapshotPolicy.Custom c) {
      c.dates().stream().filter(d -> d.isBefore(today)).sorted((a, b) -> b.compareTo(a)).forEach(out::add);
    }
    return out;
  }

  /** From {@code start} backwards by {@code step} months, collect {@code count} dates before today. */
  private static void stepBack(MonthDayRule rule, YearMonth start, int step, int count, LocalDate today,
      List<LocalDate> out) {
    YearMonth ym = start;
    while (out.size() < count) {
      LocalDate d = rule.resolve(ym);
      if (d.isBefore(today)) {
        out.add(d);
      }
      ym = ym.minusMonths(step);
    }
  }
}
