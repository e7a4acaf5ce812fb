package au.com.backup247.agent.jobs;

import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.bus.Addresses;
import au.com.backup247.agent.bus.BusClient;
import au.com.backup247.agent.repo.History;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.error.RepoException;
import au.com.backup247.agent.restore.RestoreEngine;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One restore started by {@link RestoreService}: the {@link RestoreEngine} on a worker of the
 * restores' pool, progress events while it runs ({@link Addresses#EVENT_RESTORE_PROGRESS}), then its
 * report row finished with a status and its statistics. It closes the repository when the engine
 * ends; it never ends without a report. Its one report row and its log are a {@link ReportedRun}'s.
 */
final class RestoreRun extends ReportedRun {
  private static final Logger LOG = LoggerFactory.getLogger(RestoreRun.class);

  /** The repository open, the history as of the job and the paths to restore, all checked. */
  record Selection(Repository repo, History history, List<String> paths) {
  }

  /** What the engine returned: the job restored from, its counters, the files verified. */
  private record Done(String jobId, RestoreEngine.Summary summary, long verified) {
  }

  private final WorkerExecutor workers;
  private final RestorePlaces.Place place;
  private final Repository repo;
  private final Selection selection;
  private final RestoreRequest req;
  private final long reportId;
  private final long startedAt;
  private final Progress.Speed speed = new Progress.Speed();
  private volatile RestoreEngine engine;
  private volatile boolean cancelled;

  RestoreRun(JobsContext ctx, WorkerExecutor workers, RestorePlaces.Place place, Selection selection,
      RestoreRequest req, long reportId, String runId) {
    super(ctx, place.set(), List.of(place.target()), List.of(reportId), runId, place.secret());
    this.workers = workers;
    this.place = place;
    this.repo = selection.repo();
    this.selection = selection;
    this.req = req;
    this.reportId = reportId;
    this.startedAt = clock.millis();
  }

  @Override
  void logged(JobLog.Line line) {
    LOG.debug("restore set={} report={} {}", place.set().id(), reportId, line);
  }

  /** Asks the restore to stop; answers the cancel request. */
  JsonObject cancel() {
    if (!cancelled) {
      cancelled = true;
      log.warn("cancel requested");
      RestoreEngine e = engine;
      if (e != null) {
        e.cancel();
      }
    }
    LOG.info("restore cancel requested: set={} report={}", place.set().id(), reportId);
    return new JsonObject().put("setId", place.set().id()).put("reportId", reportId).put("cancelling", true);
  }

  /** Runs the restore; completes once its report is written (or could not be). */
  Future<Void> run() {
    stream.start(log);
    publish(null);
    long timer = vertx.setPeriodic(Progress.EVERY_MS, t -> publish(null));
    log.info("restore of backup set \"" + place.set().settings().name() + "\" (" + place.set().id()
        + ") from destination \"" + place.target().name() + "\", job " + (req.job() == null ? "latest" : req.job())
        + ", to " + (req.original() ? "the original location" : req.target().toString())
        + (req.paths().isEmpty() ? "" : ", paths " + req.paths())
        + (req.allVersions() ? ", all versions" : "") + (req.deleteUnmatched() ? ", deleting unmatched data" : "")
        + (req.verify() ? ", verifying restored files" : ""));
    if (req.temp() != null) {
      log.info("temporary directory " + req.temp() + ": files are staged next to their final name (atomic rename),"
          + " so it is not used");
    }
    Future<Done> work = workers.executeBlocking(() -> {
      try {
        History h = selection.history();
        RestoreEngine e = new RestoreEngine(repo, new RestoreEngine.Options(req.target(), h.jobId(),
            req.allVersions(), selection.paths(), req.deleteUnmatched(), 2), log).verifyAfterWrite(req.verify())
            .onlyVersions(req.versions());
        engine = e;
        if (cancelled) {
          e.cancel(); // cancelled while the history was loading
        }
        RestoreEngine.Summary s = e.run(h);
        return new Done(h.jobId(), s, e.verifiedFiles());
      } finally {
        repo.close();
      }
    }, false);
    return work.map(d -> finish(d.jobId(), d.summary(), d.verified(), null))
        .recover(err -> {
          String msg = err instanceof RepoException || err instanceof IOException ? err.getMessage()
              : err.getClass().getSimpleName() + ": " + err.getMessage();
          if (!(err instanceof RepoException)) {
            LOG.error("restore of set={} report={} failed", place.set().id(), reportId, err);
          }
          log.error("the restore stopped: " + msg);
          RestoreEngine e = engine;
          return Future.succeededFuture(finish(req.job(), e == null ? null : e.progress(), 0L, JobStatus.FAILED));
        })
        .compose(write -> write)
        .eventually(() -> {
          vertx.cancelTimer(timer);
          return Future.succeededFuture();
        });
  }

