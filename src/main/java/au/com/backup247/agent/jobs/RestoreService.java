package au.com.backup247.agent.jobs;

import au.com.backup247.agent.bus.Addresses;
import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.BusClient;
import au.com.backup247.agent.bus.Caller;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.catalog.JobRow;
import au.com.backup247.agent.i18n.Messages;
import au.com.backup247.agent.repo.History;
import au.com.backup247.agent.repo.Manifest;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.error.RepoException;
import au.com.backup247.agent.restore.RestoreEngine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Browsing and restoring a set's backups at one destination (guide ch. 13): restore points, the
 * tree of a folder as of a job (optionally with every version) and searches ({@link
 * RestoreBrowser}), and restores to the original or an alternate location. State is confined to the
 * owning verticle's context.
 *
 * <p>Repositories are opened read-only (no lock) per request and closed after it; nothing is
 * cached ({@link RestorePlaces}). A restore is checked before anything is written, then runs on a
 * dedicated worker pool ({@link RestoreRun}: {@link RestoreEngine} is blocking), one per set at a
 * time, and writes a report row to {@code backup_jobs} with trigger {@code "restore"}; its {@code
 * jobId} is the repository job restored from and its statistics are {@code {files, folders,
 * symlinks, bytes, failed, deleted, verified, warnings, errors, target}}.
 */
final class RestoreService {
  static final String TRIGGER = "restore";
  private final JobsContext ctx;
  private final Vertx vertx;
  private final Clock clock;
  private final WorkerExecutor workers;
  private final SetRuns runs;
  private final RestorePlaces places;
  private final RestoreBrowser browser;

  RestoreService(JobsContext ctx) {
    this.ctx = ctx;
    this.vertx = ctx.vertx();
    this.clock = ctx.clock();
    this.runs = ctx.runs();
    this.places = new RestorePlaces(ctx);
    this.browser = new RestoreBrowser(places);
    this.workers = vertx.createSharedWorkerExecutor("b247-restore", 2, 24, TimeUnit.HOURS);
  }

  /** See {@link Addresses#JOBS_RESTORE_POINTS}. */
  Future<JsonObject> points(JsonObject body) {
    return browser.points(body);
  }

  /** See {@link Addresses#JOBS_RESTORE_TREE}. */
  Future<JsonObject> tree(JsonObject body) {
    return browser.tree(body);
  }

  /** See {@link Addresses#JOBS_RESTORE_SEARCH} and {@link RestoreBrowser#search}. */
  Future<JsonObject> search(JsonObject body) {
    return browser.search(body);
  }

  /** See {@link Addresses#JOBS_RESTORE_START} and the API's RestoreRequest. */
  Future<JsonObject> start(JsonObject body) {
    long id = RestorePlaces.id(body);
    RestoreRequest req = RestoreRequest.of(body);
    return runs.claim(id, SetRuns.Kind.RESTORE).compose(claim -> places.place(body)
        .compose(p -> allowed(Caller.of(body), req, p))
        .compose(p -> places.blocking(() -> selection(p, req)).compose(sel -> launch(claim, p, sel, req)))
        .onFailure(err -> claim.release()));
  }

  /**
   * Opens the repository and checks the request before anything is written: the job exists, and
   * every requested path selects something in it (404 naming the paths otherwise) and, for the
   * original location, lies under the job's source folders (400). Only a restore of every version
   * or of chosen versions loads the version history (worker thread).
   */
  private RestoreRun.Selection selection(RestorePlaces.Place p, RestoreRequest req) {
    Repository repo = places.open(p);
    try {
      if (req.job() != null && !repo.jobIds().contains(req.job())) {
        throw AgentException.of(Failure.NOT_FOUND, "e.restore.noJob", req.job(), p.set().id(), p.target().name());
      }
      if (repo.jobIds().isEmpty()) {
        throw AgentException.of(Failure.NOT_FOUND, "e.restore.empty", p.target().name(), p.set().id());
      }
      History h = RestorePlaces.history(repo, p, req.job(), req.allVersions() || !req.versions().isEmpty());
      List<String> unmatched = RestoreEngine.unmatched(h, req.allVersions(), req.paths());
      if (!unmatched.isEmpty()) {
        throw AgentException.of(Failure.NOT_FOUND, "e.restore.nothing", p.set().id(), p.target().name(),
            RestoreEngine.nothingMatches(unmatched, h.jobId()));
      }
      req.versions().forEach((path, jobs) -> jobs.forEach(job -> {
        if (h.spans().stream().noneMatch(s -> s.version().path().equals(path) && s.firstJob().equals(job))) {
          throw AgentException.of(Failure.NOT_FOUND, "e.restore.noVersion", job, path, p.set().id(),
              p.target().name());
        }
      }));
      try {
        return new RestoreRun.Selection(repo, h, req.original() ? underSources(repo.manifest(h.jobId()), req.paths())
            : req.paths());
      } catch (RepoException e) {
        throw new AgentException(Failure.BAD_REQUEST, e.getMessage());
      }
    } catch (RuntimeException e) {
      repo.close();
      throw e;
    }
  }

