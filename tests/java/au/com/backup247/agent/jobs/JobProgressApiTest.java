package au.com.backup247.agent.jobs;

import static au.com.backup247.agent.testing.Eventually.eventuallyGet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.api.ApiTesting;
import au.com.backup247.agent.backup.RepoFixture;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live progress of a running backup through the API: {@code GET /jobs/{id}} shows it while the job
 * runs, {@code GET /jobs/{id}/events} streams it and ends with the final event, and a cancel stops a
 * backup in the middle of a large file's upload (a paced upload stops within one piece of its block). The backups are slowed by the set's own upload limit (a real
 * token bucket on a real local folder), so they run for seconds without any sleep in the test.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JobProgressApiTest {

  /** A set of {@code source} to one local folder, uploads limited to {@code rate} ("8Mibit/s"). */
  private static JsonObject slowSet(String name, Path source, Path dest, String rate) {
    return JobsHarness.set(name, source, List.of(dest)).put("bandwidth", new JsonObject().put("enabled", true)
        .put("mode", "independent").put("limits", new JsonArray()
            .add(new JsonObject().put("name", "Always").put("rate", rate).put("always", true))));
  }

  private static JsonObject awaitReport(JobsHarness h, long id, Predicate<JsonObject> cond, String what) {
    return eventuallyGet(Duration.ofSeconds(60), () -> {
      HttpResponse<Buffer> res = h.get("jobs/" + id + "?logLimit=1");
      assertEquals(200, res.statusCode(), res.bodyAsString());
      JsonObject r = res.bodyAsJsonObject();
      assertTrue(cond.test(r), what + ": " + r);
      return r;
    });
  }

  @Test
  void runningBackup_showsProgress_andItsEventStreamEndsWithTheFinalEvent(Vertx vertx, @TempDir Path dir)
      throws Exception {
    JobsHarness h = new JobsHarness(vertx, dir.resolve("home"), true);
    Path src = Files.createDirectories(dir.resolve("src"));
    Random r = new Random(7);
    for (int i = 0; i < 4; i++) {
      Files.write(src.resolve("part-" + i + ".bin"), RepoFixture.bytes(r, 1 << 20));
    }
    long setId = h.create(slowSet("Slow", src, dir.resolve("d1"), "8Mibit/s")); // 4 MiB at 1 MiB/s
    long id = h.startBackup(setId).getJsonArray("jobs").getJsonObject(0).getLong("id");

    JsonObject running = awaitReport(h, id, x -> x.getJsonObject("progress") != null
        && x.getJsonObject("progress").getLong("bytes", 0L) > 0, "no progress while running");
    assertEquals("In progress", running.getString("status"));
    JsonObject p = running.getJsonObject("progress");
    assertEquals("backup", p.getString("kind"));
    assertEquals(setId, p.getLong("setId"));
    assertEquals(id, p.getLong("reportId"));
    assertFalse(p.getBoolean("done"));
    assertEquals("Local-1", p.getJsonArray("destinations").getJsonObject(0).getString("name"));
    assertTrue(p.containsKey("bytesPerSecond") && p.containsKey("etaSeconds") && p.containsKey("currentFile"), p.encode());

    // the stream: several progress events while it runs, then the final one, then the end of the stream
    String token = ApiTesting.token(h.home);
    List<JsonObject> events = new ArrayList<>();
    java.net.http.HttpResponse<java.util.stream.Stream<String>> stream = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + h.port + "/api/v1/jobs/" + id + "/events"))
            .header("Authorization", "Bearer " + token).GET().build(), BodyHandlers.ofLines());
    assertEquals(200, stream.statusCode());
    assertTrue(stream.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
    stream.body().forEach(line -> {
      if (line.startsWith("data: ")) {
        events.add(new JsonObject(line.substring(6)));
      }
    });
    assertTrue(events.size() >= 3, "several events before the end: " + events);
    JsonObject last = events.get(events.size() - 1);
    assertTrue(last.getBoolean("done"), last.encode());
    assertEquals("Completed", last.getString("status"), last.encode());
    assertEquals(100, last.getInteger("percent"));
    assertTrue(last.getLong("filesTotal") >= 4, "the four files (and their folder): " + last.encode());
    assertEquals(last.getLong("bytesTotal"), last.getLong("bytes"), last.encode());
    assertTrue(last.getLong("bytes") >= 4L << 20, last.encode());
    for (JsonObject e : events.subList(0, events.size() - 1)) {
      assertFalse(e.getBoolean("done"), e.encode());
    }
    long bytes = -1;
    for (JsonObject e : events) {
      assertTrue(e.getLong("bytes") >= bytes, "bytes done never go back: " + events);
      bytes = e.getLong("bytes");
    }
    assertTrue(events.get(events.size() - 2).getJsonArray("destinations").getJsonObject(0)
        .getLong("bytesUploaded") > 0, events.toString());

    // once ended: the report has no progress, and a new stream gives the final event at once
    JsonObject ended = h.get("jobs/" + id).bodyAsJsonObject();
    assertEquals("Completed", ended.getString("status"));
    assertNull(ended.getValue("progress"));
    java.net.http.HttpResponse<String> again = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + h.port + "/api/v1/jobs/" + id + "/events"))
            .header("Authorization", "Bearer " + token).GET().build(), BodyHandlers.ofString());
    assertEquals(200, again.statusCode());
    assertEquals(1, again.body().lines().filter(l -> l.startsWith("data: ")).count(), again.body());
    assertTrue(again.body().contains("\"done\":true"), again.body());
    assertEquals(404, h.get("jobs/999999/events").statusCode());
  }

  @Test
  void cancel_stopsTheBackupInTheMiddleOfALargeFilesUpload(Vertx vertx, @TempDir Path dir) throws Exception {
    JobsHarness h = new JobsHarness(vertx, dir.resolve("home"), true);
    Path src = Files.createDirectories(dir.resolve("src"));
    Path big = src.resolve("big.bin");
    Files.write(big, RepoFixture.bytes(new Random(3), 48 << 20));
    long setId = h.create(slowSet("Big", src, dir.resolve("d1"), "8Mibit/s")); // 48 MiB at 1 MiB/s: ~48 s
    long id = h.startBackup(setId).getJsonArray("jobs").getJsonObject(0).getLong("id");

    JsonObject mid = awaitReport(h, id, x -> x.getJsonObject("progress") != null
        && x.getJsonObject("progress").getJsonArray("destinations").getJsonObject(0).getLong("bytesUploaded") > 0,
        "nothing uploaded yet");
    JsonObject p = mid.getJsonObject("progress");
    assertEquals(big.toString(), p.getString("currentFile"), p.encode());
    // read at disk speed, but its blocks are still being sent: the job is in the middle of the file's upload
    assertTrue(p.getJsonArray("destinations").getJsonObject(0).getLong("bytesUploaded") < 40L << 20, p.encode());

    long t0 = System.nanoTime();
    HttpResponse<Buffer> cancel = h.post("sets/" + setId + "/backup/cancel", new JsonObject());
    assertEquals(202, cancel.statusCode(), cancel.bodyAsString());
    assertEquals(id, cancel.bodyAsJsonObject().getJsonArray("jobs").getJsonObject(0).getLong("id"));
    JsonObject end = awaitReport(h, id, x -> !"In progress".equals(x.getString("status")), "still running");
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
    assertEquals("Interrupted", end.getString("status"), end.encode());
    // generous: the upload left needed tens of seconds; a cancel seen only at the end of the file would too
    assertTrue(seconds < 15, "the cancel took " + seconds + " s");
    assertNotNull(end.getJsonObject("stats"));
  }

  @Test
  void restore_showsProgress_andCancelDropsTheFileBeingWritten(Vertx vertx, @TempDir Path dir) throws Exception {
    JobsHarness h = new JobsHarness(vertx, dir.resolve("home"), true);
    Path src = Files.createDirectories(dir.resolve("src"));
    Files.write(src.resolve("big.bin"), RepoFixture.bytes(new Random(9), 16 << 20));
    long setId = h.create(JobsHarness.set("Restored", src, List.of(dir.resolve("d1"))));
    h.startBackup(setId);
    h.awaitReports(setId, 1);
    // now slow: downloads share the set's limit, so the restore reads 16 MiB at 512 KiB/s (~32 s)
    HttpResponse<Buffer> slowed = h.put("sets/" + setId, slowSet("Restored", src, dir.resolve("d1"), "4Mibit/s"));
    assertEquals(200, slowed.statusCode(), slowed.bodyAsString());

    Path target = dir.resolve("target");
    HttpResponse<Buffer> started = h.post("sets/" + setId + "/restore", new JsonObject().put("destination", "Local-1")
        .put("target", target.toString()));
    assertEquals(202, started.statusCode(), started.bodyAsString());
    long id = started.bodyAsJsonObject().getLong("reportId");
    JsonObject mid = awaitReport(h, id, x -> x.getJsonObject("progress") != null
        && x.getJsonObject("progress").getLong("bytes", 0L) > 0, "nothing restored yet");
    JsonObject p = mid.getJsonObject("progress");
    assertEquals("restore", p.getString("kind"));
    assertEquals(16L << 20, p.getLong("bytesTotal"), p.encode());
    assertTrue(p.getLong("bytes") < 16L << 20, p.encode());
    assertTrue(p.getString("currentFile").endsWith("big.bin"), p.encode());

    long t0 = System.nanoTime();
    HttpResponse<Buffer> cancel = h.post("sets/" + setId + "/restore/cancel", new JsonObject());
    assertEquals(202, cancel.statusCode(), cancel.bodyAsString());
    assertEquals(id, cancel.bodyAsJsonObject().getLong("reportId"));
    JsonObject end = awaitReport(h, id, x -> !"In progress".equals(x.getString("status")), "still running");
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
    assertEquals("Interrupted", end.getString("status"), end.encode());
    assertTrue(seconds < 15, "the cancel took " + seconds + " s");
    try (var files = Files.walk(target)) {
      assertEquals(List.of(), files.filter(Files::isRegularFile).toList(), "no file left, not even half of one");
    }
    assertEquals(409, h.post("sets/" + setId + "/restore/cancel", new JsonObject()).statusCode());
  }
}
