package au.com.backup247.agent.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.backup.RepoFixture;
import au.com.backup247.agent.integrity.Checker;
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
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Space Freeing Up through the REST API (real catalog, HTTP, files and repositories): on demand for
 * one set and for all sets, and "run retention after backup"; reports with statistics and reasons;
 * the destinations check clean and restore the current state afterwards.
 */
@ExtendWith(VertxExtension.class)
class SpaceFreeingApiTest {

  private static long size(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static JsonArray byTrigger(JsonArray reports, String trigger) {
    return new JsonArray(reports.stream().filter(o -> trigger.equals(((JsonObject) o).getString("trigger"))).toList());
  }

  @Test
  void onDemand_andAfterBackup_freeSpace_andKeepTheCurrentState(Vertx vertx, @TempDir Path dir) throws Exception {
    JobsHarness h = new JobsHarness(vertx, dir.resolve("home"), true);
    Path src = dir.resolve("src");
    Files.createDirectories(src);
    Files.writeString(src.resolve("a.txt"), "first");
    Files.write(src.resolve("big.bin"), RepoFixture.bytes(new Random(1), 3 << 20));
    List<Path> dests = List.of(dir.resolve("d1"), dir.resolve("d2"));
    JsonObject set = JobsHarness.set("Docs", src, dests).put("retention",
        new JsonObject().put("type", "simple").put("keepJobs", 1));
    long setId = h.create(set);
    h.startBackup(setId);
    h.awaitReports(setId, 2);
    Files.writeString(src.resolve("a.txt"), "second");
    Files.delete(src.resolve("big.bin"));
    h.startBackup(setId);
    h.awaitReports(setId, 4);

    // on demand: the old versions ended with the newest job, which keep-1-job still keeps
    HttpResponse<Buffer> r = h.post("sets/" + setId + "/space-freeing", new JsonObject());
    assertEquals(202, r.statusCode(), r.bodyAsString());
    JsonObject run = r.bodyAsJsonObject().getJsonArray("runs").getJsonObject(0);
    assertEquals("space-freeing", run.getString("trigger"));
    assertEquals(2, run.getJsonArray("jobs").size());
    for (Object o : run.getJsonArray("jobs")) {
      JsonObject rep = h.awaitStatus(((JsonObject) o).getLong("id"), "Completed");
      assertEquals(0, rep.getJsonObject("stats").getInteger("versionsRemoved"), rep.encodePrettily());
    }
    long before = size(dests.get(0));

    // a third backup with "run retention after backup": now they are one job old and go; its progress
    // events count the objects deleted and the bytes freed
    List<JsonObject> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(au.com.backup247.agent.bus.Addresses.EVENT_SPACE_FREEING_PROGRESS,
        m -> events.add(m.body())).completion().await();
    HttpResponse<Buffer> b = h.post("sets/" + setId + "/backup", new JsonObject().put("runRetention", true));
    assertEquals(202, b.statusCode(), b.bodyAsString());
    JsonArray reports = h.awaitReports(setId, 10);
    JsonArray retention = byTrigger(reports, "retention");
    assertEquals(2, retention.size(), reports.encodePrettily());
    for (Object o : retention) {
      JsonObject rep = h.get("jobs/" + ((JsonObject) o).getLong("id")).bodyAsJsonObject();
      assertEquals("Completed", rep.getString("status"), rep.encodePrettily());
      JsonObject stats = rep.getJsonObject("stats");
      assertEquals(2, stats.getInteger("versionsRemoved"), rep.encodePrettily()); // a.txt "first", big.bin
      assertTrue(stats.getLong("bytesFreed") > 2 << 20, rep.encodePrettily());
      assertTrue(rep.getJsonArray("log").stream().map(l -> ((JsonObject) l).getString("message"))
          .anyMatch(m -> m.contains("big.bin") && m.contains("not within the last 1 job")), rep.encodePrettily());
    }
    assertTrue(before - size(dests.get(0)) > 2 << 20, "space freed at " + dests.get(0));
    JsonObject last = events.stream().filter(e -> e.getBoolean("done")).reduce((x, y) -> y).orElseThrow(
        () -> new AssertionError("no final progress event: " + events));
    assertEquals("delete", last.getString("stage"), last.encodePrettily());
    assertTrue(last.getLong("filesTotal") > 0, last.encodePrettily());
    assertEquals(last.getLong("filesTotal"), last.getLong("files"), last.encodePrettily());
    assertTrue(last.getLong("bytes") > 2 << 20, "bytes freed over both destinations: " + last.encodePrettily());

    // every set: nothing left to do, nothing skipped
    HttpResponse<Buffer> all = h.post("space-freeing", new JsonObject());
    assertEquals(202, all.statusCode(), all.bodyAsString());
    assertEquals(1, all.bodyAsJsonObject().getJsonArray("runs").size(), all.bodyAsString());
    assertEquals(0, all.bodyAsJsonObject().getJsonArray("skipped").size(), all.bodyAsString());
    reports = h.awaitReports(setId, 12);
    assertEquals(4, byTrigger(reports, "space-freeing").size());
    JsonArray freeing = h.get("jobs?kind=space-freeing&setId=" + setId).bodyAsJsonObject().getJsonArray("items");
    assertEquals(6, freeing.size(), freeing.encodePrettily());
    JsonArray backups = h.get("jobs?kind=backup&setId=" + setId).bodyAsJsonObject().getJsonArray("items");
    assertEquals(6, backups.size(), backups.encodePrettily());

    String key = Files.readString(h.home.resolve("keys/" + setId + ".key"), StandardCharsets.UTF_8).trim();
    for (Path d : dests) {
      try (Repository repo = Repository.open(new LocalStore(d.resolve(Long.toString(setId))), key)) {
        Checker.Report check = new Checker(repo).run(true);
        assertTrue(check.ok(), check.problems().toString());
        Path target = dir.resolve("restore-" + d.getFileName());
        List<JobLog.Line> lines = new ArrayList<>();
        RepoFixture.restore(repo, target, null, false, lines);
        RepoFixture.assertSameTree(src, RepoFixture.under(target, src));
      }
    }
  }

  @Test
  void badRequests_areClearErrors(Vertx vertx, @TempDir Path dir) throws Exception {
    JobsHarness h = new JobsHarness(vertx, dir.resolve("home"), true);
    long setId = h.create(JobsHarness.set("Docs", dir, List.of(dir.resolve("d1"))));
    HttpResponse<Buffer> unknown = h.post("sets/99/space-freeing", new JsonObject());
    assertEquals(404, unknown.statusCode(), unknown.bodyAsString());
    HttpResponse<Buffer> field = h.post("sets/" + setId + "/space-freeing", new JsonObject().put("force", true));
    assertEquals(400, field.statusCode());
    assertTrue(field.bodyAsString().contains("unknown field \\\"force\\\""), field.bodyAsString());
    HttpResponse<Buffer> dest = h.post("sets/" + setId + "/space-freeing",
        new JsonObject().put("destinations", new JsonArray().add("Nowhere")));
    assertEquals(400, dest.statusCode());
    assertTrue(dest.bodyAsString().contains("Nowhere"), dest.bodyAsString());
    // a destination without a repository yet has nothing to free
    HttpResponse<Buffer> empty = h.post("sets/" + setId + "/space-freeing", new JsonObject());
    assertEquals(202, empty.statusCode(), empty.bodyAsString());
    long report = empty.bodyAsJsonObject().getJsonArray("runs").getJsonObject(0).getJsonArray("jobs").getJsonObject(0)
        .getLong("id");
    h.awaitStatus(report, "Completed");
  }

  @Test
  void bodiesThatAreNoObject_andBadPathIds_are400_onEveryRouteThatReadsThem(Vertx vertx, @TempDir Path dir)
      throws Exception {
    JobsHarness h = new JobsHarness(vertx, dir.resolve("home"), true);
    long setId = h.create(JobsHarness.set("Docs", dir, List.of(dir.resolve("d1"))));
    String objectOrEmpty = "the request body must be a JSON object or empty";
    for (String path : List.of("sets/" + setId + "/space-freeing", "sets/" + setId + "/confirm-state",
        "sets/" + setId + "/backup", "mail/test")) {
      HttpResponse<Buffer> r = h.client.post(h.port, "127.0.0.1", "/api/v1/" + path)
          .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("[1]")).await();
      assertEquals(400, r.statusCode(), path + ": " + r.bodyAsString());
      assertTrue(r.bodyAsString().contains(objectOrEmpty), path + ": " + r.bodyAsString());
    }
    HttpResponse<Buffer> restore = h.client.post(h.port, "127.0.0.1", "/api/v1/sets/" + setId + "/restore")
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("[1]")).await();
    assertEquals(400, restore.statusCode(), restore.bodyAsString());
    assertTrue(restore.bodyAsString().contains("the request body must be a JSON object\""), restore.bodyAsString());
    HttpResponse<Buffer> badId = h.post("sets/x/backup", new JsonObject());
    assertEquals(400, badId.statusCode(), badId.bodyAsString());
    assertTrue(badId.bodyAsString().contains("positive whole number, got \\\"x\\\""), badId.bodyAsString());
  }
}
