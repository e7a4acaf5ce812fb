package au.com.backup247.agent.cli;

import au.com.backup247.agent.repo.History;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.index.FileVersion;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code b247 repo ls}: the files of a job, or every version. */
@Command(name = "ls", mixinStandardHelpOptions = true, description = "List the files as of a job (default: latest).")
final class RepoLsCommand implements Callable<Integer> {
  @Mixin
  RepoOptions repo;

  @Mixin
  RepoOptions.SetOption set;

  @Option(names = "--job", paramLabel = "ID", description = "As of this job.")
  String job;

  @Option(names = "--all-versions", description = "Every version with the jobs it lived in.")
  boolean allVersions;

  @Override
  public Integer call() {
    try (Repository r = repo.open(set)) {
      History h = allVersions ? History.load(r, job) : History.current(r, job);
      if (allVersions) {
        for (History.Span s : h.spans()) {
          System.out.println(line(s.version()) + "  " + s.firstJob() + " .. " + (s.endJob() == null ? "current"
              : s.endJob()));
        }
      } else {
        for (FileVersion v : h.current().values()) {
          System.out.println(line(v));
        }
      }
      return 0;
    }
  }

  static String line(FileVersion v) {
    String kind = switch (v.kind()) {
      case FileVersion.FOLDER -> "d";
      case FileVersion.SYMLINK -> "l";
      default -> "-";
    };
    return String.format("%s%04o %12d %s %s%s", kind, v.mode(), v.size(),
        Instant.EPOCH.plusNanos(v.mtimeNanos()).toString(), v.path(),
        v.kind() == FileVersion.SYMLINK ? " -> " + v.target() : "");
  }
}
