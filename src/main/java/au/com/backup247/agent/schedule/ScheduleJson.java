package au.com.backup247.agent.schedule;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JSON form of a {@link Schedule}. Decoding collects every error (unknown keys, wrong types,
 * then {@link ScheduleValidator} rules) instead of stopping at the first one.
 *
 * <pre>
 * {
 *   "name": "Weekly-1",                      required, not blank
 *   "enabled": true,                         optional, default true
 *   "type": "weekly",                        daily | weekly | monthly | custom
 *   "weekdays": ["saturday", "sun"],         weekly only; full or 3-letter English names
 *   "monthDay": {"day": 31},                 monthly only; or {"day": "last"},
 *                                            or {"ordinal": "last", "weekday": "friday"},
 *                                            or {"ordinal": "first", "weekday": "day"} (= day 1)
 *   "date": "2020-12-31",                    custom only, ISO yyyy-MM-dd
 *   "at": "21:00",                           exactly one of "at" (HH:MM) and
 *   "every": "30m",                          "every" ("1m".."12m", "30m", "1h".."12h")
 *   "stopAfterHours": 3,                     optional 1..24, "at" only; absent = until completed
 *   "runRetentionAfterBackup": false         optional, default false
 * }
 * </pre>
 * Enum-like values are case-insensitive; encoding writes them in lower case.
 */
public final class ScheduleJson {
  private static final Set<String> KEYS = Set.of("name", "enabled", "type", "weekdays", "monthDay",
      "date", "at", "every", "stopAfterHours", "runRetentionAfterBackup");
  private static final Pattern PERIOD = Pattern.compile("([0-9]{1,4})([mh])");

  private ScheduleJson() {
  }

  /** Decodes and validates one schedule; {@code prefix} is its path, e.g. {@code schedules[0]}. */
  public static Decoded<Schedule> decode(JsonObject json, String prefix) {
    List<FieldError> errors = new ArrayList<>();
    JsonFields f = new JsonFields(json, prefix, errors);
    f.rejectUnknown(KEYS, "a schedule setting");
    String name = f.string("name", true);
    boolean enabled = f.bool("enabled", true);
    ScheduleType type = f.enumValue("type", ScheduleType.class, true);
    Set<DayOfWeek> weekdays = weekdays(f);
    MonthDayRule monthDay = json.containsKey("monthDay")
        ? decodeMonthDay(json.getValue("monthDay"), FieldError.path(prefix, "monthDay"), errors) : null;
    LocalDate date = f.date("date");
    Start start = start(f, json, prefix, errors);
    Stop stop = json.containsKey("stopAfterHours")
        ? new Stop.AfterHours(f.integer("stopAfterHours")) : Stop.UNTIL_COMPLETED;
    boolean retention = f.bool("runRetentionAfterBackup", false);
    if (!errors.isEmpty() || name == null || type == null || start == null) {
      return Decoded.of(null, errors);
    }
    Schedule s = new Schedule(name, enabled, type, weekdays, monthDay, date, start, stop, retention);
    errors.addAll(ScheduleValidator.validate(s, prefix));
    return Decoded.of(s, errors);
  }

  /** The JSON form of {@code s}; {@code decode(encode(s))} gives back an equal schedule. */
  public static JsonObject encode(Schedule s) {
    JsonObject json = new JsonObject().put("name", s.name()).put("enabled", s.enabled())
        .put("type", lower(s.type()));
    if (!s.weekdays().isEmpty()) {
      JsonArray days = new JsonArray();
      EnumSet.copyOf(s.weekdays()).forEach(d -> days.add(lower(d)));
      json.put("weekdays", days);
    }
    if (s.monthDay() != null) {
      json.put("monthDay", encodeMonthDay(s.monthDay()));
    }
    if (s.date() != null) {
      json.put("date", s.date().toString());
    }
    if (s.start() instanceof Start.At at) {
      json.put("at", at.time().toString());
    } else {
      long minutes = ((Start.Every) s.start()).period().toMinutes();
      json.put("every", minutes % 60 == 0 ? minutes / 60 + "h" : minutes + "m");
    }
    if (s.stop() instanceof Stop.AfterHours after) {
      json.put("stopAfterHours", after.hours());
    }
    return json.put("runRetentionAfterBackup", s.runRetentionAfterBackup());
  }

