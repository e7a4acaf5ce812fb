package au.com.backup247.agent.pipeline;

import au.com.backup247.agent.bus.CreditFlow;
import au.com.backup247.agent.repo.store.Store;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * The upload stage for one destination (deploy as a worker): receives finished blocks on its address
 * with credit-based backpressure (at most {@code window} blocks queued for it), writes each to its
 * store and sends a {@link Messages.Written} to {@code resultsAddress}. A failure of this
 * destination never touches the others.
 */
public final class UploaderVerticle extends VerticleBase {
  private final Store store;
  private final String address;
  private final String resultsAddress;
  private final int destination;
  private final int window;

  public UploaderVerticle(Store store, String address, String resultsAddress, int destination, int window) {
    this.store = store;
    this.address = address;
    this.resultsAddress = resultsAddress;
    this.destination = destination;
    this.window = window;
  }

  @Override
  public Future<?> start() {
    Messages.register(vertx);
    return CreditFlow.<Messages.Block>receive(vertx, address, window, block -> {
      Messages.Written w;
      try {
        store.put(block.path(), block.bytes(), block.length());
        w = new Messages.Written(block.path(), destination, true, null);
      } catch (RuntimeException e) {
        w = new Messages.Written(block.path(), destination, false, String.valueOf(e.getMessage()));
      }
      vertx.eventBus().send(resultsAddress, w);
      return Future.succeededFuture();
    });
  }
}
