package au.com.backup247.agent.bus;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * The cluster codec of a reply failure that carries more than a code and a message
 * ({@link ValidationReply}, {@link KeyedReply}): wire form 4-byte length + UTF-8 JSON; within one JVM
 * the object is passed as is.
 */
final class JsonReplyCodec<T extends ReplyException> implements MessageCodec<T, T> {
  private final String name;
  private final Function<T, JsonObject> toJson;
  private final Function<JsonObject, T> fromJson;

  JsonReplyCodec(String name, Function<T, JsonObject> toJson, Function<JsonObject, T> fromJson) {
    this.name = name;
    this.toJson = toJson;
    this.fromJson = fromJson;
  }

  /** Registers {@code codec} as the default for {@code type}; registering again has no effect. */
  static synchronized <T extends ReplyException> void register(Vertx vertx, Class<T> type, JsonReplyCodec<T> codec) {
    try {
      vertx.eventBus().registerDefaultCodec(type, codec);
    } catch (IllegalStateException alreadyRegistered) {
      // one registration per Vert.x instance is enough
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, T r) {
    byte[] json = toJson.apply(r).encode().getBytes(StandardCharsets.UTF_8);
    buffer.appendInt(json.length).appendBytes(json);
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    int len = buffer.getInt(pos);
    return fromJson.apply(new JsonObject(buffer.getString(pos + 4, pos + 4 + len, "UTF-8")));
  }

  @Override
  public T transform(T r) {
    return r;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
