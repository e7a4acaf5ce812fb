package au.com.backup247.agent.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a JSON object strictly: every value is type-checked and every unknown key is rejected,
 * with messages that name the full key path ({@code api.port}) and the file it came from.
 */
final class JsonReader {
  private final JsonObject json;
  private final String prefix;
  private final String source;
  private final Set<String> known = new TreeSet<>();

  JsonReader(JsonObject json, String prefix, String source) {
    this.json = json == null ? new JsonObject() : json;
    this.prefix = prefix;
    this.source = source;
  }

  String key(String name) {
    return prefix.isEmpty() ? name : prefix + "." + name;
  }

  private ConfigException error(String name, String what) {
    return new ConfigException(source + ": " + key(name) + " " + what);
  }

  /** The raw value at {@code name} (null when absent); the key counts as known. */
  Object value(String name) {
    known.add(name);
    return json.getValue(name);
  }

  JsonReader object(String name) {
    known.add(name);
    Object v = json.getValue(name);
    if (v != null && !(v instanceof JsonObject)) {
      throw error(name, "must be an object, got " + describe(v));
    }
    return new JsonReader((JsonObject) v, key(name), source);
  }

  int integer(String name, int def, int min, int max) {
    known.add(name);
    Object v = json.getValue(name);
    if (v == null) {
      return def;
    }
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw error(name, "must be a whole number, got " + describe(v));
    }
    long l = n.longValue();
    if (l < min || l > max) {
      throw error(name, "must be between " + min + " and " + max + ", got " + l);
    }
    return (int) l;
  }

  String string(String name, String def) {
    known.add(name);
    Object v = json.getValue(name);
    if (v == null) {
      return def;
    }
    if (!(v instanceof String s)) {
      throw error(name, "must be a string, got " + describe(v));
    }
    if (s.isBlank()) {
      throw error(name, "must not be empty");
    }
    return s;
  }

  boolean bool(String name, boolean def) {
    known.add(name);
    Object v = json.getValue(name);
    if (v == null) {
      return def;
    }
    if (!(v instanceof Boolean b)) {
      throw error(name, "must be true or false, got " + describe(v));
    }
    return b;
  }

  /** The array at {@code name} (empty when missing); each element must be an object. */
  List<JsonReader> objects(String name) {
    known.add(name);
    Object v = json.getValue(name);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof JsonArray a)) {
      throw error(name, "must be an array, got " + describe(v));
    }
    List<JsonReader> out = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      Object e = a.getValue(i);
      String k = key(name) + "[" + i + "]";
      if (!(e instanceof JsonObject o)) {
        throw new ConfigException(source + ": " + k + " must be an object, got " + describe(e));
      }
      out.add(new JsonReader(o, k, source));
    }
    return out;
  }

  /** The array of non-blank strings at {@code name} (empty when missing). */
  List<String> strings(String name) {
    known.add(name);
    Object v = json.getValue(name);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof JsonArray a)) {
      throw error(name, "must be an array of strings, got " + describe(v));
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      if (!(a.getValue(i) instanceof String s) || s.isBlank()) {
        throw new ConfigException(source + ": " + key(name) + "[" + i + "] must be a non-empty string, got "
            + describe(a.getValue(i)));
      }
      out.add(s);
    }
    return out;
  }

  /** The raw object at {@code name} (empty when missing), for a section another class validates. */
  io.vertx.core.json.JsonObject raw(String name) {
    known.add(name);
    Object v = json.getValue(name);
    if (v != null && !(v instanceof JsonObject)) {
      throw error(name, "must be an object, got " + describe(v));
    }
    return v == null ? new JsonObject() : ((JsonObject) v).copy();
  }

  /** A failure naming {@code name} under this reader's prefix. */
  ConfigException fail(String name, String what) {
    return error(name, what);
  }

  String oneOf(String name, String def, Set<String> allowed) {
    String s = string(name, def);
    if (!allowed.contains(s)) {
      throw error(name, "must be one of " + allowed + ", got \"" + s + "\"");
    }
    return s;
  }

  /** Fails on the first key that was never asked for (a typo or a setting that does not exist). */
  void rejectUnknown() {
    for (String k : new TreeSet<>(json.fieldNames())) {
      if (!known.contains(k)) {
        throw new ConfigException(source + ": unknown key " + key(k));
      }
    }
  }

  private static String describe(Object v) {
    if (v instanceof String s) {
      return "\"" + s + "\"";
    }
    if (v instanceof JsonArray) {
      return "an array";
    }
    if (v instanceof JsonObject) {
      return "an object";
    }
    return String.valueOf(v);
  }
}
