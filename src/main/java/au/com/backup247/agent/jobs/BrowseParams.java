package au.com.backup247.agent.jobs;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * The fields of a browse or search request ({@link RestoreBrowser}), read one at a time: a bad
 * field is a BAD_REQUEST naming the field and the value given, in the caller's language.
 */
final class BrowseParams {
  private BrowseParams() {
  }

  /** A string field (required). */
  static String text(JsonObject b, String field) {
    if (!(b.getValue(field) instanceof String s)) {
      throw AgentException.of(Failure.BAD_REQUEST, "e.param.string", field);
    }
    return s;
  }

  /** One of {@code allowed} (case and surrounding blanks ignored); {@code dflt} when absent. */
  static String choice(JsonObject b, String field, String dflt, List<String> allowed) {
    Object v = b.getValue(field);
    if (v == null) {
      return dflt;
    }
    String s = v instanceof String x ? x.trim().toLowerCase(Locale.ROOT) : null;
    if (s == null || !allowed.contains(s)) {
      throw AgentException.of(Failure.BAD_REQUEST, "e.param.oneOf", field, String.join(", ", allowed), v);
    }
    return s;
  }

  /** A whole number from {@code min} to {@code max} (a number or its text); {@code dflt} when absent. */
  static int number(JsonObject b, String field, int dflt, int min, int max) {
    Object v = b.getValue(field);
    if (v == null) {
      return dflt;
    }
    long n;
    try {
      n = v instanceof Number x ? x.longValue() : Long.parseLong(v.toString().trim());
    } catch (NumberFormatException e) {
      n = Long.MIN_VALUE;
    }
    if (n < min || n > max) {
      throw AgentException.of(Failure.BAD_REQUEST, "e.param.whole", field, min, max, v);
    }
    return (int) n;
  }

  /** An absolute path without "." or ".." parts, without a trailing slash. */
  static String absolute(String field, String s) {
    if (s.isEmpty() || s.indexOf('\0') >= 0 || !s.startsWith("/")) {
      throw AgentException.of(Failure.BAD_REQUEST, "e.param.absoluteGot", field, s);
    }
    for (String part : s.split("/")) {
      if (part.equals("..") || part.equals(".")) {
        throw AgentException.of(Failure.BAD_REQUEST, "e.param.dots", field, s);
      }
    }
    return s.length() > 1 && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  /** The folder to browse (field "path"): "/" when absent. */
  static String folder(Object v) {
    if (v == null) {
      return "/";
    }
    if (!(v instanceof String s)) {
      throw AgentException.of(Failure.BAD_REQUEST, "e.param.folder");
    }
    return absolute("path", s);
  }

  /** A job id; null for the latest (absent, blank or "latest"). */
  static String job(Object v) {
    if (v == null || (v instanceof String s && (s.isBlank() || s.equalsIgnoreCase("latest")))) {
      return null;
    }
    if (!(v instanceof String s) || !s.matches("[A-Za-z0-9._-]{1,64}")) {
      throw AgentException.of(Failure.BAD_REQUEST, "e.param.job", v);
    }
    return s;
  }

  /** A boolean, or the strings "true" and "false"; false when absent. */
  static boolean bool(JsonObject b, String field) {
    Object v = b.getValue(field);
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean x) {
      return x;
    }
    if (v instanceof String s && (s.equals("true") || s.equals("false"))) {
      return Boolean.parseBoolean(s);
    }
    throw AgentException.of(Failure.BAD_REQUEST, "e.param.boolean", field, v);
  }
}
