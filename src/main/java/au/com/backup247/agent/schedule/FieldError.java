package au.com.backup247.agent.schedule;

import au.com.backup247.agent.bus.ValidationException;
import au.com.backup247.agent.i18n.Messages;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One validation failure, naming the offending field by its full path ({@code schedules[0].every},
 * {@code retention.policies[1].weeks}) and saying what is allowed. Shared by the schedule, retention
 * and backup set validators so the settings API can return one list for a whole backup set.
 *
 * <p>The words come from the message bundles ({@code v.*} keys of {@code i18n/messages*.properties}):
 * {@link #message()} is the English text (logs, the CLI, tests), {@link #key()} and {@link #args()}
 * let the API say it in the reader's language ({@link #message(String)}); the field path is never
 * translated.
 *
 * @param field full path of the field, as the JSON document spells it
 * @param message what is wrong and which values are allowed, in English
 * @param key the bundle key of the message (null for a message not from the bundles)
 * @param args the message's arguments, as text
 */
public record FieldError(String field, String message, String key, List<String> args) {
  public FieldError {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(message, "message");
    args = args == null ? List.of() : List.copyOf(args);
  }

  /** A failure with a message that is not from the bundles. */
  public FieldError(String field, String message) {
    this(field, message, null, List.of());
  }

  /** The failure of {@code field} said by the bundle message {@code key} with {@code args}. */
  public static FieldError of(String field, String key, Object... args) {
    return of(field, problem(key, args));
  }

  /** The failure of {@code field} said by {@code p}. */
  public static FieldError of(String field, Problem p) {
    return new FieldError(field, p.english(), p.key(), p.args());
  }

  /** What is wrong with a value, before knowing which field holds it. */
  public static Problem problem(String key, Object... args) {
    return new Problem(key, Arrays.stream(args).map(String::valueOf).toList());
  }

  /**
   * A problem as a bundle key and its arguments (as text, so numbers print as given).
   *
   * @param key the bundle key
   * @param args the arguments
   */
  public record Problem(String key, List<String> args) {
    public Problem {
      Objects.requireNonNull(key, "key");
      args = List.copyOf(args);
    }

    /** The problem in English. */
    public String english() {
      return Messages.get("en", key, args.toArray());
    }
  }

  /** The message in {@code language} (English, or the English text, when it is not from the bundles). */
  public String message(String language) {
    return key == null ? message : Messages.get(language, key, args.toArray());
  }

  /** {@code {"field", "message", "key"?, "args"?}}: the bus form (the API says it in the reader's language). */
  public JsonObject toJson() {
    JsonObject o = new JsonObject().put("field", field).put("message", message);
    if (key != null) {
      o.put("key", key).put("args", new JsonArray(args));
    }
    return o;
  }

  /**
   * One VALIDATION failure with every error of {@code what} ("the backup set", "the restore
   * request"); its message lists the first three.
   */
  public static ValidationException invalid(List<FieldError> errors, String what) {
    JsonArray fields = new JsonArray();
    errors.forEach(e -> fields.add(e.toJson()));
    String first = errors.stream().limit(3).map(FieldError::toString).collect(Collectors.joining("; "));
    String more = errors.size() > 3 ? "; and " + (errors.size() - 3) + " more" : "";
    return new ValidationException(what + " has " + errors.size() + " invalid setting"
        + (errors.size() == 1 ? "" : "s") + ": " + first + more, fields);
  }

  /** Joins a prefix and a field name: {@code path("schedules[0]", "every")}; empty prefix allowed. */
  public static String path(String prefix, String field) {
    return prefix == null || prefix.isEmpty() ? field : prefix + "." + field;
  }

  /** Two failures are the same when they name the same field with the same words. */
  @Override
  public boolean equals(Object o) {
    return o instanceof FieldError e && field.equals(e.field) && message.equals(e.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(field, message);
  }

  @Override
  public String toString() {
    return field + ": " + message;
  }
}
