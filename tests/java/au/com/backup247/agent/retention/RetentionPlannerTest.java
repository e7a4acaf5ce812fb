package au.com.backup247.agent.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Retention tables. Unless stated otherwise: jobs every day at 22:00 UTC from 2026-10-01 to
 * 2026-11-30, the file changes at every job (version id = job date), now = 2026-12-01T10:00Z
 * (a Tuesday; 2026-11-22 and 2026-11-29 are Sundays, 2026-11-27 the last Friday of November),
 * zone UTC. The current version is 2026-11-30.
 */
class RetentionPlannerTest {
  private static final List<Instant> JOBS = Fixtures.jobTimes(LocalDate.of(2026, 10, 1), LocalDate.of(2026, 11, 30),
      LocalTime.of(22, 0));
  private static final List<VersionInfo> VERSIONS = Fixtures.changingEveryJob(JOBS);
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  private static final ZoneId UTC = ZoneId.of("UTC");

  @ParameterizedTest(name = "{0} keeps {1}")
  @CsvSource(delimiter = '|', textBlock = """
      simple 7 days                 | 2026-11-23 2026-11-24 2026-11-25 2026-11-26 2026-11-27 2026-11-28 2026-11-29 2026-11-30
      simple 1 days                 | 2026-11-29 2026-11-30
      simple 3 jobs                 | 2026-11-27 2026-11-28 2026-11-29 2026-11-30
      simple 1 jobs                 | 2026-11-29 2026-11-30
      daily 3                       | 2026-11-28 2026-11-29 2026-11-30
      daily 1                       | 2026-11-30
      weekly SUN 2                  | 2026-11-22 2026-11-29 2026-11-30
      weekly SAT 4                  | 2026-11-07 2026-11-14 2026-11-21 2026-11-28 2026-11-30
      weekly MON,SAT 1              | 2026-11-28 2026-11-30
      monthly DAY-1 2               | 2026-10-01 2026-11-01 2026-11-30
      monthly DAY-31 2              | 2026-10-31 2026-11-30
      monthly LAST-DAY 3            | 2026-10-31 2026-11-30
      monthly LAST-FRIDAY 1         | 2026-11-27 2026-11-30
      monthly FIRST-SUNDAY 2        | 2026-10-04 2026-11-01 2026-11-30
      quarterly DAY-1 1 1           | 2026-10-01 2026-11-30
      quarterly DAY-1 1 2           | 2026-10-01 2026-11-30
      quarterly DAY-15 2 1          | 2026-11-15 2026-11-30
      quarterly LAST-DAY 3 2        | 2026-11-30
      yearly NOVEMBER DAY-1 1       | 2026-11-01 2026-11-30
      yearly DECEMBER DAY-1 1       | 2026-11-30
      yearly OCTOBER FIRST-SUNDAY 3 | 2026-10-04 2026-11-30
      custom 2026-10-10,2026-11-05,2026-12-25           | 2026-10-10 2026-11-05 2026-11-30
      daily 2 + weekly SUN 2                            | 2026-11-22 2026-11-29 2026-11-30
      monthly DAY-1 2 + custom 2026-10-10 + daily 1     | 2026-10-01 2026-10-10 2026-11-01 2026-11-30
      """)
  void keeps(String policy, String expected) {
    Plan plan = RetentionPlanner.plan(VERSIONS, JOBS, Fixtures.policy(policy), NOW, UTC);
    assertEquals(expected, Fixtures.kept(plan));
    assertEquals(VERSIONS.size(), plan.decisions().size());
  }

