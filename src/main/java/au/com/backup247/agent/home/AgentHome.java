package au.com.backup247.agent.home;

import au.com.backup247.agent.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The agent home: {@code ~/.b247}, or {@code $B247_HOME}.
 *
 * <pre>
 * home/
 *   config/agent.json    settings (created with defaults on first run)
 *   logs/agent.log       rotating log; logs/daemon.out holds what a daemon printed
 *   temp/                temporary files of jobs
 *   run/agent.pid        pid of the running agent; run/agent.lock is held while it runs
 *   run/agent.json       state of the running agent (pid, version, start time, API address)
 *   catalog.db           the catalog (SQLite, WAL mode)
 * </pre>
 */
public record AgentHome(Path root) {

  public static final String ENV = "B247_HOME";

  public static AgentHome fromEnvironment(Map<String, String> env) {
    String v = env.get(ENV);
    if (v != null && !v.isBlank()) {
      return new AgentHome(Path.of(v).toAbsolutePath().normalize());
    }
    return new AgentHome(Path.of(System.getProperty("user.home"), ".b247").toAbsolutePath());
  }

  public Path configDir() {
    return root.resolve("config");
  }

  public Path configFile() {
    return configDir().resolve("agent.json");
  }

  public Path logsDir() {
    return root.resolve("logs");
  }

  public Path tempDir() {
    return root.resolve("temp");
  }

  public Path runDir() {
    return root.resolve("run");
  }

  public Path pidFile() {
    return runDir().resolve("agent.pid");
  }

  public Path lockFile() {
    return runDir().resolve("agent.lock");
  }

  public Path stateFile() {
    return runDir().resolve("agent.json");
  }

  public Path daemonOut() {
    return logsDir().resolve("daemon.out");
  }

  /** Resolves a path from the config: relative paths are relative to the home. */
  public Path resolve(String configured) {
    Path p = Path.of(configured);
    return p.isAbsolute() ? p : root.resolve(p);
  }

  /** Creates the home's folders (owner-only where the platform allows). */
  public AgentHome ensure() {
    try {
      for (Path p : new Path[] {root, configDir(), logsDir(), tempDir(), runDir()}) {
        Files.createDirectories(p);
      }
      return this;
    } catch (IOException e) {
      throw new ConfigException("agent home " + root + " cannot be created: " + e.getMessage()
          + " (set " + ENV + " to another folder)");
    }
  }
}