  private Future<JsonObject> launch(SetRuns.Claim claim, RestorePlaces.Place p, RestoreRun.Selection sel,
      RestoreRequest req) {
    Repository repo = sel.repo();
    String runId = claim.runId();
    long now = clock.millis();
    JsonObject row = new JobRow(null, runId, req.job(), p.set().id(), p.target().name(), JobStatus.IN_PROGRESS.label(),
        TRIGGER, null, now, null, "{}").toJson();
    return BusClient.request(vertx, Addresses.CATALOG_JOBS_INSERT, new JsonObject().put("rows", new JsonArray().add(row)))
        .recover(err -> {
          repo.close();
          return Future.failedFuture(err);
        })
        .map(r -> {
          long reportId = r.getJsonArray("ids").getLong(0);
          RestoreRun run = new RestoreRun(ctx, workers, p, sel, req, reportId, runId);
          claim.started(run::cancel, run.run());
          return new JsonObject().put("setId", p.set().id()).put("reportId", reportId).put("runId", runId)
              .put("destination", p.target().name()).put("job", req.job() == null ? "latest" : req.job())
              .put("target", req.original() ? "original" : req.target().toString());
        });
  }

  /** See {@link Addresses#JOBS_RESTORE_CANCEL}. */
  Future<JsonObject> cancel(JsonObject body) {
    return runs.cancel(RestorePlaces.id(body), SetRuns.Kind.RESTORE);
  }

  /**
   * What a restore to the original location may write (issue 11): only under the source folders the
   * job's manifest records, so entries elsewhere in a tampered repository ({@code /etc/cron.d/x})
   * are never written as root. The requested paths must lie under them; none requested: all of them.
   */
  static List<String> underSources(Manifest m, List<String> requested) {
    List<String> sources = m.sources();
    if (sources.isEmpty()) {
      throw new RepoException("job " + m.jobId() + " does not record its source folders, so it is not restored to "
          + "the original location; restore it to a folder instead");
    }
    if (requested.isEmpty()) {
      return sources;
    }
    for (String p : requested) {
      if (sources.stream().noneMatch(src -> p.equals(src) || p.startsWith(src.endsWith("/") ? src : src + "/"))) {
        throw new RepoException("path " + p + " is not under the source folders of job " + m.jobId() + " " + sources
            + "; a restore to the original location writes only there");
      }
    }
    return requested;
  }

  /** Closes the restores' worker pool (once {@link SetRuns#stop} saw the running ones end). */
  Future<Void> close() {
    return workers.close();
  }

  /**
   * A user (not an admin) restores only into the account's folders: the target folder, or for the
   * original location every selected path (or, with none, every source of the set). Refused in the
   * caller's language.
   */
  private static Future<RestorePlaces.Place> allowed(Caller caller, RestoreRequest req, RestorePlaces.Place p) {
    if (caller.isAdmin()) {
      return Future.succeededFuture(p);
    }
    List<String> written = new ArrayList<>();
    if (!req.original()) {
      written.add(req.target().toString());
    } else if (!req.paths().isEmpty()) {
      written.addAll(req.paths());
    } else {
      p.set().settings().source().selectedPaths().forEach(x -> written.add(x.toString()));
    }
    if (req.temp() != null) {
      written.add(req.temp().toString());
    }
    for (String w : written) {
      if (!caller.mayUsePath(w)) {
        return Future.failedFuture(new AgentException(Failure.FORBIDDEN, Messages.get(caller.language(),
            "rights.restore", w, caller.folders())));
      }
    }
    return Future.succeededFuture(p);
  }
}
