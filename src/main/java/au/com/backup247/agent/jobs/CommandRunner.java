package au.com.backup247.agent.jobs;

import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.sets.CommandSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a set's pre- or post-backup commands (guide ch. 9.5 "Command Line Tool") one after another
 * with {@code /bin/sh -c} in their working directory, each within its timeout. Every output line
 * (stdout and stderr together) goes into the job log as {@code [name] line}; a command that exits
 * non-zero, cannot start or times out adds a warning and the others still run.
 *
 * <p>Blocking: call on a worker thread. {@link #cancel} stops the running command.
 */
final class CommandRunner {
  private final JobLog log;
  private final Path defaultDirectory;
  private volatile Process current;
  private volatile boolean cancelled;

  CommandRunner(JobLog log, Path defaultDirectory) {
    this.log = log;
    this.defaultDirectory = defaultDirectory;
  }

  /** Runs {@code commands} in order; returns true when every one succeeded. */
  boolean runAll(String kind, List<CommandSpec> commands) throws InterruptedException {
    boolean ok = true;
    for (CommandSpec c : commands) {
      if (cancelled) {
        return false;
      }
      ok &= run(kind, c);
    }
    return ok;
  }

  private boolean run(String kind, CommandSpec c) throws InterruptedException {
    Path dir = c.workingDirectory() != null ? c.workingDirectory() : defaultDirectory;
    if (!Files.isDirectory(dir)) {
      log.warn("[" + c.name() + "] " + kind + " command not run: working directory " + dir + " does not exist");
      return false;
    }
    log.info("[" + c.name() + "] running " + kind + " command in " + dir + ": " + c.command());
    Process p;
    try {
      p = new ProcessBuilder("/bin/sh", "-c", c.command()).directory(dir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      log.warn("[" + c.name() + "] " + kind + " command could not start: " + e.getMessage());
      return false;
    }
    current = p;
    if (cancelled) {
      stop(p); // a cancel that came while the command started (cancel() read current before it was set)
    }
    try {
      p.getOutputStream().close(); // no input: a command waiting for some ends at once
    } catch (IOException e) {
      // the process already ended
    }
    Thread reader = new Thread(() -> copyLines(c.name(), p), "b247-command-" + c.name());
    reader.setDaemon(true);
    reader.start();
    try {
      if (!p.waitFor(c.timeoutSeconds(), TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor();
        reader.join(2000);
        log.warn("[" + c.name() + "] " + kind + " command stopped after its timeout of " + c.timeoutSeconds() + " s");
        return false;
      }
      reader.join(2000);
      if (cancelled) {
        log.warn("[" + c.name() + "] " + kind + " command stopped: the backup was cancelled");
        return false;
      }
      if (p.exitValue() != 0) {
        log.warn("[" + c.name() + "] " + kind + " command failed with exit code " + p.exitValue());
        return false;
      }
      return true;
    } finally {
      current = null;
      if (p.isAlive()) {
        p.destroyForcibly();
      }
    }
  }

  private void copyLines(String name, Process p) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        log.info("[" + name + "] " + line);
      }
    } catch (IOException e) {
      // the process was stopped; its remaining output is lost
    }
  }

  /** Stops the running command (and its children); later commands do not start. */
  void cancel() {
    cancelled = true; // volatile write, then read of current: run() sets current, then reads cancelled
    Process p = current;
    if (p != null) {
      stop(p);
    }
  }

  private static void stop(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }
}
