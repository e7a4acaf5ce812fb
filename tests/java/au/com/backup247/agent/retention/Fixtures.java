package au.com.backup247.agent.retention;

import au.com.backup247.agent.schedule.MonthDayRule;
import au.com.backup247.agent.schedule.Ordinal;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Month;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Test inputs. {@link #dailyJobs} is a file that changes at every job: one job per day at a fixed
 * UTC time, the version created by the job of day D lives until the job of day D+1, and its job
 * id is D. A snapshot policy then keeps exactly the versions whose id is a chosen snapshot date
 * (when the zone is UTC), which makes the expected tables easy to check by hand.
 *
 * <p>Policy specs: "simple 7 days", "simple 3 jobs", "daily 3", "weekly SUN,SAT 2",
 * "monthly DAY-1 2" (also LAST-DAY, FIRST-SUNDAY, LAST-FRIDAY), "quarterly DAY-1 1 4"
 * (day, month of quarter, quarters), "yearly FEBRUARY DAY-29 2", "custom 2026-10-10,2026-11-05";
 * advanced policies are joined with " + " and named by their type and position.
 */
final class Fixtures {
  private Fixtures() {
  }

  static List<Instant> jobTimes(LocalDate first, LocalDate last, LocalTime utcTime) {
    List<Instant> jobs = new ArrayList<>();
    for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
      jobs.add(d.atTime(utcTime).toInstant(ZoneOffset.UTC));
    }
    return jobs;
  }

  static List<VersionInfo> changingEveryJob(List<Instant> jobs) {
    List<VersionInfo> versions = new ArrayList<>();
    for (int i = 0; i < jobs.size(); i++) {
      String id = LocalDate.ofInstant(jobs.get(i), ZoneOffset.UTC).toString();
      versions.add(new VersionInfo(id, jobs.get(i), i + 1 < jobs.size() ? jobs.get(i + 1) : null));
    }
    return versions;
  }

  static String kept(Plan plan) {
    return plan.toKeep().stream().map(VersionInfo::jobId).sorted().collect(Collectors.joining(" "));
  }

  static RetentionPolicy policy(String spec) {
    String[] w = spec.trim().split("\\s+");
    if (w[0].equals("simple")) {
      return new RetentionPolicy.Simple(Integer.parseInt(w[1]),
          w[2].startsWith("day") ? RetentionPolicy.Unit.DAYS : RetentionPolicy.Unit.JOBS);
    }
    List<SnapshotPolicy> policies = new ArrayList<>();
    String[] parts = spec.split("\\s\\+\\s");
    for (int i = 0; i < parts.length; i++) {
      policies.add(snapshot(parts[i].trim().split("\\s+"), i));
    }
    return new RetentionPolicy.Advanced(policies);
  }

  private static SnapshotPolicy snapshot(String[] w, int index) {
    String name = w[0].substring(0, 1).toUpperCase() + w[0].substring(1) + "-" + (index + 1);
    switch (w[0]) {
      case "daily":
        return new SnapshotPolicy.Daily(name, Integer.parseInt(w[1]));
      case "weekly":
        return new SnapshotPolicy.Weekly(name, weekdays(w[1]), Integer.parseInt(w[2]));
      case "monthly":
        return new SnapshotPolicy.Monthly(name, rule(w[1]), Integer.parseInt(w[2]));
      case "quarterly":
        return new SnapshotPolicy.Quarterly(name, rule(w[1]), Integer.parseInt(w[2]), Integer.parseInt(w[3]));
      case "yearly":
        return new SnapshotPolicy.Yearly(name, Month.valueOf(w[1]), rule(w[2]), Integer.parseInt(w[3]));
      case "custom":
        return new SnapshotPolicy.Custom(name, Arrays.stream(w[1].split(",")).map(LocalDate::parse).toList());
      default:
        throw new IllegalArgumentException(w[0]);
    }
  }

  private static Set<DayOfWeek> weekdays(String csv) {
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    for (String d : csv.split(",")) {
      for (DayOfWeek dow : DayOfWeek.values()) {
        if (dow.name().startsWith(d)) {
          days.add(dow);
        }
      }
    }
    return days;
  }

  static MonthDayRule rule(String s) {
    String[] p = s.split("-");
    if (p[0].equals("DAY")) {
      return new MonthDayRule.DayOfMonth(Integer.parseInt(p[1]));
    }
    if (p[1].equals("DAY")) {
      return new MonthDayRule.LastDay();
    }
    return new MonthDayRule.NthWeekday(Ordinal.valueOf(p[0]), DayOfWeek.valueOf(p[1]));
  }
}
