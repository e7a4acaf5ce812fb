package au.com.backup247.agent.repo.store;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The put of the object stores (S3, Azure): before a store's first put it is prepared once (its
 * bucket or container created when missing); an object below a threshold goes up with one request,
 * a larger one in parts (S3 multipart uploads, Azure staged blocks): the object is cut
 * into parts of one size (the last one shorter), each sent by its own request, and the parts are
 * made visible at once by a commit listing them in order. Nothing is visible before the commit.
 *
 * <pre>
 *   part 0 │ part 1 │ … │ part n-1 (shorter)  ─ each sent once ─  commit(receipts of 0 … n-1)
 *   a part, the source or the commit fails:   no further part starts ─ the running ones end ─ abort
 * </pre>
 *
 * The parts of an object held in memory are sent up to {@code concurrency} at once (per store:
 * its uploads share one pool of that many threads), each straight from the array; the parts of a
 * stream are read into one buffer and sent one after the other, so a streamed put holds one part
 * in memory. A failing source is the transient error of {@link UploadSource.Failure}.
 */
public final class PartUpload implements AutoCloseable {
  /** One object's requests; {@link #part} may run on several threads at once. */
  public interface Parts<R> {
    /** Sends part {@code index} (from 0), the bytes {@code buf[off..off+n)}; returns what the commit needs. */
    R part(int index, byte[] buf, int off, int n);

    /** Makes the object visible: the receipts of every part, in order. */
    void commit(List<R> receipts);

    /** Called once after a failure instead of the commit, when no part runs any more. */
    void abort();
  }

  /** An object store's two ways of putting one object. */
  public interface Requests<R> {
    /** Puts the whole object, {@code data[0..length)}, with one request. */
    void whole(byte[] data, int length);

    /** Starts an upload in parts. */
    Parts<R> start();
  }

  /**
   * How an object store cuts its objects: below {@code threshold} bytes one request, else parts of
   * {@code partSize} ({@link #partSizeFor}: grown so that there are at most {@code maxParts} parts,
   * and at most {@code maxPart}).
   */
  public record Sizes(long threshold, long partSize, int maxParts, long maxPart) {
    /** The part size for an object of {@code length} bytes. */
    public long partSizeFor(long length) {
      return PartUpload.partSize(partSize, length, maxParts, maxPart);
    }
  }

  private final String threadName;
  private final int concurrency;
  private final Sizes sizes;
  private final Consumer<String> prepare;
  private final Object preparing = new Object();
  private volatile boolean prepared;
  private ExecutorService pool; // guarded by this; made by the first upload from memory

  /**
   * Objects cut by {@code sizes}; parts from memory go up {@code concurrency} at once, on threads
   * named {@code threadName-N}. Before the store's first put, {@code prepare} runs with the put's
   * path (an object store creates its bucket or container when it does not exist); once it has
   * returned normally it is not run again, and while it fails, each put runs it again.
   */
  public PartUpload(String threadName, int concurrency, Sizes sizes, Consumer<String> prepare) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1: " + concurrency);
    }
    this.threadName = threadName;
    this.concurrency = concurrency;
    this.sizes = sizes;
    this.prepare = prepare;
  }

  /**
   * The part size for an object of {@code length} bytes: {@code configured}, grown so that there
   * are at most {@code maxParts} parts, and at most {@code maxPart}.
   */
  public static long partSize(long configured, long length, int maxParts, long maxPart) {
    long min = (length + maxParts - 1) / maxParts;
    return Math.min(Math.max(configured, min), maxPart);
  }

  /** The sizes objects are cut by. */
  public Sizes sizes() {
    return sizes;
  }

  /**
   * Puts {@code data[0..length)} to {@code path} of {@code store}: checks the path and length
   * ({@link StorePaths#checkPut}), prepares the store before its first put, then sends the object
   * with one request below the threshold, else in parts.
   */
  public <R> void put(Store store, String path, byte[] data, int length, Requests<R> requests) {
    StorePaths.checkPut(store, path, length, data.length);
    prepare(path);
    if (length < sizes.threshold()) {
      requests.whole(data, length);
    } else {
      upload(store, path, data, length, sizes.partSizeFor(length), requests.start());
    }
  }

  /** Puts {@code length} bytes of {@code data}, as {@link #put(Store, String, byte[], int, Requests)}. */
  public <R> void put(Store store, String path, InputStream data, long length, Requests<R> requests) {
    StorePaths.checkPut(store, path, length, Long.MAX_VALUE);
    prepare(path);
    if (length < sizes.threshold()) {
      requests.whole(UploadSource.readExactly(store, path, data, (int) length), (int) length);
    } else {
      upload(store, path, new UploadSource(data, length), sizes.partSizeFor(length), requests.start());
    }
  }

  private void prepare(String path) {
    if (prepared) {
      return;
    }
    synchronized (preparing) {
      if (!prepared) {
        prepare.accept(path);
        prepared = true;
      }
    }
  }

  /** Uploads {@code data[0..length)} to {@code path} of {@code store}, its parts up to the concurrency at once. */
  public <R> void upload(Store store, String path, byte[] data, int length, long partSize, Parts<R> parts) {
    AtomicBoolean failed = new AtomicBoolean();
    List<Future<R>> running = new ArrayList<>();
    boolean done = false;
    try {
      int index = 0;
      for (long offset = 0; offset < length; offset += partSize, index++) {
        int i = index;
        int off = (int) offset;
        int n = (int) Math.min(partSize, length - offset);
        running.add(pool().submit(() -> {
          if (failed.get()) {
            return null;
          }
          try {
            return parts.part(i, data, off, n);
          } catch (RuntimeException e) {
            failed.set(true);
            throw e;
          }
        }));
      }
      List<R> receipts = new ArrayList<>();
      for (Future<R> f : running) {
        receipts.add(await(f, store, path));
      }
      parts.commit(receipts);
      done = true;
    } finally {
      if (!done) {
        failed.set(true);
        awaitQuietly(running);
        parts.abort();
      }
    }
  }

  /** Uploads {@code data} to {@code path} of {@code store}, one part after the other through one buffer. */
  public <R> void upload(Store store, String path, UploadSource data, long partSize, Parts<R> parts) {
    boolean done = false;
    try {
      byte[] buf = new byte[(int) Math.min(partSize, data.length())];
      List<R> receipts = new ArrayList<>();
      for (int index = 0; data.remaining() > 0; index++) {
        int n = (int) Math.min(partSize, data.remaining());
        data.read(buf, 0, n);
        receipts.add(parts.part(index, buf, 0, n));
      }
      parts.commit(receipts);
      done = true;
    } catch (UploadSource.Failure f) {
      throw f.error(path, store.name());
    } finally {
      if (!done) {
        parts.abort();
      }
    }
  }

  private static <R> R await(Future<R> f, Store store, String path) {
    try {
      return f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw StoreException.permanent("cannot put " + path + " on " + store.name() + ": " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw StoreException.permanent("cannot put " + path + " on " + store.name() + ": interrupted", e);
    }
  }

  /** Waits until none of {@code running} runs any more; their failures are reported already. */
  private static void awaitQuietly(List<? extends Future<?>> running) {
    for (Future<?> f : running) {
      try {
        f.get();
      } catch (ExecutionException | CancellationException ignored) {
        // its failure is reported already
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private synchronized ExecutorService pool() {
    if (pool == null) {
      AtomicInteger n = new AtomicInteger();
      pool = Executors.newFixedThreadPool(concurrency, r -> {
        Thread t = new Thread(r, threadName + "-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
    }
    return pool;
  }

  /** Stops the threads; no upload may be running. */
  @Override
  public synchronized void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
