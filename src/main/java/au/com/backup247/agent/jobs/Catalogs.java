package au.com.backup247.agent.jobs;

import au.com.backup247.agent.bus.AgentException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/** Requests to other services over the bus, with a timeout; failures become {@link AgentException}s. */
final class Catalogs {
  static final long TIMEOUT_MS = 10_000;

  private Catalogs() {
  }

  static Future<JsonObject> request(Vertx vertx, String address, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(address, body, new DeliveryOptions().setSendTimeout(TIMEOUT_MS))
        .map(Message::body)
        .recover(err -> Future.failedFuture(AgentException.from(err)));
  }
}
