package au.com.backup247.agent.jobs;

import static au.com.backup247.agent.testing.Eventually.eventuallyGet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import io.vertx.junit5.VertxExtension;

/**
 * A job's log lines reach its reports while it runs (not only at the end), and the final report
 * is the same as without streaming: every line once, in order, long logs cut as before.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LogStreamTest {

  /** Every log line of a report (all pages). */
  private static List<JsonObject> log(JobsHarness h, long reportId) {
    List<JsonObject> out = new ArrayList<>();
    long after = 0;
    while (true) {
      JsonObject r = h.get("jobs/" + reportId + "?logLimit=10000&logAfter=" + after).bodyAsJsonObject();
      r.getJsonArray("log").forEach(o -> out.add((JsonObject) o));
      Long next = r.getLong("logNext");
      if (next == null) {
        return out;
      }
      after = next;
    }
  }

  private static List<String> messages(List<JsonObject> lines) {
    return lines.stream().map(l -> l.getString("message")).toList();
  }

  @Test
  void linesAreInTheReportWhileTheJobRuns_andTheFinalLogHasEachOnce(Vertx vertx, @TempDir Path dir) throws Exception {
    JobsHarness h = new JobsHarness(vertx, dir.resolve("home"), true);
    Path src = Files.createDirectories(dir.resolve("src"));
    Files.writeString(src.resolve("a.txt"), "a");
    JsonObject set = JobsHarness.set("Slow", src, List.of(dir.resolve("d1"), dir.resolve("d2")))
        .put("preBackupCommands", new JsonArray().add(JobsHarness.command("Slow", dir,
            "for i in 1 2 3 4 5; do echo line-$i; done; sleep 600")));
    long setId = h.create(set);
    JsonArray jobs = h.startBackup(setId).getJsonArray("jobs");

    for (Object o : jobs) {
      long id = ((JsonObject) o).getLong("id");
      JsonObject r = eventuallyGet(Duration.ofSeconds(45), () -> {
        JsonObject now = h.get("jobs/" + id).bodyAsJsonObject();
        assertTrue(now.getJsonArray("log").encode().contains("[Slow] line-5"), now.encodePrettily());
        return now;
      });
      assertEquals("In progress", r.getString("status"), "the lines are there before the job ends: " + r);
    }
    assertEquals(202, h.post("sets/" + setId + "/backup/cancel", new JsonObject()).statusCode());
    h.awaitReports(setId, 2);

    for (Object o : jobs) {
      List<JsonObject> lines = log(h, ((JsonObject) o).getLong("id"));
      List<String> m = messages(lines);
      for (int i = 0; i < lines.size(); i++) {
        assertEquals(i + 1, lines.get(i).getLong("seq"), "seq numbers are 1..n without gaps: " + m);
      }
      assertTrue(m.get(0).startsWith("backup of set \"Slow\""), m.toString());
      assertTrue(m.get(1).startsWith("[Slow] running pre-backup command"), m.toString());
      assertEquals(List.of("[Slow] line-1", "[Slow] line-2", "[Slow] line-3", "[Slow] line-4", "[Slow] line-5"),
          m.subList(2, 7));
      assertEquals(1, m.stream().filter(x -> x.equals("[Slow] line-5")).count(), m.toString());
      assertEquals(1, m.stream().filter(x -> x.equals("cancel requested")).count(), m.toString());
      assertEquals("destination \"Local-2\": Interrupted", m.get(m.size() - 1), m.toString());
    }
  }

  @Test
  void aLongLog_isCutAsBefore_keepingTheFirstAndLastLines(Vertx vertx, @TempDir Path dir) throws Exception {
    JobsHarness h = new JobsHarness(vertx, dir.resolve("home"), true);
    Path src = Files.createDirectories(dir.resolve("src"));
    Files.writeString(src.resolve("a.txt"), "a");
    JsonObject set = JobsHarness.set("Chatty", src, List.of(dir.resolve("d1")))
        .put("preBackupCommands", new JsonArray().add(JobsHarness.command("Chatty", dir, "seq 1 12000")));
    long setId = h.create(set);
    long id = h.startBackup(setId).getJsonArray("jobs").getJsonObject(0).getLong("id");
    JsonObject report = h.awaitReports(setId, 1).getJsonObject(0);
    assertEquals("Completed", report.getString("status"), report.encodePrettily());

    List<JsonObject> lines = log(h, id);
    List<String> m = messages(lines);
    assertEquals(2 * ReportLines.KEEP + 1, lines.size());
    for (int i = 0; i < lines.size(); i++) {
      assertEquals(i + 1, lines.get(i).getLong("seq"));
    }
    assertTrue(m.get(0).startsWith("backup of set \"Chatty\""), m.get(0));
    assertEquals("[Chatty] 1", m.get(2));
    assertEquals("[Chatty] " + (ReportLines.KEEP - 2), m.get(ReportLines.KEEP - 1));
    assertTrue(m.get(ReportLines.KEEP).matches("[0-9]+ log lines left out"), m.get(ReportLines.KEEP));
    assertEquals(1, m.stream().filter(x -> x.endsWith("log lines left out")).count());
    assertTrue(m.contains("[Chatty] 12000"), "the last lines are kept");
    assertEquals("destination \"Local-1\": Completed", m.get(m.size() - 1));
  }
}
