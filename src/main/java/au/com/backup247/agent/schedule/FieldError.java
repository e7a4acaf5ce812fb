package au.com.backup247.agent.schedule;

import java.util.Objects;

/**
 * One validation failure, naming the offending field by its full path ({@code schedules[0].every},
 * {@code retention.policies[1].weeks}) and saying what is allowed. Shared by the schedule and
 * retention validators so the settings API can return one list for a whole backup set.
 *
 * @param field full path of the field, as the JSON document spells it
 * @param message what is wrong and which values are allowed
 */
public record FieldError(String field, String message) {
  public FieldError {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(message, "message");
  }

  /** Joins a prefix and a field name: {@code path("schedules[0]", "every")}; empty prefix allowed. */
  public static String path(String prefix, String field) {
    return prefix == null || prefix.isEmpty() ? field : prefix + "." + field;
  }

  @Override
  public String toString() {
    return field + ": " + message;
  }
}
