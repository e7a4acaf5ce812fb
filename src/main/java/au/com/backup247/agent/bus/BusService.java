package au.com.backup247.agent.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * Binds an event-bus address to a service operation: the reply is the operation's result, an
 * expected failure becomes its {@link AgentException#toReply() reply}, and an unexpected one is
 * logged with its stack trace and answered as the service's {@link Unexpected} says (by default a
 * one-line internal error naming the service). The requesting side is {@link BusClient}.
 */
public final class BusService {
  private BusService() {
  }

  /** How a service answers what it did not expect (the binder logs it first). */
  public interface Unexpected {
    /**
     * The operation threw (not an {@link AgentException}) before it returned a future, usually on a
     * request it cannot read: the failure to answer with (an INTERNAL one is logged).
     */
    Throwable thrown(String address, RuntimeException e);

    /** The answer to an operation that failed with something other than an expected {@link AgentException}. */
    ReplyException failed(String address, Throwable err);
  }

  /** Unexpected failures as a one-line internal error naming {@code service}. */
  public static Unexpected internal(String service) {
    return new Unexpected() {
      @Override
      public Throwable thrown(String address, RuntimeException e) {
        return e;
      }

      @Override
      public ReplyException failed(String address, Throwable err) {
        return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, Failure.INTERNAL.busCode(),
            "internal error in the " + service + "; see the agent log");
      }
    };
  }

  /** Registers {@code op} on {@code address}; completes once the consumer is registered. */
  public static Future<Void> bind(Vertx vertx, String address, Function<JsonObject, Future<JsonObject>> op,
      String service, Logger log) {
    return bind(vertx, address, op, internal(service), log);
  }

  /** Registers {@code op} on {@code address}, answering unexpected failures as {@code unexpected} says. */
  public static Future<Void> bind(Vertx vertx, String address, Function<JsonObject, Future<JsonObject>> op,
      Unexpected unexpected, Logger log) {
    return vertx.eventBus().<JsonObject>consumer(address, msg -> {
      Future<JsonObject> result;
      try {
        result = op.apply(msg.body() == null ? new JsonObject() : msg.body());
      } catch (AgentException e) {
        result = Future.failedFuture(e);
      } catch (RuntimeException e) {
        result = Future.failedFuture(unexpected.thrown(address, e));
      }
      result.onSuccess(msg::reply).onFailure(err -> fail(msg, err, unexpected, log));
    }).completion();
  }

  private static void fail(Message<JsonObject> msg, Throwable err, Unexpected unexpected, Logger log) {
    AgentException a = AgentException.from(err);
    if (a.failure() == Failure.INTERNAL) {
      log.error("{} failed", msg.address(), err);
      msg.reply(unexpected.failed(msg.address(), err));
      return;
    }
    msg.reply(a.toReply());
  }
}
