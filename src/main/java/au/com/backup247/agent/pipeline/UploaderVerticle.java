package au.com.backup247.agent.pipeline;

import au.com.backup247.agent.bus.CreditFlow;
import au.com.backup247.agent.repo.store.LocalStore;
import au.com.backup247.agent.repo.store.Store;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/**
 * The upload stage for one destination: receives finished blocks on its address with credit-based
 * backpressure (at most {@code window} blocks queued for it) and writes them to its store on a
 * worker thread. Each result is published on {@code <address>.written} as
 * {@code {"path": ..., "ok": true|false, "error": ...}}; a failure of this destination never
 * touches the others.
 *
 * <p>Config: {@code address}, {@code repo} (folder), {@code window} (default 2).
 * Message body: {@code {"path": "blocks/…/….bak", "bytes": <binary>}}.
 */
public final class UploaderVerticle extends VerticleBase {
  private Store store;

  @Override
  public Future<?> start() {
    String address = config().getString("address");
    store = new LocalStore(Path.of(config().getString("repo")));
    int window = config().getInteger("window", 2);
    String written = address + ".written";
    return CreditFlow.<JsonObject>receive(vertx, address, window, block -> {
      String path = block.getString("path");
      byte[] bytes = block.getBinary("bytes");
      return vertx.executeBlocking(() -> {
        store.put(path, bytes);
        return null;
      }, true).onComplete(ar -> vertx.eventBus().publish(written, new JsonObject().put("path", path)
          .put("ok", ar.succeeded()).put("error", ar.failed() ? String.valueOf(ar.cause().getMessage()) : null)));
    });
  }

  @Override
  public Future<?> stop() {
    if (store != null) {
      store.close();
    }
    return Future.succeededFuture();
  }
}
