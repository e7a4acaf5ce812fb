package au.com.backup247.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
