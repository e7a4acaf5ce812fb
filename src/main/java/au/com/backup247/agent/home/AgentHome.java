package au.com.backup247.agent.home;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

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
 *   run/api-token        the local API token (0600, new at every start; the CLI sends it)
 *   run/setup-code       the one-time setup code while no account exists (0600)
 *   catalog.db           the catalog (SQLite, WAL mode); catalog.reserve: 1 MiB kept free for it
 *   catalog-copies/      daily copies of the catalog (the 3 newest)
 *   keys/&lt;setId&gt;.key      the sets' encryption keys; keys/&lt;setId&gt;.set.json their settings
 *   credentials/&lt;setId&gt;/   the sets' destination credentials
 * </pre>
 *
 * <p>Whoever can read the home owns the agent (keys, credentials, catalog), so the home and its
 * folders are created 0700 and its secret files 0600 ({@link PrivateFiles}); {@link #requirePrivate}
 * refuses to start an agent on a home that others may read.
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

  /** The local API token: whoever can read it acts as the local admin (docs/SECURITY.md §1). */
  public Path apiTokenFile() {
    return runDir().resolve("api-token");
  }

  /** The one-time code that creates the first admin while no account exists. */
  public Path setupCodeFile() {
    return runDir().resolve("setup-code");
  }

  public Path keysDir() {
    return root.resolve("keys");
  }

  public Path credentialsDir() {
    return root.resolve("credentials");
  }

  public Path daemonOut() {
    return logsDir().resolve("daemon.out");
  }

  /** Resolves a path from the config: relative paths are relative to the home. */
  public Path resolve(String configured) {
    Path p = Path.of(configured);
    return p.isAbsolute() ? p : root.resolve(p);
  }

  /** Creates the home's folders that are missing, each 0700 (existing ones are left as they are). */
  public AgentHome ensure() {
    try {
      for (Path p : new Path[] {root, configDir(), logsDir(), tempDir(), runDir()}) {
        PrivateFiles.createDir(p);
      }
      return this;
    } catch (IOException e) {
      throw new AgentException(Failure.CONFIG_INVALID, "agent home " + root + " cannot be created: " + e.getMessage()
          + " (set " + ENV + " to another folder)");
    }
  }

  /**
   * Refuses (CONFIG_INVALID, exit 5) when group or others may read or write the home, its
   * {@code config/agent.json}, {@code keys/} or {@code credentials/} (or anything in them), the
   * catalog (with its {@code -wal} and {@code -shm}) or one of {@code more}. The one-line message
   * names the first such path and the {@code chmod} that fixes it.
   */
  public void requirePrivate(Path catalogFile, Path... more) {
    List<String> problems = new ArrayList<>();
    try {
      check(root, problems);
      check(configFile(), problems);
      walk(keysDir(), problems);
      walk(credentialsDir(), problems);
      for (String suffix : new String[] {"", "-wal", "-shm"}) {
        check(catalogFile.resolveSibling(catalogFile.getFileName() + suffix), problems);
      }
      for (Path p : more) {
        check(p, problems);
      }
    } catch (IOException e) {
      throw new AgentException(Failure.CONFIG_INVALID, "agent home " + root + " cannot be checked: " + e.getMessage());
    }
    if (!problems.isEmpty()) {
      throw new AgentException(Failure.CONFIG_INVALID, problems.get(0) + (problems.size() == 1 ? ""
          : " (and " + (problems.size() - 1) + " more path" + (problems.size() == 2 ? "" : "s") + "; chmod -R go= "
          + root + " fixes them all)"));
    }
  }

  private void check(Path p, List<String> problems) throws IOException {
    Optional<String> mode = PrivateFiles.openMode(p);
    if (mode.isPresent()) {
      boolean dir = Files.isDirectory(p);
      String what = p.equals(root) ? "agent home " + p : p.toString();
      problems.add(what + " is readable or writable by group or others (" + mode.get() + "); run: chmod "
          + (dir ? "700 " : "600 ") + p);
    }
  }

  private void walk(Path dir, List<String> problems) throws IOException {
    if (!Files.isDirectory(dir)) {
      check(dir, problems);
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s.sorted()::iterator) {
        check(p, problems);
      }
    }
  }
}
