package au.com.backup247.agent.cli;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.home.AgentHome;
import au.com.backup247.agent.home.InstanceLock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code b247 stop}: asks the agent to stop (SIGTERM) and waits for its clean shutdown. */
@Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop the background agent cleanly.")
final class StopCommand implements Callable<Integer> {
  @Mixin
  HomeOption home;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
      description = "How long to wait for a clean shutdown before giving up (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Override
  public Integer call() throws InterruptedException {
    AgentHome h = home.resolve();
    AgentState s = AgentState.read(h);
    if (!s.running() || s.pid().isEmpty()) {
      System.out.println("not running");
      return Failure.NOT_RUNNING.exitCode();
    }
    long pid = s.pid().getAsLong();
    Optional<ProcessHandle> ph = ProcessHandle.of(pid);
    if (ph.isEmpty()) {
      System.out.println("not running");
      return Failure.NOT_RUNNING.exitCode();
    }
    ph.get().destroy();
    long deadline = System.currentTimeMillis() + timeoutSeconds * 1000L;
    while (System.currentTimeMillis() < deadline) {
      if (!ph.get().isAlive() && !InstanceLock.isHeld(h)) {
        System.out.println("stopped (pid " + pid + ")");
        return 0;
      }
      Thread.sleep(100);
    }
    throw new AgentException(Failure.TIMEOUT, "the agent (pid " + pid + ") did not stop within " + timeoutSeconds
        + " s and is still running; see " + h.logsDir().resolve("agent.log")
        + "; run stop again to keep waiting, or kill -9 " + pid + " as a last resort");
  }
}
