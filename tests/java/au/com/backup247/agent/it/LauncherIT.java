package au.com.backup247.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JVM settings {@code launch/b247} gives each kind of command, read from the JVM it starts. */
class LauncherIT {
  private static final String LAUNCHER = Path.of(AgentProcess.JAR).toAbsolutePath().getParent().getParent()
      .resolve("launch/b247").toString();
  /** The JVM prints its final settings on standard output; the command's help follows. */
  private static final Map<String, String> PRINT_FLAGS = Map.of("JAVA_TOOL_OPTIONS", "-XX:+PrintCommandLineFlags",
      "B247_JAVA_OPTS", "");

  @Test
  void aRepositoryRestoreStartsWithA128MbHeap_otherCommandsWith64Mb() throws Exception {
    assertTrue(flags("repo", "restore", "--help").contains("-XX:InitialHeapSize=134217728 "));
    for (String[] cmd : new String[][] {{"repo", "backup", "--help"}, {"repo", "ls", "--help"}, {"restore", "--help"}}) {
      String flags = flags(cmd);
      assertTrue(flags.contains("-XX:InitialHeapSize=67108864 "), String.join(" ", cmd) + ": " + flags);
    }
  }

  @Test
  void optionsOfTheUserReplaceTheDefaults_forARestoreToo() throws Exception {
    AgentProcess.Result r = AgentProcess.shell(60, Map.of("JAVA_TOOL_OPTIONS", "-XX:+PrintCommandLineFlags",
        "B247_JAVA_OPTS", "-Xms96m"), LAUNCHER, "repo", "restore", "--help");
    assertEquals(0, r.exit(), r.all());
    assertTrue(r.out().contains("-XX:InitialHeapSize=100663296 "), r.out());
  }

  @Test
  void theBackgroundAgentRunsWithTheLaunchersSettings(@TempDir Path dir) throws Exception {
    Path home = dir.resolve("home");
    AgentProcess.writePort(home, AgentProcess.freePort());
    Map<String, String> env = Map.of("B247_JAVA_OPTS", "", "B247_HOME", home.toString());
    AgentProcess.Result start = AgentProcess.shell(120, env, LAUNCHER, "start");
    try {
      assertEquals(0, start.exit(), start.all());
      Matcher m = Pattern.compile("started \\(pid (\\d+)\\)").matcher(start.out());
      assertTrue(m.find(), start.out());
      List<String> args = Arrays.asList(Files.readString(Path.of("/proc", m.group(1), "cmdline")).split("\0"));
      for (String expected : List.of("-XX:+UseSerialGC", "-Xms64m", "-Xmn32m", "-XX:MaxRAMPercentage=50",
          "-XX:+ExitOnOutOfMemoryError")) {
        assertTrue(args.contains(expected), expected + " missing from the agent's command line: " + args);
      }
      if (Files.isRegularFile(Path.of(AgentProcess.JAR.replaceFirst("\\.jar$", ".jsa")))) {
        assertTrue(args.stream().anyMatch(a -> a.startsWith("-XX:SharedArchiveFile=")), args.toString());
      }
    } finally {
      AgentProcess.Result stop = AgentProcess.shell(120, env, LAUNCHER, "stop");
      assertEquals(0, stop.exit(), stop.all());
    }
  }

  /** The first line of standard output: the JVM's settings. */
  private static String flags(String... cmd) throws Exception {
    String[] all = new String[cmd.length + 1];
    all[0] = LAUNCHER;
    System.arraycopy(cmd, 0, all, 1, cmd.length);
    AgentProcess.Result r = AgentProcess.shell(60, PRINT_FLAGS, all);
    assertEquals(0, r.exit(), r.all());
    return r.out().lines().findFirst().orElse("") + " ";
  }
}
