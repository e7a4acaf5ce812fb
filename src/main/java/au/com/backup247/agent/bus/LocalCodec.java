package au.com.backup247.agent.bus;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Passes an immutable Java object to a consumer in the same JVM without copying it (the pipeline's
 * blobs and blocks are megabytes; the default codecs would copy them). Messages with this codec
 * cannot cross a cluster: a clustered deployment runs a job's stages on one node.
 */
public final class LocalCodec<T> implements MessageCodec<T, T> {
  private final String name;

  private LocalCodec(Class<T> type) {
    this.name = "b247-local-" + type.getName();
  }

  /** Registers {@code types} as default local codecs on {@code vertx} (again: no effect). */
  public static synchronized void register(Vertx vertx, Class<?>... types) {
    for (Class<?> t : types) {
      register1(vertx, t);
    }
  }

  private static <T> void register1(Vertx vertx, Class<T> t) {
    try {
      vertx.eventBus().registerDefaultCodec(t, new LocalCodec<>(t));
    } catch (IllegalStateException alreadyRegistered) {
      // one registration per Vert.x instance is enough
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, T t) {
    throw new UnsupportedOperationException(name + " is local only");
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException(name + " is local only");
  }

  @Override
  public T transform(T t) {
    return t;
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
