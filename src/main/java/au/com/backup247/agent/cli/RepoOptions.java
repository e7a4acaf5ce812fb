package au.com.backup247.agent.cli;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.store.LocalStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --repo DIR --key-file FILE}, shared by the repo commands. Secrets come only from the file. */
final class RepoOptions {
  @Option(names = "--repo", paramLabel = "DIR", required = true, description = "The repository folder.")
  Path repo;

  @Option(names = "--key-file", paramLabel = "FILE",
      description = "File holding the Default key (44 base64 characters), the password or the custom key.")
  Path keyFile;

  Repository open() {
    return Repository.open(new LocalStore(repo), readKey(keyFile));
  }

  /** A job log for the terminal: warnings and errors to stderr; info lines to stdout when verbose. */
  static au.com.backup247.agent.backup.JobLog terminalLog(boolean verbose) {
    return new au.com.backup247.agent.backup.JobLog(java.time.Clock.systemUTC(), line -> {
      if (line.level() != au.com.backup247.agent.backup.JobLog.Level.INFO) {
        System.err.println(line.level() + " " + line.message());
      } else if (verbose) {
        System.out.println(line.message());
      }
    });
  }

  static String readKey(Path keyFile) {
    if (keyFile == null) {
      return null;
    }
    try {
      String s = Files.readString(keyFile, StandardCharsets.UTF_8);
      int nl = s.indexOf('\n');
      return (nl >= 0 ? s.substring(0, nl) : s).strip();
    } catch (IOException e) {
      throw new AgentException(Failure.BAD_REQUEST, "key file " + keyFile + " cannot be read: " + e.getMessage());
    }
  }
}
