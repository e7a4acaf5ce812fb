package au.com.backup247.agent.retention;

import au.com.backup247.agent.schedule.Decoded;
import au.com.backup247.agent.schedule.FieldError;
import au.com.backup247.agent.schedule.JsonFields;
import au.com.backup247.agent.schedule.MonthDayRule;
import au.com.backup247.agent.schedule.ScheduleJson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * JSON form of a {@link RetentionPolicy}; decoding collects every error (unknown keys, wrong
 * types) and then applies
 * {@link RetentionValidator}. An absent or empty object is the default (simple, 7 days).
 *
 * <pre>
 * {"type": "simple", "keepDays": 7}             or "keepJobs": 10 (exactly one)
 * {"type": "advanced", "policies": [
 *   {"name": "Daily-1",     "type": "daily",     "days": 7},
 *   {"name": "Weekly-1",    "type": "weekly",    "weekdays": ["saturday"], "weeks": 4},
 *   {"name": "Monthly-1",   "type": "monthly",   "day": {"day": 1}, "months": 3},
 *   {"name": "Quarterly-1", "type": "quarterly", "day": {"day": 1}, "monthOfQuarter": 1, "quarters": 4},
 *   {"name": "Yearly-1",    "type": "yearly",    "month": "january", "day": {"day": 1}, "years": 7},
 *   {"name": "Custom-1",    "type": "custom",    "dates": ["2026-06-30"]}
 * ]}
 * </pre>
 * {@code day} takes the forms of {@link ScheduleJson#decodeMonthDay}.
 */
public final class RetentionJson {
  private static final Map<String, Set<String>> POLICY_KEYS = Map.of(
      "daily", Set.of("name", "type", "days"),
      "weekly", Set.of("name", "type", "weekdays", "weeks"),
      "monthly", Set.of("name", "type", "day", "months"),
      "quarterly", Set.of("name", "type", "day", "monthOfQuarter", "quarters"),
      "yearly", Set.of("name", "type", "month", "day", "years"),
      "custom", Set.of("name", "type", "dates"));

  private RetentionJson() {
  }

  /** Decodes and validates; {@code prefix} is the policy's own path, e.g. {@code retention}. */
  public static Decoded<RetentionPolicy> decode(JsonObject json, String prefix) {
    if (json == null || json.isEmpty()) {
      return Decoded.of(RetentionPolicy.DEFAULT, List.of());
    }
    List<FieldError> errors = new ArrayList<>();
    JsonFields f = new JsonFields(json, prefix, errors);
    f.rejectUnknown(Set.of("type", "keepDays", "keepJobs", "policies"), "a retention setting");
    String type = f.string("type", true);
    RetentionPolicy policy = null;
    if ("simple".equalsIgnoreCase(type)) {
      policy = simple(json, f);
    } else if ("advanced".equalsIgnoreCase(type)) {
      policy = advanced(json.getValue("policies"), prefix, f, errors);
    } else if (type != null) {
      f.error("type", "v.retention.type", type);
    }
    if (policy != null && errors.isEmpty()) {
      errors.addAll(RetentionValidator.validate(policy, prefix));
    }
    return Decoded.of(policy, errors);
  }

  /** The JSON form; {@code decode(encode(p))} gives back an equal policy. */
  public static JsonObject encode(RetentionPolicy policy) {
    if (policy instanceof RetentionPolicy.Simple s) {
      return new JsonObject().put("type", "simple")
          .put(s.unit() == RetentionPolicy.Unit.DAYS ? "keepDays" : "keepJobs", s.amount());
    }
    JsonArray policies = new JsonArray();
    ((RetentionPolicy.Advanced) policy).policies().forEach(p -> policies.add(encode(p)));
    return new JsonObject().put("type", "advanced").put("policies", policies);
  }

  private static RetentionPolicy simple(JsonObject json, JsonFields f) {
    boolean days = json.containsKey("keepDays");
    if (days == json.containsKey("keepJobs")) {
      f.error("keepDays", "v.keep");
      return null;
    }
    return days ? new RetentionPolicy.Simple(f.integer("keepDays"), RetentionPolicy.Unit.DAYS)
        : new RetentionPolicy.Simple(f.integer("keepJobs"), RetentionPolicy.Unit.JOBS);
  }

  private static RetentionPolicy advanced(Object value, String prefix, JsonFields f, List<FieldError> errors) {
    if (!(value instanceof JsonArray array)) {
      f.error("policies", "v.policies.array");
      return null;
    }
    List<SnapshotPolicy> policies = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String at = FieldError.path(prefix, "policies[" + i + "]");
      Object item = array.getValue(i);
      SnapshotPolicy p = item instanceof JsonObject o ? snapshot(o, at, errors) : null;
      if (!(item instanceof JsonObject)) {
        errors.add(FieldError.of(at, "v.object.bare"));
      } else if (p != null) {
        policies.add(p);
      }
    }
    return new RetentionPolicy.Advanced(policies);
  }

  private static SnapshotPolicy snapshot(JsonObject o, String at, List<FieldError> errors) {
    JsonFields f = new JsonFields(o, at, errors);
    String name = f.string("name", true);
    String type = f.string("type", true);
    if (name == null || type == null) {
      return null;
    }
    f.rejectUnknown(POLICY_KEYS.getOrDefault(type.toLowerCase(Locale.ROOT), Set.of("name", "type")),
        "a setting of a " + type + " policy");
    switch (type.toLowerCase(Locale.ROOT)) {
      case "daily":
        return new SnapshotPolicy.Daily(name, f.integer("days"));
      case "weekly":
        return new SnapshotPolicy.Weekly(name, weekdays(f), f.integer("weeks"));
      case "monthly":
        return new SnapshotPolicy.Monthly(name, day(o, at, errors), f.integer("months"));
      case "quarterly":
        return new SnapshotPolicy.Quarterly(name, day(o, at, errors), f.integer("monthOfQuarter"),
            f.integer("quarters"));
      case "yearly":
        return new SnapshotPolicy.Yearly(name, f.enumValue("month", Month.class, true), day(o, at, errors),
            f.integer("years"));
      case "custom":
        List<LocalDate> dates = new ArrayList<>();
        List<String> texts = f.strings("dates");
        for (int i = 0; i < texts.size(); i++) {
          LocalDate d = f.parseDate(texts.get(i), "dates[" + i + "]");
          if (d != null) {
            dates.add(d);
          }
        }
        return new SnapshotPolicy.Custom(name, dates);
      default:
        f.error("type", "v.policy.type", type);
        return null;
    }
  }

  private static MonthDayRule day(JsonObject o, String at, List<FieldError> errors) {
    return ScheduleJson.decodeMonthDay(o.getValue("day"), at + ".day", errors);
  }

  private static Set<DayOfWeek> weekdays(JsonFields f) {
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    List<String> names = f.strings("weekdays");
    for (int i = 0; i < names.size(); i++) {
      DayOfWeek d = ScheduleJson.dayOfWeek(names.get(i));
      if (d == null) {
        f.error("weekdays[" + i + "]", "v.dayName.week", names.get(i));
      } else {
        days.add(d);
      }
    }
    return days;
  }

  private static JsonObject encode(SnapshotPolicy p) {
    JsonObject o = new JsonObject().put("name", p.name()).put("type", p.typeName().toLowerCase(Locale.ROOT));
    if (p instanceof SnapshotPolicy.Daily d) {
      o.put("days", d.days());
    } else if (p instanceof SnapshotPolicy.Weekly w) {
      JsonArray days = new JsonArray();
      EnumSet.copyOf(w.weekdays()).forEach(d -> days.add(d.name().toLowerCase(Locale.ROOT)));
      o.put("weekdays", days).put("weeks", w.weeks());
    } else if (p instanceof SnapshotPolicy.Monthly m) {
      o.put("day", ScheduleJson.encodeMonthDay(m.day())).put("months", m.months());
    } else if (p instanceof SnapshotPolicy.Quarterly q) {
      o.put("day", ScheduleJson.encodeMonthDay(q.day())).put("monthOfQuarter", q.monthOfQuarter())
          .put("quarters", q.quarters());
    } else if (p instanceof SnapshotPolicy.Yearly y) {
      o.put("month", y.month().name().toLowerCase(Locale.ROOT)).put("day", ScheduleJson.encodeMonthDay(y.day()))
          .put("years", y.years());
    } else if (p instanceof SnapshotPolicy.Custom c) {
      JsonArray dates = new JsonArray();
      c.dates().forEach(d -> dates.add(d.toString()));
      o.put("dates", dates);
    }
    return o;
  }
}
