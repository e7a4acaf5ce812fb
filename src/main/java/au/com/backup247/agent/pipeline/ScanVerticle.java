package au.com.backup247.agent.pipeline;

import au.com.backup247.agent.backup.BackupJob;
import au.com.backup247.agent.backup.IndexWindow;
import au.com.backup247.agent.backup.Item;
import au.com.backup247.agent.bus.CreditFlow;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * The scan stage of one run (config {@code run}, {@code chunkers}, {@code batchFiles},
 * {@code batchBytes}): adapts {@code backup.ScanMerge}, {@code backup.IndexWindow} and
 * {@code backup.Committer} to the bus. Walks, hands files to the chunkers (round robin, by credit)
 * while the index window has room, in batches of up to {@code batchFiles} files that together hold
 * up to about {@code batchBytes} (a larger file goes alone), so thousands of small files do not
 * cost a message, a credit and a thread hand-off each; stores folders and symlinks
 * itself, writes each finished entry to the index in walk order, and once the walk is over and every
 * file is back, asks the sealer to finish and commits; completes the run's result.
 */
public final class ScanVerticle extends VerticleBase {
  /** Files in a batch at most, unless the stage's config says otherwise (a plan written before batches). */
  static final int BATCH_FILES = 256;
  /** The size a batch of files stops growing at, unless the stage's config says otherwise. */
  static final int BATCH_BYTES = 1 << 20;
  private Runs.Run run;
  private BackupJob job;
  private final List<CreditFlow.Sender<Messages.FileBatch>> senders = new ArrayList<>();
  private final List<Long> batch = new ArrayList<>();
  private long batchBytes;
  private int maxFiles;
  private long maxBytes;
  private int next;
  private int inFlight;
  private boolean pumping;
  private boolean blocked;
  private boolean scanDone;
  private boolean finishing;

  @Override
  public Future<?> start() {
    run = Runs.of(vertx, config().getString("run"));
    job = run.job();
    maxFiles = Math.max(1, config().getInteger("batchFiles", BATCH_FILES));
    maxBytes = config().getLong("batchBytes", (long) BATCH_BYTES);
    Future<?> chain = vertx.eventBus().<Messages.FilesDone>consumer(run.address("done"), m -> {
      inFlight--;
      for (Messages.Done d : m.body().files()) {
        job.window().completed(job.window().item(d.seq()), d.version());
      }
      pump();
    }).completion();
    for (int k = 0; k < config().getInteger("chunkers"); k++) {
      int index = k;
      chain = chain.compose(x -> CreditFlow.Sender.<Messages.FileBatch>create(vertx, run.address("chunk." + index),
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
        batch.add(it.seq());
        batchBytes += it.size();
        if (batch.size() >= maxFiles || batchBytes >= maxBytes) {
          send();
        }
      }
      if (!batch.isEmpty()) { // the walk is over, or the window full: what is batched must not wait
        send();
      }
    } catch (RuntimeException e) {
      run.result().tryFail(e);
      return;
    } finally {
      pumping = false;
    }
    if (scanDone && inFlight == 0) {
      finish();
    }
  }

  /** Sends the batch to a chunker; while the send waits for a credit, the walk waits too. */
  private void send() {
    inFlight++;
    Future<Void> sent = pick().send(new Messages.FileBatch(run.id(), batch));
    batch.clear();
    batchBytes = 0;
    if (!sent.isComplete()) {
      blocked = true;
      sent.onComplete(x -> {
        blocked = false;
        pump();
      });
    }
  }

  /** A chunker with a credit, round robin; any when none has one (the send then waits). */
  private CreditFlow.Sender<Messages.FileBatch> pick() {
    for (int i = 0; i < senders.size(); i++) {
      CreditFlow.Sender<Messages.FileBatch> s = senders.get((next + i) % senders.size());
      if (s.credits() > 0) {
        next = (next + i + 1) % senders.size();
        return s;
      }
    }
    return senders.get(next++ % senders.size());
  }

  private void finish() {
    finishing = true;
    vertx.eventBus().request(run.address("finish"), null, new DeliveryOptions().setSendTimeout(Long.MAX_VALUE / 2))
        .onComplete(ar -> {
          try {
            run.result().tryComplete(job.committer().commit());
          } catch (RuntimeException e) {
            run.result().tryFail(e);
          }
        });
  }
}
