package au.com.backup247.agent.pipeline;

import au.com.backup247.agent.backup.BackupEngine;
import au.com.backup247.agent.bus.CreditFlow;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Bridges the backup engine's per-destination upload thread to that destination's
 * {@link UploaderVerticle}: each block goes over the event bus with credit-based backpressure and
 * {@link #put} returns once the uploader reports it written (or throws with its error).
 */
public final class BusBlockSink implements BackupEngine.BlockSink, AutoCloseable {
  static final long TIMEOUT_MINUTES = 30;
  private final Context context;
  private final CreditFlow.Sender<JsonObject> sender;
  private final MessageConsumer<JsonObject> results;
  private final Map<String, CompletableFuture<JsonObject>> waiting;

  private BusBlockSink(Context context, CreditFlow.Sender<JsonObject> sender, MessageConsumer<JsonObject> results,
      Map<String, CompletableFuture<JsonObject>> waiting) {
    this.context = context;
    this.sender = sender;
    this.results = results;
    this.waiting = waiting;
  }

  /** Connects to the uploader at {@code address}; call from a non-Vert.x thread (it waits). */
  public static BusBlockSink connect(Vertx vertx, String address) {
    Context ctx = vertx.getOrCreateContext();
    CompletableFuture<BusBlockSink> made = new CompletableFuture<>();
    ctx.runOnContext(v -> {
      Map<String, CompletableFuture<JsonObject>> waiting = new ConcurrentHashMap<>();
      MessageConsumer<JsonObject> results = vertx.eventBus().consumer(address + ".written", m -> {
        CompletableFuture<JsonObject> f = waiting.remove(m.body().getString("path"));
        if (f != null) {
          f.complete(m.body());
        }
      });
      results.completion()
          .compose(x -> CreditFlow.Sender.<JsonObject>create(vertx, address, new DeliveryOptions()))
          .onSuccess(sender -> made.complete(new BusBlockSink(ctx, sender, results, waiting)))
          .onFailure(made::completeExceptionally);
    });
    try {
      return made.get(1, TimeUnit.MINUTES);
    } catch (Exception e) {
      throw new IllegalStateException("no uploader at " + address + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void put(String path, byte[] bytes, int length) throws Exception {
    CompletableFuture<JsonObject> done = new CompletableFuture<>();
    waiting.put(path, done);
    byte[] exact = length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
    context.runOnContext(v -> sender.send(new JsonObject().put("path", path).put("bytes", exact)));
    JsonObject r;
    try {
      r = done.get(TIMEOUT_MINUTES, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    }
    if (!r.getBoolean("ok", false)) {
      throw new IllegalStateException(r.getString("error", "upload failed"));
    }
  }

  @Override
  public void close() {
    context.runOnContext(v -> {
      results.unregister();
      sender.close();
    });
  }
}
