package au.com.backup247.agent.bandwidth;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * When a bandwidth limit applies (guide ch. 9.5 "Bandwidth Control": "only within this period"):
 * on the given days of the week from {@code from} to {@code to}, local time in {@code zone}. A
 * period whose end is not after its start runs past midnight and belongs to the day it starts on
 * (fri 22:00–06:00 covers Friday 22:00 to Saturday 06:00); {@code 00:00–00:00} is the whole day.
 *
 * <p>Text form (CLI): {@code DAYS@HH:MM-HH:MM}, days as a comma list of {@code mon..sun} and
 * ranges such as {@code mon-fri}, e.g. {@code mon-fri@09:00-17:00} or {@code sat,sun@00:00-00:00}.
 */
public record BandwidthPeriod(Set<DayOfWeek> days, LocalTime from, LocalTime to, ZoneId zone) {
  public BandwidthPeriod {
    if (days.isEmpty()) {
      throw new IllegalArgumentException("a bandwidth period needs at least one day");
    }
    days = Set.copyOf(days);
  }

  /** Whether the limit applies at {@code t}. */
  public boolean active(Instant t) {
    ZonedDateTime z = t.atZone(zone);
    LocalTime now = z.toLocalTime();
    DayOfWeek today = z.getDayOfWeek();
    if (from.isBefore(to)) {
      return days.contains(today) && !now.isBefore(from) && now.isBefore(to);
    }
    // through midnight (or the whole day when from == to)
    return (days.contains(today) && !now.isBefore(from)) || (days.contains(today.minus(1)) && now.isBefore(to));
  }

  /** Parses {@code DAYS@HH:MM-HH:MM}; errors name the part that is wrong. */
  public static BandwidthPeriod parse(String text, ZoneId zone) {
    int at = text.indexOf('@');
    if (at <= 0) {
      throw BandwidthException.english("bandwidth period \"" + text + "\" must look like mon-fri@09:00-17:00");
    }
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    for (String part : text.substring(0, at).split(",")) {
      String[] range = part.trim().split("-");
      if (range.length > 2) {
        throw BandwidthException.english("bandwidth period days \"" + part + "\" are not a day or a range");
      }
      DayOfWeek a = day(range[0]);
      DayOfWeek b = range.length == 2 ? day(range[1]) : a;
      for (DayOfWeek d = a; ; d = d.plus(1)) {
        days.add(d);
        if (d == b) {
          break;
        }
      }
    }
    String[] times = text.substring(at + 1).split("-");
    if (times.length != 2) {
      throw BandwidthException.english("bandwidth period times \"" + text.substring(at + 1)
          + "\" must be HH:MM-HH:MM");
    }
    return new BandwidthPeriod(days, time(times[0]), time(times[1]), zone);
  }

  private static DayOfWeek day(String s) {
    String d = s.trim().toLowerCase(Locale.ROOT);
    for (DayOfWeek w : DayOfWeek.values()) {
      if (w.name().toLowerCase(Locale.ROOT).startsWith(d) && d.length() >= 3) {
        return w;
      }
    }
    throw BandwidthException.english("bandwidth period day \"" + s + "\" is not one of mon, tue, wed, thu, fri, "
        + "sat, sun");
  }

  private static LocalTime time(String s) {
    try {
      return LocalTime.parse(s.trim());
    } catch (DateTimeParseException e) {
      throw BandwidthException.english("bandwidth period time \"" + s + "\" is not HH:MM");
    }
  }

  @Override
  public String toString() {
    return days + "@" + from + "-" + to + " " + zone;
  }
}
