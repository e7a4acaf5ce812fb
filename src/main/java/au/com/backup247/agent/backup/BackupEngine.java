package au.com.backup247.agent.backup;

import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.index.FileVersion;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One backup job to one or more repositories that share their keys and parameters, driven with
 * plain threads (the offline CLI; the agent drives the same {@link BackupJob} stages as verticles):
 * the caller's thread scans, a bounded pool reads, chunks, hashes, compresses and seals each file
 * once, and each finished block goes to every destination through its own bounded queue and upload
 * thread, so a slow destination holds the others back only as far as that queue allows, and a
 * failing destination fails alone.
 *
 * <p>The walk visits paths in {@code PathOrder} order and merges them with each destination's
 * previous state, streamed from its index (checkpoint + later segments): unchanged files (size,
 * mtime, ctime, inode) are carried forward without being read, paths the walk passes by have
 * ended, and new versions go, in walk order, into the index segment written part by part. Memory
 * is bounded by the window of entries in flight, the block buffers, one index part per stream and
 * the set of chunk ids — not by the number of files. Per destination the write order is blocks →
 * index segment (→ checkpoint) → manifest (FORMAT.md §6).
 */
public final class BackupEngine {
  /** Deduplication scope (guide ch. 9.5): all files of the set, the same path only, or off. */
  public enum DedupScope { ALL, SAME_PATH, OFF }

  /** What to back up and how. */
  public record Options(List<Path> sources, boolean followLinks, int threads, Clock clock, List<Filter> filters,
      DedupScope dedup) {
    public Options(List<Path> sources, boolean followLinks, int threads, Clock clock) {
      this(sources, followLinks, threads, clock, List.of(), DedupScope.ALL);
    }

    public static Options of(List<Path> sources) {
      return new Options(sources, false, Math.max(1, Runtime.getRuntime().availableProcessors()), Clock.systemUTC());
    }
  }

  /** The outcome at one destination. */
  public record Result(String destination, String jobId, boolean ok, String error, JobStats stats) {
  }

  private final BackupJob job;
  private final Options options;
  private final JobLog log;

  public BackupEngine(List<Repository> repos, Options options, JobLog log) {
    this.job = new BackupJob(repos, options, log);
    this.options = options;
    this.log = log;
  }

  /** Runs the job; never throws for a destination's failure — see each {@link Result}. */
  public List<Result> run() throws InterruptedException {
    if (!job.prepare()) {
      return job.release();
    }
    List<DestinationJob> live = job.live();
    job.shipTo(f -> {
      List<DestinationJob> targets = live.stream().filter(d -> d.error == null).toList();
      Shipment sh = new Shipment(job.blockPath(f), f.bytes(), f.length(), targets.size(), job::recycle);
      if (targets.isEmpty()) {
        job.recycle(f.bytes());
      }
      for (DestinationJob d : targets) {
        d.offer(sh);
      }
    });
    for (DestinationJob d : live) {
      d.start();
    }
    long t1 = System.nanoTime();
    int threads = options.threads();
    BlockingQueue<Runnable> work = new ArrayBlockingQueue<>(threads * 4);
    ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, work, r -> {
      Thread t = new Thread(r, "b247-backup-worker");
      t.setDaemon(true);
      return t;
    }, new ThreadPoolExecutor.CallerRunsPolicy());
    ThreadLocal<byte[]> buffers = ThreadLocal.withInitial(() -> new byte[job.readBufferSize()]);
    try {
      for (BackupJob.Item it = job.scan(); it != null; it = job.scan()) {
        BackupJob.Item item = it;
        if (item.isFile()) {
          pool.execute(() -> {
            BackupJob.FileRead r = job.new FileRead(item, buffers.get());
            FileVersion v = null;
            try {
              for (BackupJob.NewBlob b = r.next(); b != null; b = r.next()) {
                job.pack(b);
              }
              v = r.finish();
            } catch (RuntimeException e) {
              r.close();
              job.failAll("sealing a block failed: " + e); // every destination needs that block
            } finally {
              job.completed(item, v);
            }
          });
        } else {
          job.completed(item, job.storeEntry(item));
        }
        job.awaitWindowRoom();
      }
    } finally {
      pool.shutdown();
      pool.awaitTermination(365, TimeUnit.DAYS);
    }
    job.finishPacking();
    for (DestinationJob d : live) {
      d.finishUploads();
    }
    log.info("files scanned and stored in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t1) + " ms");
    return job.commit();
  }

  public JobStats stats() {
    return job.stats();
  }

  public String jobId() {
    return job.jobId();
  }

  /** A finished block on its way to the destinations; its buffer is recycled after the last one. */
  static final class Shipment {
    private final String path;
    private final byte[] bytes;
    private final int length;
    private final AtomicInteger pending;
    private final Consumer<byte[]> recycle;

    Shipment(String path, byte[] bytes, int length, int destinations, Consumer<byte[]> recycle) {
      this.path = path;
      this.bytes = bytes;
      this.length = length;
      this.pending = new AtomicInteger(destinations);
      this.recycle = recycle;
    }

    String path() {
      return path;
    }

    byte[] bytes() {
      return bytes;
    }

    int length() {
      return length;
    }

    /** One destination is done with it (written or failed). */
    void done() {
      if (pending.decrementAndGet() == 0) {
        recycle.accept(bytes);
      }
    }
  }

  static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "localhost";
    }
  }
}
