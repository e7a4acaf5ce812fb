package au.com.backup247.agent.bus;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageCodec;

/**
 * What every codec of ours shares: the message is immutable, so within one JVM the receiver gets the
 * very object sent ({@link #transform}); it is a user codec with a name, registered as its type's
 * default. Subclasses write and read the wire form.
 */
public abstract class ImmutableMessageCodec<T> implements MessageCodec<T, T> {
  private final String name;

  protected ImmutableMessageCodec(String name) {
    this.name = name;
  }

  /** Registers this codec as {@code type}'s default on {@code vertx} (again: no effect). */
  public void register(Vertx vertx, Class<T> type) {
    synchronized (ImmutableMessageCodec.class) {
      try {
        vertx.eventBus().registerDefaultCodec(type, this);
      } catch (IllegalStateException alreadyRegistered) {
        // one registration per Vert.x instance is enough
      }
    }
  }

  @Override
  public final T transform(T t) {
    return t;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final byte systemCodecID() {
    return -1;
  }
}
