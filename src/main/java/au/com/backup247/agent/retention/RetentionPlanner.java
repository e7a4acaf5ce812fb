package au.com.backup247.agent.retention;

import au.com.backup247.agent.schedule.FieldError;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Decides, for the versions of one file path, which to keep and which to remove. Pure: the same
 * inputs always give the same {@link Plan}; nothing is read from a clock or deleted.
 *
 * <ul>
 *   <li>The current version ({@code endedAt == null}) is always kept ("current version").
 *   <li>{@link RetentionPolicy.Simple} DAYS: kept iff {@code now - endedAt <= N days};
 *       JOBS: kept iff fewer than N of {@code jobTimes} are after {@code endedAt} (jobs after
 *       {@code now} are ignored). A version superseded in the future counts as 0 days old.
 *   <li>{@link RetentionPolicy.Advanced}: kept iff some policy has a snapshot date D (see
 *       {@link SnapshotPolicy}) such that the version was live at the snapshot job of D: the last
 *       job time before the local midnight that ends D in {@code zone}, e.g. the last job at or
 *       before Sunday 23:59:59.999 for a Sunday. No job before that midnight → that date keeps
 *       nothing. Versions superseded between two snapshots are removed, even recent ones.
 * </ul>
 */
public final class RetentionPlanner {
  private RetentionPlanner() {
  }

  /**
   * The plan for {@code versions} (all of one path, any order).
   *
   * @param jobTimes start times of all jobs of the backup set, any order
   * @throws IllegalArgumentException if {@code policy} does not pass {@link RetentionValidator}
   */
  public static Plan plan(List<VersionInfo> versions, List<Instant> jobTimes, RetentionPolicy policy,
      Instant now, ZoneId zone) {
    List<FieldError> errors = RetentionValidator.validate(policy, "retention");
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("invalid retention policy: " + errors);
    }
    NavigableSet<Instant> jobs = new TreeSet<>(jobTimes);
    jobs = jobs.headSet(now, true);
    List<Plan.Decision> decisions = new ArrayList<>();
    Map<SnapshotPolicy, Map<LocalDate, Instant>> snapshots = policy instanceof RetentionPolicy.Advanced a
        ? snapshotJobs(a, jobs, now, zone) : Map.of();
    for (VersionInfo v : versions) {
      if (v.isCurrent()) {
        decisions.add(new Plan.Decision(v, Plan.Action.KEEP, "current version"));
      } else if (policy instanceof RetentionPolicy.Simple s) {
        decisions.add(s.unit() == RetentionPolicy.Unit.DAYS ? byDays(v, s.amount(), now)
            : byJobs(v, s.amount(), jobs));
      } else {
        decisions.add(bySnapshots(v, snapshots));
      }
    }
    return new Plan(decisions);
  }

  private static Plan.Decision byDays(VersionInfo v, int days, Instant now) {
    Duration age = Duration.between(v.endedAt(), now);
    String ago = "superseded " + describe(age.isNegative() ? Duration.ZERO : age) + " ago";
    if (age.compareTo(Duration.ofDays(days)) <= 0) {
      return new Plan.Decision(v, Plan.Action.KEEP, ago + ", within " + plural(days, "day"));
    }
    return new Plan.Decision(v, Plan.Action.REMOVE, ago + ", older than " + plural(days, "day"));
  }

  private static Plan.Decision byJobs(VersionInfo v, int jobs, NavigableSet<Instant> jobTimes) {
    int since = jobTimes.tailSet(v.endedAt(), false).size();
    String ago = "superseded " + plural(since, "job") + " ago";
    if (since < jobs) {
      return new Plan.Decision(v, Plan.Action.KEEP, ago + ", within the last " + plural(jobs, "job"));
    }
    return new Plan.Decision(v, Plan.Action.REMOVE, ago + ", not within the last " + plural(jobs, "job"));
  }

  private static Plan.Decision bySnapshots(VersionInfo v, Map<SnapshotPolicy, Map<LocalDate, Instant>> all) {
    List<String> reasons = new ArrayList<>();
    all.forEach((p, dates) -> {
      String kept = dates.entrySet().stream().filter(e -> v.liveAt(e.getValue()))
          .map(e -> e.getKey().toString()).collect(Collectors.joining(", "));
      if (!kept.isEmpty()) {
        reasons.add("kept by " + p.typeName() + " policy '" + p.name() + "' (" + kept + ")");
      }
    });
    if (reasons.isEmpty()) {
      return new Plan.Decision(v, Plan.Action.REMOVE, "superseded " + v.endedAt()
          + ", not the live version at any snapshot of the advanced policies");
    }
    return new Plan.Decision(v, Plan.Action.KEEP, String.join("; ", reasons));
  }

  /** Per policy, snapshot date → the job whose state that date keeps (dates without a job dropped). */
  private static Map<SnapshotPolicy, Map<LocalDate, Instant>> snapshotJobs(RetentionPolicy.Advanced a,
      NavigableSet<Instant> jobs, Instant now, ZoneId zone) {
    LocalDate today = LocalDate.ofInstant(now, zone);
    Map<SnapshotPolicy, Map<LocalDate, Instant>> out = new LinkedHashMap<>();
    for (SnapshotPolicy p : a.policies()) {
      Map<LocalDate, Instant> dates = new LinkedHashMap<>();
      for (LocalDate d : SnapshotDates.of(p, today)) {
        Instant job = jobs.lower(d.plusDays(1).atStartOfDay(zone).toInstant());
        if (job != null) {
          dates.put(d, job);
        }
      }
      out.put(p, dates);
    }
    return out;
  }

  /** "9 days", "7 days 12 hours", "5 hours", "1 minute": days and hours, or hours, or minutes. */
  static String describe(Duration age) {
    if (age.toDays() >= 1) {
      long hours = age.toHoursPart();
      return plural(age.toDays(), "day") + (hours == 0 ? "" : " " + plural(hours, "hour"));
    }
    if (age.toHours() >= 1) {
      return plural(age.toHours(), "hour");
    }
    return plural(age.toMinutes(), "minute");
  }

  private static String plural(long n, String unit) {
    return n + " " + unit + (n == 1 ? "" : "s");
  }
}
