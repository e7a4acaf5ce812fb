package au.com.backup247.agent.backup;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@link TreeScan} on its own thread, up to {@link #AHEAD} entries ahead of the job, so
 * the walk's metadata reads overlap with locking and reading each destination's index (on a
 * no-change re-run the walk is most of the work). Bounded: memory holds at most {@link #AHEAD}
 * entries. It counts what the walk finds into the job's {@link JobStats} (the totals of its progress).
 */
final class ScanPrefetch implements AutoCloseable {
  static final int AHEAD = 16384;
  /** Entries handed over at once (one queue operation per batch, not per entry). */
  static final int BATCH = 256;
  private static final Object END = new Object();

  private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(AHEAD / BATCH);
  private java.util.Iterator<SourceEntry> batch = java.util.Collections.emptyIterator();
  private final Thread thread;
  private volatile boolean closed;
  private boolean ended;

  ScanPrefetch(TreeScan scan, JobStats stats) {
    thread = new Thread(() -> {
      try {
        java.util.List<SourceEntry> b = new java.util.ArrayList<>(BATCH);
        for (SourceEntry e = scan.next(); e != null && !closed; e = scan.next()) {
          b.add(e);
          if (b.size() == BATCH) {
            put(counted(b, stats));
            b = new java.util.ArrayList<>(BATCH);
          }
        }
        if (!b.isEmpty()) {
          put(counted(b, stats));
        }
        stats.walkEnded();
      } catch (RuntimeException ex) {
        put(ex);
      }
      put(END);
    }, "b247-scan");
    thread.setDaemon(true);
    thread.start();
  }

  /** Adds a batch to the walk's totals (once per batch, not per entry). */
  private static java.util.List<SourceEntry> counted(java.util.List<SourceEntry> batch, JobStats stats) {
    long bytes = 0;
    for (SourceEntry e : batch) {
      bytes += e.size();
    }
    stats.entriesFound.addAndGet(batch.size());
    stats.bytesFound.addAndGet(bytes);
    return batch;
  }

  private void put(Object o) {
    try {
      while (!closed && !queue.offer(o, 100, TimeUnit.MILLISECONDS)) {
        // the job is busy: wait for room
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The next entry in path order, or null when the walk is over. */
  @SuppressWarnings("unchecked")
  SourceEntry next() {
    if (batch.hasNext()) {
      return batch.next();
    }
    if (ended) {
      return null;
    }
    Object o;
    try {
      o = queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while scanning", e);
    }
    if (o == END) {
      ended = true;
      return null;
    }
    if (o instanceof RuntimeException ex) {
      ended = true;
      throw ex;
    }
    batch = ((java.util.List<SourceEntry>) o).iterator();
    return batch.next();
  }

  @Override
  public void close() {
    closed = true;
    queue.clear();
  }
}
