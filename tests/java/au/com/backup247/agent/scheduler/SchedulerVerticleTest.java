package au.com.backup247.agent.scheduler;

import static au.com.backup247.agent.testing.Eventually.eventuallyGet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.api.ApiTesting;
import au.com.backup247.agent.api.ApiVerticle;
import au.com.backup247.agent.catalog.CatalogVerticle;
import au.com.backup247.agent.jobs.JobsVerticle;
import au.com.backup247.agent.sets.SetsVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler driven tick by tick with chosen instants (its timer off), over a real catalog,
 * sets and jobs service. Sets are created at 2023-11-14T22:13:20Z with a daily 10:00 (UTC) schedule.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SchedulerVerticleTest {
  static final long CREATED = 1_700_000_000_000L;
  private SchedulerVerticle scheduler;
  private WebClient client;
  private int port;
  private Path dir;

  @BeforeEach
  void deploy(Vertx vertx, @TempDir Path dir) {
    this.dir = dir;
    Path home = dir.resolve("home");
    vertx.deployVerticle(new CatalogVerticle(), new DeploymentOptions()
        .setConfig(new JsonObject().put("file", home.resolve("catalog.db").toString()))).await();
    vertx.deployVerticle(new SetsVerticle(Clock.fixed(Instant.ofEpochMilli(CREATED), ZoneOffset.UTC)),
        new DeploymentOptions().setConfig(new JsonObject().put("home", home.toString()))).await();
    vertx.deployVerticle(new JobsVerticle(), new DeploymentOptions()
        .setConfig(new JsonObject().put("home", home.toString()))).await();
    scheduler = new SchedulerVerticle(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
    vertx.deployVerticle(scheduler, new DeploymentOptions()
        .setConfig(new JsonObject().put("timeZone", "UTC").put("intervalMs", 0))).await();
    ApiTesting.deployAuth(vertx, home);
    ApiVerticle api = new ApiVerticle();
    vertx.deployVerticle(api, new DeploymentOptions().setConfig(new JsonObject().put("port", 0))).await();
    port = api.actualPort();
    client = ApiTesting.authorized(vertx, home);
  }

  private long createSet(JsonArray preCommands) throws Exception {
    Path src = Files.createDirectories(dir.resolve("src"));
    Files.writeString(src.resolve("a.txt"), "a");
    JsonObject set = new JsonObject().put("name", "Daily")
        .put("source", new JsonObject().put("home", src.toString()).put("paths", new JsonArray().add(src.toString())))
        .put("destinations", new JsonArray().add(new JsonObject().put("name", "Local-1")
            .put("url", "file://" + dir.resolve("d1"))))
        .put("scheduleEnabled", true)
        .put("schedules", new JsonArray().add(new JsonObject().put("name", "Daily-1").put("type", "daily")
            .put("at", "10:00")))
        .put("preBackupCommands", preCommands);
    HttpResponse<Buffer> r = client.post(port, "127.0.0.1", "/api/v1/sets").sendJsonObject(set).await();
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getLong("id");
  }

  private JsonArray reports(long setId) {
    return client.get(port, "127.0.0.1", "/api/v1/jobs?setId=" + setId).send().await().bodyAsJsonObject()
        .getJsonArray("items");
  }

  private JsonArray settled(long setId, int count) {
    return eventuallyGet(Duration.ofSeconds(45), () -> {
      JsonArray items = reports(setId);
      assertTrue(items.size() >= count && items.stream().noneMatch(o -> "In progress".equals(((JsonObject) o)
          .getString("status"))), "reports did not settle: " + items.encodePrettily());
      return items;
    });
  }

  private static List<String> statuses(JsonArray items) {
    return items.stream().map(o -> ((JsonObject) o).getString("status")).toList();
  }

  private void tick(String instant) {
    scheduler.tick(Instant.parse(instant)).await();
  }

  @Test
  void nextRun_isTheFirstFiringAfterNow_inTheSetsZone() throws Exception {
    long setId = createSet(new JsonArray());
    JsonObject next = client.get(port, "127.0.0.1", "/api/v1/sets/" + setId + "/next-run").send().await()
        .bodyAsJsonObject();
    assertEquals(Instant.parse("1970-01-01T10:00:00Z").toEpochMilli(), next.getLong("nextRun"), next.encode());
    assertEquals("UTC", next.getString("timeZone"));
    assertEquals(404, client.get(port, "127.0.0.1", "/api/v1/sets/42/next-run").send().await().statusCode());
  }

  @Test
  void dailySchedule_firesOnceAtItsTime(Vertx vertx) throws Exception {
    long setId = createSet(new JsonArray());
    tick("2023-11-15T09:59:30Z");
    assertEquals(0, reports(setId).size());

    tick("2023-11-15T10:00:30Z");
    JsonArray items = settled(setId, 1);
    tick("2023-11-15T10:01:00Z");
    tick("2023-11-15T10:01:30Z");

    items = settled(setId, 1);
    assertEquals(1, items.size(), items.encodePrettily());
    JsonObject r = items.getJsonObject(0);
    assertEquals("Completed", r.getString("status"));
    assertEquals("schedule", r.getString("trigger"));
    assertEquals("Daily-1", r.getString("scheduleName"));
  }

  @Test
  void aUsersSet_firesAtItsTimeInTheUsersTimeZone(Vertx vertx) throws Exception {
    HttpResponse<Buffer> user = client.post(port, "127.0.0.1", "/api/v1/users").sendJsonObject(new JsonObject()
        .put("login", "alice").put("password", "a long and private passphrase").put("timeZone", "Australia/Sydney")
        .put("folders", new JsonArray().add(dir.toString()))).await();
    assertEquals(201, user.statusCode(), user.bodyAsString());
    Path src = Files.createDirectories(dir.resolve("src"));
    Files.writeString(src.resolve("a.txt"), "a");
    JsonObject set = new JsonObject().put("name", "Alice daily")
        .put("source", new JsonObject().put("home", src.toString()).put("paths", new JsonArray().add(src.toString())))
        .put("destinations", new JsonArray().add(new JsonObject().put("name", "Local-1")
            .put("url", "file://" + dir.resolve("d1"))))
        .put("schedules", new JsonArray().add(new JsonObject().put("name", "Daily-1").put("type", "daily")
            .put("at", "10:00")));
    HttpResponse<Buffer> r = client.post(port, "127.0.0.1", "/api/v1/sets").putHeader("X-B247-User", "alice")
        .sendJsonObject(set).await();
    assertEquals(201, r.statusCode(), r.bodyAsString());
    long setId = r.bodyAsJsonObject().getLong("id");

    tick("2023-11-14T22:59:30Z"); // the set was made at 22:13:20 UTC
    assertEquals(0, reports(setId).size());
    tick("2023-11-14T23:00:30Z"); // 10:00 on the 15th in Sydney (UTC+11)
    JsonArray items = settled(setId, 1);
    assertEquals("Completed", items.getJsonObject(0).getString("status"), items.encodePrettily());
    tick("2023-11-15T10:00:30Z"); // 10:00 UTC, the agent's zone: 21:00 in Sydney, nothing is due
    assertEquals(1, settled(setId, 1).size());
  }

  @Test
  void downtimeFirings_areMissed_notReplayed(Vertx vertx) throws Exception {
    long setId = createSet(new JsonArray());
    tick("2023-11-15T10:00:30Z");
    settled(setId, 1);

    tick("2023-11-18T10:02:00Z"); // down from the 15th to the 18th: the 16th and 17th were missed

    JsonArray items = settled(setId, 4);
    assertEquals(List.of("Completed", "Missed", "Missed", "Completed"), statuses(items), items.encodePrettily());
    JsonObject missed = items.getJsonObject(1);
    assertEquals(Instant.parse("2023-11-17T10:00:00Z").toEpochMilli(), missed.getLong("startedAt"));
  }

  @Test
  void firingWhileTheSetsJobRuns_isRecordedMissed(Vertx vertx) throws Exception {
    long setId = createSet(new JsonArray().add(new JsonObject().put("name", "Wait")
        .put("workingDirectory", dir.toString()).put("command", "sleep 30")));
    HttpResponse<Buffer> started = client.post(port, "127.0.0.1", "/api/v1/sets/" + setId + "/backup")
        .sendJsonObject(new JsonObject()).await();
    assertEquals(202, started.statusCode(), started.bodyAsString());

    tick("2023-11-15T10:00:30Z");

    JsonArray items = reports(setId);
    assertEquals(List.of("Missed", "In progress"), statuses(items), items.encodePrettily());
    long missedId = items.getJsonObject(0).getLong("id");
    JsonObject missed = client.get(port, "127.0.0.1", "/api/v1/jobs/" + missedId).send().await().bodyAsJsonObject();
    assertTrue(missed.getJsonArray("log").getJsonObject(0).getString("message").startsWith("skipped: still running"),
        missed.encodePrettily());
    client.post(port, "127.0.0.1", "/api/v1/sets/" + setId + "/backup/cancel").sendJsonObject(new JsonObject())
        .await();
    assertEquals(List.of("Missed", "Interrupted"), statuses(settled(setId, 2)));
  }
}
