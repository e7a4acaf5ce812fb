package au.com.backup247.agent.cli;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.home.AgentHome;
import au.com.backup247.agent.home.PrivateFiles;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code b247 start}: starts {@code b247 run --daemon} detached (new session, stdin from /dev/null,
 * output appended to {@code logs/daemon.out}) and waits until it serves requests or fails.
 */
@Command(name = "start", mixinStandardHelpOptions = true,
    description = "Start the agent in the background (pid file and logs under the agent home).")
final class StartCommand implements Callable<Integer> {
  @Mixin
  HomeOption home;

  @Option(names = "--verticles", paramLabel = "FILE", description = "Deployment plan instead of the embedded one.")
  Path verticles;

  @Option(names = "--role", paramLabel = "ROLE", description = "Role to deploy.")
  String role;

  @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "60",
      description = "How long to wait for the agent to be ready (default: ${DEFAULT-VALUE}).")
  int waitSeconds;

  @Override
  public Integer call() throws IOException, InterruptedException {
    AgentHome h = home.resolve().ensure();
    AgentState s = AgentState.read(h);
    if (s.running()) {
      throw new AgentException(Failure.ALREADY_RUNNING, "already running (pid "
          + (s.pid().isPresent() ? s.pid().getAsLong() : "unknown") + ")");
    }
    Path out = h.daemonOut();
    long offset = Files.exists(PrivateFiles.createFile(out)) ? Files.size(out) : 0;
    ProcessBuilder pb = new ProcessBuilder(command(h));
    pb.redirectInput(new File(isWindows() ? "NUL" : "/dev/null"));
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()));
    pb.environment().put(AgentHome.ENV, h.root().toString());
    Process p = pb.start();
    long deadline = System.currentTimeMillis() + waitSeconds * 1000L;
    while (System.currentTimeMillis() < deadline) {
      if (!p.isAlive()) {
        String printed = tail(out, offset);
        System.err.print(printed.isEmpty() ? "b247: the agent exited with code " + p.exitValue() + "\n" : printed);
        return p.exitValue() == 0 ? 1 : p.exitValue();
      }
      AgentState now = AgentState.read(h);
      if (now.ready() && now.pid().getAsLong() == p.pid()) {
        System.out.println("started (pid " + p.pid() + "); API and console at " + now.api().orElse("?"));
        System.out.println("log: " + h.logsDir().resolve("agent.log"));
        return 0;
      }
      Thread.sleep(100);
    }
    throw new AgentException(Failure.TIMEOUT, "the agent (pid " + p.pid() + ") did not become ready within "
        + waitSeconds + " s; see " + h.logsDir().resolve("agent.log"));
  }

  private List<String> command(AgentHome h) {
    List<String> cmd = new ArrayList<>();
    Path setsid = Path.of("/usr/bin/setsid");
    if (Files.isExecutable(setsid)) {
      cmd.add(setsid.toString()); // new session: no controlling terminal, no SIGHUP when it closes
    }
    cmd.add(javaBinary());
    String opts = System.getenv("B247_JAVA_OPTS");
    if (opts != null && !opts.isBlank()) {
      cmd.addAll(Arrays.asList(opts.trim().split("\\s+")));
    } else {
      cmd.addAll(inherited(ManagementFactory.getRuntimeMXBean().getInputArguments(),
          System.getenv("JAVA_TOOL_OPTIONS")));
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), B247.class.getName(), "run", "--daemon",
        "--home", h.root().toString()));
    if (verticles != null) {
      cmd.addAll(List.of("--verticles", verticles.toAbsolutePath().toString()));
    }
    if (role != null) {
      cmd.addAll(List.of("--role", role));
    }
    return cmd;
  }

  /**
   * The JVM options of this command, for the agent it starts: {@code launch/b247}'s defaults (serial
   * collector, heap limits, native heap trimming) and its class-data archive, so the background agent
   * runs as {@code b247 run} would, not on the JVM's own defaults (a collector and heap sized for a
   * server). Left out: Java agents and debuggers ({@code -javaagent}, {@code -agentlib},
   * {@code -agentpath}: the agent would fight this command's for their port or file), and the
   * options of {@code JAVA_TOOL_OPTIONS}, which the agent reads from its environment itself.
   */
  static List<String> inherited(List<String> input, String toolOptions) {
    List<String> tool = toolOptions == null || toolOptions.isBlank() ? List.of()
        : Arrays.asList(toolOptions.trim().split("\\s+"));
    List<String> out = new ArrayList<>();
    for (String a : input) {
      if (!a.startsWith("-javaagent:") && !a.startsWith("-agentlib:") && !a.startsWith("-agentpath:")
          && !tool.contains(a)) {
        out.add(a);
      }
    }
    return out;
  }

  static String javaBinary() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  private static String tail(Path file, long offset) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long len = f.length() - offset;
      if (len <= 0) {
        return "";
      }
      byte[] b = new byte[(int) Math.min(len, 64 * 1024)];
      f.seek(offset);
      f.readFully(b);
      return new String(b, StandardCharsets.UTF_8);
    }
  }

  private static boolean isWindows() {
    return System.getProperty("os.name", "").toLowerCase().startsWith("windows");
  }
}
