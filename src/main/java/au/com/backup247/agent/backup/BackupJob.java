package au.com.backup247.agent.backup;

import au.com.backup247.agent.repo.JobIds;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.error.RepoException;
import au.com.backup247.agent.repo.index.ChunkSet;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One backup job: the state its stages share and the stages themselves, independent of how they
 * are driven. The stages, each a class of its own: {@link ScanMerge} (the walk merged with each
 * destination's previous state), {@link FileChunker} (read, chunk, hash, dedupe, compress one
 * file), {@link Packer} (seal blobs into blocks), {@link IndexWindow} (the index, in walk order)
 * and {@link Committer}. {@code pipeline.PipelineBackup} drives them as verticles over the event
 * bus, for the agent and the offline CLI alike.
 *
 * <p>The job owns what the stages share: the destinations ({@link DestinationJob}: lock, previous
 * state, index segment), the chunk ids every destination holds, the statistics and log, the job id,
 * the cancel flag and the upload counters. {@link #prepare} once, before any stage runs.
 */
public final class BackupJob {
  private final List<Repository> repos;
  private final BackupOptions options;
  private final JobLog log;
  private final JobStats stats;
  private final Repository lead;
  private final ScanMerge scan;
  private final IndexWindow window = new IndexWindow(this);
  private final Packer packer;
  private final Committer committer = new Committer(this);
  private ChunkSet known = new ChunkSet();
  private List<DestinationJob> dests = List.of();
  private String jobId;
  private Instant started;
  private long t0;
  private volatile boolean cancelled;
  private final AtomicLongArray uploaded;
  private String clockWarning;

  BackupJob(List<Repository> repos, BackupOptions options, JobLog log) {
    this(repos, SourceWalk.later(options, log));
  }

  BackupJob(List<Repository> repos, SourceWalk walk) {
    if (repos.isEmpty()) {
      throw new IllegalArgumentException("at least one repository is needed");
    }
    this.repos = repos;
    this.options = walk.options();
    this.log = walk.log();
    this.stats = walk.stats();
    this.scan = new ScanMerge(this, walk);
    this.lead = repos.get(0);
    for (Repository r : repos.subList(1, repos.size())) {
      if (!lead.sharesBlocksWith(r)) {
        throw new RepoException("repositories " + lead.store().name() + " and " + r.store().name()
            + " have different keys or parameters; one backup can write to several repositories only when they were "
            + "created with the same key (repo init --like " + lead.store().name() + ")");
      }
    }
    this.packer = new Packer(this);
    this.uploaded = new AtomicLongArray(repos.size());
  }

  /** A job to be driven by the agent's pipeline. */
  public static BackupJob create(List<Repository> repos, BackupOptions options, JobLog log) {
    return new BackupJob(repos, options, log);
  }

  /**
   * A job that takes over {@code walk} (started already, or started when the job prepares), with its
   * options and log; the job closes it.
   */
  public static BackupJob create(List<Repository> repos, SourceWalk walk) {
    return new BackupJob(repos, walk);
  }

  /**
   * Picks the job id, then locks and reads each destination's index, all at once; returns false when no
   * destination is usable (see {@link Committer#results}).
   */
  public boolean prepare() {
    t0 = System.nanoTime();
    started = Instant.now(options.clock());
    if (nothingToBackUp()) {
      scan.close(); // started before the sources went missing
      return false;
    }
    scan.start(); // the walk overlaps with reading the indexes
    jobId = uniqueJobId(started);
    if (clockWarning != null) {
      log.warn("clock: " + clockWarning + "; this job is recorded as " + jobId
          + " so that jobs stay in order; check the system clock");
    }
    List<DestinationJob> ds = new ArrayList<>();
    for (Repository r : repos) {
      ds.add(new DestinationJob(r, log, options.clock()));
    }
    dests = ds;
    String id = jobId;
    Concurrently.forEach("prepare", dests, d -> d.prepare(id)); // each destination's round trips at once
    log.info("destinations prepared (locks, index) in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)
        + " ms");
    List<DestinationJob> live = live();
    if (live.isEmpty()) {
      scan.close();
      return false;
    }
    known = live.get(0).available();
    for (DestinationJob d : live.subList(1, live.size())) {
      known = known.intersect(d.available()); // stored only when every destination holds it
    }
    log.info("job " + jobId + " started; sources: " + options.sources());
    return true;
  }

  /**
   * True (every destination failed, nothing locked or written) when no source exists: a job that
   * finds nothing to back up is a failure, never an empty restore point that would end every file
   * backed up before. Sources that exist while others are missing are backed up; each missing one
   * is an error of the walk ({@link JobStats#sourceErrors}).
   */
  private boolean nothingToBackUp() {
    List<Path> sources = TreeScan.orderedSources(options.sources());
    List<Path> missing = TreeScan.missing(sources);
    if (sources.isEmpty() || missing.size() < sources.size()) {
      return false;
    }
    String why = "nothing was backed up: " + (missing.size() == 1 ? "the source folder " + missing.get(0)
        + " does not exist" : "none of the source folders exists (" + String.join(", ", missing.stream()
        .map(Path::toString).toList()) + ")") + "; check the set's source paths (is the disk or share mounted?)";
    log.error(why);
    stats.sourceErrors.addAndGet(missing.size());
    List<DestinationJob> ds = new ArrayList<>();
    for (Repository r : repos) {
      DestinationJob d = new DestinationJob(r, log, options.clock());
      d.error = why;
      ds.add(d);
    }
    dests = ds;
    return true;
  }

  List<DestinationJob> live() {
    return dests.stream().filter(d -> d.error == null).toList();
  }

  /** What to back up and how. */
  public BackupOptions options() {
    return options;
  }

  /** The destinations' repositories in order (index = destination number in {@link #failDestination}). */
  public List<Repository> repositories() {
    return repos;
  }

  public String jobId() {
    return jobId;
  }

  public JobStats stats() {
    return stats;
  }

  public JobLog log() {
    return log;
  }

  /**
   * What looked damaged or tampered with at destination {@code i} when the job started (blocks of
   * the wrong size, or whose header lists other blobs); each is also a warning in the job log.
   */
  public List<String> suspicious(int i) {
    return dests.get(i).suspicious();
  }

  /** Whether destination {@code i} is still part of the job. */
  public boolean destinationOk(int i) {
    return dests.get(i).error == null;
  }

  /** Marks destination {@code i} failed (e.g. its uploader reported an error); the others go on. */
  public void failDestination(int i, String message) {
    dests.get(i).fail(message);
  }

  /** Fails every destination still in the job (a stage common to all of them broke). */
  public void failAll(String message) {
    for (DestinationJob d : dests) {
      d.fail(message);
    }
  }

  /**
   * Stops the walk: {@link ScanMerge#next} returns null from now on and every {@link FileChunker}
   * stops at its next chunk (a large file is not read to its end), so the driver ends the files in
   * flight at once and then calls {@link Committer#commit}, which commits nothing (a partial walk would end every path
   * it did not reach). Blocks already uploaded stay as leftovers that the next job adopts. Safe
   * from any thread.
   */
  public void cancel() {
    cancelled = true;
  }

  public boolean cancelled() {
    return cancelled;
  }

  /** Block bytes written to destination {@code i} so far (progress; the uploader counts them). */
  public long uploaded(int i) {
    return uploaded.get(i);
  }

  /** Counts {@code bytes} more written to destination {@code i}. */
  public void addUploaded(int i, long bytes) {
    uploaded.addAndGet(i, bytes);
  }

  /** The scan stage. */
  public ScanMerge scanner() {
    return scan;
  }

  /** The index stage. */
  public IndexWindow window() {
    return window;
  }

  /** The packer. */
  public Packer packer() {
    return packer;
  }

  /** The commit stage. */
  public Committer committer() {
    return committer;
  }

  /** The last path the walk handed out for storing (for progress reports), or null. */
  public String currentPath() {
    return scan.currentPath();
  }

  Repository lead() {
    return lead;
  }

  /** Chunk ids every live destination holds (and, with dedup scope "all files", the job's new ones). */
  ChunkSet known() {
    return known;
  }

  Instant started() {
    return started;
  }

  long startedNanos() {
    return t0;
  }

  /**
   * The job id: never before the newest job at any destination ({@link JobIds#next}); notes when
   * the clock looks set back or far ahead ({@link #clockWarning()}). Every destination lists its
   * jobs at once ({@link Concurrently}): a listing is a round trip to that server.
   */
  private String uniqueJobId(Instant t) {
    Set<String> existing = new HashSet<>();
    Concurrently.map("job-ids", repos, r -> {
      try {
        return r.jobIds();
      } catch (RepoException e) {
        return List.<String>of(); // reported when the destination is prepared
      }
    }).forEach(existing::addAll);
    String newest = existing.stream().max(String::compareTo).orElse(null);
    clockWarning = JobIds.implausible(t, newest, JobIds.time(newest));
    return JobIds.next(t, existing);
  }

  /**
   * Why the clock looked wrong when the job started (before the newest job, or implausibly far
   * after it; TEST-MATRIX R16), or null. The job warns; the agent also blocks retention for the
   * destinations until a user confirms.
   */
  public String clockWarning() {
    return clockWarning;
  }

  List<DestinationJob> destinations() {
    return dests;
  }
}
