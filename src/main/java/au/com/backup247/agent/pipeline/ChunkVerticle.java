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
import java.util.ArrayList;
import java.util.List;

/**
 * One chunk stage of a run (config {@code run}, {@code index}, {@code window}, {@code batchBytes}):
 * adapts {@code backup.FileChunker} to the bus. Receives batches of files on {@code chunk.<index>}
 * (at most {@code window} queued, handed one at a time), finds each file in its job's index window by
 * run id and number, reads it with its own read buffer and gathers the new chunks, and the batches of
 * FILE records the files' records filled, into messages to the sealer on {@code seal.<index>}: one is
 * sent once it holds {@code batchBytes} of bodies or more (or the largest chunk, if smaller), so it
 * holds less than that plus one blob, and it waits for credits like a single chunk would. Once the
 * batch of files is read and its last message sent, the files' versions go back to the scan stage in
 * one message.
 */
public final class ChunkVerticle extends VerticleBase {
  private Runs.Run run;
  private CreditFlow.Sender<Messages.Blobs> sender;
  private byte[] buffer;
  private int limit;

  @Override
  public Future<?> start() {
    run = Runs.of(vertx, config().getString("run"));
    int index = config().getInteger("index");
    buffer = new byte[FileChunker.bufferSize(run.job())];
    limit = limit(config().getInteger("batchBytes", ScanVerticle.BATCH_BYTES), run.job());
    return CreditFlow.Sender.<Messages.Blobs>create(vertx, run.address("seal." + index), new DeliveryOptions())
        .compose(s -> {
          sender = s;
          return CreditFlow.<Messages.FileBatch>receive(vertx, run.address("chunk." + index),
              config().getInteger("window"), this::chunk);
        });
  }

  /** The bodies a message to the sealer gathers before it is sent: {@code batchBytes}, at most the largest chunk. */
  static int limit(int batchBytes, BackupJob job) {
    return Math.max(1, Math.min(batchBytes, FileChunker.maxChunk(job)));
  }

  /** One batch of files, read to its end (the flow hands the next one once this future completes). */
  private Future<Void> chunk(Messages.FileBatch task) {
    Promise<Void> done = Promise.promise();
    new Reading(Runs.of(vertx, task.run()).job(), task.seqs(), done).pump();
    return done.future();
  }

  /** The reading of one batch of files: the file being read and the blobs gathered for the sealer. */
  private final class Reading {
    private final BackupJob job;
    private final List<Long> seqs;
    private final Promise<Void> done;
    private final List<Messages.Done> read = new ArrayList<>();
    private List<NewBlob> blobs = new ArrayList<>();
    private long bytes;
    private int next;
    private FileChunker file;
    private Item item;

    Reading(BackupJob job, List<Long> seqs, Promise<Void> done) {
      this.job = job;
      this.seqs = seqs;
      this.done = done;
    }

    /** Reads on until the batch ends, or a message to the sealer waits for a credit (then again once sent). */
    void pump() {
      while (true) {
        if (file == null) {
          if (next == seqs.size()) {
            finish();
            return;
          }
          item = job.window().item(seqs.get(next++));
          file = new FileChunker(job, item, buffer);
        }
        NewBlob b = file.next();
        if (b == null) {
          read.add(new Messages.Done(item.seq(), file.finish()));
          file = null;
          b = job.packer().takeRecords(); // the file's FILE record may have filled a batch
          if (b == null) {
            continue;
          }
        }
        run.held().blobs(b.body().length);
        blobs.add(b);
        bytes += b.body().length;
        if (bytes >= limit) {
          Future<Void> sent = send();
          if (!sent.isComplete()) {
            sent.onComplete(x -> pump());
            return;
          }
        }
      }
    }

    private Future<Void> send() {
      Future<Void> sent = sender.send(new Messages.Blobs(blobs));
      blobs = new ArrayList<>();
      bytes = 0;
      return sent;
    }

    /** Sends what is gathered, then the files' versions (after their chunks, as the finish relies on). */
    private void finish() {
      Future<Void> sent = blobs.isEmpty() ? Future.succeededFuture() : send();
      sent.onComplete(x -> {
        vertx.eventBus().send(run.address("done"), new Messages.FilesDone(run.id(), read));
        done.complete();
      });
    }
  }
}
