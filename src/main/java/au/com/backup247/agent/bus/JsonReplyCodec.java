package au.com.backup247.agent.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * The cluster codec of a reply failure that carries more than a code and a message
 * ({@link ValidationReply}, {@link KeyedReply}): wire form 4-byte length + UTF-8 JSON; within one JVM
 * the object is passed as is.
 */
final class JsonReplyCodec<T extends ReplyException> extends ImmutableMessageCodec<T> {
  private final Function<T, JsonObject> toJson;
  private final Function<JsonObject, T> fromJson;

  JsonReplyCodec(String name, Function<T, JsonObject> toJson, Function<JsonObject, T> fromJson) {
    super(name);
    this.toJson = toJson;
    this.fromJson = fromJson;
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
}