  private Future<Void> finish(String jobId, RestoreEngine.Summary s, long verified, JobStatus forced) {
    JobStatus status = cancelled ? (forced != null || log.errors() > 0 ? JobStatus.INTERRUPTED_WITH_ERRORS
        : JobStatus.INTERRUPTED)
        : forced != null ? forced
        : s.failed() > 0 && s.files() + s.folders() + s.symlinks() == 0 ? JobStatus.FAILED
        : s.failed() > 0 || log.warnings() > 0 || log.errors() > 0 ? JobStatus.COMPLETED_WITH_WARNINGS
        : JobStatus.COMPLETED;
    log.info("restore " + status.label() + (s == null ? "" : ": " + s.files() + " files, " + s.folders()
        + " folders, " + s.symlinks() + " symlinks, " + s.bytes() + " bytes, " + s.failed() + " failed, "
        + s.deleted() + " deleted"));
    JsonObject stats = new JsonObject().put("files", s == null ? 0 : s.files())
        .put("folders", s == null ? 0 : s.folders()).put("symlinks", s == null ? 0 : s.symlinks())
        .put("bytes", s == null ? 0 : s.bytes()).put("failed", s == null ? 0 : s.failed())
        .put("deleted", s == null ? 0 : s.deleted()).put("verified", verified)
        .put("warnings", log.warnings()).put("errors", log.errors())
        .put("target", req.original() ? "original" : req.target().toString());
    long endedAt = clock.millis();
    return stream.close().compose(v -> BusClient.request(vertx, Addresses.CATALOG_JOBS_FINISH, new JsonObject()
            .put("id", reportId).put("jobId", jobId).put("status", status.label()).put("endedAt", endedAt)
            .put("stats", stats).mergeIn(stream.finalLines(log))))
        .<Void>mapEmpty()
        .recover(err -> {
          LOG.error("restore report {} of set={} could not be written: {}", reportId, place.set().id(),
              err.getMessage());
          return Future.succeededFuture();
        })
        .onComplete(x -> publish(status));
  }

  /** See {@link Addresses#EVENT_RESTORE_PROGRESS}. */
  private void publish(JobStatus done) {
    RestoreEngine e = engine;
    RestoreEngine.Summary s = e == null ? new RestoreEngine.Summary(0, 0, 0, 0, 0, 0) : e.progress();
    RestoreEngine.Live l = e == null ? new RestoreEngine.Live(0, -1, -1, null) : e.live();
    String status = done == null ? JobStatus.IN_PROGRESS.label() : done.label();
    long rate = speed.add(System.nanoTime() / 1_000_000, l.bytesWritten());
    Long total = l.bytesTotal() < 0 ? null : l.bytesTotal();
    vertx.eventBus().publish(Addresses.EVENT_RESTORE_PROGRESS, Progress.head("restore", place.set(), runId,
            startedAt, clock.millis(), status, done != null)
        .put("reportId", reportId).put("destination", place.target().name())
        .put("phase", done != null ? "done" : e == null ? "preparing" : "restoring")
        .put("files", s.files()).put("filesTotal", l.filesTotal() < 0 ? null : l.filesTotal())
        .put("folders", s.folders()).put("symlinks", s.symlinks()).put("failed", s.failed())
        .put("bytes", l.bytesWritten()).put("bytesTotal", total).put("bytesPerSecond", rate)
        .put("etaSeconds", done != null ? Long.valueOf(0) : total == null ? null
            : Progress.seconds(total - l.bytesWritten(), rate))
        .put("percent", done != null ? Integer.valueOf(100) : Progress.percent(l.bytesWritten(), total))
        .put("currentFile", done != null ? null : l.currentFile())
        .put("destinations", new JsonArray().add(new JsonObject().put("id", reportId)
            .put("name", place.target().name()).put("status", status))));
  }
}
