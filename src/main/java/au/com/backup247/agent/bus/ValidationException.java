package au.com.backup247.agent.bus;

import io.vertx.core.eventbus.ReplyException;
import au.com.backup247.agent.i18n.Messages;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A {@link Failure#VALIDATION} failure with one entry per bad field:
 * {@code [{"field": "schedules[0].every", "message": "..."}]}. It crosses the event bus as a
 * {@link ValidationReply}, and the API renders it as
 * {@code {"error": {"code": "validation", "message": ..., "fields": [...]}}}.
 */
public final class ValidationException extends AgentException {
  private static final long serialVersionUID = 1L;
  private final transient JsonArray fields;

  /** {@code fields} holds objects {@code {"field", "message"}}; it is copied. */
  public ValidationException(String message, JsonArray fields) {
    super(Failure.VALIDATION, message);
    this.fields = fields.copy();
  }

  /** A failure for one field. */
  public static ValidationException of(String field, String message) {
    return new ValidationException(field + ": " + message,
        new JsonArray().add(new JsonObject().put("field", field).put("message", message)));
  }

  /** A failure for one field said by the bundle message {@code key} with {@code args} (in the reader's language at the API). */
  public static ValidationException keyed(String field, String key, Object... args) {
    List<String> text = java.util.Arrays.stream(args).map(String::valueOf).toList();
    String message = Messages.get("en", key, text.toArray());
    return new ValidationException(field + ": " + message, new JsonArray().add(new JsonObject().put("field", field)
        .put("message", message).put("key", key).put("args", new JsonArray(text))));
  }

  /** The bad fields, as {@code {"field", "message"}} objects (a copy). */
  public JsonArray fields() {
    return fields.copy();
  }

  @Override
  public ReplyException toReply() {
    return new ValidationReply(getMessage(), fields);
  }
}
