package au.com.backup247.agent.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * Counters of the jobs, fed by their progress events (every long job publishes one twice a second
 * and a last one with {@code "done": true}; see {@code jobs.Progress}):
 *
 * <pre>
 *  b247_jobs_total{kind, status}                      ended jobs: one per destination report
 *                                                      (backup, restore, space-freeing; the report's status)
 *  b247_backup_read_bytes_total{set, destination}     a backup's statistics, added when it ends
 *  b247_backup_new_bytes_total{set, destination}
 *  b247_backup_stored_bytes_total{set, destination}
 *  b247_destination_uploaded_bytes_total{set, destination}   bytes written, as the backup goes
 *                                                      (rate() of it is the upload rate)
 *  b247_destination_failures_total{set, kind, destination}   jobs that ended Failed or Interrupted
 *                                                      with error(s) at that destination
 * </pre>
 *
 * {@code set} is the set's id and {@code destination} its destination's name: no set name, path,
 * URL or account is ever a label. Only the event-loop thread of the verticle that feeds it calls it.
 */
final class JobMeters {
  private final MeterRegistry registry;
  /** Per running backup (its runId): the bytes each destination had uploaded at the last event. */
  private final Map<String, long[]> uploaded = new HashMap<>();

  JobMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  /** One progress event of any kind of job. */
  void progress(JsonObject e) {
    String kind = e.getString("kind", "unknown");
    JsonArray dests = e.getJsonArray("destinations");
    if ("backup".equals(kind) && dests != null) {
      uploads(e, dests);
    }
    if (!e.getBoolean("done", false)) {
      return;
    }
    String set = String.valueOf(e.getValue("setId"));
    if (dests == null || dests.isEmpty()) {
      ended(kind, set, e.getString("destination", ""), e.getString("status", "unknown"));
      return;
    }
    for (int i = 0; i < dests.size(); i++) {
      JsonObject d = dests.getJsonObject(i);
      String name = d.getString("name", "");
      ended(kind, set, name, d.getString("status", "unknown"));
      JsonObject stats = d.getJsonObject("stats");
      if ("backup".equals(kind) && stats != null) {
        add("b247.backup.read.bytes", "Bytes of the sources a backup read", set, name, stats.getLong("bytesRead"));
        add("b247.backup.new.bytes", "Bytes a backup found new (after deduplication)", set, name,
            stats.getLong("bytesNew"));
        add("b247.backup.stored.bytes", "Bytes a backup stored at the destination (compressed, encrypted)", set,
            name, stats.getLong("bytesStored"));
      }
    }
  }

  private void ended(String kind, String set, String destination, String status) {
    Counter.builder("b247.jobs").description("Jobs ended, by kind and final status (one per destination report)")
        .tags("kind", kind, "status", status).register(registry).increment();
    if (status.equals("Failed") || status.startsWith("Interrupted with error")) {
      Counter.builder("b247.destination.failures").description("Jobs that failed at a destination")
          .tags("set", set, "kind", kind, "destination", destination).register(registry).increment();
    }
  }

  /** Adds what each destination uploaded since the run's previous event. */
  private void uploads(JsonObject e, JsonArray dests) {
    String run = e.getString("runId", "");
    String set = String.valueOf(e.getValue("setId"));
    long[] last = uploaded.computeIfAbsent(run, k -> new long[dests.size()]);
    for (int i = 0; i < dests.size() && i < last.length; i++) {
      JsonObject d = dests.getJsonObject(i);
      long now = d.getLong("bytesUploaded", 0L);
      add("b247.destination.uploaded.bytes", "Bytes written to a destination by backups", set,
          d.getString("name", ""), now >= last[i] ? now - last[i] : now); // lower: its count started again
      last[i] = now;
    }
    if (e.getBoolean("done", false)) {
      uploaded.remove(run);
    }
  }

  /** Adds {@code amount}; a zero still makes the series appear, so rate() works from the first job on. */
  private void add(String name, String description, String set, String destination, Long amount) {
    Counter c = Counter.builder(name).description(description).baseUnit("bytes")
        .tags("set", set, "destination", destination).register(registry);
    if (amount != null && amount > 0) {
      c.increment(amount);
    }
  }
}
