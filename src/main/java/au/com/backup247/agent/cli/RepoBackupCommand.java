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

  @Option(names = "--filter", paramLabel = "SPEC", description = {
      "Source filter, repeatable, first decision wins: ACTION:MATCH:PATTERN[,PATTERN...][:APPLY[:TOP]]",
      "ACTION include|exclude|include-only; MATCH contains|starts-with|ends-with|exact|regex;",
      "APPLY files|folders|both; TOP an absolute folder. Example: exclude:ends-with:.tmp,.bak:files"})
  List<String> filters;

  @Option(names = "--dedup", paramLabel = "SCOPE", defaultValue = "all",
      description = "Deduplication scope: all (every file of the set, default), path (same path only) or off.")
  String dedup;

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
    JobLog log = RepoOptions.terminalLog(verbose);
    List<au.com.backup247.agent.backup.Filter> parsed = new ArrayList<>();
    BackupEngine.DedupScope scope;
    try {
      for (String f : filters == null ? List.<String>of() : filters) {
        parsed.add(au.com.backup247.agent.backup.Filter.parse(f));
      }
      scope = switch (dedup) {
        case "all" -> BackupEngine.DedupScope.ALL;
        case "path" -> BackupEngine.DedupScope.SAME_PATH;
        case "off" -> BackupEngine.DedupScope.OFF;
        default -> throw new IllegalArgumentException("--dedup must be all, path or off, got \"" + dedup + "\"");
      };
    } catch (IllegalArgumentException e) {
      throw new au.com.backup247.agent.bus.AgentException(au.com.backup247.agent.bus.Failure.BAD_REQUEST,
          e.getMessage());
    }
    BackupEngine.Options o = new BackupEngine.Options(sources, followLinks,
        threads != null ? threads : Math.max(1, Runtime.getRuntime().availableProcessors()), Clock.systemUTC(),
        parsed, scope);
    BackupEngine engine = new BackupEngine(opened, o, log);
    List<BackupEngine.Result> results = engine.run();
    boolean ok = true;
    for (BackupEngine.Result r : results) {
      System.out.println(r.destination() + ": " + (r.ok() ? "job " + r.jobId() + " completed" : "FAILED: " + r.error()));
      ok &= r.ok();
    }
    System.out.println(engine.stats() + (log.warnings() > 0 ? "; " + log.warnings() + " warning(s)" : "")
        + (log.errors() > 0 ? "; " + log.errors() + " error(s)" : ""));
    ok &= log.errors() == 0; // e.g. a source that does not exist: the job is kept, but the run failed
    for (Repository r : opened) {
      r.close();
    }
    return ok ? 0 : 1;
  }
}
