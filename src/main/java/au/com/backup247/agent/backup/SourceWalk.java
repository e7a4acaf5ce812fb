package au.com.backup247.agent.backup;

import java.nio.file.Path;
import java.util.List;

/**
 * A job's walk of its sources ({@link ScanPrefetch} over {@link TreeScan}), which a caller may start
 * before the job's repositories are open: opening them (stretching the key, connecting, reading
 * the configuration) takes a few tenths of a second, and on a re-run with few changes the walk is
 * most of the work. The walk runs at most {@link ScanPrefetch#AHEAD} entries ahead of the job, and
 * counts what it finds into the job's {@link JobStats}. {@link BackupJob#create(List, SourceWalk)}
 * hands it to its job, which starts it when it prepares, if it has not started yet, and stops it
 * when it ends; a walk whose job is never created must be closed.
 */
public final class SourceWalk implements AutoCloseable {
  private final BackupOptions options;
  private final JobLog log;
  private final JobStats stats = new JobStats();
  private ScanPrefetch prefetch;
  private boolean closed;

  private SourceWalk(BackupOptions options, JobLog log) {
    this.options = options;
    this.log = log;
  }

  /** A walk its job starts when it prepares. */
  static SourceWalk later(BackupOptions options, JobLog log) {
    return new SourceWalk(options, log);
  }

  /**
   * A walk started now, for a job with these options and this log. When no source exists it does
   * not start: the job then fails when it prepares, naming the missing sources, as it would have.
   */
  public static SourceWalk start(BackupOptions options, JobLog log) {
    SourceWalk w = new SourceWalk(options, log);
    List<Path> sources = TreeScan.orderedSources(options.sources());
    if (TreeScan.missing(sources).size() < sources.size()) {
      w.started();
    }
    return w;
  }

  BackupOptions options() {
    return options;
  }

  JobLog log() {
    return log;
  }

  JobStats stats() {
    return stats;
  }

  /** The walk, started now unless it already runs. */
  synchronized ScanPrefetch started() {
    if (closed) {
      throw new IllegalStateException("the walk was closed");
    }
    if (prefetch == null) {
      prefetch = new ScanPrefetch(new TreeScan(options, log, stats), stats);
    }
    return prefetch;
  }

  /** Stops the walk (its thread ends at its next entry); idempotent. */
  @Override
  public synchronized void close() {
    closed = true;
    if (prefetch != null) {
      prefetch.close();
    }
  }
}
