package au.com.backup247.agent.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.schedule.MonthDayRule;
import au.com.backup247.agent.schedule.Ordinal;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Randomised property test (seeded, so failures reproduce): random job histories, random
 * version lifetimes (changes and deletions), random policies and zones.
 * <ul>
 *   <li>a current version is never removed, whatever the policy;
 *   <li>simple DAYS: removed exactly when superseded more than N×24 h before now;
 *   <li>simple JOBS: removed exactly when N or more jobs ran after it was superseded
 *       (counted here with a plain loop);
 *   <li>every decision is in input order, and an advanced KEEP of a superseded version names a policy.
 * </ul>
 */
class RetentionInvariantTest {
  private static final List<String> ZONES = List.of("UTC", "Australia/Sydney", "America/New_York",
      "Pacific/Kiritimati", "Asia/Kolkata", "Australia/Lord_Howe");

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 1597, 2584, 4181, 6765, 10946})
  void invariantsHold(long seed) {
    Random r = new Random(seed);
    for (int round = 0; round < 50; round++) {
      List<Instant> jobs = jobs(r);
      Instant now = jobs.get(jobs.size() - 1).plus(Duration.ofMinutes(r.nextInt(5 * 24 * 60)));
      List<VersionInfo> versions = versions(r, jobs);
      RetentionPolicy policy = r.nextInt(3) == 0 ? advanced(r) : simple(r);
      ZoneId zone = ZoneId.of(ZONES.get(r.nextInt(ZONES.size())));
      Plan plan = RetentionPlanner.plan(versions, jobs, policy, now, zone);
      check(plan, versions, jobs, policy, now);
    }
  }

  private static void check(Plan plan, List<VersionInfo> versions, List<Instant> jobs, RetentionPolicy policy,
      Instant now) {
    assertEquals(versions.size(), plan.decisions().size());
    for (int i = 0; i < versions.size(); i++) {
      VersionInfo v = versions.get(i);
      Plan.Decision d = plan.decisions().get(i);
      assertEquals(v, d.version());
      if (v.isCurrent()) {
        assertEquals(Plan.Action.KEEP, d.action(), "current version removed: " + d);
      } else if (policy instanceof RetentionPolicy.Simple s && s.unit() == RetentionPolicy.Unit.DAYS) {
        boolean within = !v.endedAt().plus(Duration.ofDays(s.amount())).isBefore(now);
        assertEquals(within ? Plan.Action.KEEP : Plan.Action.REMOVE, d.action(), d + " with " + s);
      } else if (policy instanceof RetentionPolicy.Simple s) {
        int after = 0;
        for (Instant j : jobs) {
          if (j.isAfter(v.endedAt()) && !j.isAfter(now)) {
            after++;
          }
        }
        assertEquals(after < s.amount() ? Plan.Action.KEEP : Plan.Action.REMOVE, d.action(), d + " with " + s);
      } else if (d.action() == Plan.Action.KEEP) {
        assertTrue(d.reason().startsWith("kept by "), d.reason());
      }
    }
  }

  private static List<Instant> jobs(Random r) {
    List<Instant> jobs = new ArrayList<>();
    Instant t = Instant.parse("2024-01-01T00:00:00Z").plus(Duration.ofMinutes(r.nextInt(500_000)));
    int n = 1 + r.nextInt(120);
    for (int i = 0; i < n; i++) {
      jobs.add(t);
      t = t.plus(Duration.ofMinutes(1 + r.nextInt(r.nextBoolean() ? 180 : 5 * 24 * 60)));
    }
    return jobs;
  }

  /** Versions of one path: each starts at a job and ends at a later job, or is current; gaps are deletions. */
  private static List<VersionInfo> versions(Random r, List<Instant> jobs) {
    List<VersionInfo> out = new ArrayList<>();
    int i = r.nextInt(jobs.size());
    while (i < jobs.size()) {
      int end = i + 1 + r.nextInt(6);
      if (end >= jobs.size() && r.nextBoolean()) {
        out.add(new VersionInfo("v" + i, jobs.get(i), null));
        break;
      }
      Instant endedAt = end < jobs.size() ? jobs.get(end) : jobs.get(jobs.size() - 1);
      out.add(new VersionInfo("v" + i, jobs.get(i), endedAt));
      i = end + (r.nextInt(4) == 0 ? 1 + r.nextInt(3) : 0);
    }
    return out;
  }

  private static RetentionPolicy simple(Random r) {
    int n = r.nextBoolean() ? 1 + r.nextInt(10) : 1 + r.nextInt(365);
    return new RetentionPolicy.Simple(n, r.nextBoolean() ? RetentionPolicy.Unit.DAYS : RetentionPolicy.Unit.JOBS);
  }

  private static RetentionPolicy advanced(Random r) {
    List<SnapshotPolicy> policies = new ArrayList<>();
    int n = 1 + r.nextInt(4);
    for (int i = 0; i < n; i++) {
      String name = "P" + i;
      int count = 1 + r.nextInt(12);
      switch (r.nextInt(6)) {
        case 0 -> policies.add(new SnapshotPolicy.Daily(name, count));
        case 1 -> policies.add(new SnapshotPolicy.Weekly(name, days(r), count));
        case 2 -> policies.add(new SnapshotPolicy.Monthly(name, rule(r), count));
        case 3 -> policies.add(new SnapshotPolicy.Quarterly(name, rule(r), 1 + r.nextInt(3), count));
        case 4 -> policies.add(new SnapshotPolicy.Yearly(name, Month.of(1 + r.nextInt(12)), rule(r), count));
        default -> policies.add(new SnapshotPolicy.Custom(name,
            List.of(LocalDate.of(2024, 1, 1).plusDays(r.nextInt(800)))));
      }
    }
    return new RetentionPolicy.Advanced(policies);
  }

  private static Set<DayOfWeek> days(Random r) {
    Set<DayOfWeek> days = EnumSet.of(DayOfWeek.of(1 + r.nextInt(7)));
    if (r.nextBoolean()) {
      days.add(DayOfWeek.of(1 + r.nextInt(7)));
    }
    return days;
  }

  private static MonthDayRule rule(Random r) {
    return switch (r.nextInt(3)) {
      case 0 -> new MonthDayRule.DayOfMonth(1 + r.nextInt(31));
      case 1 -> new MonthDayRule.LastDay();
      default -> new MonthDayRule.NthWeekday(Ordinal.values()[r.nextInt(5)], DayOfWeek.of(1 + r.nextInt(7)));
    };
  }
}
