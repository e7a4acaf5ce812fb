package au.com.backup247.agent.pipeline;

import au.com.backup247.agent.backup.BackupJob;
import au.com.backup247.agent.backup.NewBlob;
import au.com.backup247.agent.bus.CreditFlow;
import au.com.backup247.agent.bus.LiveFlows;
import au.com.backup247.agent.repo.pack.BlockWriter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The seal stage of a run (config {@code run}, {@code chunkers}, {@code window}, {@code buffers}):
 * adapts {@code backup.Packer} to the bus. Receives blobs (chunks and batches of FILE records), a
 * few at a time, from every chunker (at most {@code window} messages queued per chunker, handed one
 * at a time), seals them into
 * blocks and fans each block out to every live destination's uploader; gives a block's buffer back
 * to the packer once every destination answered. A blob is packed only when no block waits for an
 * uploader's credit and a block buffer is at hand (at most {@code buffers}: one filling, the others
 * being written), so the sealer waits for the destinations instead of allocating; until then the
 * blob stays with its flow, which holds the chunker back. Batches of FILE records that no chunker
 * sent (the scan's, the last one) are packed the same way. On {@code finish} it packs what is left
 * and answers once every block is written everywhere. Runs on one thread (a worker pool of one).
 */
public final class SealVerticle extends VerticleBase {
  private Runs.Run run;
  private BackupJob job;
  private final Map<Integer, CreditFlow.Sender<Messages.Block>> uploaders = new HashMap<>();
  private final List<CreditFlow.Receiver<Messages.Blobs>> receivers = new ArrayList<>();
  private final Map<String, int[]> pending = new HashMap<>();
  private final Map<String, byte[]> buffers = new HashMap<>();
  private final Map<String, Integer> lengths = new HashMap<>();
  private final Deque<Waiting> waiting = new ArrayDeque<>();
  private final List<Promise<Void>> packedWaiters = new ArrayList<>();
  private final List<Promise<Void>> idleWaiters = new ArrayList<>();
  private int waitingSends;

  /**
   * A blob a flow handed over, packed once there is room; {@code done} (on the last blob of a
   * message, else null) gives the flow its next message.
   */
  private record Waiting(NewBlob blob, Promise<Void> done) {
  }

  @Override
  public Future<?> start() {
    run = Runs.of(vertx, config().getString("run"));
    job = run.job();
    Context ctx = context;
    job.packer().limitBuffers(config().getInteger("buffers"));
    job.packer().shipTo(this::fanOut);
    job.packer().onRecords(() -> ctx.runOnContext(v -> pump())); // a batch filled on the scan's or a chunker's thread
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
      chain = chain.compose(x -> CreditFlow.<Messages.Blobs>receive(vertx, run.address("seal." + index), window,
          this::seal).onSuccess(receivers::add));
    }
    return chain.compose(x -> vertx.eventBus().consumer(run.address("finish"), m -> {
      // every blob was sent before the finish, but some may still wait in the receivers' queues
      Future.all(receivers.stream().map(CreditFlow.Receiver::idle).toList()).onComplete(done -> ctx.runOnContext(v -> {
        job.packer().flushRecords();
        packed().onComplete(p -> {
          job.packer().finish();
          idle().onComplete(ar -> m.reply(null));
        });
      }));
    }).completion());
  }

  /** Takes one message's blobs from a flow; the flow hands the next message once they are packed. */
  private Future<Void> seal(Messages.Blobs b) {
    Promise<Void> done = Promise.promise();
    List<NewBlob> blobs = b.blobs();
    for (int i = 0; i < blobs.size(); i++) {
      waiting.add(new Waiting(blobs.get(i), i == blobs.size() - 1 ? done : null));
    }
    if (blobs.isEmpty()) {
      done.complete();
    }
    pump();
    return done.future();
  }

  /** Packs waiting blobs and FILE record batches while no block waits for a credit and a buffer is at hand. */
  private void pump() {
    while (waitingSends == 0) {
      NewBlob records = job.packer().takeRecordsWithRoom();
      if (records != null) {
        pack(records);
        continue;
      }
      Waiting w = waiting.peek();
      if (w == null || !job.packer().hasRoom(w.blob())) {
        break;
      }
      waiting.poll();
      pack(w.blob());
      run.held().blobs(-w.blob().body().length);
      if (w.done() != null) {
        w.done().complete();
      }
    }
    if (waiting.isEmpty() && !job.packer().hasRecords()) {
      packedWaiters.forEach(Promise::tryComplete);
      packedWaiters.clear();
    }
    if (waitingSends == 0 && pending.isEmpty()) {
      idleWaiters.forEach(Promise::tryComplete);
      idleWaiters.clear();
    }
  }

  private void pack(NewBlob b) {
    try {
      job.packer().pack(b);
    } catch (RuntimeException e) {
      job.failAll("sealing a block failed: " + e); // every destination needs that block
    }
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
        pump();
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
    pump();
  }

  /** Completes once every blob handed over and every batch of FILE records is packed. */
  private Future<Void> packed() {
    Promise<Void> p = Promise.promise();
    packedWaiters.add(p);
    pump();
    return p.future();
  }

  /** Completes once every block sent has been written (or failed) everywhere. */
  private Future<Void> idle() {
    Promise<Void> p = Promise.promise();
    idleWaiters.add(p);
    pump();
    return p.future();
  }
}
