package au.com.backup247.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.backup.RepoFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent is killed (SIGKILL) in the middle of a backup: after a restart the report says
 * "Backup not yet finished" and keeps the log lines written before the kill, and the next backup
 * completes and restores byte-identical.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class RestartMidJobIT {

  private static String group(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertTrue(m.find(), "no match for " + regex + " in:\n" + text);
    return m.group(1);
  }

  private static boolean anyLock(Path repo) {
    try (var s = Files.list(repo.resolve("locks"))) {
      return s.anyMatch(p -> p.getFileName().toString().endsWith(".lock"));
    } catch (java.io.IOException e) {
      return false; // not created yet
    }
  }

  private static List<String> messages(JsonObject report) {
    return report.getJsonArray("log").stream().map(o -> ((JsonObject) o).getString("message")).toList();
  }

  @Test
  void killedWhileUploading_theNextBackupTakesOverTheStaleLock_andTheRepositoryChecksClean(@TempDir Path dir)
      throws Exception {
    Path home = dir.resolve("home");
    int port = AgentProcess.freePort();
    Path src = dir.resolve("src");
    Files.createDirectories(src);
    java.util.Random r = new java.util.Random(3);
    for (int i = 0; i < 6; i++) {
      Files.write(src.resolve("part-" + i + ".bin"), RepoFixture.bytes(r, 4 << 20));
    }
    Path dest = dir.resolve("d1");
    // 24 MiB at 1 MiB/s: the upload takes far longer than the kill below needs
    JsonObject slow = new JsonObject().put("name", "Big")
        .put("source", new JsonObject().put("home", src.toString()).put("paths", new JsonArray().add(src.toString())))
        .put("destinations", new JsonArray().add(new JsonObject().put("name", "Local-1").put("url", "file://" + dest)))
        .put("others", new JsonObject().put("followLinks", false))
        .put("bandwidth", new JsonObject().put("enabled", true).put("mode", "independent").put("limits",
            new JsonArray().add(new JsonObject().put("name", "Always").put("rate", "8Mibit/s").put("always", true))));
    Path setFile = dir.resolve("set.json");
    Files.writeString(setFile, slow.encode(), StandardCharsets.UTF_8);

    String id;
    String reportId;
    RunningAgent agent = RunningAgent.start(home, port, "agent-1");
    try {
      id = group(agent.ok("set", "create", "--file", setFile.toString()), "\\(id ([0-9]+)\\)");
      reportId = group(agent.ok("backup", id), "report ([0-9]+): Local-1");
      Path repo = dest.resolve(id);
      AgentProcess.await("the backup to lock its repository", 120, () -> anyLock(repo));
      agent.kill();
    } finally {
      agent.close();
    }
    assertTrue(anyLock(dest.resolve(id)), "the killed job left its lock behind");

    try (RunningAgent again = RunningAgent.start(home, port, "agent-2")) {
      assertEquals("Backup not yet finished", again.getJson("jobs/" + reportId).getString("status"));
      Files.writeString(setFile, slow.copy().put("bandwidth", new JsonObject().put("enabled", false)).encode());
      again.ok("set", "update", id, "--file", setFile.toString());
      String backup = again.ok("backup", id, "--wait");
      assertTrue(backup.contains("Local-1: Completed"), backup + again.ok("report", "show",
          group(backup, "report ([0-9]+)")));
      Path alt = dir.resolve("alt");
      assertTrue(again.ok("restore", id, "--destination", "Local-1", "--target", alt.toString(), "--wait")
          .contains("Completed: "));
      RepoFixture.assertSameTree(src, RepoFixture.under(alt, src));
      AgentProcess.Result check = AgentProcess.shell(300, AgentProcess.java(), "-jar", AgentProcess.JAR, "repo",
          "check", "--read-data", "--repo", dest.resolve(id).toString(), "--key-file",
          home.resolve("keys/" + id + ".key").toString());
      assertEquals(0, check.exit(), "repo check after the crash and the next backup:\n" + check.all());
    }
  }

  @Test
  void killedMidJob_reportIsNotYetFinishedWithItsLog_andTheNextBackupSucceeds(@TempDir Path dir) throws Exception {
    Path home = dir.resolve("home");
    int port = AgentProcess.freePort();
    Path src = dir.resolve("src");
    RepoFixture.makeTree(src, 5);
    Path flag = dir.resolve("held-once");
    // the first backup holds in its pre-backup command (the agent is killed there); later ones pass at once
    JsonObject set = new JsonObject().put("name", "Crashy")
        .put("source", new JsonObject().put("home", src.toString()).put("paths", new JsonArray().add(src.toString())))
        .put("destinations", new JsonArray().add(new JsonObject().put("name", "Local-1")
            .put("url", "file://" + dir.resolve("d1"))))
        .put("others", new JsonObject().put("followLinks", false))
        .put("preBackupCommands", new JsonArray().add(new JsonObject().put("name", "Hold")
            .put("workingDirectory", dir.toString()).put("timeoutSeconds", 600)
            .put("command", "if [ -e " + flag + " ]; then echo passing; else touch " + flag
                + "; echo before-kill; sleep 300; fi")));
    Path setFile = dir.resolve("set.json");
    Files.writeString(setFile, set.encode(), StandardCharsets.UTF_8);

    String id;
    String reportId;
    RunningAgent agent = RunningAgent.start(home, port, "agent-1");
    try {
      id = group(agent.ok("set", "create", "--file", setFile.toString()), "\\(id ([0-9]+)\\)");
      reportId = group(agent.ok("backup", id), "report ([0-9]+): Local-1");
      AgentProcess.await("the job's log lines to reach the catalog", 60, () -> {
        try {
          return messages(agent.getJson("jobs/" + reportId)).contains("[Hold] before-kill");
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
      assertEquals("In progress", agent.getJson("jobs/" + reportId).getString("status"));
      agent.kill();
    } finally {
      agent.close();
    }

    try (RunningAgent again = RunningAgent.start(home, port, "agent-2")) {
      JsonObject report = again.getJson("jobs/" + reportId);
      assertEquals("Backup not yet finished", report.getString("status"), report.encodePrettily());
      List<String> log = messages(report);
      assertTrue(log.get(0).startsWith("backup of set \"Crashy\""), log.toString());
      int before = log.indexOf("[Hold] before-kill");
      int marked = log.indexOf("the agent stopped before this backup finished");
      assertTrue(before > 0 && marked > before, "the lines written before the kill come first: " + log);
      assertEquals("error", report.getJsonArray("log").getJsonObject(marked).getString("level"));

      String backup = again.ok("backup", id, "--wait");
      assertTrue(backup.contains("Local-1: Completed"), backup);
      Path alt = dir.resolve("alt");
      assertTrue(again.ok("restore", id, "--destination", "Local-1", "--target", alt.toString(), "--wait")
          .contains("Completed: "));
      RepoFixture.assertSameTree(src, RepoFixture.under(alt, src));
      String reports = again.ok("report", "list", "--set", id);
      assertTrue(reports.lines().anyMatch(l -> l.strip().startsWith(reportId + "  Crashy ")
          && l.contains("Backup not yet finished")), reports);
    }
  }
}
