package au.com.backup247.agent.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.backup.RepoFixture;
import au.com.backup247.agent.bus.Addresses;
import au.com.backup247.agent.catalog.JobRow;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.store.local.LocalStore;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Backups through the REST API: real SQLite catalog, real HTTP, real files and repositories. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class JobsApiTest {

  @Test
  void manualBackup_toTwoLocalDestinations_completesBoth_andEachRestoresIdentically(Vertx vertx, @TempDir Path dir)
      throws Exception {
    JobsHarness h = new JobsHarness(vertx, dir.resolve("home"), true);
    Path src = dir.resolve("src");
    RepoFixture.makeTree(src, 7);
    List<Path> dests = List.of(dir.resolve("d1"), dir.resolve("d2"));
    long setId = h.create(JobsHarness.set("Docs", src, dests));
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.EVENT_JOB_PROGRESS, m -> events.add(m.body())).completion().await();

    JsonObject started = h.startBackup(setId);
    assertEquals(2, started.getJsonArray("jobs").size());
    JsonArray reports = h.awaitReports(setId, 2);

    for (Object o : reports) {
      JsonObject r = (JsonObject) o;
      assertEquals("Completed", r.getString("status"), r.encodePrettily());
      assertEquals("manual", r.getString("trigger"));
      assertNotNull(r.getString("jobId"));
      assertTrue(r.getJsonObject("stats").getLong("filesNew") > 0, r.encode());
    }
    String key = Files.readString(h.home.resolve("keys/" + setId + ".key"), StandardCharsets.UTF_8).trim();
    for (Path d : dests) {
      Repository repo = Repository.open(new LocalStore(d.resolve(Long.toString(setId))), key);
      Path target = dir.resolve("restore-" + d.getFileName());
      List<JobLog.Line> lines = new ArrayList<>();
      RepoFixture.restore(repo, target, null, false, lines);
      RepoFixture.assertSameTree(src, RepoFixture.under(target, src));
    }
    JsonObject last = events.stream().filter(e -> e.getBoolean("done")).findFirst().orElseThrow();
    assertEquals(setId, last.getLong("setId"));
    assertTrue(last.getLong("files") > 0);
    assertEquals(2, last.getJsonArray("destinations").size());
  }

  @Test
  void jobList_filtersByStatus_andPages(Vertx vertx, @TempDir Path dir) throws Exception {
    JobsHarness h = new JobsHarness(vertx, dir.resolve("home"), true);
    Path src = Files.createDirectories(dir.resolve("src"));
    Files.writeString(src.resolve("a.txt"), "a");
    long setId = h.create(JobsHarness.set("Docs", src, List.of(dir.resolve("d1"), dir.resolve("d2"))));
    h.startBackup(setId);
    h.awaitReports(setId, 2);

    HttpResponse<Buffer> page1 = h.get("jobs?setId=" + setId + "&limit=1");
    Long next = page1.bodyAsJsonObject().getLong("next");
    assertNotNull(next, page1.bodyAsString());
    HttpResponse<Buffer> page2 = h.get("jobs?setId=" + setId + "&limit=1&after=" + next);
    assertEquals(1, page2.bodyAsJsonObject().getJsonArray("items").size());
    assertNull(page2.bodyAsJsonObject().getLong("next"));
    assertEquals(0, h.get("jobs?status=Missed").bodyAsJsonObject().getJsonArray("items").size());
    assertEquals(1, h.get("jobs?status=completed&destination=Local-1&from=2000-01-01T00:00:00Z").bodyAsJsonObject()
        .getJsonArray("items").size());
    assertEquals(0, h.get("jobs?setId=" + setId + "&to=2000-01-01T00:00:00Z").bodyAsJsonObject()
        .getJsonArray("items").size());
    assertEquals(400, h.get("jobs?status=Done").statusCode());
    assertEquals(404, h.get("jobs/999999").statusCode());
  }

  @Test
  void secondRequestWhileRunning_is409_andCancel_endsInterrupted(Vertx vertx, @TempDir Path dir) throws Exception {
    JobsHarness h = new JobsHarness(vertx, dir.resolve("home"), true);
    Path src = Files.createDirectories(dir.resolve("src"));
    Files.writeString(src.resolve("a.txt"), "a");
    JsonObject set = JobsHarness.set("Slow", src, List.of(dir.resolve("d1")))
        .put("preBackupCommands", new JsonArray().add(JobsHarness.command("Wait", dir, "echo waiting; sleep 30")));
    long setId = h.create(set);
    long report = h.startBackup(setId).getJsonArray("jobs").getJsonObject(0).getLong("id");

    HttpResponse<Buffer> again = h.post("sets/" + setId + "/backup", new JsonObject());
    assertEquals(409, again.statusCode(), again.bodyAsString());
    assertEquals("already_running", again.bodyAsJsonObject().getJsonObject("error").getString("code"));
    assertEquals("In progress", h.get("jobs/" + report).bodyAsJsonObject().getString("status"));

    HttpResponse<Buffer> cancel = h.post("sets/" + setId + "/backup/cancel", new JsonObject());
    assertEquals(202, cancel.statusCode(), cancel.bodyAsString());
    JsonObject r = h.awaitStatus(report, "Interrupted");
    assertNull(r.getString("jobId"));
    assertFalse(Files.exists(dir.resolve("d1").resolve(setId + "/config")), "no repository work after cancel");
    assertEquals(409, h.post("sets/" + setId + "/backup/cancel", new JsonObject()).statusCode());
    // the set can be backed up again (and cancelled again, so the test does not wait for the sleep)
    h.startBackup(setId);
    assertEquals(202, h.post("sets/" + setId + "/backup/cancel", new JsonObject()).statusCode());
    h.awaitReports(setId, 2);
  }

  @Test
  void failingPreCommand_completesWithWarnings_andItsOutputIsInTheLog(Vertx vertx, @TempDir Path dir)
      throws Exception {
    JobsHarness h = new JobsHarness(vertx, dir.resolve("home"), true);
    Path src = Files.createDirectories(dir.resolve("src"));
    Files.writeString(src.resolve("a.txt"), "a");
    JsonObject set = JobsHarness.set("Cmd", src, List.of(dir.resolve("d1")))
        .put("preBackupCommands", new JsonArray().add(JobsHarness.command("Pre-1", dir,
            "echo hello from pre; echo oops >&2; exit 3")))
        .put("postBackupCommands", new JsonArray().add(JobsHarness.command("Post-1", dir, "pwd")));
    long setId = h.create(set);
    h.startBackup(setId);
    JsonObject r = h.awaitReports(setId, 1).getJsonObject(0);
    assertEquals("Completed with warning(s)", r.getString("status"));

    JsonObject full = h.get("jobs/" + r.getLong("id")).bodyAsJsonObject();
    List<String> messages = full.getJsonArray("log").stream().map(o -> ((JsonObject) o).getString("message")).toList();
    assertTrue(messages.contains("[Pre-1] hello from pre"), messages.toString());
    assertTrue(messages.contains("[Pre-1] oops"), messages.toString());
    assertTrue(messages.contains("[Post-1] " + dir), messages.toString());
    JsonArray warnings = h.get("jobs/" + r.getLong("id") + "?level=warning").bodyAsJsonObject().getJsonArray("log");
    assertEquals(1, warnings.size(), warnings.encodePrettily());
    assertTrue(warnings.getJsonObject(0).getString("message").contains("exit code 3"));
  }

  @Test
  void unknownDestinationName_is400_namingIt(Vertx vertx, @TempDir Path dir) throws Exception {
    JobsHarness h = new JobsHarness(vertx, dir.resolve("home"), true);
    long setId = h.create(JobsHarness.set("Docs", Files.createDirectories(dir.resolve("src")),
        List.of(dir.resolve("d1"))));
    HttpResponse<Buffer> r = h.post("sets/" + setId + "/backup",
        new JsonObject().put("destinations", new JsonArray().add("Office")));
    assertEquals(400, r.statusCode(), r.bodyAsString());
    assertTrue(r.bodyAsJsonObject().getJsonObject("error").getString("message").contains("\"Office\""));
    assertEquals(0, h.reports(setId).size());
    h.startBackup(setId); // the refused request did not leave the set marked busy
    assertEquals("Completed", h.awaitReports(setId, 1).getJsonObject(0).getString("status"));
  }

  @Test
  void startup_marksReportsLeftInProgress_asBackupNotYetFinished(Vertx vertx, @TempDir Path dir) {
    JobsHarness h = new JobsHarness(vertx, dir.resolve("home"), false);
    JsonObject rows = new JsonObject().put("rows", new JsonArray().add(new JobRow(null, "run-1", null, 42L, "Local-1",
        "In progress", "manual", null, 1_000L, null, "{}").toJson()));
    long id = vertx.eventBus().<JsonObject>request(Addresses.CATALOG_JOBS_INSERT, rows).await().body()
        .getJsonArray("ids").getLong(0);
    assertEquals("In progress", h.get("jobs/" + id).bodyAsJsonObject().getString("status"));

    h.deployJobs();

    JsonObject r = h.get("jobs/" + id).bodyAsJsonObject();
    assertEquals("Backup not yet finished", r.getString("status"));
    assertEquals(JobsService.UNFINISHED_MESSAGE, r.getJsonArray("log").getJsonObject(0).getString("message"));
  }
}
