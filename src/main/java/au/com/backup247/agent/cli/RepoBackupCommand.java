package au.com.backup247.agent.cli;

import au.com.backup247.agent.backup.BackupEngine;
import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.store.LocalStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code b247 repo backup}: one job to one or more repositories (each file read once). */
@Command(name = "backup", mixinStandardHelpOptions = true,
    description = "Back up SOURCE... to every --repo at once (each file is read and sealed once).")
final class RepoBackupCommand implements Callable<Integer> {
  @Option(names = "--repo", paramLabel = "DIR", required = true,
      description = "Repository folder; repeat for several destinations (created with repo init --like).")
  List<Path> repos;

  @Option(names = "--key-file", paramLabel = "FILE", description = "Key, password or custom key file.")
  Path keyFile;

  @Option(names = "--follow-links", description = "Back up what symlinks point to instead of the links.")
  boolean followLinks;

  @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: number of processors).")
  Integer threads;

  @Option(names = {"-v", "--verbose"}, description = "Print info lines of the job log too.")
  boolean verbose;

  @Parameters(paramLabel = "SOURCE", arity = "1..*", description = "Files and folders to back up.")
  List<Path> sources;

  @Override
  public Integer call() throws InterruptedException {
    au.com.backup247.agent.repo.crypto.Warmup.start();
    String secret = RepoOptions.readKey(keyFile);
    long t0 = System.nanoTime();
    List<Repository> opened = new ArrayList<>();
    for (Path p : repos) {
      opened.add(Repository.open(new LocalStore(p), secret));
    }
    if (verbose) {
      System.out.println("repositories opened in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }
    JobLog log = new JobLog(Clock.systemUTC(), line -> {
      if (line.level() != JobLog.Level.INFO) {
        System.err.println(line.level() + " " + line.message());
      } else if (verbose) {
        System.out.println(line.message());
      }
    });
    BackupEngine.Options o = new BackupEngine.Options(sources, followLinks,
        threads != null ? threads : Math.max(1, Runtime.getRuntime().availableProcessors()), Clock.systemUTC());
    BackupEngine engine = new BackupEngine(opened, o, log);
    List<BackupEngine.Result> results = engine.run();
    boolean ok = true;
    for (BackupEngine.Result r : results) {
      System.out.println(r.destination() + ": " + (r.ok() ? "job " + r.jobId() + " completed" : "FAILED: " + r.error()));
      ok &= r.ok();
    }
    System.out.println(engine.stats() + (log.warnings() > 0 ? "; " + log.warnings() + " warning(s)" : ""));
    for (Repository r : opened) {
      r.close();
    }
    return ok ? 0 : 1;
  }
}
