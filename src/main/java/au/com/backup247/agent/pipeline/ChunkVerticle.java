package au.com.backup247.agent.pipeline;

import au.com.backup247.agent.backup.BackupJob;
import au.com.backup247.agent.backup.FileChunker;
import au.com.backup247.agent.backup.Item;
import au.com.backup247.agent.backup.NewBlob;
import au.com.backup247.agent.bus.CreditFlow;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;

/**
 * One chunk stage of a run (config {@code run}, {@code index}, {@code window}): adapts
 * {@code backup.FileChunker} to the bus. Receives files on {@code chunk.<index>} (at most
 * {@code window} queued, handed one at a time), finds each in its job's index window by run id and
 * number, reads it with its own read buffer, sends each new chunk to the sealer on
 * {@code seal.<index>} and the file's version back to the scan stage; when the file's FILE record
 * filled a batch, the batch goes to the sealer the same way (so it waits for credits like a chunk).
 */
public final class ChunkVerticle extends VerticleBase {
  private Runs.Run run;
  private BackupJob job;
  private CreditFlow.Sender<Messages.Blob> sender;
  private byte[] buffer;

  @Override
  public Future<?> start() {
    run = Runs.of(vertx, config().getString("run"));
    job = run.job();
    int index = config().getInteger("index");
    buffer = new byte[FileChunker.bufferSize(job)];
    return CreditFlow.Sender.<Messages.Blob>create(vertx, run.address("seal." + index), new DeliveryOptions())
        .compose(s -> {
          sender = s;
          return CreditFlow.<Messages.FileTask>receive(vertx, run.address("chunk." + index),
              config().getInteger("window"), this::chunk);
        });
  }

  /** One file, read to its end (the flow hands the next one once this future completes). */
  private Future<Void> chunk(Messages.FileTask task) {
    Promise<Void> done = Promise.promise();
    BackupJob of = Runs.of(vertx, task.run()).job();
    Item item = of.window().item(task.seq());
    pump(new FileChunker(of, item, buffer), item, done);
    return done.future();
  }

  private void pump(FileChunker read, Item item, Promise<Void> done) {
    while (true) {
      NewBlob b = read.next();
      if (b == null) {
        vertx.eventBus().send(run.address("done"), new Messages.FileDone(run.id(), item.seq(), read.finish()));
        NewBlob records = job.packer().takeRecords(); // the file's FILE record may have filled a batch
        if (records == null) {
          done.complete();
        } else {
          run.held().blobs(records.body().length);
          sender.send(new Messages.Blob(records)).onComplete(x -> done.complete());
        }
        return;
      }
      run.held().blobs(b.body().length);
      Future<Void> sent = sender.send(new Messages.Blob(b));
      if (!sent.isComplete()) {
        sent.onComplete(x -> pump(read, item, done));
        return;
      }
    }
  }
}
