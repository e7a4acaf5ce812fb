package au.com.backup247.agent.cli;

import au.com.backup247.agent.repo.Manifest;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.SetFolders;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code b247 repo jobs}: the committed jobs with their statistics; at a destination root with
 * several sets and no {@code --set}, the sets (id, recorded name, jobs, last job), read without a key.
 */
@Command(name = "jobs", mixinStandardHelpOptions = true, description = {"List the committed jobs.",
    "At a destination root with several backup sets (ROOT/SETID/) and no --set: list the sets (no key needed)."})
final class RepoJobsCommand implements Callable<Integer> {
  @Mixin
  RepoOptions repo;

  @Mixin
  RepoOptions.SetOption set;

  @Override
  public Integer call() {
    RepoLocator.Located at;
    try {
      at = repo.locate(set);
    } catch (RepoLocator.SeveralSets e) { // a destination root: its sets are what there is to list
      System.out.println(repo.url() + " is a destination root with " + e.sets().size() + " backup sets:");
      System.out.println(RepoLocator.table(e.sets()));
      System.out.println("Add --set ID or --set NAME (and the set's --key-file) to see a set's jobs; every repo command"
          + " takes --set.");
      return 0;
    }
    if (repo.keyFile == null) { // an encrypted repository: what can be read without the key
      SetFolders.Found f = withoutKey(at);
      if (f != null) {
        System.out.println(RepoLocator.table(List.of(f)));
        for (String job : f.jobIds()) {
          System.out.println("  job " + job);
        }
        System.out.println("Add --key-file FILE (the set's key) to see each job's statistics.");
        return 0;
      }
    }
    try (Repository r = RepoOptions.open(at, RepoOptions.readKey(repo.keyFile))) {
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

  /** The located repository as read without a key when it is encrypted (then its store is closed), else null. */
  private static SetFolders.Found withoutKey(RepoLocator.Located at) {
    SetFolders.Found f;
    try {
      f = SetFolders.describe(at.store(), "");
    } catch (RuntimeException e) {
      at.store().close();
      throw e;
    }
    if (f == null || !f.encrypted()) {
      return null;
    }
    at.store().close();
    return f;
  }
}