  /** Decodes a {@link MonthDayRule} (see the class comment for its forms); null on error. */
  public static MonthDayRule decodeMonthDay(Object value, String field, List<FieldError> errors) {
    if (!(value instanceof JsonObject json)) {
      errors.add(FieldError.of(field, "v.monthDay.object"));
      return null;
    }
    Object day = json.getValue("day");
    if (day != null && !json.containsKey("ordinal") && !json.containsKey("weekday")) {
      new JsonFields(json, field, errors).rejectUnknown(Set.of("day"), "part of a day of month");
      if ("last".equalsIgnoreCase(String.valueOf(day))) {
        return new MonthDayRule.LastDay();
      }
      if (day instanceof Integer n) {
        return new MonthDayRule.DayOfMonth(n);
      }
      errors.add(FieldError.of(field + ".day", "v.monthDay.day", day));
      return null;
    }
    JsonFields f = new JsonFields(json, field, errors);
    f.rejectUnknown(Set.of("ordinal", "weekday"), "part of an ordinal day");
    Ordinal ordinal = f.enumValue("ordinal", Ordinal.class, true);
    String weekday = f.string("weekday", true);
    if (ordinal == null || weekday == null) {
      return null;
    }
    if ("day".equalsIgnoreCase(weekday)) {
      return ordinal == Ordinal.LAST ? new MonthDayRule.LastDay() : new MonthDayRule.DayOfMonth(ordinal.number());
    }
    DayOfWeek dow = dayOfWeek(weekday);
    if (dow == null) {
      errors.add(FieldError.of(field + ".weekday", "v.weekday.got", weekday));
      return null;
    }
    return new MonthDayRule.NthWeekday(ordinal, dow);
  }

  /** The canonical JSON of a rule: {@code {"day": n}}, {@code {"day": "last"}} or ordinal + weekday. */
  public static JsonObject encodeMonthDay(MonthDayRule rule) {
    if (rule instanceof MonthDayRule.DayOfMonth d) {
      return new JsonObject().put("day", d.day());
    }
    if (rule instanceof MonthDayRule.NthWeekday n) {
      return new JsonObject().put("ordinal", lower(n.ordinal())).put("weekday", lower(n.weekday()));
    }
    return new JsonObject().put("day", "last");
  }

  /** "monday", "Mon", "SUN" → the day; null if not a day name. */
  public static DayOfWeek dayOfWeek(String s) {
    String t = s.trim().toUpperCase(Locale.ROOT);
    for (DayOfWeek d : DayOfWeek.values()) {
      if (d.name().equals(t) || (t.length() == 3 && d.name().startsWith(t))) {
        return d;
      }
    }
    return null;
  }

  private static Set<DayOfWeek> weekdays(JsonFields f) {
    List<String> names = f.strings("weekdays");
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    for (int i = 0; i < names.size(); i++) {
      DayOfWeek d = dayOfWeek(names.get(i));
      if (d == null) {
        f.error("weekdays[" + i + "]", "v.dayName.bare", names.get(i));
      } else {
        days.add(d);
      }
    }
    return days;
  }

  private static Start start(JsonFields f, JsonObject json, String prefix, List<FieldError> errors) {
    boolean hasAt = json.containsKey("at");
    boolean hasEvery = json.containsKey("every");
    if (hasAt == hasEvery) {
      errors.add(FieldError.of(FieldError.path(prefix, "at"), "v.atOrEvery"));
      return null;
    }
    if (hasAt) {
      String text = f.string("at", true);
      try {
        return text == null ? null : new Start.At(LocalTime.parse(text));
      } catch (DateTimeParseException e) {
        f.error("at", "v.hhmm", text);
        return null;
      }
    }
    String text = f.string("every", true);
    Matcher m = text == null ? null : PERIOD.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (m == null || !m.matches()) {
      f.error("every", "v.every", Start.allowedText(), text);
      return null;
    }
    long n = Long.parseLong(m.group(1));
    return new Start.Every(m.group(2).equals("h") ? Duration.ofHours(n) : Duration.ofMinutes(n));
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }
}
