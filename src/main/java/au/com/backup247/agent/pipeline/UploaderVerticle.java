package au.com.backup247.agent.pipeline;

import au.com.backup247.agent.backup.BackupJob;
import au.com.backup247.agent.backup.CrashPoints;
import au.com.backup247.agent.bandwidth.ThrottledStore;
import au.com.backup247.agent.bus.CreditFlow;
import au.com.backup247.agent.repo.store.ForwardingStore;
import au.com.backup247.agent.repo.store.Store;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * The upload stage for one destination of a run (config {@code run}, {@code destination},
 * {@code window}; deploy as a worker): receives finished blocks on {@code upload.<destination>} with
 * credit-based backpressure (at most {@code window} blocks queued for it), writes each to the
 * destination's store and sends a {@link Messages.Written} to the sealer. A failure of this
 * destination never touches the others.
 *
 * <p>Cancel and progress: once {@code cancelled} is true, queued blocks are not written (they are
 * answered as not written, "cancelled"). A destination with an upload limit is paced as a stream
 * anyway ({@link ThrottledStore}), so it is handed a {@link Upload} stream that counts the bytes as
 * the store sends them and stops the write within one paced piece of a cancel, instead of after the
 * whole block (32 MiB at a few Mbit/s is minutes). Other destinations keep the byte-array put (S3
 * and Azure send its parts in parallel) and count a block when it is written.
 */
public final class UploaderVerticle extends VerticleBase {
  static final String CANCELLED = "cancelled";
  private Store store;
  private String address;
  private String resultsAddress;
  private int destination;
  private int window;
  private BooleanSupplier cancelled;
  private LongConsumer written;
  private boolean paced;

  /** The uploader of the run and destination in its config (deployed by {@link PipelineBackup}). */
  public UploaderVerticle() {
  }

  @Override
  public Future<?> start() {
    Messages.register(vertx);
    Runs.Run run = Runs.of(vertx, config().getString("run"));
    BackupJob job = run.job();
    destination = config().getInteger("destination");
    store = job.repositories().get(destination).store();
    address = run.address("upload." + destination);
    resultsAddress = run.address("written");
    window = config().getInteger("window");
    cancelled = job::cancelled;
    written = n -> job.addUploaded(destination, n);
    paced = uploadsPaced(store);
    return CreditFlow.<Messages.Block>receive(vertx, address, window, block -> {
      Messages.Written w;
      try {
        if (cancelled.getAsBoolean()) {
          w = new Messages.Written(block.path(), destination, false, CANCELLED);
        } else {
          put(block);
          w = new Messages.Written(block.path(), destination, true, null);
        }
      } catch (RuntimeException e) {
        w = new Messages.Written(block.path(), destination, false, cancelled.getAsBoolean() ? CANCELLED
            : String.valueOf(e.getMessage()));
      }
      vertx.eventBus().send(resultsAddress, w);
      return Future.succeededFuture();
    });
  }

  private void put(Messages.Block block) {
    CrashPoints.reach("before-block-write");
    putBlock(block);
    CrashPoints.reach("after-block-write");
  }

  private void putBlock(Messages.Block block) {
    if (!paced) {
      store.put(block.path(), block.bytes(), block.length());
      written.accept(block.length());
      return;
    }
    Upload up = new Upload(block.bytes(), block.length());
    boolean ok = false;
    try {
      store.put(block.path(), up, block.length());
      ok = true;
    } finally {
      written.accept(ok ? block.length() - up.counted : -up.counted); // a failed write counts for nothing
    }
  }

  /** Whether a {@link ThrottledStore} with an upload limit is in {@code store}'s chain of decorators. */
  static boolean uploadsPaced(Store store) {
    for (Store s = store; s instanceof ForwardingStore f; s = f.inner()) {
      if (f instanceof ThrottledStore t && t.upload() != null) {
        return true;
      }
    }
    return false;
  }

  /**
   * A block as the stream a paced store reads piece by piece: counts the pieces, and after a cancel
   * fails the next read and any rewind, so a retrying store gives up instead of sending it again
   * (stores treat a failing source as a failed write: nothing appears under the block's name).
   */
  private final class Upload extends InputStream {
    private final byte[] bytes;
    private final int length;
    private int pos;
    private long counted;

    Upload(byte[] bytes, int length) {
      this.bytes = bytes;
      this.length = length;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (cancelled.getAsBoolean()) {
        throw new InterruptedIOException("the backup was cancelled");
      }
      if (pos >= length) {
        return -1;
      }
      int n = Math.min(len, length - pos);
      System.arraycopy(bytes, pos, b, off, n);
      pos += n;
      counted += n;
      written.accept(n);
      return n;
    }

    @Override
    public int available() {
      return length - pos;
    }

    @Override
    public boolean markSupported() {
      return true;
    }

    @Override
    public void mark(int limit) {
      // the whole block is in memory: reset always goes back to its start
    }

    @Override
    public void reset() throws IOException {
      if (cancelled.getAsBoolean()) {
        throw new InterruptedIOException("the backup was cancelled");
      }
      written.accept(-counted);
      counted = 0;
      pos = 0;
    }
  }
}
