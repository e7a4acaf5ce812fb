package au.com.backup247.agent.sets;

import au.com.backup247.agent.bandwidth.BandwidthControl;
import au.com.backup247.agent.bandwidth.BandwidthException;
import au.com.backup247.agent.bandwidth.Mode;
import au.com.backup247.agent.bandwidth.Rate;
import au.com.backup247.agent.schedule.FieldError;
import au.com.backup247.agent.schedule.ScheduleJson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * JSON form of a {@link BandwidthControl}.
 *
 * <pre>
 * "bandwidth": {"enabled": false}                                     the default
 * "bandwidth": {"enabled": true, "mode": "independent",               independent | shared
 *   "limits": [
 *     {"name": "Always", "rate": "10Mibit/s", "always": true},
 *     {"name": "Office hours", "rate": "100Kibit/s",
 *      "period": {"days": ["mon", "tue"], "from": "09:00", "to": "17:00"}}]}
 * </pre>
 * Rates: as {@link Rate} parses them (the grammar of the CLI's {@code --bandwidth} too), written
 * back in its canonical form.
 */
final class BandwidthJson {
  private static final Set<String> KEYS = Set.of("enabled", "mode", "limits");
  private static final Set<String> LIMIT_KEYS = Set.of("name", "rate", "always", "period");
  private static final Set<String> PERIOD_KEYS = Set.of("days", "from", "to");
  static final int MAX_LIMITS = 20;

  private BandwidthJson() {
  }

  static BandwidthControl decode(JsonObject json, String prefix, List<FieldError> errors) {
    SetFields f = new SetFields(json, prefix, errors);
    f.rejectUnknown(KEYS, "a bandwidth control setting");
    boolean enabled = f.bool("enabled", false);
    Mode mode = mode(f);
    List<BandwidthControl.Limit> limits = new ArrayList<>();
    Set<String> names = new HashSet<>();
    List<JsonObject> items = f.objects("limits", MAX_LIMITS);
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i) != null) {
        BandwidthControl.Limit l = limit(new SetFields(items.get(i), f.path("limits[" + i + "]"), errors), names);
        if (l != null) {
          limits.add(l);
        }
      }
    }
    if (enabled && items.isEmpty()) {
      f.error("limits", "v.bandwidth.limits");
    }
    return new BandwidthControl(enabled, mode, limits);
  }

  private static BandwidthControl.Limit limit(SetFields f, Set<String> names) {
    f.rejectUnknown(LIMIT_KEYS, "a bandwidth limit setting");
    String name = f.text("name", true, 64);
    if (name != null && !names.add(SetFields.fold(name))) {
      f.error("name", "v.limit.dup", name);
    }
    Rate rate = rate(f);
    boolean always = f.bool("always", !f.has("period"));
    BandwidthControl.Period period = null;
    if (always && f.has("period")) {
      f.error("always", "v.bandwidth.always");
    } else if (!always && !f.has("period")) {
      f.error("period", "v.bandwidth.period");
    } else if (!always) {
      JsonObject p = f.object("period");
      period = p == null ? null : period(new SetFields(p, f.path("period"), f.errors()));
    }
    return name == null || rate == null || (!always && period == null) ? null
        : new BandwidthControl.Limit(name, rate, period);
  }

  private static Mode mode(SetFields f) {
    String text = f.string("mode", false);
    try {
      return text == null ? Mode.INDEPENDENT : Mode.parse(text);
    } catch (BandwidthException e) {
      f.error("mode", FieldError.problem(e.key(), e.args().toArray()));
      return Mode.INDEPENDENT;
    }
  }

  private static Rate rate(SetFields f) {
    String text = f.string("rate", true);
    try {
      return text == null ? null : Rate.parse(text);
    } catch (BandwidthException e) {
      f.error("rate", FieldError.problem(e.key(), e.args().toArray()));
      return null;
    }
  }

  private static BandwidthControl.Period period(SetFields f) {
    f.rejectUnknown(PERIOD_KEYS, "a period setting");
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    List<String> names = f.strings("days", 7);
    for (int i = 0; i < names.size(); i++) {
      DayOfWeek d = ScheduleJson.dayOfWeek(names.get(i));
      if (d == null) {
        f.error("days[" + i + "]", "v.dayName", names.get(i));
      } else {
        days.add(d);
      }
    }
    if (names.isEmpty()) {
      f.error("days", "v.days");
    }
    LocalTime from = time(f, "from");
    LocalTime to = time(f, "to");
    if (from != null && from.equals(to)) {
      f.error("to", "v.bandwidth.to");
      return null;
    }
    return names.isEmpty() || from == null || to == null ? null : new BandwidthControl.Period(days, from, to);
  }

  private static LocalTime time(SetFields f, String name) {
    String s = f.string(name, true);
    if (s == null) {
      return null;
    }
    try {
      if (s.trim().length() == 5) {
        return LocalTime.parse(s.trim());
      }
    } catch (DateTimeParseException e) {
      // reported below
    }
    f.error(name, "v.time", s);
    return null;
  }

  static JsonObject encode(BandwidthControl b) {
    JsonArray limits = new JsonArray();
    for (BandwidthControl.Limit l : b.limits()) {
      JsonObject o = new JsonObject().put("name", l.name()).put("rate", l.rate().text());
      if (l.period() == null) {
        o.put("always", true);
      } else {
        JsonArray days = new JsonArray();
        EnumSet.copyOf(l.period().days()).forEach(d -> days.add(d.name().toLowerCase(Locale.ROOT)));
        o.put("period", new JsonObject().put("days", days).put("from", l.period().from().toString())
            .put("to", l.period().to().toString()));
      }
      limits.add(o);
    }
    return new JsonObject().put("enabled", b.enabled()).put("mode", b.mode().label()).put("limits", limits);
  }
}
