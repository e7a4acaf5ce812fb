package au.com.backup247.agent.repo;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collection;

/**
 * Job ids and the clock (FORMAT.md §0, TEST-MATRIX R16). A job id is a UTC time,
 * {@code YYYY-MM-DD-hh-mm-ss}, and every ordering ("latest", what a version superseded, how old it
 * is) follows the ids, so they never go backwards: a new job gets {@code max(now, newest + 1 s)}.
 * A clock before the newest job, or implausibly far after it, is what a clock set back or ahead
 * looks like: a backup warns, a prune refuses (it would remove the newest data as superseded, or
 * every older version as expired).
 */
public final class JobIds {
  private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss")
      .withZone(ZoneOffset.UTC);
  /** Clock differences between hosts and rounding that are not a clock jump. */
  public static final Duration TOLERANCE = Duration.ofMinutes(10);
  /** More than this after the newest job is implausible: a clock set ahead, or a set unused for a year. */
  public static final Duration MAX_GAP = Duration.ofDays(366);

  private JobIds() {
  }

  /** The id of a job started at {@code t}. */
  public static String format(Instant t) {
    return FORMAT.format(t);
  }

  /** The time a job id names (a suffix {@code -n} is ignored); null when it is not a job id. */
  public static Instant time(String jobId) {
    if (jobId == null || jobId.length() < 19) {
      return null;
    }
    try {
      return LocalDateTime.parse(jobId.substring(0, 19), DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss"))
          .toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** The newest time among {@code jobIds}; null when there is none. */
  public static Instant newest(Collection<String> jobIds) {
    Instant max = null;
    for (String id : jobIds) {
      Instant t = time(id);
      if (t != null && (max == null || t.isAfter(max))) {
        max = t;
      }
    }
    return max;
  }

  /**
   * The id of a new job started at {@code now} among {@code existing}: never before the newest one
   * ({@code max(now, newest + 1 s)}), and unique.
   */
  public static String next(Instant now, Collection<String> existing) {
    Instant newest = newest(existing);
    Instant second = now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    Instant t = newest != null && !second.isAfter(newest) ? newest.plusSeconds(1) : second;
    String base = format(t);
    String id = base;
    for (int i = 1; existing.contains(id); i++) {
      id = base + "-" + i;
    }
    return id;
  }

  /**
   * What is wrong with a clock reading {@code now} given the newest job ({@code newestJob}, its
   * time {@code newest}): null when plausible, else a sentence naming both times.
   */
  public static String implausible(Instant now, String newestJob, Instant newest) {
    if (newest == null) {
      return null;
    }
    if (now.isBefore(newest.minus(TOLERANCE))) {
      return "the clock says " + now + ", before the newest job " + newestJob + " (" + newest
          + "); the clock may have been set back";
    }
    if (now.isAfter(newest.plus(MAX_GAP))) {
      return "the clock says " + now + ", " + Duration.between(newest, now).toDays() + " days after the newest job "
          + newestJob + " (" + newest + "); the clock may have been set ahead";
    }
    return null;
  }
}
