package au.com.backup247.agent.backup;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of one backup job (guide: files new/changed/unchanged/deleted, bytes read/new/stored). */
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

  @Override
  public String toString() {
    return String.format("files: %d new, %d changed, %d unchanged, %d deleted; bytes: %d read, %d new, %d stored; "
        + "%d blocks", filesNew.get(), filesChanged.get(), filesUnchanged.get(), filesDeleted.get(), bytesRead.get(),
        bytesNew.get(), bytesStored.get(), blocks.get());
  }
}
