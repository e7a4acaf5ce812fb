package au.com.backup247.agent.sets;

import au.com.backup247.agent.schedule.FieldError;
import au.com.backup247.agent.schedule.JsonFields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Typed, range-checked reads of one JSON object of a backup set, recording a {@link FieldError}
 * with the full path ({@code source.filters[1].top}) instead of throwing, so one pass finds every
 * problem. Builds on the schedule package's {@link JsonFields}.
 */
final class SetFields {
  private final JsonObject json;
  private final String prefix;
  private final List<FieldError> errors;
  private final JsonFields f;

  SetFields(JsonObject json, String prefix, List<FieldError> errors) {
    this.json = json;
    this.prefix = prefix;
    this.errors = errors;
    this.f = new JsonFields(json, prefix, errors);
  }

  /** The form names are compared in (Unicode case folded), as the catalog does for set names. */
  static String fold(String name) {
    return name.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
  }

  String path(String name) {
    return FieldError.path(prefix, name);
  }

  List<FieldError> errors() {
    return errors;
  }

  Object raw(String name) {
    return json.getValue(name);
  }

  boolean has(String name) {
    return json.getValue(name) != null;
  }

  void error(String name, String key, Object... args) {
    f.error(name, key, args);
  }

  void error(String name, FieldError.Problem problem) {
    f.error(name, problem);
  }

  void rejectUnknown(Set<String> allowed, String what) {
    f.rejectUnknown(allowed, what);
  }

  String string(String name, boolean required) {
    return f.string(name, required);
  }

  /** A string of 1..max characters without control characters or blanks at either end; null if absent. */
  String text(String name, boolean required, int max) {
    String s = f.string(name, required);
    if (s != null) {
      FieldError.Problem problem = textProblem(s, max);
      if (problem != null) {
        error(name, problem);
        return null;
      }
    }
    return s;
  }

  static FieldError.Problem textProblem(String s, int max) {
    if (s.isBlank()) {
      return FieldError.problem("v.blank");
    }
    if (s.length() > max) {
      return FieldError.problem("v.tooLong", max, s.length());
    }
    if (!s.equals(s.strip())) {
      return FieldError.problem("v.blankEnds");
    }
    if (s.chars().anyMatch(Character::isISOControl)) {
      return FieldError.problem("v.control");
    }
    return null;
  }

  boolean bool(String name, boolean def) {
    return f.bool(name, def);
  }

  /** A whole number in {@code min..max}; {@code def} when absent (and on error). */
  int integer(String name, int def, int min, int max) {
    Object v = json.getValue(name);
    if (v == null) {
      return def;
    }
    if (!(v instanceof Integer i)) {
      error(name, "v.wholeBetween", min, max, v);
      return def;
    }
    if (i < min || i > max) {
      error(name, "v.between", min, max, i);
      return def;
    }
    return i;
  }

  /** A labelled constant; {@code def} when absent (an error if {@code def} is null). */
  <E extends Enum<E> & Labeled> E label(String name, E[] values, E def) {
    String s = f.string(name, def == null);
    if (s == null) {
      return def;
    }
    E e = Labeled.parse(values, s);
    if (e == null) {
      error(name, "v.label", Labeled.allowed(values), s);
    }
    return e == null ? def : e;
  }

  /** A nested object; an empty one when absent, null (with an error) when not an object. */
  JsonObject object(String name) {
    Object v = json.getValue(name);
    if (v == null) {
      return new JsonObject();
    }
    if (v instanceof JsonObject o) {
      return o;
    }
    error(name, "v.object", v);
    return null;
  }

  /**
   * The objects of an array, by index (null where an item is not an object, with an error); empty
   * when absent.
   */
  List<JsonObject> objects(String name, int max) {
    List<JsonObject> out = new ArrayList<>();
    Object v = json.getValue(name);
    if (v == null) {
      return out;
    }
    if (!(v instanceof JsonArray a)) {
      error(name, "v.array", v);
      return out;
    }
    if (a.size() > max) {
      error(name, "v.tooMany", max, a.size());
      return out;
    }
    for (int i = 0; i < a.size(); i++) {
      Object item = a.getValue(i);
      if (item instanceof JsonObject o) {
        out.add(o);
      } else {
        error(name + "[" + i + "]", "v.object", item);
        out.add(null);
      }
    }
    return out;
  }

  List<String> strings(String name, int max) {
    List<String> out = f.strings(name);
    if (out.size() > max) {
      error(name, "v.tooMany", max, out.size());
      return List.of();
    }
    return out;
  }

  /** An absolute, normalized local path; null if absent (an error when required) or bad. */
  Path localPath(String name, boolean required) {
    String s = f.string(name, required);
    return s == null ? null : checkPath(s, name);
  }

  /** Parses {@code s} as an absolute path without "." or ".." parts; records an error on {@code name}. */
  Path checkPath(String s, String name) {
    FieldError.Problem problem = s.isEmpty() ? FieldError.problem("v.empty")
        : s.indexOf('\0') >= 0 ? FieldError.problem("v.nul") : null;
    Path p = null;
    if (problem == null) {
      try {
        p = Path.of(s);
      } catch (InvalidPathException e) {
        problem = FieldError.problem("v.path", e.getReason());
      }
    }
    if (p != null && !p.isAbsolute()) {
      problem = FieldError.problem("v.absolute", s);
    } else if (p != null && !p.equals(p.normalize())) {
      problem = FieldError.problem("v.dots", s);
    }
    if (problem != null) {
      error(name, problem);
      return null;
    }
    return p;
  }
}
