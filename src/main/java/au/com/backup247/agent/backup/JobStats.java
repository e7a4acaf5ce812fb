package au.com.backup247.agent.backup;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of one backup job (guide: files new/changed/unchanged/deleted, bytes read/new/stored),
 * updated while the job runs, so they can be shown live; {@code bytesRead} grows as files are read.
 *
 * <p>The progress counters say how far the job is: {@code entriesFound}/{@code bytesFound} are what
 * the walk has found so far (final once {@link #walkDone()}), {@code entriesDone}/{@code bytesDone}
 * what the job is through with (unchanged entries at once, the others when they are stored or
 * skipped). Entries are files, folders and symlinks, as in {@code filesNew} and the others; bytes are
 * file sizes.
 */
public final class JobStats {
  public final AtomicLong filesNew = new AtomicLong();
  public final AtomicLong filesChanged = new AtomicLong();
  public final AtomicLong filesUnchanged = new AtomicLong();
  public final AtomicLong filesDeleted = new AtomicLong();
  public final AtomicLong bytesRead = new AtomicLong();
  public final AtomicLong bytesNew = new AtomicLong();
  public final AtomicLong bytesStored = new AtomicLong();
  public final AtomicLong blocks = new AtomicLong();
  /**
   * Errors about what was to be backed up (a source folder that does not exist, a file that failed):
   * a job with any is never "Completed" (warnings about single files are in the job log).
   */
  public final AtomicLong sourceErrors = new AtomicLong();
  public final AtomicLong entriesFound = new AtomicLong();
  public final AtomicLong bytesFound = new AtomicLong();
  public final AtomicLong entriesDone = new AtomicLong();
  public final AtomicLong bytesDone = new AtomicLong();
  private volatile boolean walkDone;

  /** Whether the walk has ended, so {@code entriesFound} and {@code bytesFound} are the totals. */
  public boolean walkDone() {
    return walkDone;
  }

  void walkEnded() {
    walkDone = true;
  }

  @Override
  public String toString() {
    return String.format("files: %d new, %d changed, %d unchanged, %d deleted; bytes: %d read, %d new, %d stored; "
        + "%d blocks", filesNew.get(), filesChanged.get(), filesUnchanged.get(), filesDeleted.get(), bytesRead.get(),
        bytesNew.get(), bytesStored.get(), blocks.get());
  }
}
