package au.com.backup247.agent.schedule;

import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * When a backup starts on a scheduled day: "at" a wall-clock time, or "every" period.
 *
 * <p>The allowed periods are exactly the two drop-down lists printed in the guide: 1, 2, 3, 4, 5, 6,
 * 10, 12 and 30 minutes, and 1, 2, 3, 4, 6, 8, 12 hours. Every one of them divides 24 hours, so
 * periodic firings line up with the start of the local day (see {@link ScheduleEvaluator}).
 */
public sealed interface Start {

  /** The periods the guide allows for "every", shortest first. */
  List<Duration> ALLOWED_PERIODS = List.of(
      Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(3), Duration.ofMinutes(4),
      Duration.ofMinutes(5), Duration.ofMinutes(6), Duration.ofMinutes(10), Duration.ofMinutes(12),
      Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(3),
      Duration.ofHours(4), Duration.ofHours(6), Duration.ofHours(8), Duration.ofHours(12));

  /** Start at a wall-clock time (HH:MM, seconds must be zero) in the profile's time zone. */
  record At(LocalTime time) implements Start {
    public At {
      Objects.requireNonNull(time, "time");
    }
  }

  /** Start every {@code period} on the scheduled days; see {@link #ALLOWED_PERIODS}. */
  record Every(Duration period) implements Start {
    public Every {
      Objects.requireNonNull(period, "period");
    }
  }

  /** "1 minute", "30 minutes", "1 hour", "12 hours" — the guide's wording. */
  static String describe(Duration period) {
    long minutes = period.toMinutes();
    if (minutes >= 60 && minutes % 60 == 0) {
      long h = minutes / 60;
      return h + (h == 1 ? " hour" : " hours");
    }
    return minutes + (minutes == 1 ? " minute" : " minutes");
  }

  /** The allowed periods in the guide's wording, comma separated, for error messages. */
  static String allowedText() {
    return ALLOWED_PERIODS.stream().map(Start::describe).collect(Collectors.joining(", "));
  }
}
