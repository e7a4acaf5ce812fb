package au.com.backup247.agent.pipeline;

import au.com.backup247.agent.backup.BackupJob;
import au.com.backup247.agent.backup.BackupResult;
import au.com.backup247.agent.backup.FileChunker;
import au.com.backup247.agent.backup.IndexWindow;
import au.com.backup247.agent.backup.Item;
import au.com.backup247.agent.backup.NewBlob;
import au.com.backup247.agent.bus.CreditFlow;
import au.com.backup247.agent.bus.LiveFlows;
import au.com.backup247.agent.repo.pack.BlockWriter;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Runs one {@link BackupJob} as verticles talking over the event bus (ARCHITECTURE section 2), all
 * deployed as workers for the job and undeployed after it:
 *
 * <pre>
 *  ScanStage ──FileTask──▶ ChunkStage ×N ──Blob──▶ SealStage ──Block──▶ UploaderVerticle ×destinations
 *      ▲                        │                      ▲                        │
 *      └────────FileDone────────┘                      └────────Written─────────┘
 * </pre>
 *
 * Every arrow that carries data is a {@link CreditFlow} with a small window, and each stage handles
 * one item at a time (the flow queues the rest), so memory is bounded: at most {@value #CHUNK_WINDOW}
 * files queued per chunker, {@value #SEAL_WINDOW} blobs per chunker towards the sealer (and one more
 * waiting in the chunker for a credit), {@value #UPLOAD_WINDOW} block per destination; the sealer
 * packs a chunker's next blob only once no block waits for an uploader's credit, so at most one block
 * per chunker waits for a slow destination. The bytes held between stages are counted
 * ({@link HeldBytes}; metric {@code b247_flow_held_bytes}). One sealed block stream fans
 * out to every destination at once; a slow destination holds the others back only as far as its
 * window allows, and a failed one is dropped while the others complete. The scan stage also keeps
 * the index in walk order and commits each destination at the end.
 *
 * <p>Cancel ({@link BackupJob#cancel}) reaches every loop: the walk stops, each chunker stops at its
 * file's next chunk, and the uploaders drop queued blocks and stop a paced upload mid-block, so the
 * job ends within about a second however large the current file or block.
 */
public final class PipelineBackup {
  static final int CHUNK_WINDOW = 4;
  static final int SEAL_WINDOW = 4;
  static final int UPLOAD_WINDOW = 1;

  private PipelineBackup() {
  }

  /** Runs {@code job} with {@code chunkers} chunk stages; completes with each destination's result. */
  public static Future<List<BackupResult>> run(Vertx vertx, BackupJob job, int chunkers) {
    return run(vertx, job, chunkers, new HeldBytes());
  }

  /** As {@link #run(Vertx, BackupJob, int)}, counting the bytes held between stages in {@code held}. */
  static Future<List<BackupResult>> run(Vertx vertx, BackupJob job, int chunkers, HeldBytes held) {
    Messages.register(vertx);
    String run = UUID.randomUUID().toString();
    String base = "b247.backup." + run;
    List<String> deployed = new ArrayList<>();
    int destinations = job.repositories().size();
    return vertx.executeBlocking(job::prepare, false).compose(ok -> {
      if (!ok) {
        return Future.succeededFuture(job.committer().release());
      }
      Promise<List<BackupResult>> result = Promise.promise();
      Future<?> chain = Future.succeededFuture();
      for (int i = 0; i < job.repositories().size(); i++) {
        if (job.destinationOk(i)) {
          int dest = i;
          UploaderVerticle up = new UploaderVerticle(job.repositories().get(i).store(), base + ".upload." + i,
              base + ".written", i, UPLOAD_WINDOW, job::cancelled, n -> job.addUploaded(dest, n));
          chain = chain.compose(x -> vertx.deployVerticle(up, pool(run, "upload", destinations))
              .onSuccess(deployed::add));
        }
      }
      chain = chain.compose(x -> vertx.deployVerticle(new SealStage(job, base, chunkers, held), pool(run, "seal", 1))
          .onSuccess(deployed::add));
      for (int k = 0; k < chunkers; k++) {
        int index = k;
        chain = chain.compose(x -> vertx.deployVerticle(new ChunkStage(job, base, index, held), pool(run, "chunk", chunkers))
            .onSuccess(deployed::add));
      }
      chain = chain.compose(x -> vertx.deployVerticle(new ScanStage(job, base, chunkers, result),
          pool(run, "scan", 1)).onSuccess(deployed::add));
      return chain.compose(x -> result.future()).recover(err -> vertx.executeBlocking(job.committer()::release, false)
          .compose(r -> Future.<List<BackupResult>>failedFuture(err)));
    }).eventually(() -> {
      List<Future<Void>> undeploys = new ArrayList<>();
      for (String id : deployed) {
        undeploys.add(vertx.undeploy(id));
      }
      return Future.join(undeploys);
    });
  }

  /**
   * A stage's deployment: a worker on a pool of the job's own with as many threads as the stage has
   * instances, so a stage's per-thread state (a chunker's compression contexts and scratch buffers)
   * exists once per instance, not once per thread of a shared pool, and a stage never waits for
   * another job's. A stage stays in one handler as long as its input allows (a large file, a paced
   * upload): no blocked-thread warnings.
   */
  static DeploymentOptions pool(String jobId, String stage, int threads) {
    return new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)
        .setWorkerPoolName("b247-" + stage + "-" + jobId.substring(0, 8)).setWorkerPoolSize(threads)
        .setMaxWorkerExecuteTime(365).setMaxWorkerExecuteTimeUnit(TimeUnit.DAYS);
  }

  // ------------------------------------------------------------------------------------------ scan

  /** Walks, feeds the chunkers within the index window, keeps the index in order, commits. */
  static final class ScanStage extends VerticleBase {
    private final BackupJob job;
    private final String base;
    private final int chunkers;
    private final Promise<List<BackupResult>> result;
    private final List<CreditFlow.Sender<Messages.FileTask>> senders = new ArrayList<>();
    private int next;
    private int inFlight;
    private boolean pumping;
    private boolean blocked;
    private boolean scanDone;
    private boolean finishing;

    ScanStage(BackupJob job, String base, int chunkers, Promise<List<BackupResult>> result) {
      this.job = job;
      this.base = base;
      this.chunkers = chunkers;
      this.result = result;
    }

    @Override
    public Future<?> start() {
      Future<?> chain = vertx.eventBus().<Messages.FileDone>consumer(base + ".done", m -> {
        inFlight--;
        job.window().completed(m.body().item(), m.body().result());
        pump();
      }).completion();
      for (int k = 0; k < chunkers; k++) {
        int index = k;
        chain = chain.compose(x -> CreditFlow.Sender.<Messages.FileTask>create(vertx, base + ".chunk." + index,
            new DeliveryOptions()).onSuccess(senders::add));
      }
      return chain.onSuccess(x -> context.runOnContext(v -> pump()));
    }

    private void pump() {
      if (pumping || finishing) {
        return;
      }
      pumping = true;
      try {
        while (!scanDone && !blocked && job.window().size() < IndexWindow.CAPACITY) {
          Item it = job.scanner().next();
          if (it == null) {
            scanDone = true;
            break;
          }
          if (!it.isFile()) {
            job.window().completed(it, job.scanner().storeEntry(it));
            continue;
          }
          CreditFlow.Sender<Messages.FileTask> s = pick();
          inFlight++;
          Future<Void> sent = s.send(new Messages.FileTask(it));
          if (!sent.isComplete()) {
            blocked = true;
            sent.onComplete(x -> {
              blocked = false;
              pump();
            });
          }
        }
      } catch (RuntimeException e) {
        result.tryFail(e);
        return;
      } finally {
        pumping = false;
      }
      if (scanDone && inFlight == 0) {
        finish();
      }
    }

    /** A chunker with a credit, round robin; any when none has one (the send then waits). */
    private CreditFlow.Sender<Messages.FileTask> pick() {
      for (int i = 0; i < senders.size(); i++) {
        CreditFlow.Sender<Messages.FileTask> s = senders.get((next + i) % senders.size());
        if (s.credits() > 0) {
          next = (next + i + 1) % senders.size();
          return s;
        }
      }
      return senders.get(next++ % senders.size());
    }

    private void finish() {
      finishing = true;
      vertx.eventBus().request(base + ".finish", null, new DeliveryOptions().setSendTimeout(Long.MAX_VALUE / 2))
          .onComplete(ar -> {
            try {
              result.tryComplete(job.committer().commit());
            } catch (RuntimeException e) {
              result.tryFail(e);
            }
          });
    }
  }

  // ----------------------------------------------------------------------------------------- chunk

  /** Reads, chunks, hashes, dedupes and compresses files one at a time; sends new chunks to the sealer. */
  static final class ChunkStage extends VerticleBase {
    private final BackupJob job;
    private final String base;
    private final int index;
    private final HeldBytes held;
    private CreditFlow.Sender<Messages.Blob> sender;
    private byte[] buffer;

    ChunkStage(BackupJob job, String base, int index, HeldBytes held) {
      this.job = job;
      this.base = base;
      this.index = index;
      this.held = held;
    }

    @Override
    public Future<?> start() {
      buffer = new byte[FileChunker.bufferSize(job)];
      return CreditFlow.Sender.<Messages.Blob>create(vertx, base + ".seal." + index, new DeliveryOptions())
          .compose(s -> {
            sender = s;
            return CreditFlow.<Messages.FileTask>receive(vertx, base + ".chunk." + index, CHUNK_WINDOW,
                this::chunk);
          });
    }

    /** One file, read to its end (the flow hands the next one once this future completes). */
    private Future<Void> chunk(Messages.FileTask task) {
      Promise<Void> done = Promise.promise();
      Item item = task.item();
      pump(new FileChunker(job, item, buffer), item, done);
      return done.future();
    }

    private void pump(FileChunker read, Item item, Promise<Void> done) {
      while (true) {
        NewBlob b = read.next();
        if (b == null) {
          vertx.eventBus().send(base + ".done", new Messages.FileDone(item, read.finish()));
          done.complete();
          return;
        }
        held.blobs(b.body().length);
        Future<Void> sent = sender.send(new Messages.Blob(b));
        if (!sent.isComplete()) {
          sent.onComplete(x -> pump(read, item, done));
          return;
        }
      }
    }
  }

  // ------------------------------------------------------------------------------------------ seal

  /** Seals blobs into blocks and fans each block out to every live destination's uploader. */
  static final class SealStage extends VerticleBase {
    private final BackupJob job;
    private final String base;
    private final int chunkers;
    private final HeldBytes held;
    private final Map<Integer, CreditFlow.Sender<Messages.Block>> uploaders = new HashMap<>();
    private final List<CreditFlow.Receiver<Messages.Blob>> receivers = new ArrayList<>();
    private final Map<String, int[]> pending = new HashMap<>();
    private final Map<String, byte[]> buffers = new HashMap<>();
    private final Map<String, Integer> lengths = new HashMap<>();
    private final List<Promise<Void>> drainWaiters = new ArrayList<>();
    private final List<Promise<Void>> idleWaiters = new ArrayList<>();
    private int waitingSends;
    private volatile Thread packing;

    SealStage(BackupJob job, String base, int chunkers, HeldBytes held) {
      this.job = job;
      this.base = base;
      this.chunkers = chunkers;
      this.held = held;
    }

    @Override
    public Future<?> start() {
      Context ctx = context;
      job.packer().shipTo(f -> {
        if (Thread.currentThread() == packing || Vertx.currentContext() == ctx) {
          fanOut(f); // at once, so the blob's handler sees the block waiting for credits (drained)
        } else {
          ctx.runOnContext(v -> fanOut(f)); // a FILE record batch filled a block on a chunker's thread
        }
      });
      MessageConsumer<Messages.Written> results = vertx.eventBus().consumer(base + ".written",
          m -> written(m.body()));
      LiveFlows.trackBytes(vertx, base, results, held::now);
      Future<?> chain = results.completion();
      for (int i = 0; i < job.repositories().size(); i++) {
        if (job.destinationOk(i)) {
          int dest = i;
          chain = chain.compose(x -> CreditFlow.Sender.<Messages.Block>create(vertx, base + ".upload." + dest,
              new DeliveryOptions()).onSuccess(s -> uploaders.put(dest, s)));
        }
      }
      for (int k = 0; k < chunkers; k++) {
        int index = k;
        chain = chain.compose(x -> CreditFlow.<Messages.Blob>receive(vertx, base + ".seal." + index, SEAL_WINDOW,
            this::seal).onSuccess(receivers::add));
      }
      return chain.compose(x -> vertx.eventBus().consumer(base + ".finish", m -> {
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
        held.blobs(-b.blob().body().length);
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
      held.blocks(f.length());
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
        held.blocks(-lengths.remove(w.path()));
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
}
