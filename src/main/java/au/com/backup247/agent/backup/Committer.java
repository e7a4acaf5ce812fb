package au.com.backup247.agent.backup;

import au.com.backup247.agent.repo.HostName;
import au.com.backup247.agent.repo.Manifest;
import au.com.backup247.agent.repo.Props;
import java.util.ArrayList;
import java.util.List;

/**
 * The commit stage: once every block is written, commits each destination that is still fine (ends
 * the paths the walk did not reach, finishes its index segment and checkpoint, writes its job
 * manifest: FORMAT.md's order blocks → index → manifest), all destinations at once, then releases
 * every lock. A cancelled job commits nothing. Owns nothing but the manifest it builds; call from
 * one thread, once.
 */
public final class Committer {
  private final BackupJob job;

  Committer(BackupJob job) {
    this.job = job;
  }

  /** Commits every destination still in the job, then releases the locks; returns each destination's result. */
  public List<BackupResult> commit() {
    if (job.window().size() != 0) {
      throw new IllegalStateException("entries left in the window at commit");
    }
    if (job.cancelled()) {
      for (DestinationJob d : job.destinations()) {
        if (d.error == null) {
          d.error = "cancelled";
        }
      }
      job.log().info("job " + job.jobId()
          + " cancelled: nothing committed; blocks already written are reused by the next job");
      return release();
    }
    Props manifest = manifest();
    List<DestinationJob> live = job.destinations().stream().filter(d -> d.error == null).toList();
    Concurrently.forEach("commit", live, DestinationJob::endUnreached);
    if (!live.isEmpty() && live.get(0).error == null) { // the first destination counts the deleted files
      job.stats().filesDeleted.set(live.get(0).endedCount());
    }
    Concurrently.forEach("commit", live, d -> d.commit(job.jobId(), manifest, job.startedNanos(), job.stats()));
    return release();
  }

  private Props manifest() {
    JobStats stats = job.stats();
    JobLog log = job.log();
    return new Props().put("jobId", job.jobId()).put("started", job.started().toString())
        .put("host", HostName.local())
        .put("sources", String.join(Manifest.SOURCES_SEPARATOR, job.options().sources().stream()
            .map(p -> p.toAbsolutePath().normalize().toString()).toList()))
        .put("blocks", stats.blocks.get()).put("files.new", stats.filesNew.get())
        .put("files.changed", stats.filesChanged.get()).put("files.unchanged", stats.filesUnchanged.get())
        .put("bytes.read", stats.bytesRead.get()).put("bytes.new", stats.bytesNew.get())
        .put("bytes.stored", stats.bytesStored.get()).put("warnings", log.warnings()).put("errors", log.errors());
  }

  /** Releases every lock (and stops the walk); returns each destination's result. */
  public List<BackupResult> release() {
    job.scanner().close();
    Concurrently.forEach("release", job.destinations(), DestinationJob::release);
    return results();
  }

  /** Each destination's result as it stands. */
  public List<BackupResult> results() {
    List<BackupResult> out = new ArrayList<>();
    for (DestinationJob d : job.destinations()) {
      out.add(new BackupResult(d.name(), job.jobId(), d.error == null, d.error, job.stats()));
    }
    return out;
  }
}
