package au.com.backup247.agent.retention;

import au.com.backup247.agent.schedule.FieldError;
import au.com.backup247.agent.schedule.MonthDayRule;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a {@link RetentionPolicy} and names each bad field by its JSON path (see
 * {@link RetentionJson}): {@code keepDays}/{@code keepJobs} for simple policies, and
 * {@code policies}, {@code policies[i].name|days|weekdays|weeks|day|months|monthOfQuarter|
 * quarters|month|years|dates} for advanced ones.
 */
final class RetentionValidator {
  /** Smallest count of days, jobs, weeks, months, quarters or years. */
  public static final int MIN_COUNT = 1;
  /** Largest count (the guide's 365 days / 365 jobs, applied to every unit). */
  public static final int MAX_COUNT = 365;

  private RetentionValidator() {
  }

  /** Every problem of {@code policy}; {@code prefix} is its own path, e.g. {@code retention}. */
  public static List<FieldError> validate(RetentionPolicy policy, String prefix) {
    List<FieldError> errors = new ArrayList<>();
    if (policy instanceof RetentionPolicy.Simple s) {
      String field = s.unit() == RetentionPolicy.Unit.DAYS ? "keepDays" : "keepJobs";
      String unit = s.unit() == RetentionPolicy.Unit.DAYS ? "days" : "jobs";
      count(s.amount(), FieldError.path(prefix, field), unit, errors);
    } else if (policy instanceof RetentionPolicy.Advanced a) {
      if (a.policies().isEmpty()) {
        errors.add(FieldError.of(FieldError.path(prefix, "policies"), "v.policies"));
      }
      Set<String> names = new HashSet<>();
      for (int i = 0; i < a.policies().size(); i++) {
        SnapshotPolicy p = a.policies().get(i);
        String at = FieldError.path(prefix, "policies[" + i + "]");
        if (p.name().isBlank()) {
          errors.add(FieldError.of(at + ".name", "v.blank"));
        } else if (!names.add(p.name())) {
          errors.add(FieldError.of(at + ".name", "v.policy.dup", p.name()));
        }
        snapshot(p, at, errors);
      }
    }
    return errors;
  }

  private static void snapshot(SnapshotPolicy p, String at, List<FieldError> errors) {
    if (p instanceof SnapshotPolicy.Daily d) {
      count(d.days(), at + ".days", "days", errors);
    } else if (p instanceof SnapshotPolicy.Weekly w) {
      if (w.weekdays().isEmpty()) {
        errors.add(FieldError.of(at + ".weekdays", "v.weekdays.short"));
      }
      count(w.weeks(), at + ".weeks", "weeks", errors);
    } else if (p instanceof SnapshotPolicy.Monthly m) {
      errors.addAll(MonthDayRule.validate(m.day(), at + ".day"));
      count(m.months(), at + ".months", "months", errors);
    } else if (p instanceof SnapshotPolicy.Quarterly q) {
      errors.addAll(MonthDayRule.validate(q.day(), at + ".day"));
      if (q.monthOfQuarter() < 1 || q.monthOfQuarter() > 3) {
        errors.add(FieldError.of(at + ".monthOfQuarter", "v.monthOfQuarter", q.monthOfQuarter()));
      }
      count(q.quarters(), at + ".quarters", "quarters", errors);
    } else if (p instanceof SnapshotPolicy.Yearly y) {
      if (y.month() == null) {
        errors.add(FieldError.of(at + ".month", "v.month"));
      }
      errors.addAll(MonthDayRule.validate(y.day(), at + ".day"));
      count(y.years(), at + ".years", "years", errors);
    } else if (p instanceof SnapshotPolicy.Custom c) {
      if (c.dates().isEmpty()) {
        errors.add(FieldError.of(at + ".dates", "v.dates"));
      } else if (new HashSet<>(c.dates()).size() != c.dates().size()) {
        errors.add(FieldError.of(at + ".dates", "v.dates.twice"));
      }
    }
  }

  private static void count(int n, String field, String unit, List<FieldError> errors) {
    if (n < MIN_COUNT || n > MAX_COUNT) {
      errors.add(FieldError.of(field, "v.count." + unit, MIN_COUNT, MAX_COUNT, n));
    }
  }
}
