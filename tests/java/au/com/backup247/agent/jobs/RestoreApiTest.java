package au.com.backup247.agent.jobs;

import static au.com.backup247.agent.testing.Eventually.eventuallyGet;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.backup.RepoFixture;
import au.com.backup247.agent.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import io.vertx.junit5.VertxExtension;

/** Browsing and restoring through the REST API: real SQLite catalog, real HTTP, real files and repositories. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RestoreApiTest {

  private static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static Map<String, JsonObject> byName(JsonArray items) {
    Map<String, JsonObject> m = new TreeMap<>();
    items.forEach(o -> m.put(((JsonObject) o).getString("name"), (JsonObject) o));
    return m;
  }

  private static JsonObject restore(JobsHarness h, long setId, JsonObject body) throws InterruptedException {
    HttpResponse<Buffer> r = h.post("sets/" + setId + "/restore", body);
    assertEquals(202, r.statusCode(), r.bodyAsString());
    long report = r.bodyAsJsonObject().getLong("reportId");
    return eventuallyGet(Duration.ofSeconds(60), () -> {
      JsonObject row = h.get("jobs/" + report).bodyAsJsonObject();
      assertNotEquals("In progress", row.getString("status"), "restore report " + report + " did not end: " + row);
      return row;
    });
  }

  @Test
  void browse_restorePoints_andRestoresToAnAlternateFolder(Vertx vertx, @TempDir Path dir) throws Exception {
    JobsHarness h = new JobsHarness(vertx, dir.resolve("home"), true);
    Path src = dir.resolve("src");
    RepoFixture.makeTree(src, 7);
    long setId = h.create(JobsHarness.set("Docs", src, List.of(dir.resolve("d1"))));
    h.startBackup(setId);
    assertEquals("Completed", h.awaitReports(setId, 1).getJsonObject(0).getString("status"));
    byte[] oldSmall = Files.readAllBytes(src.resolve("docs/deep/deeper/small.bin"));
    Files.writeString(src.resolve("docs/deep/deeper/small.bin"), "second version");
    h.startBackup(setId);
    h.awaitReports(setId, 2);

    // restore points, newest first
    HttpResponse<Buffer> pr = h.get("sets/" + setId + "/restore-points?destination=Local-1");
    assertEquals(200, pr.statusCode(), pr.bodyAsString());
    JsonArray points = pr.bodyAsJsonObject().getJsonArray("items");
    assertEquals(2, points.size(), points.encode());
    String firstJob = points.getJsonObject(1).getString("job");
    String secondJob = points.getJsonObject(0).getString("job");
    assertTrue(secondJob.compareTo(firstJob) > 0, points.encode());
    assertTrue(points.getJsonObject(1).getJsonObject("stats").getLong("filesNew") > 0, points.encode());

    // browse: the source folder as of the latest job
    HttpResponse<Buffer> tr = h.get("sets/" + setId + "/tree?destination=Local-1&job=latest&path=" + q(src.toString()));
    assertEquals(200, tr.statusCode(), tr.bodyAsString());
    assertEquals(secondJob, tr.bodyAsJsonObject().getString("job"));
    Map<String, JsonObject> top = byName(tr.bodyAsJsonObject().getJsonArray("items"));
    try (Stream<Path> s = Files.list(src)) {
      assertEquals(s.map(p -> p.getFileName().toString()).sorted().toList(), List.copyOf(top.keySet()));
    }
    assertEquals("folder", top.get("docs").getString("kind"));
    assertEquals("symlink", top.get("link-to-readme").getString("kind"));
    assertEquals("file", top.get("big.bin").getString("kind"));
    assertEquals(9 << 20, top.get("big.bin").getLong("size"));
    assertEquals(0, top.get("empty.txt").getLong("size"));
    // a subfolder, as of the first job
    HttpResponse<Buffer> sub = h.get("sets/" + setId + "/tree?destination=Local-1&job=" + firstJob + "&path="
        + q(src.resolve("docs").toString()));
    Map<String, JsonObject> docs = byName(sub.bodyAsJsonObject().getJsonArray("items"));
    assertEquals(List.of("deep", "readme.txt"), List.copyOf(docs.keySet()));
    assertEquals(1_600_000_000_123L, docs.get("readme.txt").getLong("mtime"));
    assertEquals(13_000, docs.get("readme.txt").getLong("size"));
    // every version: the first one is in the retention area
    HttpResponse<Buffer> av = h.get("sets/" + setId + "/tree?destination=Local-1&allVersions=true&path="
        + q(src.resolve("docs/deep/deeper").toString()));
    JsonArray versions = byName(av.bodyAsJsonObject().getJsonArray("items")).get("small.bin").getJsonArray("versions");
    assertEquals(2, versions.size(), versions.encode());
    assertEquals(firstJob, versions.getJsonObject(0).getString("firstJob"));
    assertEquals(secondJob, versions.getJsonObject(0).getString("endJob"));
    assertEquals("retention", versions.getJsonObject(0).getString("area"));
    assertEquals(17, versions.getJsonObject(0).getLong("size"));
    assertEquals("data", versions.getJsonObject(1).getString("area"));
    // errors name the path / destination
    HttpResponse<Buffer> missing = h.get("sets/" + setId + "/tree?destination=Local-1&path=/no/such/folder");
    assertEquals(404, missing.statusCode());
    assertTrue(missing.bodyAsString().contains("/no/such/folder"), missing.bodyAsString());
    HttpResponse<Buffer> badDest = h.get("sets/" + setId + "/tree?destination=Nope&path=/");
    assertEquals(400, badDest.statusCode());
    assertTrue(badDest.bodyAsString().contains("Nope"), badDest.bodyAsString());

    // whole restore to an alternate folder, verifying: identical tree
    Path alt = dir.resolve("alt");
    JsonObject report = restore(h, setId, new JsonObject().put("destination", "Local-1")
        .put("target", alt.toString()).put("verifyChecksums", true));
    assertEquals("Completed", report.getString("status"), report.encodePrettily());
    assertEquals("restore", report.getString("trigger"));
    assertEquals(secondJob, report.getString("jobId"));
    assertTrue(report.getJsonObject("stats").getLong("verified") >= 6, report.encode());
    RepoFixture.assertSameTree(src, RepoFixture.under(alt, src));

    // as of the first job, selected paths only
    Path sel = dir.resolve("sel");
    report = restore(h, setId, new JsonObject().put("destination", "Local-1").put("job", firstJob)
        .put("paths", new JsonArray().add(src.resolve("docs/deep").toString())).put("target", sel.toString()));
    assertEquals("Completed", report.getString("status"), report.encodePrettily());
    Path selSrc = RepoFixture.under(sel, src);
    assertArrayEquals(oldSmall, Files.readAllBytes(selSrc.resolve("docs/deep/deeper/small.bin")));
    assertTrue(Files.exists(selSrc.resolve("docs/deep/random.bin")));
    assertFalse(Files.exists(selSrc.resolve("docs/readme.txt")));
    assertFalse(Files.exists(selSrc.resolve("big.bin")));

    // all versions: the older one gets its first job in its name
    Path all = dir.resolve("all");
    report = restore(h, setId, new JsonObject().put("destination", "Local-1").put("allVersions", true)
        .put("paths", new JsonArray().add(src.resolve("docs/deep/deeper").toString())).put("target", all.toString()));
    assertEquals("Completed", report.getString("status"), report.encodePrettily());
    Path deeper = RepoFixture.under(all, src).resolve("docs/deep/deeper");
    assertEquals("second version", Files.readString(deeper.resolve("small.bin")));
    assertArrayEquals(oldSmall, Files.readAllBytes(deeper.resolve("small." + firstJob + ".bin")));

    // delete unmatched: refused without confirmation, naming the field
    Path altSrc = RepoFixture.under(alt, src);
    Files.writeString(altSrc.resolve("docs/extra.txt"), "not in the backup");
    Files.createDirectories(altSrc.resolve("docs/deep/extra-folder"));
    Files.writeString(altSrc.resolve("outside.txt"), "outside the selection");
    JsonObject del = new JsonObject().put("destination", "Local-1").put("target", alt.toString())
        .put("paths", new JsonArray().add(src.resolve("docs").toString())).put("deleteUnmatched", true);
    HttpResponse<Buffer> refused = h.post("sets/" + setId + "/restore", del);
    assertEquals(400, refused.statusCode(), refused.bodyAsString());
    assertTrue(refused.bodyAsString().contains("confirmDeleteUnmatched"), refused.bodyAsString());
    assertTrue(Files.exists(altSrc.resolve("docs/extra.txt")));
    report = restore(h, setId, del.copy().put("confirmDeleteUnmatched", true));
    assertEquals("Completed", report.getString("status"), report.encodePrettily());
    assertEquals(2, report.getJsonObject("stats").getLong("deleted"), report.encode());
    assertFalse(Files.exists(altSrc.resolve("docs/extra.txt")));
    assertFalse(Files.exists(altSrc.resolve("docs/deep/extra-folder")));
    assertTrue(Files.exists(altSrc.resolve("outside.txt")), "only the selected folder is cleaned");
    assertTrue(Files.exists(altSrc.resolve("docs/readme.txt")));

    // restore reports are listed by kind
    JsonArray restores = h.get("jobs?kind=restore&setId=" + setId).bodyAsJsonObject().getJsonArray("items");
    assertEquals(4, restores.size(), restores.encode());
    JsonArray backups = h.get("jobs?kind=backup&setId=" + setId).bodyAsJsonObject().getJsonArray("items");
    assertEquals(2, backups.size(), backups.encode());
    assertEquals(400, h.get("jobs?kind=nope").statusCode());
  }

  @Test
  void allVersions_withChosenVersions_restoresOnlyThoseOfTheFilesNamed(Vertx vertx, @TempDir Path dir)
      throws Exception {
    JobsHarness h = new JobsHarness(vertx, dir.resolve("home"), true);
    Path src = dir.resolve("src");
    Files.createDirectories(src);
    long setId = h.create(JobsHarness.set("Versions", src, List.of(dir.resolve("d1"))));
    for (int v = 1; v <= 3; v++) {
      Files.writeString(src.resolve("report.txt"), "version " + v);
      Files.writeString(src.resolve("notes.txt"), "notes " + v);
      h.startBackup(setId);
      h.awaitReports(setId, v);
    }
    JsonArray points = h.get("sets/" + setId + "/restore-points?destination=Local-1").bodyAsJsonObject()
        .getJsonArray("items");
    String first = points.getJsonObject(2).getString("job");
    String third = points.getJsonObject(0).getString("job");
    String report = src.resolve("report.txt").toString();
    JsonObject body = new JsonObject().put("destination", "Local-1").put("allVersions", true)
        .put("paths", new JsonArray().add(src.toString())).put("target", dir.resolve("out").toString())
        .put("versions", new JsonArray().add(new JsonObject().put("path", report).put("job", first))
            .add(new JsonObject().put("path", report).put("job", third)));
    JsonObject done = restore(h, setId, body);
    assertEquals("Completed", done.getString("status"), done.encodePrettily());
    Path out = RepoFixture.under(dir.resolve("out"), src);
    try (Stream<Path> s = Files.list(out)) {
      assertEquals(List.of("notes." + first + ".txt", "notes." + points.getJsonObject(1).getString("job") + ".txt",
          "notes.txt", "report." + first + ".txt", "report.txt"),
          s.map(p -> p.getFileName().toString()).sorted().toList());
    }
    assertEquals("version 1", Files.readString(out.resolve("report." + first + ".txt")));
    assertEquals("version 3", Files.readString(out.resolve("report.txt")));

    HttpResponse<Buffer> noSuch = h.post("sets/" + setId + "/restore", body.copy().put("target",
        dir.resolve("out2").toString()).put("versions", new JsonArray().add(new JsonObject().put("path", report)
        .put("job", "2001-01-01-00-00-00"))));
    assertEquals(404, noSuch.statusCode(), noSuch.bodyAsString());
    assertTrue(noSuch.bodyAsString().contains("2001-01-01-00-00-00") && noSuch.bodyAsString().contains(report),
        noSuch.bodyAsString());
    HttpResponse<Buffer> withoutAll = h.post("sets/" + setId + "/restore", body.copy().put("allVersions", false));
    assertEquals(400, withoutAll.statusCode(), withoutAll.bodyAsString());
    assertTrue(withoutAll.bodyAsString().contains("versions"), withoutAll.bodyAsString());
    assertFalse(Files.exists(dir.resolve("out2")), "nothing written for a refused restore");
  }

  @Test
  void secondRestoreOfASet_whileOneRuns_is409(Vertx vertx, @TempDir Path dir) throws Exception {
    JobsHarness h = new JobsHarness(vertx, dir.resolve("home"), true);
    Path src = dir.resolve("src");
    RepoFixture.makeTree(src, 3);
    // restores share the set's limit: its 12 MiB take over a second at 8 MiB/s, so the first restore is still
    // running when the second request comes, however fast the machine
    long setId = h.create(JobsHarness.set("Docs", src, List.of(dir.resolve("d1"))).put("bandwidth", new JsonObject()
        .put("enabled", true).put("limits", new JsonArray().add(new JsonObject().put("name", "Always")
            .put("rate", "64Mibit/s").put("always", true)))));
    h.startBackup(setId);
    h.awaitReports(setId, 1);
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.EVENT_RESTORE_PROGRESS, m -> events.add(m.body()))
        .completion().await();
    Future<HttpResponse<Buffer>> a = h.client.post(h.port, "127.0.0.1", "/api/v1/sets/" + setId + "/restore")
        .sendJsonObject(new JsonObject().put("destination", "Local-1").put("target", dir.resolve("a").toString()));
    Future<HttpResponse<Buffer>> b = h.client.post(h.port, "127.0.0.1", "/api/v1/sets/" + setId + "/restore")
        .sendJsonObject(new JsonObject().put("destination", "Local-1").put("target", dir.resolve("b").toString()));
    List<Integer> codes = Stream.of(a.await(), b.await()).map(HttpResponse::statusCode).sorted().toList();
    assertEquals(List.of(202, 409), codes);
    HttpResponse<Buffer> conflict = a.await().statusCode() == 409 ? a.await() : b.await();
    assertTrue(conflict.bodyAsString().contains("restore running"), conflict.bodyAsString());
    JsonObject last = eventuallyGet(Duration.ofSeconds(30), () -> events.stream().filter(e -> e.getBoolean("done"))
        .findFirst().orElseThrow(() -> new AssertionError("no restore progress event says done: " + events)));
    assertEquals("Completed", last.getString("status"), last.encode());
    assertTrue(last.getLong("files") > 0, last.encode());
    // once it ended, the next one may start
    JsonObject report = restore(h, setId, new JsonObject().put("destination", "Local-1")
        .put("target", dir.resolve("c").toString()));
    assertEquals("Completed", report.getString("status"), report.encodePrettily());
  }

  @Test
  void restoreToTheOriginalLocation_bringsBackDeletedAndModifiedFiles(Vertx vertx, @TempDir Path dir) throws Exception {
    JobsHarness h = new JobsHarness(vertx, dir.resolve("home"), true);
    Path src = dir.resolve("data/src");
    RepoFixture.makeTree(src, 5);
    FileTime bigTime = Files.getLastModifiedTime(src.resolve("big.bin"));
    byte[] big = Files.readAllBytes(src.resolve("big.bin"));
    long setId = h.create(JobsHarness.set("Docs", src, List.of(dir.resolve("d1"))));
    h.startBackup(setId);
    h.awaitReports(setId, 1);
    Files.delete(src.resolve("docs/readme.txt"));
    Files.writeString(src.resolve("big.bin"), "modified");
    Files.writeString(src.resolve("new-since.txt"), "made after the backup");
    Files.writeString(dir.resolve("data/beside-the-source.txt"), "not part of the set");
    // a symlink where a folder was: the restore must not write through it
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    Files.move(src.resolve("docs/deep/deeper"), dir.resolve("moved-deeper"));
    Files.createSymbolicLink(src.resolve("docs/deep/deeper"), elsewhere);

    JsonObject report = restore(h, setId, new JsonObject().put("destination", "Local-1").put("target", "original")
        .put("deleteUnmatched", true).put("confirmDeleteUnmatched", true));
    assertEquals("restore", report.getString("trigger"));
    assertEquals("original", report.getJsonObject("stats").getString("target"));
    assertEquals("hello backup\n".repeat(1000), Files.readString(src.resolve("docs/readme.txt")));
    assertEquals(1_600_000_000_123L, Files.getLastModifiedTime(src.resolve("docs/readme.txt")).toMillis());
    assertArrayEquals(big, Files.readAllBytes(src.resolve("big.bin")));
    assertEquals(bigTime, Files.getLastModifiedTime(src.resolve("big.bin")));
    // unmatched data is deleted inside the source only, never beside it
    assertFalse(Files.exists(src.resolve("new-since.txt")));
    assertTrue(Files.exists(dir.resolve("data/beside-the-source.txt")));
    // nothing written through the symlink; the refusal is reported
    try (Stream<Path> s = Files.list(elsewhere)) {
      assertEquals(0, s.count());
    }
    assertEquals("Completed with warning(s)", report.getString("status"), report.encodePrettily());
    JsonArray lines = h.get("jobs/" + report.getLong("id")).bodyAsJsonObject().getJsonArray("log");
    assertTrue(lines.encode().contains("symlink"), lines.encode());
  }
}
