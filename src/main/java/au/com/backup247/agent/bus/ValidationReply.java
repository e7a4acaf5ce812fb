package au.com.backup247.agent.bus;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

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
  public static synchronized void registerCodec(Vertx vertx) {
    try {
      vertx.eventBus().registerDefaultCodec(ValidationReply.class, new Codec());
    } catch (IllegalStateException alreadyRegistered) {
      // one registration per Vert.x instance is enough
    }
  }

  private static final class Codec implements MessageCodec<ValidationReply, ValidationReply> {
    @Override
    public void encodeToWire(Buffer buffer, ValidationReply r) {
      byte[] json = new JsonObject().put("message", r.getMessage()).put("fields", r.fields).encode()
          .getBytes(StandardCharsets.UTF_8);
      buffer.appendInt(json.length).appendBytes(json);
    }

    @Override
    public ValidationReply decodeFromWire(int pos, Buffer buffer) {
      int len = buffer.getInt(pos);
      JsonObject o = new JsonObject(buffer.getString(pos + 4, pos + 4 + len, "UTF-8"));
      return new ValidationReply(o.getString("message"), o.getJsonArray("fields", new JsonArray()));
    }

    @Override
    public ValidationReply transform(ValidationReply r) {
      return r;
    }

    @Override
    public String name() {
      return "b247-validation-reply";
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
