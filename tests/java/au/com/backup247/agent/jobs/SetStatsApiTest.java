package au.com.backup247.agent.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.auth.AuthHarness;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
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

/** GET /sets/{id}/stats: the charts' series from the set's reports, for its owner and admins only. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SetStatsApiTest {

  @Test
  void aSetsStats_followItsReports_andOnlyItsOwnerAndAdminsMayReadThem(Vertx vertx, @TempDir Path dir)
      throws Exception {
    AuthHarness h = new AuthHarness(vertx, dir.resolve("agent"));
    Path aliceHome = Files.createDirectories(dir.resolve("home/alice"));
    Path docs = Files.createDirectories(aliceHome.resolve("docs"));
    Files.writeString(docs.resolve("a.txt"), "alice's first file");
    h.createUser("alice", "user", List.of(aliceHome.toString()));
    h.createUser("bob", "user", List.of(dir.resolve("home/bob").toString()));
    h.createUser("root", "admin", null);
    String alice = h.session("alice");
    JsonObject set = new JsonObject().put("name", "Alice docs")
        .put("source", new JsonObject().put("home", docs.toString()).put("paths", new JsonArray().add(docs.toString())))
        .put("destinations", new JsonArray().add(new JsonObject().put("name", "Local")
            .put("url", "file://" + aliceHome.resolve("backup"))));
    HttpResponse<Buffer> created = h.as(alice, HttpMethod.POST, "sets", set);
    assertEquals(201, created.statusCode(), created.bodyAsString());
    long id = created.bodyAsJsonObject().getLong("id");
    backUp(h, alice, id, 1);
    Files.writeString(docs.resolve("b.txt"), "a second file, new in the second backup");
    JsonArray reports = backUp(h, alice, id, 2);

    HttpResponse<Buffer> r = h.as(alice, HttpMethod.GET, "sets/" + id + "/stats", null);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject stats = r.bodyAsJsonObject();
    assertEquals(id, stats.getLong("setId"));
    JsonObject local = stats.getJsonArray("destinations").getJsonObject(0);
    assertEquals("Local", local.getString("name"));
    JsonArray points = local.getJsonArray("points");
    assertEquals(2, points.size(), points.encodePrettily());
    long stored = 0;
    for (int i = 0; i < 2; i++) {
      JsonObject report = reports.getJsonObject(1 - i); // the list is newest first, the points oldest first
      JsonObject p = points.getJsonObject(i);
      stored += report.getJsonObject("stats").getLong("bytesStored");
      assertEquals(report.getLong("id"), p.getLong("reportId"));
      assertEquals(stored, p.getLong("storedTotal"));
      assertEquals(report.getLong("endedAt") - report.getLong("startedAt"), p.getLong("durationMs"));
      assertEquals(report.getJsonObject("stats").getLong("bytesNew"), p.getLong("bytesNew"));
      assertEquals(report.getJsonObject("stats").getLong("filesNew"), p.getLong("filesNew"));
    }
    assertTrue(stored > 0, "the backups stored something");
    assertEquals(1L, points.getJsonObject(1).getLong("filesNew"), "one new file in the second backup");

    JsonArray newest = h.as(alice, HttpMethod.GET, "sets/" + id + "/stats?limit=1", null).bodyAsJsonObject()
        .getJsonArray("destinations").getJsonObject(0).getJsonArray("points");
    assertEquals(1, newest.size());
    assertEquals(stored, newest.getJsonObject(0).getLong("storedTotal"), "the total counts the whole history");
    assertEquals(400, h.as(alice, HttpMethod.GET, "sets/" + id + "/stats?limit=0", null).statusCode());
    assertEquals(404, h.as(h.session("bob"), HttpMethod.GET, "sets/" + id + "/stats", null).statusCode());
    assertEquals(200, h.as(h.session("root"), HttpMethod.GET, "sets/" + id + "/stats", null).statusCode());
    assertEquals(401, h.call(HttpMethod.GET, "sets/" + id + "/stats", null).statusCode());
  }

  /** Starts a backup and waits until the set has {@code count} ended reports; returns them, newest first. */
  private static JsonArray backUp(AuthHarness h, String session, long id, int count) throws InterruptedException {
    assertEquals(202, h.as(session, HttpMethod.POST, "sets/" + id + "/backup", new JsonObject()).statusCode());
    JsonArray items = h.awaitReports(session, id, count);
    assertEquals(count, items.size(), items.encodePrettily());
    assertEquals("Completed", items.getJsonObject(0).getString("status"), items.encodePrettily());
    return items;
  }
}
