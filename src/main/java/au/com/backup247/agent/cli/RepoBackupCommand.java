package au.com.backup247.agent.cli;

import au.com.backup247.agent.backup.BackupOptions;
import au.com.backup247.agent.backup.BackupResult;
import au.com.backup247.agent.backup.Concurrently;
import au.com.backup247.agent.backup.DedupScope;
import au.com.backup247.agent.backup.Filter;
import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.backup.SourceWalk;
import au.com.backup247.agent.bandwidth.Throttle;
import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.destination.Credentials;
import au.com.backup247.agent.destination.DestinationUrl;
import au.com.backup247.agent.pipeline.StandaloneBackup;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code b247 repo backup}: one backup to one or more repositories. Sequential mode (the default)
 * runs one job per destination in turn; concurrent mode reads and seals each file once for up to
 * {@code --max-concurrent} destinations at a time. Prints one line per destination with its
 * result; exits 1 when any destination failed.
 */
@Command(name = "backup", mixinStandardHelpOptions = true, description = {
    "Back up SOURCE... to every --repo.",
    "--mode sequential (default): one job per destination in turn.",
    "--mode concurrent: each file is read and sealed once and uploaded to up to --max-concurrent destinations at once",
    "(more destinations are done in further groups)."})
final class RepoBackupCommand implements Callable<Integer> {
  @Mixin
  RepoOptions.ManyRepos destinations;

  @Option(names = "--mode", paramLabel = "MODE", defaultValue = "sequential",
      description = "sequential (default) or concurrent.")
  String mode;

  @Option(names = "--max-concurrent", paramLabel = "N", defaultValue = "2",
      description = "Concurrent mode: at most N destinations per run (default 2).")
  int maxConcurrent;

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

  /** A destination: its store is opened (settings checked, not connected) before any job runs. */
  private record Target(DestinationUrl url, Store store) {
  }

  /** Set when a job log had errors that are not a destination's (e.g. a missing source). */
  private boolean jobErrors;

  @Override
  public Integer call() throws InterruptedException {
    boolean concurrent = switch (mode.toLowerCase(Locale.ROOT)) {
      case "sequential" -> false;
      case "concurrent" -> true;
      default -> throw new AgentException(Failure.BAD_REQUEST, "--mode must be sequential or concurrent, got \""
          + mode + "\"");
    };
    if (maxConcurrent < 1) {
      throw new AgentException(Failure.BAD_REQUEST, "--max-concurrent must be at least 1, got " + maxConcurrent);
    }
    BackupOptions options = backupOptions();
    List<Target> targets = targets(destinations.throttle());
    String secret = destinations.key();
    int groupSize = concurrent ? maxConcurrent : 1;
    int failed = 0;
    // the pipeline's Vert.x starts while the repositories are opened (key stretching)
    try (StandaloneBackup pipeline = StandaloneBackup.start()) {
      for (int from = 0; from < targets.size(); from += groupSize) {
        failed += runGroup(pipeline, targets.subList(from, Math.min(targets.size(), from + groupSize)),
            targets.size() == 1, secret, options);
      }
    }
    if (targets.size() > 1) {
      System.out.println(targets.size() + " destinations (" + (concurrent ? "concurrent, at most " + maxConcurrent
          + " at once" : "sequential") + "): " + (targets.size() - failed) + " completed"
          + (failed > 0 ? ", " + failed + " FAILED" : ""));
    }
    return failed == 0 && !jobErrors ? 0 : 1;
  }

  /**
   * Every destination's store, made at once (each sets up its client); a bad URL or credentials stop
   * the command before any job runs.
   */
  private List<Target> targets(Throttle throttle) {
    List<Credentials> loaded = destinations.credentials();
    List<Integer> indexes = new ArrayList<>();
    for (int i = 0; i < destinations.count(); i++) {
      indexes.add(i);
    }
    return Concurrently.map("store", indexes, i -> {
      DestinationUrl url = destinations.url(i);
      return new Target(url, RepoOptions.store(url, loaded.get(i), throttle));
    });
  }

  /** A destination's repository, or why it cannot be opened. */
  private record Opening(Repository repo, RuntimeException error) {
  }

  /**
   * One pipeline run over the destinations of {@code group} (each file read once for all of them).
   * A repository that cannot be opened (unreachable, no repository there, wrong key) is reported as
   * failed, unless it is the only destination: then the command ends with its error. Returns the
   * number of failed destinations.
   */
  private int runGroup(StandaloneBackup pipeline, List<Target> group, boolean only, String secret,
      BackupOptions options)
      throws InterruptedException {
    long t0 = System.nanoTime();
    int failed = 0;
    List<Repository> opened = new ArrayList<>();
    HeldLines output = new HeldLines(RepoOptions.terminal(verbose));
    JobLog log = new JobLog(Clock.systemUTC(), output);
    // the walk runs while the repositories are opened (key stretching, connecting)
    try (SourceWalk walk = SourceWalk.start(options, log)) {
      List<Opening> openings = Concurrently.map("open", group, t -> { // each connects and logs in at once
        try {
          return new Opening(RepoOptions.openRepository(t.store(), secret), null);
        } catch (RuntimeException e) {
          return new Opening(null, e);
        }
      });
      for (int i = 0; i < group.size(); i++) {
        RuntimeException e = openings.get(i).error();
        if (e == null) {
          opened.add(openings.get(i).repo());
          continue;
        }
        if (only) {
          throw e;
        }
        System.out.println(group.get(i).store().name() + ": FAILED: " + (e.getMessage() != null ? e.getMessage()
            : e.getClass().getSimpleName()));
        failed++;
      }
      if (opened.isEmpty()) {
        return failed;
      }
      if (verbose) {
        System.out.println("repositories opened in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
      }
      output.release();
      List<BackupResult> results = pipeline.backup(opened, walk);
      for (BackupResult r : results) {
        System.out.println(r.destination() + ": " + (r.ok() ? "job " + r.jobId() + " completed" : "FAILED: "
            + r.error()));
        if (!r.ok()) {
          failed++;
        }
      }
      System.out.println(results.get(0).stats() + (log.warnings() > 0 ? "; " + log.warnings() + " warning(s)" : "")
          + (log.errors() > 0 ? "; " + log.errors() + " error(s)" : ""));
      // e.g. a source that does not exist: the job is kept, but the run failed
      jobErrors |= log.errors() > 0;
      return failed;
    } finally {
      for (Repository r : opened) {
        RepoOptions.closeQuietly(r);
      }
    }
  }

  private BackupOptions backupOptions() {
    List<Filter> parsed = new ArrayList<>();
    DedupScope scope;
    try {
      for (String f : filters == null ? List.<String>of() : filters) {
        parsed.add(Filter.parse(f));
      }
      scope = switch (dedup) {
        case "all" -> DedupScope.ALL;
        case "path" -> DedupScope.SAME_PATH;
        case "off" -> DedupScope.OFF;
        default -> throw new IllegalArgumentException("--dedup must be all, path or off, got \"" + dedup + "\"");
      };
    } catch (IllegalArgumentException e) {
      throw new AgentException(Failure.BAD_REQUEST, e.getMessage());
    }
    if (threads != null && threads < 1) {
      throw new AgentException(Failure.BAD_REQUEST, "--threads must be at least 1, got " + threads);
    }
    return new BackupOptions(sources, followLinks,
        threads != null ? threads : Math.max(1, Runtime.getRuntime().availableProcessors()), Clock.systemUTC(),
        parsed, scope);
  }
}
