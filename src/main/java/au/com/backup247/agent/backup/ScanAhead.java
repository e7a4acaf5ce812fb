package au.com.backup247.agent.backup;

import java.util.ArrayList;
import java.util.List;

/**
 * A walk started before its job: the offline CLI starts it as soon as the command line is read, so
 * the sources are walked while the key is stretched, the repositories opened and Vert.x started (on
 * a re-run of an unchanged tree the walk is most of the work). A job created with it
 * ({@link BackupJob#create(List, JobLog, ScanAhead)}) takes the walk over when its scan starts, and
 * with it the counters the walk keeps ({@link #stats}).
 *
 * <p>What the walk logs before that is held back and passed to the job's log when the job takes
 * the walk over, in order and with its times. A command that fails before any job starts (a wrong
 * key, a missing key file, a repository that cannot be read) reports that failure alone, as it did
 * when the walk started only with the job: nothing of the walk is printed, nothing is written
 * anywhere. {@link #close} stops a walk no job took over; a job that took it over stops it itself.
 * When no source exists nothing is walked ahead: the job finds that out and fails as before.
 */
public final class ScanAhead implements AutoCloseable {
  private final BackupOptions options;
  private final JobStats stats = new JobStats();
  private final List<JobLog.Line> held = new ArrayList<>();
  /** The walk, or null when no source exists. */
  private final ScanPrefetch walk;
  /** The log of the job that took the walk over; null before. Guarded by this. */
  private JobLog target;
  /** Whether a job was created with this walk (it then owns the counters). */
  private boolean claimed;
  /** Whether the walk was taken over or stopped. */
  private boolean ended;

  private ScanAhead(BackupOptions options) {
    this.options = options;
    List<java.nio.file.Path> sources = TreeScan.orderedSources(options.sources());
    boolean any = TreeScan.missing(sources).size() < sources.size();
    this.walk = any ? new ScanPrefetch(new TreeScan(options, JobLog.relay(options.clock(), this::relay), stats), stats)
        : null;
  }

  /** Starts walking the sources of {@code options} at once, in the background. */
  public static ScanAhead start(BackupOptions options) {
    return new ScanAhead(options);
  }

  /** What to back up and how: the options of the job that takes the walk over. */
  BackupOptions options() {
    return options;
  }

  /** The counters of the job created with this walk; one job only. */
  synchronized JobStats claim() {
    if (claimed) {
      throw new IllegalStateException("this walk already belongs to a job");
    }
    claimed = true;
    return stats;
  }

  /**
   * Hands the walk to a job that logs to {@code log}: the lines held back go there first, the
   * walk's next ones directly. Null when nothing was walked ahead (the job walks itself) or the
   * walk was stopped.
   */
  synchronized ScanPrefetch take(JobLog log) {
    if (ended || walk == null) {
      return null;
    }
    ended = true;
    target = log;
    for (JobLog.Line l : held) {
      log.pass(l);
    }
    held.clear();
    return walk;
  }

  private synchronized void relay(JobLog.Line line) {
    if (target != null) {
      target.pass(line);
    } else if (!ended) {
      held.add(line);
    }
  }

  /** Stops the walk unless a job took it over; what it held back is dropped. Idempotent. */
  @Override
  public synchronized void close() {
    if (!ended && walk != null) {
      walk.close();
    }
    ended = true;
    held.clear();
  }
}
