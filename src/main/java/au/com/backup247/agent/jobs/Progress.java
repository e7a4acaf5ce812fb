package au.com.backup247.agent.jobs;

import au.com.backup247.agent.sets.BackupSet;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;

/**
 * What every long job's progress event has in common (backups {@code EVENT_JOB_PROGRESS}, restores
 * {@code EVENT_RESTORE_PROGRESS}, space freeing {@code EVENT_SPACE_FREEING_PROGRESS}), published every
 * {@value #EVERY_MS} ms while the job runs and once more with {@code "done": true}:
 *
 * <pre>
 * {"kind": "backup" | "restore" | "space-freeing", "setId", "setName", "ownerId", "runId",
 *  "status", "done", "phase", "startedAt", "elapsedMs",
 *  "files", "filesTotal" | null, "bytes", "bytesTotal" | null, "bytesPerSecond", "etaSeconds" | null,
 *  "percent" | null, "currentFile" | null,
 *  "destinations": [{"id": report id, "name", "status", ...}], ...}
 * </pre>
 *
 * Space freeing adds {@code "stage"} (repack, index, delete): {@code files} of {@code filesTotal} are
 * that stage's objects, {@code bytes} the bytes freed so far.
 * Totals, the estimate and the percentage are null until they are known (a backup's walk has not
 * ended yet). {@code ownerId} says who may see the event (null: the admins' set); the API uses it to
 * send each user only the events of their own sets.
 */
final class Progress {
  static final long EVERY_MS = 500;

  private Progress() {
  }

  /** The fields every event has. */
  static JsonObject head(String kind, BackupSet set, String runId, long startedAt, long now, String status,
      boolean done) {
    return new JsonObject().put("kind", kind).put("setId", set.id()).put("setName", set.settings().name())
        .put("ownerId", set.ownerId()).put("runId", runId).put("status", status).put("done", done)
        .put("startedAt", startedAt).put("elapsedMs", Math.max(0, now - startedAt));
  }

  /** Seconds to move {@code remaining} bytes at {@code perSecond}; null when there is no rate yet. */
  static Long seconds(long remaining, long perSecond) {
    if (remaining <= 0) {
      return 0L;
    }
    return perSecond <= 0 ? null : (remaining + perSecond - 1) / perSecond;
  }

  /** Whole percent of {@code done} in {@code total}, below 100 until the job is done; null without a total. */
  static Integer percent(long done, Long total) {
    if (total == null) {
      return null;
    }
    if (total <= 0) {
      return 99;
    }
    return (int) Math.min(99, Math.max(0, done * 100 / total));
  }

  /**
   * A rate over the last {@value #WINDOW_MS} ms, from a counter sampled at each event (a counter that
   * goes down, such as the next destination of a sequential backup starting at zero, starts over).
   */
  static final class Speed {
    static final long WINDOW_MS = 10_000;

    private record Sample(long ms, long value) {
    }

    private final ArrayDeque<Sample> samples = new ArrayDeque<>();
    private long perSecond;

    /** Adds a sample; returns the rate per second. */
    long add(long nowMs, long value) {
      Sample last = samples.peekLast();
      if (last != null && value < last.value()) {
        samples.clear();
      }
      samples.addLast(new Sample(nowMs, value));
      while (samples.size() > 2 && samples.peekFirst().ms() < nowMs - WINDOW_MS) {
        samples.removeFirst();
      }
      Sample first = samples.peekFirst();
      long ms = nowMs - first.ms();
      perSecond = ms <= 0 ? perSecond : (value - first.value()) * 1000 / ms;
      return perSecond;
    }

    long perSecond() {
      return perSecond;
    }
  }
}
