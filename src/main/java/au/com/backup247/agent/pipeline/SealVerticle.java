package au.com.backup247.agent.pipeline;

import au.com.backup247.agent.backup.BackupJob;
import au.com.backup247.agent.bus.CreditFlow;
import au.com.backup247.agent.bus.LiveFlows;
import au.com.backup247.agent.repo.pack.BlockWriter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The seal stage of a run (config {@code run}, {@code chunkers}, {@code window}): adapts
 * {@code backup.Packer} to the bus. Receives blobs from every chunker (at most {@code window}
 * queued per chunker, handed one at a time; the next only once no block waits for an uploader's
 * credit), seals them into blocks and fans each block out to every live destination's
 * uploader; gives a block's buffer back to the packer once every destination answered. On
 * {@code finish} it packs what is left and answers once every block is written everywhere.
 */
public final class SealVerticle extends VerticleBase {
  private Runs.Run run;
  private BackupJob job;
  private final Map<Integer, CreditFlow.Sender<Messages.Block>> uploaders = new HashMap<>();
  private final List<CreditFlow.Receiver<Messages.Blob>> receivers = new ArrayList<>();
  private final Map<String, int[]> pending = new HashMap<>();
  private final Map<String, byte[]> buffers = new HashMap<>();
  private final Map<String, Integer> lengths = new HashMap<>();
  private final List<Promise<Void>> drainWaiters = new ArrayList<>();
  private final List<Promise<Void>> idleWaiters = new ArrayList<>();
  private int waitingSends;
  private volatile Thread packing;

  @Override
  public Future<?> start() {
    run = Runs.of(vertx, config().getString("run"));
    job = run.job();
    Context ctx = context;
    job.packer().shipTo(f -> {
      if (Thread.currentThread() == packing || Vertx.currentContext() == ctx) {
        fanOut(f); // at once, so the blob's handler sees the block waiting for credits (drained)
      } else {
        ctx.runOnContext(v -> fanOut(f)); // a FILE record batch filled a block on a chunker's thread
      }
    });
    MessageConsumer<Messages.Written> results = vertx.eventBus().consumer(run.address("written"),
        m -> written(m.body()));
    LiveFlows.trackBytes(vertx, run.base(), results, run.held()::now);
    Future<?> chain = results.completion();
    for (int i = 0; i < job.repositories().size(); i++) {
      if (job.destinationOk(i)) {
        int dest = i;
        chain = chain.compose(x -> CreditFlow.Sender.<Messages.Block>create(vertx, run.address("upload." + dest),
            new DeliveryOptions()).onSuccess(s -> uploaders.put(dest, s)));
      }
    }
    int window = config().getInteger("window");
    for (int k = 0; k < config().getInteger("chunkers"); k++) {
      int index = k;
      chain = chain.compose(x -> CreditFlow.<Messages.Blob>receive(vertx, run.address("seal." + index), window,
          this::seal).onSuccess(receivers::add));
    }
    return chain.compose(x -> vertx.eventBus().consumer(run.address("finish"), m -> {
      // every blob was sent before the finish, but some may still wait in the receivers' queues
      Future.all(receivers.stream().map(CreditFlow.Receiver::idle).toList()).onComplete(done -> {
        job.packer().finish();
        // this may run on a duplicate of the verticle's context, so the blocks finished just now
        // were handed to fanOut with runOnContext: wait for idleness only after they are on their way
        context.runOnContext(v -> idle().onComplete(ar -> m.reply(null)));
      });
    }).completion());
  }

  /** Packs one blob; the flow hands the next once no block waits for an uploader's credit. */
  private Future<Void> seal(Messages.Blob b) {
    packing = Thread.currentThread();
    try {
      job.packer().pack(b.blob());
    } catch (RuntimeException e) {
      job.failAll("sealing a block failed: " + e); // every destination needs that block
    } finally {
      packing = null;
      run.held().blobs(-b.blob().body().length);
    }
    return drained();
  }

  private void fanOut(BlockWriter.Finished f) {
    String path = job.packer().blockPath(f);
    List<Integer> targets = new ArrayList<>();
    for (Integer i : uploaders.keySet()) {
      if (job.destinationOk(i)) {
        targets.add(i);
      }
    }
    if (targets.isEmpty()) {
      job.packer().recycle(f.bytes());
      return;
    }
    pending.put(path, new int[] {targets.size()});
    buffers.put(path, f.bytes());
    lengths.put(path, f.length());
    run.held().blocks(f.length());
    Messages.Block block = new Messages.Block(path, f.bytes(), f.length());
    for (Integer i : targets) {
      waitingSends++;
      uploaders.get(i).send(block).onComplete(x -> {
        waitingSends--;
        wake();
      });
    }
  }

  private void written(Messages.Written w) {
    if (!w.ok() && !job.cancelled()) { // after a cancel, blocks left unwritten are no destination's fault
      job.failDestination(w.destination(), "block " + w.path() + " could not be written: " + w.error());
    }
    int[] left = pending.get(w.path());
    if (left != null && --left[0] == 0) {
      pending.remove(w.path());
      job.packer().recycle(buffers.remove(w.path()));
      run.held().blocks(-lengths.remove(w.path()));
    }
    wake();
  }

  /** Completes once no block waits for an uploader's credit (backpressure towards the chunkers). */
  private Future<Void> drained() {
    if (waitingSends == 0) {
      return Future.succeededFuture();
    }
    Promise<Void> p = Promise.promise();
    drainWaiters.add(p);
    return p.future();
  }

  /** Completes once every block sent has been written (or failed) everywhere. */
  private Future<Void> idle() {
    Promise<Void> p = Promise.promise();
    idleWaiters.add(p);
    wake();
    return p.future();
  }

  private void wake() {
    if (waitingSends == 0) {
      drainWaiters.forEach(Promise::tryComplete);
      drainWaiters.clear();
      if (pending.isEmpty()) {
        idleWaiters.forEach(Promise::tryComplete);
        idleWaiters.clear();
      }
    }
  }
}
