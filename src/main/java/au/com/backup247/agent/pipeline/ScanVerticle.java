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
 * The scan stage of one run (config {@code run}, {@code chunkers}): adapts {@code backup.ScanMerge},
 * {@code backup.IndexWindow} and {@code backup.Committer} to the bus. Walks, hands files to the
 * chunkers (round robin, by credit) while the index window has room, stores folders and symlinks
 * itself, writes each finished entry to the index in walk order, and once the walk is over and every
 * file is back, asks the sealer to finish and commits; completes the run's result.
 */
public final class ScanVerticle extends VerticleBase {
  private Runs.Run run;
  private BackupJob job;
  private final List<CreditFlow.Sender<Messages.FileTask>> senders = new ArrayList<>();
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
    Future<?> chain = vertx.eventBus().<Messages.FileDone>consumer(run.address("done"), m -> {
      inFlight--;
      job.window().completed(job.window().item(m.body().seq()), m.body().version());
      pump();
    }).completion();
    for (int k = 0; k < config().getInteger("chunkers"); k++) {
      int index = k;
      chain = chain.compose(x -> CreditFlow.Sender.<Messages.FileTask>create(vertx, run.address("chunk." + index),
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
        Future<Void> sent = s.send(new Messages.FileTask(run.id(), it.seq()));
        if (!sent.isComplete()) {
          blocked = true;
          sent.onComplete(x -> {
            blocked = false;
            pump();
          });
        }
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
