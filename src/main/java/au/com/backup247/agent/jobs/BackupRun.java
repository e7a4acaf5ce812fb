package au.com.backup247.agent.jobs;

import au.com.backup247.agent.bus.BusClient;
import au.com.backup247.agent.backup.BackupJob;
import au.com.backup247.agent.backup.BackupOptions;
import au.com.backup247.agent.backup.BackupResult;
import au.com.backup247.agent.backup.DedupScope;
import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.backup.JobStats;
import au.com.backup247.agent.bandwidth.Throttle;
import au.com.backup247.agent.bus.Addresses;
import au.com.backup247.agent.pipeline.PipelineBackup;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.sets.BackupSet;
import au.com.backup247.agent.sets.Deduplication;
import au.com.backup247.agent.sets.Destinations;
import au.com.backup247.agent.sets.SetSettings;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One backup of a set to the chosen destinations, with one report row per destination:
 *
 * <pre>
 *  pre-backup commands → open/create repositories → batches of destinations → post-backup commands → reports
 * </pre>
 *
 * A batch is one {@link BackupJob} run by {@link PipelineBackup}: all destinations at once for a
 * concurrent set (at most {@code maxConcurrent} per batch), one at a time for a sequential set.
 * Blocking steps run on workers; the state lives on the caller's context.
 *
 * <p>Cancel stops the commands and the walk of the running batch; that batch commits nothing and
 * later batches do not start (reports "Interrupted"); batches already committed stay "Completed".
 */
final class BackupRun extends ReportedRun {
  private static final Logger LOG = LoggerFactory.getLogger(BackupRun.class);
  /** What happened at one destination. */
  private enum Outcome { WAITING, RUNNING, OK, FAILED, NOT_RUN }

  private final CommandRunner commands;
  /** The set's bandwidth control for this run's destinations. */
  private final Throttle throttle;
  private final Outcome[] outcomes;
  private final String[] jobIds;
  private final JobStats[] stats;
  /** The batch job each destination ran in and its place there (progress), or null before it ran. */
  private final BackupJob[] jobOf;
  private final int[] slotOf;
  private final BackupProgress progress;
  private volatile BackupJob current;
  /** The last batch started (its counters stay in the progress once it ended). */
  private BackupJob last;
  private boolean batchesOver;
  private List<SetRepositories.Opened> opened = List.of();
  private volatile boolean cancelled;
  private boolean commandsOk = true;
  /** "Stop after N hours": the clock time (epoch ms) the job is stopped at, or 0 for none. */
  private long stopAt;
  private String stopReason;

  BackupRun(JobsContext ctx, BackupSet set, List<Destinations.Target> targets, List<Long> rowIds, String runId,
      String secret, Throttle throttle) {
    super(ctx, set, targets, rowIds, runId, secret);
    this.throttle = throttle;
    this.commands = new CommandRunner(log, set.settings().source().home());
    this.outcomes = new Outcome[targets.size()];
    this.jobIds = new String[targets.size()];
    this.stats = new JobStats[targets.size()];
    this.jobOf = new BackupJob[targets.size()];
    this.slotOf = new int[targets.size()];
    this.progress = new BackupProgress(set, runId, clock.millis(), targets.size());
    Arrays.fill(outcomes, Outcome.WAITING);
  }

  @Override
  void logged(JobLog.Line line) {
    LOG.debug("set={} run={} {}", set.id(), runId, line);
  }

  /** Whether the backup to destination {@code i} (of the targets given) committed. */
  boolean completed(int i) {
    return outcomes[i] == Outcome.OK;
  }

