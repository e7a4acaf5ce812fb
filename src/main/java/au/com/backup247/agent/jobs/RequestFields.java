package au.com.backup247.agent.jobs;

import au.com.backup247.agent.schedule.FieldError;
import au.com.backup247.agent.schedule.JsonFields;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * Field readers shared by the restore, tree and search requests ({@link RestoreRequest}, {@link
 * TreeRequest}, {@link SearchRequest}): a bad field is a {@link FieldError} recorded in the {@link
 * JsonFields} (the value read is then null or the default), so a request is checked in one pass and
 * refused with every bad field at once ({@link FieldError#invalid}). Query parameters arrive as
 * text: booleans may be the strings {@code "true"} and {@code "false"}, numbers their digits.
 */
final class RequestFields {
  /** A job id from the restore points, or "latest". */
  private static final String JOB = "[A-Za-z0-9._-]{1,64}";

  private RequestFields() {
  }

  /** The destination's name (required, not blank). */
  static String destination(JsonFields f) {
    String destination = f.string("destination", true);
    if (destination != null && destination.isBlank()) {
      f.error("destination", "v.nonEmpty");
    }
    return destination;
  }

  /** A job id; null for the latest (absent, blank or "latest") or when it is not one. */
  static String job(Object v, JsonFields f) {
    if (v == null || (v instanceof String s && (s.isBlank() || s.equalsIgnoreCase("latest")))) {
      return null;
    }
    if (!(v instanceof String s) || !s.matches(JOB)) {
      f.error("job", "v.job", v);
      return null;
    }
    return s;
  }

  /** An absolute path without "." or ".." parts, without a trailing slash; null (and an error) otherwise. */
  static String absolute(Object v, String field, JsonFields f) {
    if (!(v instanceof String s) || s.isEmpty() || s.indexOf('\0') >= 0 || !s.startsWith("/")) {
      f.error(field, "v.absolute", v);
      return null;
    }
    for (String part : s.split("/")) {
      if (part.equals("..") || part.equals(".")) {
        f.error(field, "v.dots", s);
        return null;
      }
    }
    return s.length() > 1 && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  /** A folder to look in: {@link #absolute}, "/" when absent. */
  static String folder(JsonObject b, String field, JsonFields f) {
    Object v = b.getValue(field);
    return v == null ? "/" : absolute(v, field, f);
  }

  /** A boolean, or the strings "true" and "false"; false when absent. */
  static boolean bool(JsonObject b, String field, JsonFields f) {
    Object v = b.getValue(field);
    if (v instanceof String s && (s.equals("true") || s.equals("false"))) {
      return Boolean.parseBoolean(s);
    }
    return f.bool(field, false);
  }

  /** One of {@code allowed} (case and surrounding blanks ignored); {@code dflt} when absent. */
  static String choice(JsonObject b, String field, String dflt, List<String> allowed, JsonFields f) {
    Object v = b.getValue(field);
    if (v == null) {
      return dflt;
    }
    String s = v instanceof String x ? x.trim().toLowerCase(Locale.ROOT) : null;
    if (s == null || !allowed.contains(s)) {
      f.error(field, "v.oneOf", String.join(", ", allowed), v);
      return dflt;
    }
    return s;
  }

  /**
   * A whole number from {@code min} to {@code max} (a JSON whole number or its digits); {@code dflt}
   * when absent. A fraction ({@code 2.5}, also {@code 2.0}) is an error, as in {@link JsonFields#integer}.
   */
  static int number(JsonObject b, String field, int dflt, int min, int max, JsonFields f) {
    Object v = b.getValue(field);
    if (v == null) {
      return dflt;
    }
    long n;
    if (v instanceof Integer || v instanceof Long) {
      n = ((Number) v).longValue();
    } else if (v instanceof Number) {
      n = Long.MIN_VALUE; // a fraction, or beyond a long
    } else {
      try {
        n = Long.parseLong(v.toString().trim());
      } catch (NumberFormatException e) {
        n = Long.MIN_VALUE;
      }
    }
    if (n < min || n > max) {
      f.error(field, "v.wholeBetween", min, max, v);
      return dflt;
    }
    return (int) n;
  }
}
