package au.com.backup247.agent.sets;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A pre- or post-backup command (guide ch. 9.5 "Command Line Tool"), run by {@code /bin/sh -c} in
 * its working directory; its output goes into the job log as {@code [name] line}.
 *
 * @param name unique within its list, shown in the log
 * @param workingDirectory where it runs, or null for the source's home folder
 * @param command the shell command line
 * @param timeoutSeconds after this long it is stopped and the job gets a warning
 */
public record CommandSpec(String name, Path workingDirectory, String command, int timeoutSeconds) {

  /** Default timeout: one hour. */
  public static final int DEFAULT_TIMEOUT_SECONDS = 3600;

  public CommandSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(command, "command");
  }
}
