package au.com.backup247.agent.restore;

import au.com.backup247.agent.repo.History;
import au.com.backup247.agent.repo.index.BlobLocation;
import au.com.backup247.agent.repo.index.ChunkId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Decodes the blobs of one large file {@code threads} at a time on a shared pool of decoders and
 * writes them in file order as they come (Reactor's {@code flatMapSequential}), so one large file
 * does not leave the other cores idle. What is decoded but not written yet stays under
 * {@link #WINDOW_BYTES} per file (one blob when a blob is larger).
 *
 * <p>The pool is made at the first such file (most restores never need it) and ends with {@link
 * #shutdown()}. Its threads run no task that a cancel could interrupt ({@code Schedulers.fromExecutor}):
 * an interrupt would close the channel a store reads through.
 */
final class ParallelDecoder {
  /** Decoded but not yet written plaintext of one file decoded in parallel, at most (one blob when larger). */
  static final long WINDOW_BYTES = 16L << 20;

  private final int threads;
  private final RepeatedChunks chunks;
  private final RestoreProgress progress;
  private ExecutorService pool;
  private Scheduler decoders;
  /** Files decoded in parallel (for tests). */
  private final AtomicInteger files = new AtomicInteger();
  /** Most bytes decoded and not yet written seen in one file (for tests). */
  private final AtomicLong peakHeld = new AtomicLong();

  /** A blob decoded ahead of its turn: its plaintext, or why there is none. */
  private record Decoded(ByteBuffer data, RuntimeException error) {
  }

  ParallelDecoder(int threads, RepeatedChunks chunks, RestoreProgress progress) {
    this.threads = threads;
    this.chunks = chunks;
    this.progress = progress;
  }

  /**
   * Decodes the blobs {@code ids} (located in {@code h}), {@code threads} at a time (fewer when the
   * largest blob times that would pass {@link #WINDOW_BYTES}), and writes them to {@code sink} in
   * file order as each next one is ready: {@code flatMapSequential} keeps at most that many blobs in
   * flight or waiting, and asks for the next one only after the earliest was written. A blob that
   * fails to decode is reported when its turn to be written comes (so the error is that of the first
   * bad blob of the file, and no decode error is ever dropped); a cancel stops the decodes not
   * started yet.
   */
  void write(List<ChunkId> ids, History h, FileSink sink) throws IOException {
    List<BlobLocation> locs = new ArrayList<>(ids.size());
    long largest = 1;
    for (ChunkId id : ids) {
      BlobLocation loc = FileRestorer.locate(h, id);
      locs.add(loc);
      largest = Math.max(largest, loc.rawLength());
    }
    int window = (int) Math.max(1, Math.min(threads, WINDOW_BYTES / largest));
    AtomicLong held = new AtomicLong();
    Scheduler on = decoders();
    files.incrementAndGet();
    try {
      Flux.range(0, ids.size())
          .flatMapSequential(i -> Mono.fromCallable(() -> decode(ids.get(i), locs.get(i), held))
              .subscribeOn(on), window, 1)
          .doOnNext(blob -> {
            if (blob.error() != null) {
              throw blob.error();
            }
            if (progress.cancelled()) {
              throw new FileRestorer.Cancelled();
            }
            try {
              sink.write(blob.data());
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
            held.addAndGet(-blob.data().remaining());
          })
          .blockLast();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private Decoded decode(ChunkId id, BlobLocation loc, AtomicLong held) {
    if (progress.cancelled()) {
      return new Decoded(null, new FileRestorer.Cancelled());
    }
    try {
      ByteBuffer data = chunks.read(id, loc, null); // an array of its own: it waits for its turn to be written
      long now = held.addAndGet(data.remaining());
      peakHeld.accumulateAndGet(now, Math::max);
      return new Decoded(data, null);
    } catch (RuntimeException e) {
      return new Decoded(null, e);
    }
  }

  private synchronized Scheduler decoders() {
    if (decoders == null) {
      pool = Executors.newFixedThreadPool(threads, r -> {
        Thread t = new Thread(r, "b247-decode");
        t.setDaemon(true);
        return t;
      });
      decoders = Schedulers.fromExecutor(pool);
    }
    return decoders;
  }

  /** Files decoded in parallel so far. */
  int files() {
    return files.get();
  }

  /** The most plaintext of one file that waited to be written (see {@link #WINDOW_BYTES}). */
  long peakHeld() {
    return peakHeld.get();
  }

  /** Ends the pool, if one was made, once its decodes are done. */
  void shutdown() throws InterruptedException {
    ExecutorService decoding;
    synchronized (this) {
      decoding = pool;
      pool = null;
      if (decoding != null) {
        decoders.dispose();
        decoders = null;
      }
    }
    if (decoding != null) {
      decoding.shutdown();
      decoding.awaitTermination(1, TimeUnit.HOURS);
    }
  }
}
