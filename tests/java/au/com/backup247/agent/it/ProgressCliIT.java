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
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user sees of a long job in the CLI, against a real agent process: {@code backup --wait}
 * prints progress lines while a backup slowed by the set's upload limit runs (not a terminal here,
 * so plain lines), then the summary; Ctrl-C on the wait (not a terminal) leaves the backup running
 * and says so; {@code backup --cancel} stops it and reports "Interrupted" with the reason.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ProgressCliIT {

  private static JsonObject slowSet(String name, Path src, Path dest) {
    return new JsonObject().put("name", name)
        .put("source", new JsonObject().put("home", src.toString()).put("paths", new JsonArray().add(src.toString())))
        .put("destinations", new JsonArray().add(new JsonObject().put("name", "Local-1").put("url", "file://" + dest)))
        .put("others", new JsonObject().put("followLinks", false))
        .put("bandwidth", new JsonObject().put("enabled", true).put("mode", "independent").put("limits",
            new JsonArray().add(new JsonObject().put("name", "Always").put("rate", "8Mibit/s").put("always", true))));
  }

  private static String create(RunningAgent agent, Path dir, JsonObject set) throws Exception {
    Path file = dir.resolve(set.getString("name") + ".json");
    Files.writeString(file, set.encode(), StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("\\(id ([0-9]+)\\)").matcher(agent.ok("set", "create", "--file", file.toString()));
    assertTrue(m.find());
    return m.group(1);
  }

  @Test
  void backupWait_showsProgressLines_thenTheSummary(@TempDir Path dir) throws Exception {
    Path src = Files.createDirectories(dir.resolve("src"));
    Random r = new Random(11);
    for (int i = 0; i < 6; i++) {
      Files.write(src.resolve("part-" + i + ".bin"), RepoFixture.bytes(r, 1 << 20));
    }
    try (RunningAgent agent = RunningAgent.start(dir.resolve("home"), AgentProcess.freePort(), "agent")) {
      create(agent, dir, slowSet("Slow", src, dir.resolve("d1"))); // 6 MiB at 1 MiB/s
      String out = agent.ok("backup", "Slow", "--wait", "--progress-every", "1");
      List<String> lines = out.lines().toList();
      int end = 0;
      while (end < lines.size() && !lines.get(end).contains("Local-1: ")) {
        end++;
      }
      long progress = lines.subList(0, end).stream().filter(l -> l.contains(" files, ") && l.contains("/s")).count();
      assertTrue(progress >= 3, "several progress lines before the end:\n" + out);
      assertTrue(lines.subList(0, end).stream().anyMatch(l -> l.matches("[0-9]+% .*")), out);
      assertTrue(out.contains("Local-1: Completed (report "), out);
      assertTrue(Pattern.compile("Files: [6-9] new, 0 changed, 0 unchanged").matcher(out).find(), out);
      assertTrue(Pattern.compile("Data: 6\\.0 MiB read, [0-9.]+ MiB added, [0-9.]+ MiB stored").matcher(out).find(),
          out);
      assertTrue(Pattern.compile("Took: 0:[0-9]{2}").matcher(out).find(), out);

      // nothing changed: a second backup reads nothing (its folders may count as changed: their times)
      String again = agent.ok("backup", "slow", "--wait");
      assertTrue(again.contains("Files: 0 new, ") && again.contains("Data: 0 B read, 0 B added"), again);
    }
  }

  @Test
  void ctrlC_leavesTheBackupRunning_andCancelStopsIt(@TempDir Path dir) throws Exception {
    Path src = Files.createDirectories(dir.resolve("src"));
    Files.write(src.resolve("big.bin"), RepoFixture.bytes(new Random(5), 48 << 20));
    try (RunningAgent agent = RunningAgent.start(dir.resolve("home"), AgentProcess.freePort(), "agent")) {
      create(agent, dir, slowSet("Big", src, dir.resolve("d1"))); // 48 MiB at 1 MiB/s: ~48 s
      Process waiting = AgentProcess.spawn(agent.home, "wait", "backup", "Big", "--wait", "--progress-every", "1");
      AgentProcess.await("a progress line", 60, () -> {
        try {
          return AgentProcess.out(agent.home, "wait").contains(" files, ");
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
      AgentProcess.signal(waiting.pid(), "INT"); // heard even when this run ignores SIGINT: AgentProcess#jvm
      assertTrue(waiting.waitFor(30, TimeUnit.SECONDS), "the wait ends on Ctrl-C");
      String out = AgentProcess.out(agent.home, "wait");
      assertEquals(130, waiting.exitValue(), out + AgentProcess.err(agent.home, "wait"));
      assertTrue(out.contains("the backup of set \"Big\"") && out.contains("is still running in the agent (not cancelled)"),
          out);
      String report = agent.ok("report", "list", "--set", "Big");
      assertTrue(report.contains("In progress"), "still running after Ctrl-C: " + report);

      long t0 = System.nanoTime();
      String cancelled = agent.ok("backup", "--cancel", "Big");
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
      assertTrue(cancelled.contains("cancelling the backup of set \"Big\""), cancelled);
      assertTrue(cancelled.contains("Local-1: Interrupted (report "), cancelled);
      assertTrue(seconds < 20, "the cancel took " + seconds + " s (the upload left needed about 40 s)");
      AgentProcess.Result none = agent.b247("backup", "--cancel", "Big");
      assertTrue(none.exit() != 0 && none.err().contains("no backup running"), none.all());
    }
  }
}
