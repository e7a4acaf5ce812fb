package au.com.backup247.agent.cli;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times as the CLI shows and reads them: shown in this computer's time zone to the second
 * ({@code 2026-12-06 16:13:34}); read by {@code --from}/{@code --to} as a date ({@code 2026-12-06}),
 * a local date and time ({@code 2026-12-06 16:13} or {@code 2026-12-06T16:13:34}), {@code today},
 * {@code yesterday}, a time ago ({@code 7d}, {@code 12h}, {@code 30m}), an ISO instant or epoch ms.
 */
final class Times {
  private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
  private static final Pattern AGO = Pattern.compile("(\\d{1,6})([dhm])");

  private Times() {
  }

  /** {@code epochMillis} in this computer's zone, to the second. */
  static String show(long epochMillis) {
    return SHOWN.format(Instant.ofEpochMilli(epochMillis).atZone(ZoneId.systemDefault()));
  }

  /** {@link #show}, or {@code -} for null. */
  static String show(Long epochMillis) {
    return epochMillis == null ? "-" : show(epochMillis.longValue());
  }

  /**
   * The epoch milliseconds {@code value} stands for; a day (a date, today, yesterday) is its first
   * millisecond, or with {@code end} its last. Anything else is a usage error naming the option and
   * the forms it takes.
   */
  static long parse(String option, String value, boolean end, Clock clock) {
    String v = value.strip().toLowerCase(Locale.ROOT);
    ZoneId zone = clock.getZone();
    LocalDate today = LocalDate.now(clock);
    LocalDate day = v.equals("today") ? today : v.equals("yesterday") ? today.minusDays(1) : null;
    if (day == null) {
      try {
        day = LocalDate.parse(v);
      } catch (DateTimeParseException e) {
        day = null;
      }
    }
    if (day != null) {
      LocalDate d = end ? day.plusDays(1) : day;
      return d.atStartOfDay(zone).toInstant().toEpochMilli() - (end ? 1 : 0);
    }
    Matcher ago = AGO.matcher(v);
    if (ago.matches()) {
      long n = Long.parseLong(ago.group(1));
      Duration d = switch (ago.group(2)) {
        case "d" -> Duration.ofDays(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofMinutes(n);
      };
      return clock.instant().minus(d).toEpochMilli();
    }
    if (v.matches("\\d{1,15}")) {
      return Long.parseLong(v);
    }
    try {
      return Instant.parse(value.strip()).toEpochMilli();
    } catch (DateTimeParseException e) {
      // not an instant
    }
    try {
      return LocalDateTime.parse(value.strip().replace(' ', 'T')).atZone(zone).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new AgentException(Failure.BAD_REQUEST, option + " " + value + " is not a time: give a date (2026-01-31), "
          + "a date and time (\"2026-01-31 18:30\"), today, yesterday, a time ago (7d, 12h, 30m), an ISO instant or "
          + "epoch milliseconds");
    }
  }
}
