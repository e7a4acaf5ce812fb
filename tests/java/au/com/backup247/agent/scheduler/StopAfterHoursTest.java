package au.com.backup247.agent.scheduler;

import static au.com.backup247.agent.testing.Eventually.eventuallyGet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.api.ApiTesting;
import au.com.backup247.agent.api.ApiVerticle;
import au.com.backup247.agent.catalog.CatalogVerticle;
import au.com.backup247.agent.jobs.JobsVerticle;
import au.com.backup247.agent.sets.SetsVerticle;
import au.com.backup247.agent.testing.MovableClock;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import io.vertx.junit5.VertxExtension;

/**
 * "Stop after N hours" (guide ch. 9.5 "Backup Schedule"): a scheduled job still running when its
 * schedule's time is up is stopped like a cancel, and its report says why. The jobs service runs on
 * a clock the test moves, so nothing waits hours.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class StopAfterHoursTest {
  static final long CREATED = 1_700_000_000_000L;


  @Test
  void scheduledJobStillRunningAfterItsHours_isInterrupted_andTheLogSaysWhy(Vertx vertx, @TempDir Path dir)
      throws Exception {
    Path home = dir.resolve("home");
    MovableClock clock = new MovableClock(Instant.parse("2023-11-15T10:00:30Z"));
    vertx.deployVerticle(new CatalogVerticle(), new DeploymentOptions()
        .setConfig(new JsonObject().put("file", home.resolve("catalog.db").toString()))).await();
    vertx.deployVerticle(new SetsVerticle(Clock.fixed(Instant.ofEpochMilli(CREATED), ZoneOffset.UTC)),
        new DeploymentOptions().setConfig(new JsonObject().put("home", home.toString()))).await();
    vertx.deployVerticle(new JobsVerticle(clock), new DeploymentOptions()
        .setConfig(new JsonObject().put("home", home.toString()))).await();
    SchedulerVerticle scheduler = new SchedulerVerticle(clock);
    vertx.deployVerticle(scheduler, new DeploymentOptions()
        .setConfig(new JsonObject().put("timeZone", "UTC").put("intervalMs", 0))).await();
    ApiTesting.deployAuth(vertx, home);
    ApiVerticle api = new ApiVerticle();
    vertx.deployVerticle(api, new DeploymentOptions().setConfig(new JsonObject().put("port", 0))).await();
    WebClient client = ApiTesting.authorized(vertx, home);

    Path src = Files.createDirectories(dir.resolve("src"));
    Files.writeString(src.resolve("a.txt"), "a");
    JsonObject set = new JsonObject().put("name", "Nightly")
        .put("source", new JsonObject().put("home", src.toString()).put("paths", new JsonArray().add(src.toString())))
        .put("destinations", new JsonArray().add(new JsonObject().put("name", "Local-1")
            .put("url", "file://" + dir.resolve("d1"))))
        .put("scheduleEnabled", true)
        .put("schedules", new JsonArray().add(new JsonObject().put("name", "Daily-1").put("type", "daily")
            .put("at", "10:00").put("stopAfterHours", 2)))
        // a job that would run far longer than its schedule allows
        .put("preBackupCommands", new JsonArray().add(new JsonObject().put("name", "Long")
            .put("workingDirectory", dir.toString()).put("command", "echo starting; sleep 600")
            .put("timeoutSeconds", 900)));
    HttpResponse<Buffer> created = client.post(api.actualPort(), "127.0.0.1", "/api/v1/sets").sendJsonObject(set)
        .await();
    assertEquals(201, created.statusCode(), created.bodyAsString());
    long setId = created.bodyAsJsonObject().getLong("id");

    scheduler.tick(Instant.parse("2023-11-15T10:00:30Z")).await();
    JsonArray items = client.get(api.actualPort(), "127.0.0.1", "/api/v1/jobs?setId=" + setId).send().await()
        .bodyAsJsonObject().getJsonArray("items");
    assertEquals(1, items.size(), items.encodePrettily());
    assertEquals("In progress", items.getJsonObject(0).getString("status"));
    long reportId = items.getJsonObject(0).getLong("id");

    clock.set(Instant.parse("2023-11-15T12:00:00Z")); // 10:00 + 2 hours: time is up

    JsonObject report = eventuallyGet(Duration.ofSeconds(60), () -> {
      JsonObject r = client.get(api.actualPort(), "127.0.0.1", "/api/v1/jobs/" + reportId).send().await()
          .bodyAsJsonObject();
      assertNotEquals("In progress", r.getString("status"), "the backup still runs: " + r.encodePrettily());
      return r;
    });
    assertEquals("Interrupted", report.getString("status"), report.encodePrettily());
    assertEquals("schedule", report.getString("trigger"));
    String log = report.getJsonArray("log").encode();
    assertTrue(log.contains("stopped: schedule \\\"Daily-1\\\" stops its backups after 2 hours (at 2023-11-15T12:00:00Z)"),
        log);
    assertTrue(log.contains("[Long] running pre-backup command"), log);
    assertTrue(log.contains("pre-backup command stopped: the backup was cancelled"), log);
  }
}
