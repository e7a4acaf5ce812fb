package au.com.backup247.agent.system;

import au.com.backup247.agent.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

/**
 * Answers {@link Addresses#SYSTEM_INFO} and {@link Addresses#SYSTEM_HEALTH}. Health is "UP" when the
 * catalog answers a query within {@code healthTimeoutMs} (default 2000), "DOWN" otherwise; the
 * reply always carries the per-check detail. Config {@code api} ({@code url}, {@code tls}: the
 * certificate in use, set by the agent) adds the API's address and certificate fingerprint to the
 * Information page. The info reply carries {@code "table"}: the page's rows ({@link InfoTable}) in the
 * caller's language.
 */
public final class SystemVerticle extends VerticleBase {

  @Override
  public Future<?> start() {
    long timeout = config().getLong("healthTimeoutMs", 2000L);
    JsonObject api = api(config().getJsonObject("api"));
    var info = vertx.eventBus().<Object>consumer(Addresses.SYSTEM_INFO, msg ->
        vertx.executeBlocking(SystemInfo::read, false).onSuccess(i -> {
          if (api != null) {
            i.put("api", api);
          }
          JsonObject body = msg.body() instanceof JsonObject b ? b : new JsonObject();
          msg.reply(i.put("table", InfoTable.table(i, au.com.backup247.agent.bus.Caller.of(body).language())));
        })
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

  /** What the Information page says of the API: its address and the certificate's fingerprint (never a file). */
  private static JsonObject api(JsonObject served) {
    if (served == null) {
      return null;
    }
    JsonObject tls = served.getJsonObject("tls");
    return new JsonObject().put("url", served.getString("url")).put("tls", tls != null)
        .put("certificateSha256", tls == null ? null : tls.getString("fingerprint"));
  }
}
