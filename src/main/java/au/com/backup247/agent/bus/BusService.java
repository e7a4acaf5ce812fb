package au.com.backup247.agent.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * Binds an event-bus address to a service operation: the reply is the operation's result, an
 * expected failure becomes its {@link AgentException#toReply() reply}, and an unexpected one is
 * logged with its stack trace and answered with a one-line internal error naming the service.
 */
public final class BusService {
  private BusService() {
  }

  /** Registers {@code op} on {@code address}; completes once the consumer is registered. */
  public static Future<Void> bind(Vertx vertx, String address, Function<JsonObject, Future<JsonObject>> op,
      String service, Logger log) {
    return vertx.eventBus().<JsonObject>consumer(address, msg -> {
      Future<JsonObject> result;
      try {
        result = op.apply(msg.body() == null ? new JsonObject() : msg.body());
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      result.onSuccess(msg::reply).onFailure(err -> fail(msg, err, service, log));
    }).completion();
  }

  private static void fail(Message<JsonObject> msg, Throwable err, String service, Logger log) {
    AgentException a = AgentException.from(err);
    if (a.failure() == Failure.INTERNAL) {
      log.error("{} failed", msg.address(), err);
      msg.fail(Failure.INTERNAL.busCode(), "internal error in the " + service + "; see the agent log");
      return;
    }
    msg.reply(a.toReply());
  }
}
