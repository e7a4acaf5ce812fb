package au.com.backup247.agent.catalog;

import au.com.backup247.agent.Version;
import au.com.backup247.agent.bus.Addresses;
import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the catalog: opens it (applying migrations), records this run, answers catalog queries on
 * the bus, and closes it on undeploy. Config: {@code {"file": "/abs/path/catalog.db"}}.
 */
public final class CatalogVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(CatalogVerticle.class);
  private Catalog catalog;
  private Long runId;

  @Override
  public Future<?> start() {
    String file = config().getString("file");
    if (file == null) {
      return Future.failedFuture(new AgentException(Failure.CONFIG_INVALID, "catalog verticle: config \"file\" is missing"));
    }
    return SqliteCatalog.open(vertx, Path.of(file))
        .recover(err -> Future.failedFuture(new AgentException(Failure.UNAVAILABLE,
            "catalog " + file + " cannot be opened: " + rootMessage(err), err)))
        .compose(c -> {
          catalog = c;
          return c.recordStart(System.currentTimeMillis(), Version.get(), ProcessHandle.current().pid(), nodeName());
        })
        .compose(id -> {
          runId = id;
          var ping = vertx.eventBus().<JsonObject>consumer(Addresses.CATALOG_PING, msg -> catalog.ping()
              .onSuccess(v -> msg.reply(new JsonObject().put("schemaVersion", v).put("file", file)))
              .onFailure(err -> msg.fail(Failure.UNAVAILABLE.busCode(), "catalog not reachable: " + rootMessage(err))));
          var runs = vertx.eventBus().<JsonObject>consumer(Addresses.CATALOG_LIST_RUNS, msg -> {
            JsonObject body = msg.body() == null ? new JsonObject() : msg.body();
            catalog.listRuns(body.getLong("after"), body.getInteger("limit", 100))
                .onSuccess(p -> msg.reply(new JsonObject()
                    .put("items", new JsonArray(p.items().stream().map(AgentRun::toJson).toList()))
                    .put("next", p.next())))
                .onFailure(err -> msg.fail(Failure.BAD_REQUEST.busCode(), rootMessage(err)));
          });
          return Future.join(ping.completion(), runs.completion());
        });
  }

  @Override
  public Future<?> stop() {
    if (catalog == null) {
      return Future.succeededFuture();
    }
    Future<Void> recorded = runId == null ? Future.succeededFuture()
        : catalog.recordStop(runId, System.currentTimeMillis());
    return recorded.eventually(() -> catalog.close()).onComplete(ar -> LOG.info("catalog closed"));
  }

  static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
  }

  private static String nodeName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "localhost";
    }
  }
}