  @ParameterizedTest(name = "{0}: {1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      simple 7 days          | 2026-11-30 | KEEP   | current version
      simple 7 days          | 2026-11-22 | REMOVE | superseded 7 days 12 hours ago, older than 7 days
      simple 7 days          | 2026-11-23 | KEEP   | superseded 6 days 12 hours ago, within 7 days
      simple 1 days          | 2026-11-29 | KEEP   | superseded 12 hours ago, within 1 day
      simple 3 jobs          | 2026-11-26 | REMOVE | superseded 3 jobs ago, not within the last 3 jobs
      simple 3 jobs          | 2026-11-27 | KEEP   | superseded 2 jobs ago, within the last 3 jobs
      simple 1 jobs          | 2026-11-29 | KEEP   | superseded 0 jobs ago, within the last 1 job
      weekly SUN 2           | 2026-11-22 | KEEP   | kept by Weekly policy 'Weekly-1' (2026-11-22)
      weekly SUN 2           | 2026-11-21 | REMOVE | superseded 2026-11-22T22:00:00Z, not the live version at any snapshot of the advanced policies
      daily 2 + weekly SUN 2 | 2026-11-29 | KEEP   | kept by Daily policy 'Daily-1' (2026-11-29); kept by Weekly policy 'Weekly-2' (2026-11-29)
      weekly SAT,SUN 2       | 2026-11-30 | KEEP   | current version
      """)
  void reasons(String policy, String versionId, String action, String reason) {
    Plan plan = RetentionPlanner.plan(VERSIONS, JOBS, Fixtures.policy(policy), NOW, UTC);
    Plan.Decision d = plan.decisions().stream().filter(x -> x.version().jobId().equals(versionId)).findFirst()
        .orElseThrow();
    assertEquals(action + " " + reason, d.action() + " " + d.reason());
  }

  /** The same instants fall on different calendar days in different zones. */
  @ParameterizedTest(name = "{0} in {1} keeps {2}")
  @CsvSource(delimiter = '|', textBlock = """
      weekly SUN 1 | UTC              | 2026-11-29 2026-11-30
      weekly SUN 1 | Australia/Sydney | 2026-11-28 2026-11-30
      weekly SUN 1 | America/New_York | 2026-11-29 2026-11-30
      daily 1      | UTC              | 2026-11-30
      daily 1      | Australia/Sydney | 2026-11-29 2026-11-30
      daily 1      | America/New_York | 2026-11-30
      weekly SUN 1 | Pacific/Kiritimati | 2026-11-28 2026-11-30
      """)
  void zoneDecidesTheCalendarDay(String policy, String zone, String expected) {
    assertEquals(expected, Fixtures.kept(RetentionPlanner.plan(VERSIONS, JOBS, Fixtures.policy(policy), NOW,
        ZoneId.of(zone))));
  }

  /**
   * Month ends and leap years. Jobs every day at 12:00 UTC from 2023-12-01 up to the day before
   * {@code now}; the current version is the last job's.
   */
  @ParameterizedTest(name = "{0} at {1} keeps {2}")
  @CsvSource(delimiter = '|', textBlock = """
      yearly FEBRUARY DAY-29 2    | 2025-03-10T00:00:00Z | 2024-02-29 2025-02-28 2025-03-09
      yearly FEBRUARY LAST-DAY 2  | 2025-03-10T00:00:00Z | 2024-02-29 2025-02-28 2025-03-09
      monthly DAY-30 2            | 2025-03-10T00:00:00Z | 2025-01-30 2025-02-28 2025-03-09
      monthly DAY-31 3            | 2024-03-15T00:00:00Z | 2023-12-31 2024-01-31 2024-02-29 2024-03-14
      quarterly LAST-DAY 3 2      | 2024-03-15T00:00:00Z | 2023-12-31 2024-03-14
      quarterly DAY-31 2 3        | 2024-03-15T00:00:00Z | 2024-02-29 2024-03-14
      quarterly DAY-29 2 2        | 2025-03-10T00:00:00Z | 2024-11-29 2025-02-28 2025-03-09
      """)
  void monthEndsAndLeapYears(String policy, String now, String expected) {
    Instant at = Instant.parse(now);
    List<Instant> jobs = Fixtures.jobTimes(LocalDate.of(2023, 12, 1), LocalDate.ofInstant(at, ZoneId.of("UTC")).minusDays(1),
        LocalTime.NOON);
    assertEquals(expected, Fixtures.kept(RetentionPlanner.plan(Fixtures.changingEveryJob(jobs), jobs,
        Fixtures.policy(policy), at, UTC)));
  }

  /**
   * A version that stays unchanged over many jobs is kept when any snapshot falls in its life.
   * A: 2026-10-01 22:00 .. 2026-11-20 22:00, B: .. 2026-11-28 22:00, C: current.
   */
  @ParameterizedTest(name = "{0} keeps {1}")
  @CsvSource(delimiter = '|', textBlock = """
      weekly SUN 2             | B C
      monthly DAY-1 2          | A C
      daily 1                  | C
      daily 5                  | B C
      simple 5 days            | B C
      simple 5 jobs            | B C
      simple 10 jobs           | B C
      simple 11 jobs           | A B C
      """)
  void longLivedVersions(String policy, String expected) {
    List<VersionInfo> versions = List.of(
        new VersionInfo("A", Instant.parse("2026-10-01T22:00:00Z"), Instant.parse("2026-11-20T22:00:00Z")),
        new VersionInfo("B", Instant.parse("2026-11-20T22:00:00Z"), Instant.parse("2026-11-28T22:00:00Z")),
        new VersionInfo("C", Instant.parse("2026-11-28T22:00:00Z"), null));
    assertEquals(expected, Fixtures.kept(RetentionPlanner.plan(versions, JOBS, Fixtures.policy(policy), NOW, UTC)));
  }

  @Test
  void deletedFile_lastVersionEndsLikeAnyOther() {
    VersionInfo gone = new VersionInfo("X", Instant.parse("2026-11-01T22:00:00Z"), Instant.parse("2026-11-25T22:00:00Z"));
    Plan plan = RetentionPlanner.plan(List.of(gone), JOBS, RetentionPolicy.DEFAULT, NOW, UTC);
    assertEquals("superseded 5 days 12 hours ago, within 7 days", plan.decisions().get(0).reason());
  }

  @Test
  void invalidPolicy_isRejected() {
    assertThrows(IllegalArgumentException.class, () -> RetentionPlanner.plan(VERSIONS, JOBS,
        new RetentionPolicy.Simple(0, RetentionPolicy.Unit.DAYS), NOW, UTC));
  }

  @Test
  void versionEndingBeforeItStarts_isRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> new VersionInfo("v", Instant.parse("2026-11-02T00:00:00Z"), Instant.parse("2026-11-01T00:00:00Z")));
  }
}
