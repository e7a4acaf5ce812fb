package au.com.backup247.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The JVM options {@code b247 start} hands to the agent it starts. */
class StartCommandTest {
  @Test
  void theAgentGetsThisCommandsOptions_withoutJavaAgentsOrToolOptions() {
    List<String> input = List.of("-XX:SharedArchiveFile=/opt/b 247/b247-agent.jsa", "-Xshare:auto",
        "-XX:+UseSerialGC", "-Xms64m", "-javaagent:/x/jacoco.jar=destfile=a", "-agentlib:jdwp=transport=dt_socket",
        "-agentpath:/x/libprof.so", "-XX:+PrintCommandLineFlags", "-Dfile.encoding=UTF-8");
    assertEquals(List.of("-XX:SharedArchiveFile=/opt/b 247/b247-agent.jsa", "-Xshare:auto", "-XX:+UseSerialGC",
        "-Xms64m", "-Dfile.encoding=UTF-8"), StartCommand.inherited(input, " -XX:+PrintCommandLineFlags "));
    assertEquals(List.of("-XX:+UseSerialGC", "-XX:+PrintCommandLineFlags"),
        StartCommand.inherited(List.of("-XX:+UseSerialGC", "-XX:+PrintCommandLineFlags"), null));
  }
}
