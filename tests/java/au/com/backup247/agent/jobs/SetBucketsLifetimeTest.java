package au.com.backup247.agent.jobs;

import static au.com.backup247.agent.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guide ch. 9.5: the shared bandwidth buckets of a set are the jobs service's, kept from the set's
 * first job until the set is deleted, with the limits' periods in the agent's time zone.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SetBucketsLifetimeTest {

  /** A set with a shared limit (shared bandwidth needs its destinations one after the other). */
  private static JsonObject sharedSet(String name, Path src, Path dest) {
    return JobsHarness.set(name, src, List.of(dest)).put("backupMode", "sequential").put("bandwidth",
        new JsonObject().put("enabled", true).put("mode", "shared").put("limits", new JsonArray()
            .add(new JsonObject().put("name", "Always").put("rate", "100Mibit/s").put("always", true))));
  }

  @Test
  void aSetsSharedBuckets_liveUntilTheSetIsDeleted(Vertx vertx, @TempDir Path dir) throws Exception {
    JobsHarness h = new JobsHarness(vertx, dir.resolve("home"), false);
    JobsVerticle jobs = new JobsVerticle();
    h.deployJobs(jobs, new JsonObject());
    Path src = Files.createDirectories(dir.resolve("src"));
    Files.writeString(src.resolve("a.txt"), "a");
    long setId = h.create(sharedSet("Shared", src, dir.resolve("d1")));
    long other = h.create(sharedSet("Other", src, dir.resolve("d2")));
    h.startBackup(setId);
    h.startBackup(other);
    assertEquals("Completed", h.awaitReports(setId, 1).getJsonObject(0).getString("status"));
    assertEquals("Completed", h.awaitReports(other, 1).getJsonObject(0).getString("status"));
    assertEquals(2, jobs.buckets().size(), "each set's buckets are kept between its jobs");

    assertEquals(200, h.client.delete(h.port, "127.0.0.1", "/api/v1/sets/" + setId).send().await().statusCode());
    eventually(Duration.ofSeconds(10), () -> assertEquals(1, jobs.buckets().size(),
        "the deleted set's buckets are dropped, the other set's kept"));
  }

  @Test
  void periods_areInTheAgentsTimeZone(Vertx vertx, @TempDir Path dir) {
    JobsHarness h = new JobsHarness(vertx, dir.resolve("home"), false);
    JobsVerticle jobs = new JobsVerticle();
    h.deployJobs(jobs, new JsonObject().put("timeZone", "Pacific/Kiritimati"));
    assertEquals(ZoneId.of("Pacific/Kiritimati"), jobs.buckets().zone(), "the zone of agent.json, as the schedules'");
  }
}
