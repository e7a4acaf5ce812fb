package au.com.backup247.agent.schedule;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed reads of a settings {@link JsonObject} that record a {@link FieldError} (with the full
 * path) instead of throwing, so a whole form can be checked in one pass. Absent values give the
 * default or, when required, an error; present values of the wrong type always give an error.
 * Shared by the schedule and retention codecs.
 */
public final class JsonFields {
  private final JsonObject json;
  private final String prefix;
  private final List<FieldError> errors;

  /** Reads from {@code json}, naming fields {@code prefix.name}, adding problems to {@code errors}. */
  public JsonFields(JsonObject json, String prefix, List<FieldError> errors) {
    this.json = json;
    this.prefix = prefix;
    this.errors = errors;
  }

  /** Records an error on field {@code name} (relative to the prefix): bundle message {@code key} with {@code args}. */
  public void error(String name, String key, Object... args) {
    errors.add(FieldError.of(FieldError.path(prefix, name), key, args));
  }

  /** Records {@code problem} on field {@code name} (relative to the prefix). */
  public void error(String name, FieldError.Problem problem) {
    errors.add(FieldError.of(FieldError.path(prefix, name), problem));
  }

  /** Records an error for every key of the object that is not in {@code allowed}. */
  public void rejectUnknown(Set<String> allowed, String what) {
    for (String key : json.fieldNames()) {
      if (!allowed.contains(key)) {
        error(key, "v.unknown", what, String.join(", ", new TreeSet<>(allowed)));
      }
    }
  }

  /** A string; null (and an error if {@code required}) when absent or not a string. */
  public String string(String name, boolean required) {
    Object v = json.getValue(name);
    if (v instanceof String s) {
      return s;
    }
    if (v != null || required) {
      if (v == null) {
        error(name, "v.required");
      } else {
        error(name, "v.string", v);
      }
    }
    return null;
  }

  /** A boolean, {@code def} when absent. */
  public boolean bool(String name, boolean def) {
    Object v = json.getValue(name);
    if (v == null) {
      return def;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    error(name, "v.boolean", v);
    return def;
  }

  /** A whole number; 0 plus an error when absent or not whole (range checks are the validator's). */
  public int integer(String name) {
    Object v = json.getValue(name);
    if (v instanceof Integer i) {
      return i;
    }
    if (v == null) {
      error(name, "v.required");
    } else {
      error(name, "v.whole", v);
    }
    return 0;
  }

  /** An enum constant by case-insensitive name; null (and an error if present or required) otherwise. */
  public <E extends Enum<E>> E enumValue(String name, Class<E> type, boolean required) {
    String s = string(name, required);
    if (s == null) {
      return null;
    }
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(s.trim())) {
        return e;
      }
    }
    List<String> allowed = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      allowed.add(e.name().toLowerCase(Locale.ROOT));
    }
    error(name, "v.oneOf", String.join(", ", allowed), s);
    return null;
  }

  /** An ISO date (yyyy-MM-dd, which rejects 29 February outside leap years); null if absent. */
  public LocalDate date(String name) {
    String s = string(name, false);
    return s == null ? null : parseDate(s, name);
  }

  /** Parses an ISO date, recording an error against {@code name} when it is not a real date. */
  public LocalDate parseDate(String s, String name) {
    try {
      return LocalDate.parse(s.trim());
    } catch (DateTimeParseException e) {
      error(name, "v.date", s);
      return null;
    }
  }

  /** An array of strings; empty when absent. */
  public List<String> strings(String name) {
    Object v = json.getValue(name);
    List<String> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    if (!(v instanceof JsonArray array)) {
      error(name, "v.strings", v);
      return out;
    }
    for (int i = 0; i < array.size(); i++) {
      Object item = array.getValue(i);
      if (item instanceof String s) {
        out.add(s);
      } else {
        error(name + "[" + i + "]", "v.string", item);
      }
    }
    return out;
  }
}
