package au.com.backup247.agent.bus;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The bus form of an {@link AgentException} whose message comes from the bundles: the failure code,
 * the English message, and the bundle key with its arguments, so the API can say it in the reader's
 * language. Within one JVM it is passed as is; across a cluster it needs {@link #registerCodec(Vertx)}
 * on every node (wire form: 4-byte length + UTF-8 JSON {@code {"code", "message", "key", "args"}}).
 */
public final class KeyedReply extends ReplyException {
  private static final long serialVersionUID = 1L;
  private final String key;
  private final transient List<String> args;

  KeyedReply(Failure failure, String message, String key, List<String> args) {
    this(failure.busCode(), message, key, args);
  }

  private KeyedReply(int code, String message, String key, List<String> args) {
    super(ReplyFailure.RECIPIENT_FAILURE, code, message, false);
    this.key = key;
    this.args = List.copyOf(args);
  }

  String key() {
    return key;
  }

  List<String> args() {
    return args;
  }

  /** Registers the codec as the default for this class; registering again has no effect. */
  public static void registerCodec(Vertx vertx) {
    codec().register(vertx, KeyedReply.class);
  }

  /** The cluster codec. */
  static JsonReplyCodec<KeyedReply> codec() {
    return new JsonReplyCodec<>("b247-keyed-reply",
        r -> new JsonObject().put("code", r.failureCode()).put("message", r.getMessage()).put("key", r.key)
            .put("args", new JsonArray(r.args)),
        o -> new KeyedReply(o.getInteger("code"), o.getString("message"), o.getString("key"),
            o.getJsonArray("args", new JsonArray()).stream().map(String::valueOf).toList()));
  }
}