  /** Runs everything and writes the reports; never fails (problems end up in the reports). */
  Future<Void> run() {
    stream.start(log);
    SetSettings s = set.settings();
    publish(false); // at once: the API shows a running job's progress from the first event
    long timer = vertx.setPeriodic(Progress.EVERY_MS, id -> {
      checkDeadline();
      publish(false);
    });
    log.info("backup of set \"" + s.name() + "\" (" + set.id() + ") to " + targets.stream()
        .map(Destinations.Target::name).toList() + " started");
    return blocking(() -> commands.runAll("pre-backup", s.preBackupCommands()))
        .compose(ok -> {
          commandsOk &= ok;
          return cancelled ? Future.succeededFuture(List.<SetRepositories.Opened>of())
              : blocking(() -> inspect(SetRepositories.open(set, targets, secret, home, throttle)));
        })
        .compose(this::backUp)
        .compose(v -> {
          batchesOver = true;
          return Future.succeededFuture();
        })
        .compose(v -> cancelled ? Future.succeededFuture(true)
            : blocking(() -> commands.runAll("post-backup", s.postBackupCommands())))
        .compose(ok -> {
          commandsOk &= ok;
          return finish();
        })
        .recover(err -> {
          LOG.error("backup of set={} run={} failed", set.id(), runId, err);
          log.error("the backup stopped unexpectedly: " + err.getMessage());
          return finish();
        })
        .eventually(() -> {
          vertx.cancelTimer(timer);
          publish(true);
          return Future.succeededFuture();
        });
  }

  /**
   * Stops the job like a cancel once the injected clock reaches {@code at} (checked with the
   * progress timer): the schedule's "stop after N hours" (guide ch. 9.5 "Backup Schedule").
   */
  void stopAt(long at, String schedule, Integer hours) {
    this.stopAt = at;
    this.stopReason = "stopped: schedule \"" + schedule + "\" stops its backups after "
        + (hours == null ? "a set time" : hours + (hours == 1 ? " hour" : " hours")) + " (at "
        + Instant.ofEpochMilli(at) + "); the backup did not finish in time and was interrupted";
  }

  private void checkDeadline() {
    if (stopAt > 0 && !cancelled && clock.millis() >= stopAt) {
      stop(stopReason);
    }
  }

  /** Stops the commands and the walk; see the class comment. */
  void cancel() {
    stop("cancel requested");
  }

  private void stop(String reason) {
    if (!cancelled) {
      cancelled = true;
      log.warn(reason);
      commands.cancel();
      BackupJob j = current;
      if (j != null) {
        j.cancel();
      }
    }
  }

  private Future<Void> backUp(List<SetRepositories.Opened> opened) {
    this.opened = opened;
    List<Integer> usable = new ArrayList<>();
    for (int i = 0; i < opened.size(); i++) {
      SetRepositories.Opened o = opened.get(i);
      if (o.error() != null) {
        outcomes[i] = Outcome.FAILED;
        log.error(o.error());
        continue;
      }
      usable.add(i);
    }
    Destinations d = set.settings().destinations();
    int batchSize = d.mode() == Destinations.Mode.CONCURRENT ? Math.max(1, d.maxConcurrent()) : 1;
    Future<Void> chain = Future.succeededFuture();
    for (int from = 0; from < usable.size(); from += batchSize) {
      List<Integer> batch = usable.subList(from, Math.min(usable.size(), from + batchSize));
      chain = chain.compose(v -> batch(batch, opened));
    }
    return chain.eventually(() -> blocking(() -> {
      opened.stream().filter(o -> o.repo() != null).forEach(o -> o.repo().close());
      return null;
    }));
  }

  private Future<Void> batch(List<Integer> batch, List<SetRepositories.Opened> opened) {
    if (cancelled) {
      batch.forEach(i -> outcomes[i] = Outcome.NOT_RUN);
      return Future.succeededFuture();
    }
    List<Repository> repos = batch.stream().map(i -> opened.get(i).repo()).toList();
    BackupJob job;
    try {
      job = BackupJob.create(repos, options(set.settings()), log);
    } catch (RuntimeException e) {
      log.error("destinations " + batch.stream().map(i -> targets.get(i).name()).toList() + ": " + e.getMessage());
      batch.forEach(i -> outcomes[i] = Outcome.FAILED);
      return Future.succeededFuture();
    }
    current = job;
    last = job;
    for (int k = 0; k < batch.size(); k++) {
      int i = batch.get(k);
      outcomes[i] = Outcome.RUNNING;
      stats[i] = job.stats();
      jobOf[i] = job;
      slotOf[i] = k;
    }
    return PipelineBackup.run(vertx, job, chunkers())
        .compose(results -> blocking(() -> {
          for (int k = 0; k < batch.size(); k++) {
            int i = batch.get(k);
            BackupResult r = results.get(k);
            jobIds[i] = r.jobId();
            outcomes[i] = r.ok() ? Outcome.OK : job.cancelled() ? Outcome.NOT_RUN : Outcome.FAILED;
            remember(opened.get(i), job, k, r);
          }
          return (Void) null;
        }))
        .recover(err -> {
          log.error("destinations " + batch.stream().map(i -> targets.get(i).name()).toList() + ": the backup failed: "
              + err.getMessage());
          batch.forEach(i -> outcomes[i] = job.cancelled() ? Outcome.NOT_RUN : Outcome.FAILED);
          return Future.succeededFuture();
        })
        .onComplete(x -> current = null);
  }

