package au.com.backup247.agent.cli;

import au.com.backup247.agent.integrity.Checker;
import au.com.backup247.agent.repo.Repository;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code b247 repo check}: integrity check; exit 1 when a problem is found. */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Check the repository; --read-data also reads and verifies every blob.")
final class RepoCheckCommand implements Callable<Integer> {
  @Mixin
  RepoOptions repo;

  @Mixin
  RepoOptions.SetOption set;

  @Option(names = "--read-data", description = "Read, authenticate and re-hash every blob in use.")
  boolean readData;

  @Override
  public Integer call() {
    au.com.backup247.agent.repo.crypto.Warmup.startReading();
    try (Repository r = repo.open(set)) {
      Checker.Report rep = new Checker(r).run(readData);
      for (String p : rep.problems()) {
        System.out.println("PROBLEM " + p);
      }
      System.out.printf("checked %d jobs, %d blocks, %d blobs%s: %s%n", rep.jobs(), rep.blocks(), rep.blobs(),
          readData ? " (" + rep.blobsRead() + " read and verified)" : "",
          rep.ok() ? "no problems" : rep.problems().size() + " problem(s)");
      return rep.ok() ? 0 : 1;
    }
  }
}
