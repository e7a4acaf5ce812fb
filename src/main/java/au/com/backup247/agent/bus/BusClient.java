package au.com.backup247.agent.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * The one way a service asks another over the event bus: a JSON request with a send timeout,
 * whose failure is always an {@link AgentException} ({@link AgentException#from}: a coded reply
 * keeps its failure, key and field errors; no answer in time is TIMEOUT; no service deployed is
 * UNAVAILABLE). The serving side is {@link BusService}.
 */
public final class BusClient {
  /** How long a request waits for its answer by default. */
  public static final long TIMEOUT_MS = 10_000;

  private BusClient() {
  }

  /** Sends {@code body} to {@code address}, waiting at most {@link #TIMEOUT_MS} for the answer. */
  public static Future<JsonObject> request(Vertx vertx, String address, JsonObject body) {
    return request(vertx, address, body, TIMEOUT_MS);
  }

  /** Sends {@code body} to {@code address}, waiting at most {@code timeoutMs} for the answer. */
  public static Future<JsonObject> request(Vertx vertx, String address, JsonObject body, long timeoutMs) {
    return vertx.eventBus().<JsonObject>request(address, body, new DeliveryOptions().setSendTimeout(timeoutMs))
        .map(Message::body)
        .recover(err -> Future.failedFuture(AgentException.from(err)));
  }
}
