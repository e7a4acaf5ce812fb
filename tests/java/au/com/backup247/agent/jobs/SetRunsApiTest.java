package au.com.backup247.agent.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.backup.RepoFixture;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-set compatibility rule ({@link SetRuns}) through the REST API, while a backup holds the
 * set (its pre-backup command waits until cancelled): a restore runs beside it, space freeing and
 * confirming the destinations' state are refused naming the backup's run.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SetRunsApiTest {

  @Test
  void whileABackupRuns_aRestoreRuns_andSpaceFreeingIsRefusedNamingTheBackup(Vertx vertx, @TempDir Path dir)
      throws Exception {
    JobsHarness h = new JobsHarness(vertx, dir.resolve("home"), true);
    Path src = dir.resolve("src");
    RepoFixture.makeTree(src, 3);
    Path slow = dir.resolve("slow");
    JsonObject set = JobsHarness.set("Docs", src, List.of(dir.resolve("d1"))).put("preBackupCommands",
        new JsonArray().add(JobsHarness.command("Wait", dir, "if [ -f " + slow + " ]; then sleep 30; fi")));
    long setId = h.create(set);
    h.startBackup(setId);
    h.awaitReports(setId, 1);
    Files.writeString(slow, "the next backup waits");
    JsonObject backup = h.startBackup(setId);
    String runId = backup.getString("runId");

    HttpResponse<Buffer> restore = h.post("sets/" + setId + "/restore", new JsonObject()
        .put("destination", "Local-1").put("target", dir.resolve("out").toString()));
    assertEquals(202, restore.statusCode(), restore.bodyAsString());
    JsonObject restored = h.awaitStatus(restore.bodyAsJsonObject().getLong("reportId"), "Completed");
    assertEquals("restore", restored.getString("trigger"));

    HttpResponse<Buffer> freeing = h.post("sets/" + setId + "/space-freeing", new JsonObject());
    assertEquals(409, freeing.statusCode(), freeing.bodyAsString());
    JsonObject error = freeing.bodyAsJsonObject().getJsonObject("error");
    assertEquals("already_running", error.getString("code"));
    assertTrue(error.getString("message").contains("has a backup running (run " + runId + ")"), error.encode());

    HttpResponse<Buffer> all = h.post("space-freeing", new JsonObject());
    assertEquals(202, all.statusCode(), all.bodyAsString());
    JsonObject skipped = all.bodyAsJsonObject().getJsonArray("skipped").getJsonObject(0);
    assertEquals(setId, skipped.getLong("setId"));
    assertTrue(skipped.getString("reason").contains(runId), skipped.encode());

    HttpResponse<Buffer> again = h.post("sets/" + setId + "/backup", new JsonObject());
    assertEquals(409, again.statusCode(), again.bodyAsString());
    assertTrue(again.bodyAsString().contains("already has a backup running (run " + runId + ")"),
        again.bodyAsString());
    assertEquals(409, h.post("sets/" + setId + "/confirm-state", new JsonObject()).statusCode());

    assertEquals(202, h.post("sets/" + setId + "/backup/cancel", new JsonObject()).statusCode());
    h.awaitReports(setId, 3);
    HttpResponse<Buffer> after = h.post("sets/" + setId + "/space-freeing", new JsonObject());
    assertEquals(202, after.statusCode(), "the set is free once the backup ended: " + after.bodyAsString());
  }
}
