package au.com.backup247.agent.jobs;

import au.com.backup247.agent.backup.BackupJob;
import au.com.backup247.agent.backup.JobStats;
import au.com.backup247.agent.sets.BackupSet;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The progress event of one backup ({@link Progress}, kind {@code "backup"}), built from the
 * counters of the batch running (or, once they all ran, the last one); a sequential set's
 * destinations run one batch each, so the counters start again for each.
 *
 * <pre>
 *  "phase": "preparing" | "backing up" | "finishing",
 *  "files"/"filesTotal", "bytes"/"bytesTotal": entries and bytes the job is through with / the walk's
 *      totals (null until it ends; "filesFound"/"bytesFound" say how far it got), counted as the
 *      report's filesNew + filesChanged + filesUnchanged (files, folders and symlinks);
 *  "bytesPerSecond": of "bytes" (the source read, unchanged files at once),
 *  "destinations": [{"id", "name", "status": "Waiting" | "In progress" | a report status,
 *                    "bytesUploaded", "bytesPerSecond", "stats": the report's statistics so far}]
 * </pre>
 *
 * The estimate adds to the reading left the time each running destination needs for what is sealed
 * but not yet written there, and the percentage counts both the reading and the writing (the bytes
 * to write estimated from what the bytes read so far gave), so a small backup to a slow destination
 * does not show 100% while its only block is still being sent.
 */
final class BackupProgress {
  /** One destination as the run sees it: its status label, its batch's job and its place in it, its statistics. */
  record Destination(long reportId, String name, String status, BackupJob job, int slot, JsonObject stats) {
  }

  private final BackupSet set;
  private final String runId;
  private final long startedAt;
  private final Progress.Speed read = new Progress.Speed();
  private final Progress.Speed[] upload;
  private int percent;
  private BackupJob percentOf;

  BackupProgress(BackupSet set, String runId, long startedAt, int destinations) {
    this.set = set;
    this.runId = runId;
    this.startedAt = startedAt;
    this.upload = new Progress.Speed[destinations];
    for (int i = 0; i < destinations; i++) {
      upload[i] = new Progress.Speed();
    }
  }

  JsonObject event(long now, String status, boolean done, String phase, BackupJob job, List<Destination> dests) {
    long tick = System.nanoTime() / 1_000_000; // rates on the monotonic clock, times on the agent's
    JsonObject e = Progress.head("backup", set, runId, startedAt, now, status, done).put("phase", phase);
    JobStats st = job == null ? null : job.stats();
    long bytes = st == null ? 0 : st.bytesDone.get();
    Long bytesTotal = st != null && st.walkDone() ? st.bytesFound.get() : null;
    long rate = read.add(tick, bytes);
    e.put("files", st == null ? 0 : st.entriesDone.get())
        .put("filesTotal", st != null && st.walkDone() ? st.entriesFound.get() : null)
        .put("filesFound", st == null ? 0 : st.entriesFound.get())
        .put("bytes", bytes).put("bytesTotal", bytesTotal).put("bytesFound", st == null ? 0 : st.bytesFound.get())
        .put("bytesPerSecond", rate).put("currentFile", job == null || done ? null : job.currentPath());
    JsonArray out = new JsonArray();
    Long backlogSeconds = 0L;
    long slowestUpload = Long.MAX_VALUE;
    for (int i = 0; i < dests.size(); i++) {
      Destination d = dests.get(i);
      long up = d.job() == null ? 0 : d.job().uploaded(d.slot());
      long upRate = upload[i].add(tick, up);
      out.add(new JsonObject().put("id", d.reportId()).put("name", d.name()).put("status", d.status())
          .put("bytesUploaded", up).put("bytesPerSecond", upRate).put("stats", d.stats()));
      if (d.job() == job && job != null && JobStatus.IN_PROGRESS.label().equals(d.status())) {
        long sealed = st.bytesStored.get();
        slowestUpload = Math.min(slowestUpload, up);
        Long s = Progress.seconds(sealed - up, upRate);
        backlogSeconds = s == null || backlogSeconds == null ? null : Math.max(backlogSeconds, s);
      }
    }
    e.put("destinations", out);
    if (done) {
      return e.put("etaSeconds", 0L).put("percent", 100);
    }
    if (bytesTotal == null || st == null || slowestUpload == Long.MAX_VALUE) {
      return e.put("etaSeconds", null).put("percent", null);
    }
    Long reading = Progress.seconds(bytesTotal - bytes, rate);
    e.put("etaSeconds", reading == null || backlogSeconds == null ? null : reading + backlogSeconds);
    long toStore = bytes <= 0 ? 0 : (long) ((double) st.bytesStored.get() * bytesTotal / bytes);
    Integer pct = Progress.percent(bytes + slowestUpload, bytesTotal + toStore);
    // never backwards: the bytes to write are estimated, and the estimate grows as the reading goes on
    // (per batch: a sequential set's next destination starts again from its own beginning)
    percent = job == percentOf ? Math.max(percent, pct) : pct;
    percentOf = job;
    return e.put("percent", percent);
  }
}
