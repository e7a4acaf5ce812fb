package au.com.backup247.agent.system;

import au.com.backup247.agent.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

/**
 * Answers {@link Addresses#SYSTEM_INFO} and {@link Addresses#SYSTEM_HEALTH}. Health is "UP" when the
 * catalog answers a query within {@code healthTimeoutMs} (default 2000), "DOWN" otherwise; the
 * reply always carries the per-check detail.
 */
public final class SystemVerticle extends VerticleBase {

  @Override
  public Future<?> start() {
    long timeout = config().getLong("healthTimeoutMs", 2000L);
    var info = vertx.eventBus().consumer(Addresses.SYSTEM_INFO, msg ->
        vertx.executeBlocking(SystemInfo::read, false).onSuccess(msg::reply)
            .onFailure(err -> msg.fail(au.com.backup247.agent.bus.Failure.INTERNAL.busCode(), "cannot read system information: " + err.getMessage())));
    var health = vertx.eventBus().consumer(Addresses.SYSTEM_HEALTH, msg ->
        vertx.eventBus().<JsonObject>request(Addresses.CATALOG_PING, null, new DeliveryOptions().setSendTimeout(timeout))
            .map(reply -> new JsonObject().put("status", "UP").put("detail", reply.body()))
            .otherwise(err -> new JsonObject().put("status", "DOWN").put("detail",
                new JsonObject().put("message", String.valueOf(err.getMessage()))))
            .onSuccess(catalog -> msg.reply(new JsonObject()
                .put("status", catalog.getString("status"))
                .put("checks", new JsonObject().put("eventLoop", new JsonObject().put("status", "UP"))
                    .put("catalog", catalog)))));
    return Future.join(info.completion(), health.completion());
  }
}