  /** Reports destinations that look replayed or rolled back, or whose retention is blocked (worker thread). */
  private List<SetRepositories.Opened> inspect(List<SetRepositories.Opened> all) {
    for (SetRepositories.Opened o : all) {
      if (o.error() != null) {
        continue;
      }
      if (o.rollback() != null) {
        block(o, o.rollback());
      } else if (o.state().blocked() != null) {
        log.warn("destination \"" + o.target().name() + "\": retention is blocked until a user confirms: "
            + o.state().blocked());
      }
    }
    return all;
  }

  /**
   * Updates the agent's record of a destination after its job (TEST-MATRIX R16, S5): the job
   * committed there is the newest seen; a clock that looked wrong, or blocks that looked damaged
   * or swapped, block retention there until a user confirms.
   */
  private void remember(SetRepositories.Opened o, BackupJob job, int k, BackupResult r) {
    try {
      if (r.ok()) {
        o.state().seen(r.jobId(), 0);
      }
      if (job.clockWarning() != null) {
        block(o, "a backup ran with a clock that looked wrong (" + job.clockWarning() + ")");
      }
      if (!job.suspicious(k).isEmpty()) {
        block(o, job.suspicious(k).get(0) + (job.suspicious(k).size() > 1 ? " (and " + (job.suspicious(k).size() - 1)
            + " more)" : ""));
      }
    } catch (RuntimeException e) {
      log.warn("destination \"" + o.target().name() + "\": " + e.getMessage());
    }
  }

  /** Reports what looked wrong at a destination and blocks retention there until a user confirms. */
  private void block(SetRepositories.Opened o, String reason) {
    log.warn("destination \"" + o.target().name() + "\": " + reason + "; retention (space freeing) is blocked there "
        + "until a user confirms (b247 free-space " + set.id() + " --destination \"" + o.target().name()
        + "\" --confirm-state)");
    o.state().block(reason, clock.instant());
  }

  private BackupOptions options(SetSettings s) {
    Deduplication d = s.deduplication();
    DedupScope scope = !d.enabled() ? DedupScope.OFF
        : d.scope() == Deduplication.Scope.PATH ? DedupScope.SAME_PATH : DedupScope.ALL;
    return new BackupOptions(s.source().selectedPaths(), s.others().followLinks(), chunkers(), clock,
        s.source().backupFilters(), scope);
  }

  static int chunkers() {
    return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
  }

  // --------------------------------------------------------------------------------------- reports

  /**
   * A destination's status. A job that committed is "Completed" only without a warning, a failed
   * command or an error about the sources (a missing source folder, a file that failed); otherwise
   * it is "Completed with warning(s)", the guide's status for a backup that ran but did not get
   * everything (ch. 9.6 lists no "completed with errors"). A job with no source at all commits
   * nothing and is "Failed".
   */
  JobStatus status(int i) {
    return switch (outcomes[i]) {
      case OK -> commandsOk && log.warnings() == 0 && (stats[i] == null || stats[i].sourceErrors.get() == 0)
          ? JobStatus.COMPLETED : JobStatus.COMPLETED_WITH_WARNINGS;
      case FAILED -> cancelled ? JobStatus.INTERRUPTED_WITH_ERRORS : JobStatus.FAILED;
      case NOT_RUN, WAITING -> cancelled ? JobStatus.INTERRUPTED : JobStatus.FAILED;
      case RUNNING -> JobStatus.IN_PROGRESS;
    };
  }

