package au.com.backup247.agent.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code b247} on a pseudo-terminal, as a person at a terminal runs it: util-linux {@code script}
 * gives the command a terminal (so {@code System.console()} is there) and types {@code answers}.
 */
final class Terminal {
  private Terminal() {
  }

  /** {@code b247 args... --home HOME} typing {@code answers}; the result's {@code out} is the whole screen. */
  static AgentProcess.Result run(Path home, String answers, String... args) throws Exception {
    List<String> quoted = new ArrayList<>();
    for (String a : AgentProcess.command(home, args)) {
      quoted.add("'" + a.replace("'", "'\\''") + "'");
    }
    Path in = Files.writeString(home.resolveSibling("answers-" + System.nanoTime()), answers);
    Path out = home.resolveSibling("tty-" + System.nanoTime());
    Process p = new ProcessBuilder("script", "-qec", String.join(" ", quoted), "/dev/null")
        .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectErrorStream(true).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "b247 " + String.join(" ", args) + " on a terminal did not finish");
    return new AgentProcess.Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8).replace("\r", ""), "");
  }
}
