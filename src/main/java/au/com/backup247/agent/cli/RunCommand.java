package au.com.backup247.agent.cli;

import au.com.backup247.agent.AgentMain;
import au.com.backup247.agent.Version;
import au.com.backup247.agent.home.AgentHome;
import au.com.backup247.agent.logging.Logging;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code b247 run}: the agent in the foreground; Ctrl-C (or SIGTERM) stops it cleanly, exit 0. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run the agent in the foreground. Ctrl-C stops it cleanly.")
final class RunCommand implements Callable<Integer> {
  @Mixin
  HomeOption home;

  @Option(names = "--verticles", paramLabel = "FILE",
      description = "Deployment plan to use instead of the embedded verticles.json.")
  Path verticles;

  @Option(names = "--role", paramLabel = "ROLE", description = "Role to deploy (default: \"role\" in agent.json, i.e. all).")
  String role;

  @Option(names = "--daemon", hidden = true, description = "Started by 'b247 start': detached, logs to file only.")
  boolean daemon;

  @Override
  public Integer call() throws InterruptedException {
    Logging.routeVertxToSlf4j();
    if (daemon) {
      Signals.ignoreHangup();
    }
    AgentHome h = home.resolve();
    AgentMain.Running running = AgentMain.start(h, new AgentMain.Options(verticles, role, !daemon));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      boolean clean = running.stop();
      System.out.println(clean ? "b247: stopped" : "b247: stopped (shutdown timed out)");
      System.out.flush();
      Logging.shutdown();
      Runtime.getRuntime().halt(clean ? 0 : 1);
    }, "b247-shutdown"));
    long ms = System.currentTimeMillis() - running.startedAt();
    System.out.printf("B247 Agent %s started in %.1f s (pid %d, home %s)%n", Version.get(), ms / 1000.0,
        ProcessHandle.current().pid(), h.root());
    System.out.println("API and console: " + running.apiUrl() + (daemon ? "" : "   (Ctrl-C to stop)"));
    System.out.flush();
    Thread.currentThread().join();
    return 0;
  }
}