  private Future<Void> finish() {
    long now = clock.millis();
    List<JobStatus> statuses = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      if (outcomes[i] == Outcome.RUNNING || outcomes[i] == Outcome.WAITING) {
        outcomes[i] = cancelled ? Outcome.NOT_RUN : Outcome.FAILED;
      }
      statuses.add(status(i));
      log.info("destination \"" + targets.get(i).name() + "\": " + statuses.get(i).label());
    }
    return stream.close().compose(v -> writeReports(now, statuses));
  }

  private Future<Void> writeReports(long now, List<JobStatus> statuses) {
    JsonObject lines = stream.finalLines(log); // the lines not streamed yet, or the whole report log
    List<Future<Void>> writes = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      long row = rowIds.get(i);
      JsonObject body = new JsonObject().put("id", row).put("jobId", jobIds[i]).put("status", statuses.get(i).label())
          .put("endedAt", now).put("stats", statsJson(stats[i])).mergeIn(lines);
      int dest = i;
      writes.add(writeReport(body, 1).recover(err -> {
        LOG.error("report {} of set={} could not be written to the catalog after {} attempts: {}. {}", row, set.id(),
            REPORT_ATTEMPTS, err.getMessage(), outcomes[dest] == Outcome.OK
                ? "The backup itself completed: job " + jobIds[dest] + " is committed at destination \""
                    + targets.get(dest).name() + "\" and restorable, although after a restart its report will say \""
                    + JobStatus.NOT_FINISHED.label() + "\"; free space in the agent home"
                : "Its status was \"" + statuses.get(dest).label() + "\"");
        return Future.succeededFuture();
      }));
    }
    return Future.join(writes).mapEmpty();
  }

  /** Report writes tried before giving up (1, 2, 4, 8 s apart: a full agent home may be freed meanwhile). */
  static final int REPORT_ATTEMPTS = 5;

  private Future<Void> writeReport(JsonObject body, int attempt) {
    return BusClient.request(vertx, Addresses.CATALOG_JOBS_FINISH, body).<Void>mapEmpty().recover(err -> {
      if (attempt >= REPORT_ATTEMPTS) {
        return Future.failedFuture(err);
      }
      LOG.warn("report {} of set={} could not be written (attempt {} of {}): {}; trying again", body.getLong("id"),
          set.id(), attempt, REPORT_ATTEMPTS, err.getMessage());
      return vertx.timer(1000L << (attempt - 1)).compose(t -> writeReport(body, attempt + 1));
    });
  }

  private JsonObject statsJson(JobStats st) {
    JsonObject o = new JsonObject().put("warnings", log.warnings()).put("errors", log.errors());
    if (st != null) {
      o.put("filesNew", st.filesNew.get()).put("filesChanged", st.filesChanged.get())
          .put("filesUnchanged", st.filesUnchanged.get()).put("filesDeleted", st.filesDeleted.get())
          .put("bytesRead", st.bytesRead.get()).put("bytesNew", st.bytesNew.get())
          .put("bytesStored", st.bytesStored.get()).put("blocks", st.blocks.get());
    }
    return o;
  }

  /** See {@link BackupProgress}. */
  private void publish(boolean done) {
    List<BackupProgress.Destination> dests = new ArrayList<>();
    boolean running = false;
    for (int i = 0; i < targets.size(); i++) {
      String st = switch (outcomes[i]) {
        case WAITING -> "Waiting";
        case RUNNING -> JobStatus.IN_PROGRESS.label();
        default -> status(i).label();
      };
      running |= outcomes[i] == Outcome.RUNNING;
      dests.add(new BackupProgress.Destination(rowIds.get(i), targets.get(i).name(), st, jobOf[i], slotOf[i],
          statsJson(stats[i])));
    }
    String phase = done ? "done" : batchesOver ? "finishing" : running ? "backing up" : "preparing";
    String status = done ? overall() : JobStatus.IN_PROGRESS.label();
    vertx.eventBus().publish(Addresses.EVENT_JOB_PROGRESS, progress.event(clock.millis(), status, done, phase,
        current != null ? current : last, dests));
  }

  /** The run's status in one label: the worst of its destinations'. */
  private String overall() {
    List<JobStatus> all = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      all.add(status(i));
    }
    for (JobStatus s : List.of(JobStatus.FAILED, JobStatus.INTERRUPTED_WITH_ERRORS, JobStatus.INTERRUPTED,
        JobStatus.COMPLETED_WITH_WARNINGS)) {
      if (all.contains(s)) {
        return s.label();
      }
    }
    return all.isEmpty() ? JobStatus.FAILED.label() : all.get(0).label();
  }

  private <T> Future<T> blocking(Callable<T> op) {
    return vertx.executeBlocking(op, false);
  }
}
