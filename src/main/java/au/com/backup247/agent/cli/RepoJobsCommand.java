package au.com.backup247.agent.cli;

import au.com.backup247.agent.repo.Manifest;
import au.com.backup247.agent.repo.Repository;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code b247 repo jobs}: the committed jobs with their statistics. */
@Command(name = "jobs", mixinStandardHelpOptions = true, description = "List the committed jobs.")
final class RepoJobsCommand implements Callable<Integer> {
  @Mixin
  RepoOptions repo;

  @Override
  public Integer call() {
    try (Repository r = repo.open()) {
      System.out.printf("%-22s %8s %8s %9s %8s %14s %14s %8s%n", "job", "new", "changed", "unchanged", "deleted",
          "bytes read", "bytes stored", "seconds");
      for (String id : r.jobIds()) {
        Manifest m = r.manifest(id);
        System.out.printf("%-22s %8d %8d %9d %8d %14d %14d %8.1f%n", id, m.stat("files.new"), m.stat("files.changed"),
            m.stat("files.unchanged"), m.stat("files.deleted"), m.stat("bytes.read"), m.stat("bytes.stored"),
            m.stat("durationMillis") / 1000.0);
      }
      return 0;
    }
  }
}
