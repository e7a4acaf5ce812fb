package au.com.backup247.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * The counters follow the jobs' progress events as the jobs publish them ({@code jobs.Progress}):
 * uploads as they go, a job's end once per destination report, failures per destination. (The
 * events are written here; MetricsApiTest sees a real backup's.)
 */
class JobMetersTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final JobMeters meters = new JobMeters(registry);

  private static JsonObject backup(String run, boolean done, JsonObject... dests) {
    return new JsonObject().put("kind", "backup").put("setId", 7L).put("runId", run).put("done", done)
        .put("status", done ? "Failed" : "In progress").put("destinations", new JsonArray(java.util.List.of(dests)));
  }

  private static JsonObject dest(String name, String status, long uploaded) {
    return new JsonObject().put("name", name).put("status", status).put("bytesUploaded", uploaded)
        .put("stats", new JsonObject().put("bytesRead", 1000L).put("bytesNew", 600L).put("bytesStored", 400L));
  }

  private double counter(String name, String... tags) {
    return registry.get(name).tags(tags).counter().count();
  }

  @Test
  void uploadsAreCountedAsTheyGo_andEachDestinationsReportOnceAtTheEnd() {
    meters.progress(backup("r1", false, dest("A", "In progress", 100), dest("B", "Waiting", 0)));
    meters.progress(backup("r1", false, dest("A", "In progress", 250), dest("B", "Waiting", 0)));
    assertEquals(250, counter("b247.destination.uploaded.bytes", "set", "7", "destination", "A"));
    // B waited for A (a sequential set) and counts its own bytes
    meters.progress(backup("r1", true, dest("A", "Completed", 400), dest("B", "Failed", 50)));
    assertEquals(400, counter("b247.destination.uploaded.bytes", "set", "7", "destination", "A"));
    assertEquals(50, counter("b247.destination.uploaded.bytes", "set", "7", "destination", "B"));
    assertEquals(1, counter("b247.jobs", "kind", "backup", "status", "Completed"));
    assertEquals(1, counter("b247.jobs", "kind", "backup", "status", "Failed"));
    assertEquals(1, counter("b247.destination.failures", "set", "7", "kind", "backup", "destination", "B"));
    assertNull(registry.find("b247.destination.failures").tags("destination", "A").counter());
    assertEquals(400, counter("b247.backup.stored.bytes", "set", "7", "destination", "A"));
    assertEquals(1000, counter("b247.backup.read.bytes", "set", "7", "destination", "B"));

    meters.progress(backup("r2", false, dest("A", "In progress", 30), dest("B", "Waiting", 0)));
    assertEquals(430, counter("b247.destination.uploaded.bytes", "set", "7", "destination", "A"),
        "the next run starts from its own zero");
  }

  @Test
  void aRestoreAndASpaceFreeing_countByKindAndStatus() {
    meters.progress(new JsonObject().put("kind", "restore").put("setId", 7L).put("runId", "r3").put("done", true)
        .put("status", "Interrupted with error(s)").put("destination", "A"));
    meters.progress(new JsonObject().put("kind", "space-freeing").put("setId", 7L).put("runId", "r4")
        .put("done", true).put("status", "Completed").put("destinations", new JsonArray()
            .add(new JsonObject().put("name", "A").put("status", "Completed"))));
    assertEquals(1, counter("b247.jobs", "kind", "restore", "status", "Interrupted with error(s)"));
    assertEquals(1, counter("b247.destination.failures", "set", "7", "kind", "restore", "destination", "A"));
    assertEquals(1, counter("b247.jobs", "kind", "space-freeing", "status", "Completed"));
    assertNull(registry.find("b247.backup.read.bytes").counter(), "no bytes for other kinds");
  }
}
