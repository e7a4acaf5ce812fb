package au.com.backup247.agent.bus;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The bus form of a {@link ValidationException}: a {@link ReplyException} (code
 * {@link Failure#VALIDATION}) that also carries the field errors. A service answers with
 * {@code message.reply(new ValidationReply(...))}; the requester's future fails with it.
 *
 * <p>Within one JVM it is passed as is; across a cluster it needs {@link #registerCodec(Vertx)} on
 * every node (wire form: 4-byte length + UTF-8 JSON {@code {"message", "fields"}}).
 */
public final class ValidationReply extends ReplyException {
  private static final long serialVersionUID = 1L;
  private final transient JsonArray fields;

  public ValidationReply(String message, JsonArray fields) {
    super(ReplyFailure.RECIPIENT_FAILURE, Failure.VALIDATION.busCode(), message, false);
    this.fields = fields.copy();
  }

  /** The bad fields, as {@code {"field", "message"}} objects (a copy). */
  public JsonArray fields() {
    return fields.copy();
  }

  /** Registers the codec as the default for this class; registering again has no effect. */
  public static void registerCodec(Vertx vertx) {
    codec().register(vertx, ValidationReply.class);
  }

  /** The cluster codec. */
  static JsonReplyCodec<ValidationReply> codec() {
    return new JsonReplyCodec<>("b247-validation-reply",
        r -> new JsonObject().put("message", r.getMessage()).put("fields", r.fields),
        o -> new ValidationReply(o.getString("message"), o.getJsonArray("fields", new JsonArray())));
  }
}
