package au.com.backup247.agent.cli;

import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.restore.RestoreEngine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code b247 repo restore}: restores the latest job, a given job, or all versions. */
@Command(name = "restore", mixinStandardHelpOptions = true, description = {
    "Restore files into --target (stored paths are re-created under it).",
    "Default: the latest job; --job ID: as of that job; --all-versions: every version, older ones",
    "with their job time in the name."})
final class RepoRestoreCommand implements Callable<Integer> {
  @Mixin
  RepoOptions repo;

  @Mixin
  RepoOptions.SetOption set;

  @Option(names = "--target", paramLabel = "DIR", required = true, description = "Folder to restore into.")
  Path target;

  @Option(names = "--job", paramLabel = "ID", description = "Restore as of this job (see 'repo jobs').")
  String job;

  @Option(names = "--all-versions", description = "Restore every version, not only the current ones.")
  boolean allVersions;

  @Option(names = "--include", paramLabel = "PATH", description = "Only this stored path (file or folder); repeatable.")
  List<String> includes;

  @Option(names = "--delete-unmatched", description = "Delete files in restored folders that are not in the backup.")
  boolean deleteUnmatched;

  @Option(names = "--threads", paramLabel = "N", description = "Parallel file restores (default: number of processors).")
  Integer threads;

  @Override
  public Integer call() throws InterruptedException, IOException {
    au.com.backup247.agent.repo.crypto.Warmup.startReading();
    try (Repository r = repo.open(set)) {
      JobLog log = RepoOptions.terminalLog(false);
      RestoreEngine.Options o = new RestoreEngine.Options(target, job, allVersions, includes, deleteUnmatched,
          threads != null ? threads : Math.max(2, Runtime.getRuntime().availableProcessors()));
      RestoreEngine.Summary s = new RestoreEngine(r, o, log).run();
      System.out.printf("restored %d files (%d bytes), %d folders, %d symlinks%s%s%n", s.files(), s.bytes(),
          s.folders(), s.symlinks(), s.deleted() > 0 ? ", deleted " + s.deleted() + " unmatched" : "",
          s.failed() > 0 ? "; " + s.failed() + " FAILED" : "");
      return s.failed() > 0 ? 1 : 0;
    }
  }
}
