package au.com.backup247.agent.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Computes when schedules fire. A pure function of its arguments: no clock, no threads, no state
 * besides the three settings given to the constructor.
 *
 * <h2>Firing rules</h2>
 * <ul>
 *   <li><b>"at" HH:MM</b> fires once on each scheduled local date, at that wall-clock time in the
 *       given zone.
 *       <ul>
 *         <li>If the time does not exist (spring-forward gap, e.g. 02:30 on 5 Oct 2025 in
 *             Australia/Sydney) it fires once at the first valid instant after the gap, i.e. the
 *             transition itself (03:00 AEDT).
 *         <li>If the time occurs twice (fall-back overlap, e.g. 02:30 on 6 Apr 2025 in Sydney) it
 *             fires once, at the earlier offset (02:30 AEDT); the repeat is not a firing.
 *       </ul>
 *   <li><b>"every" period</b> (Daily/Weekly) fires at the start of each scheduled local day
 *       (local midnight, or the first instant of the day if midnight is skipped) and then every
 *       {@code period} of real elapsed time, as long as the firing is before the start of the next
 *       local day. On normal days this is the wall-clock grid 00:00, 00:30, ...; on a 23-hour
 *       day the grid shifts by the hour after the change and the last interval of the day is
 *       shorter; on a 25-hour day there is one extra firing (e.g. "every 12 hours" fires at 00:00,
 *       11:00 and 23:00 local on a fall-back day). Either way consecutive firings are never further
 *       apart than {@code period}, never closer than the shorter of {@code period} and the DST
 *       shift, and no instant fires twice. Real time was chosen over the wall-clock grid so that
 *       short periods keep protecting data through the repeated hour of a fall-back night.
 *   <li><b>Monthly</b> fires on the date {@link MonthDayRule#resolve} picks; Day 31 in a 30-day
 *       month is the 30th (see {@link MonthDayRule}).
 *   <li><b>Custom</b> fires once, on its date (29 February only exists in leap years; the codec
 *       rejects it in other years).
 *   <li>A disabled schedule never fires.
 * </ul>
 *
 * <h2>Due and missed</h2>
 * {@link #due} looks at the half-open window {@code (lastEvaluated, now]}. For each schedule, only
 * the most recent firing in the window can run, and only if it is no older than {@code grace}
 * before {@code now}; every other firing in the window is {@link Due.Status#MISSED} (the agent was
 * down or the scheduler stalled: backups are not replayed). At most {@code maxMissedListed} missed
 * firings are listed per schedule (the most recent ones; older ones are dropped from the list,
 * not reported), and the window is cut to {@code maxLookback} before {@code now}. The cost is one
 * step per local day of the window plus the listed firings, so a year of downtime with a 1-minute
 * schedule is cheap. Whether a firing that is due overlaps a job still running is the
 * scheduler's business.
 */
public final class ScheduleEvaluator {
  /** Default: a firing up to 5 minutes late still runs. */
  public static final Duration DEFAULT_GRACE = Duration.ofMinutes(5);
  /** Default: list at most the 100 most recent missed firings per schedule and evaluation. */
  public static final int DEFAULT_MAX_MISSED_LISTED = 100;
  /** Default: never look further back than 400 days (covers a yearly custom date). */
  public static final Duration DEFAULT_MAX_LOOKBACK = Duration.ofDays(400);

  /** Monthly rules fire at least every 31 days; a year and a bit is always enough to find one. */
  private static final int HORIZON_DAYS = 370;

  private final Duration grace;
  private final int maxMissedListed;
  private final Duration maxLookback;

  /** An evaluator with the default grace (5 min), missed listing (100) and lookback (400 days). */
  public ScheduleEvaluator() {
    this(DEFAULT_GRACE, DEFAULT_MAX_MISSED_LISTED, DEFAULT_MAX_LOOKBACK);
  }

  public ScheduleEvaluator(Duration grace, int maxMissedListed, Duration maxLookback) {
    this.grace = requireNonNegative(grace, "grace");
    this.maxLookback = requireNonNegative(maxLookback, "maxLookback");
    if (maxMissedListed < 0) {
      throw new IllegalArgumentException("maxMissedListed must be >= 0, got " + maxMissedListed);
    }
    this.maxMissedListed = maxMissedListed;
  }

  /** The first firing strictly after {@code after}, or empty if the schedule never fires again. */
  public Optional<ZonedDateTime> nextFire(Schedule s, ZoneId zone, Instant after) {
    if (!s.enabled()) {
      return Optional.empty();
    }
    LocalDate first = LocalDate.ofInstant(after, zone).minusDays(1);
    if (s.type() == ScheduleType.CUSTOM) {
      return s.date() == null || s.date().isBefore(first) ? Optional.empty()
          : firstOnDateAfter(s, s.date(), zone, after);
    }
    for (int i = 0; i <= HORIZON_DAYS; i++) {
      LocalDate d = first.plusDays(i);
      if (s.runsOn(d)) {
        Optional<ZonedDateTime> fire = firstOnDateAfter(s, d, zone, after);
        if (fire.isPresent()) {
          return fire;
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The firings of the enabled {@code schedules} in {@code (lastEvaluated, now]}, oldest first
   * (ties by schedule name): per schedule the latest is {@code RUN} if within the grace, all
   * others {@code MISSED}. Empty when {@code now} is not after {@code lastEvaluated} (e.g. the
   * clock was set back).
   */
  public List<Due> due(List<Schedule> schedules, ZoneId zone, Instant lastEvaluated, Instant now) {
    if (!now.isAfter(lastEvaluated)) {
      return List.of();
    }
    Instant floor = now.minus(maxLookback);
    Instant from = lastEvaluated.isBefore(floor) ? floor : lastEvaluated;
    List<Due> result = new ArrayList<>();
    for (Schedule s : schedules) {
      result.addAll(dueFor(s, zone, from, now));
    }
    result.sort(Comparator.comparing((Due d) -> d.fireAt().toInstant())
        .thenComparing(d -> d.schedule().name()));
    return result;
  }

  /**
   * The instant a job started at {@code firedAt} must stop: {@code firedAt + N hours} of real
   * time for "after N hours", empty for "until full backup completed".
   */
  public static Optional<Instant> stopDeadline(Schedule s, Instant firedAt) {
    if (s.stop() instanceof Stop.AfterHours after) {
      return Optional.of(firedAt.plus(Duration.ofHours(after.hours())));
    }
    return Optional.empty();
  }

  private List<Due> dueFor(Schedule s, ZoneId zone, Instant from, Instant now) {
    List<ZonedDateTime> recent = latestFirings(s, zone, from, now, maxMissedListed + 1);
    List<Due> out = new ArrayList<>();
    if (recent.isEmpty()) {
      return out;
    }
    ZonedDateTime latest = recent.remove(recent.size() - 1);
    recent.forEach(f -> out.add(new Due(s, f, Due.Status.MISSED)));
    boolean inGrace = !latest.toInstant().isBefore(now.minus(grace));
    out.add(new Due(s, latest, inGrace ? Due.Status.RUN : Due.Status.MISSED));
    return out;
  }

  /**
   * The last {@code limit} firings in {@code (from, now]}, oldest first. Walks the local dates
   * backwards from {@code now} and computes each day's periodic firings arithmetically, so the
   * cost is one step per day plus {@code limit}, not one step per firing (a year of a
   * 1-minute schedule is half a million firings). Yields the same firings as {@link #nextFire}.
   */
  private static List<ZonedDateTime> latestFirings(Schedule s, ZoneId zone, Instant from, Instant now, int limit) {
    List<ZonedDateTime> newestFirst = new ArrayList<>();
    if (!s.enabled()) {
      return newestFirst;
    }
    LocalDate first = LocalDate.ofInstant(from, zone).minusDays(1);
    for (LocalDate d = LocalDate.ofInstant(now, zone).plusDays(1); !d.isBefore(first) && newestFirst.size() < limit;
        d = d.minusDays(1)) {
      if (s.runsOn(d)) {
        collectOn(s, d, zone, from, now, limit, newestFirst);
      }
    }
    newestFirst.sort(Comparator.comparing(ZonedDateTime::toInstant));
    return newestFirst;
  }

  /** Adds the firings of date {@code d} in {@code (from, now]} to {@code out}, newest first. */
  private static void collectOn(Schedule s, LocalDate d, ZoneId zone, Instant from, Instant now, int limit,
      List<ZonedDateTime> out) {
    if (s.start() instanceof Start.At at) {
      ZonedDateTime fire = atWallTime(d.atTime(at.time()), zone);
      if (fire.toInstant().isAfter(from) && !fire.toInstant().isAfter(now)) {
        out.add(fire);
      }
      return;
    }
    long period = ((Start.Every) s.start()).period().toNanos();
    Instant dayStart = d.atStartOfDay(zone).toInstant();
    Instant lastOfDay = d.plusDays(1).atStartOfDay(zone).toInstant().minusNanos(1);
    Instant hi = now.isBefore(lastOfDay) ? now : lastOfDay;
    if (hi.isBefore(dayStart)) {
      return;
    }
    long kMax = Duration.between(dayStart, hi).toNanos() / period;
    long kMin = from.isBefore(dayStart) ? 0 : Duration.between(dayStart, from).toNanos() / period + 1;
    for (long k = kMax; k >= kMin && out.size() < limit; k--) {
      out.add(ZonedDateTime.ofInstant(dayStart.plusNanos(k * period), zone));
    }
  }

  private static Optional<ZonedDateTime> firstOnDateAfter(Schedule s, LocalDate d, ZoneId zone,
      Instant after) {
    if (s.start() instanceof Start.At at) {
      ZonedDateTime fire = atWallTime(d.atTime(at.time()), zone);
      return fire.toInstant().isAfter(after) ? Optional.of(fire) : Optional.empty();
    }
    Duration period = ((Start.Every) s.start()).period();
    Instant dayStart = d.atStartOfDay(zone).toInstant();
    Instant nextDayStart = d.plusDays(1).atStartOfDay(zone).toInstant();
    Instant fire = dayStart;
    if (!after.isBefore(dayStart)) {
      long steps = Duration.between(dayStart, after).toNanos() / period.toNanos() + 1;
      fire = dayStart.plus(period.multipliedBy(steps));
    }
    return fire.isBefore(nextDayStart) ? Optional.of(ZonedDateTime.ofInstant(fire, zone))
        : Optional.empty();
  }

  /** A wall time in {@code zone}: gap → the transition instant; overlap → the earlier offset. */
  static ZonedDateTime atWallTime(LocalDateTime wall, ZoneId zone) {
    ZoneOffsetTransition t = zone.getRules().getTransition(wall);
    if (t != null && t.isGap()) {
      return ZonedDateTime.ofInstant(t.getInstant(), zone);
    }
    return ZonedDateTime.ofLocal(wall, zone, null);
  }

  private static Duration requireNonNegative(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, got " + d);
    }
    return d;
  }
}
