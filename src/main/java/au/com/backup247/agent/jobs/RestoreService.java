package au.com.backup247.agent.jobs;

import au.com.backup247.agent.bus.BusClient;
import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.bandwidth.SetBuckets;
import au.com.backup247.agent.bus.Addresses;
import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Caller;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.catalog.JobRow;
import au.com.backup247.agent.i18n.Messages;
import au.com.backup247.agent.repo.History;
import au.com.backup247.agent.repo.Manifest;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.error.RepoException;
import au.com.backup247.agent.repo.index.FileVersion;
import au.com.backup247.agent.repo.store.Store;
import au.com.backup247.agent.restore.RestoreEngine;
import au.com.backup247.agent.sets.BackupSet;
import au.com.backup247.agent.sets.Destinations;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Browsing and restoring a set's backups at one destination (guide ch. 13): restore points, the
 * tree of a folder as of a job (optionally with every version), and restores to the original or
 * an alternate location. State is confined to the owning verticle's context.
 *
 * <p>Repositories are opened read-only (no lock) per request and closed after it; nothing is
 * cached. A restore runs on a dedicated worker pool ({@link RestoreEngine} is blocking), one per set
 * at a time, and writes a report row to {@code backup_jobs} with trigger {@code "restore"}; its
 * {@code jobId} is the repository job restored from and its statistics are {@code {files, folders,
 * symlinks, bytes, failed, deleted, verified, warnings, errors, target}}.
 */
final class RestoreService {
  private static final Logger LOG = LoggerFactory.getLogger(RestoreService.class);
  static final String TRIGGER = "restore";
  private final Vertx vertx;
  private final Clock clock;
  private final Path home;
  private final SetResolver sets;
  private final WorkerExecutor workers;
  private final SetRuns runs;
  /** The sets' bandwidth buckets, shared with the backups. */
  private final SetBuckets buckets;

  RestoreService(Vertx vertx, Clock clock, Path home, SetRuns runs, SetBuckets buckets) {
    this.vertx = vertx;
    this.buckets = buckets;
    this.clock = clock;
    this.home = home;
    this.sets = new SetResolver(vertx, home);
    this.runs = runs;
    this.workers = vertx.createSharedWorkerExecutor("b247-restore", 2, 24, TimeUnit.HOURS);
  }

  /** One destination of one set, with the key to open its repository. */
  private record Place(BackupSet set, Destinations.Target target, String secret) {
  }

  // ------------------------------------------------------------------------------------------ browse

  /** See {@link Addresses#JOBS_RESTORE_POINTS}. */
  Future<JsonObject> points(JsonObject body) {
    return place(body).compose(p -> blocking(() -> {
      try (Repository repo = open(p)) {
        List<String> ids = repo.jobIds();
        JsonArray items = new JsonArray();
        for (int i = ids.size() - 1; i >= 0; i--) {
          Manifest m = repo.manifest(ids.get(i));
          items.add(new JsonObject().put("job", ids.get(i)).put("time", m.get("started"))
              .put("sources", new JsonArray(new java.util.ArrayList<Object>(m.sources())))
              .put("stats", new JsonObject().put("filesNew", m.stat("files.new"))
                  .put("filesChanged", m.stat("files.changed")).put("filesUnchanged", m.stat("files.unchanged"))
                  .put("bytesRead", m.stat("bytes.read")).put("bytesNew", m.stat("bytes.new"))
                  .put("bytesStored", m.stat("bytes.stored")).put("warnings", m.stat("warnings"))
                  .put("errors", m.stat("errors"))));
        }
        return new JsonObject().put("setId", p.set().id()).put("destination", p.target().name()).put("items", items);
      }
    }));
  }

  /** See {@link Addresses#JOBS_RESTORE_TREE}. */
  Future<JsonObject> tree(JsonObject body) {
    String path = folder(body.getValue("path"));
    boolean all = bool(body, "allVersions");
    String job = job(body.getValue("job"));
    return place(body).compose(p -> blocking(() -> {
      try (Repository repo = open(p)) {
        History h = history(repo, p, job);
        JsonArray items = all ? allVersions(h, path) : current(h, path);
        if (items.isEmpty() && !path.equals("/") && !known(h, path, all)) {
          throw AgentException.of(Failure.NOT_FOUND, "e.restore.pathNotIn", path, h.jobId(), p.set().id(),
              p.target().name());
        }
        return new JsonObject().put("setId", p.set().id()).put("destination", p.target().name())
            .put("job", h.jobId()).put("path", path).put("allVersions", all).put("items", items);
      }
    }));
  }

  // ------------------------------------------------------------------------------------------ search

  static final int MAX_PER_PAGE = 1000;

  /**
   * See {@link Addresses#JOBS_RESTORE_SEARCH}: the entries under {@code folder} (its direct children,
   * or everything below with {@code subfolders}) as of a job whose name matches the pattern, of the
   * chosen kind (files — symlinks count as files — directories, or both), in path order, one page.
   */
  Future<JsonObject> search(JsonObject body) {
    String folder = absolute("folder", body.getValue("folder") == null ? "/" : text(body, "folder"));
    boolean subfolders = body.getValue("subfolders") == null || bool(body, "subfolders");
    String kind = choice(body, "kind", "both", List.of("files", "directories", "both"));
    String modeText = choice(body, "mode", "contains", List.of("contains", "exact", "starts-with", "ends-with",
        "glob"));
    String pattern = body.getValue("pattern") == null ? "" : text(body, "pattern");
    SearchMode mode = SearchMode.of(modeText, pattern);
    boolean matchCase = bool(body, "matchCase");
    int page = number(body, "page", 1, 1, Integer.MAX_VALUE);
    int perPage = number(body, "perPage", 50, 1, MAX_PER_PAGE);
    String job = job(body.getValue("job"));
    Predicate<String> matches = mode.matcher(matchCase ? pattern : pattern.toLowerCase(Locale.ROOT));
    return place(body).compose(p -> blocking(() -> {
      try (Repository repo = open(p)) {
        History h = history(repo, p, job);
        if (!folder.equals("/") && !h.current().containsKey(folder)) {
          throw AgentException.of(Failure.NOT_FOUND, "e.restore.folderNotIn", folder, h.jobId(), p.set().id(),
              p.target().name());
        }
        String prefix = folder.equals("/") ? "/" : folder + "/";
        long total = 0;
        long from = (long) (page - 1) * perPage;
        JsonArray items = new JsonArray();
        for (Map.Entry<String, FileVersion> e : h.current().tailMap(prefix, false).entrySet()) {
          String path = e.getKey();
          if (!path.startsWith(prefix)) {
            break;
          }
          int slash = path.lastIndexOf('/');
          if (!subfolders && slash != prefix.length() - 1) {
            continue;
          }
          boolean isFolder = e.getValue().kind() == FileVersion.FOLDER;
          if (isFolder ? kind.equals("files") : kind.equals("directories")) {
            continue;
          }
          String name = path.substring(slash + 1);
          if (!matches.test(matchCase ? name : name.toLowerCase(Locale.ROOT))) {
            continue;
          }
          if (total >= from && items.size() < perPage) {
            items.add(version(e.getValue()).put("name", name).put("folder", slash == 0 ? "/" : path.substring(0, slash))
                .put("path", path));
          }
          total++;
        }
        return new JsonObject().put("setId", p.set().id()).put("destination", p.target().name())
            .put("job", h.jobId()).put("folder", folder).put("subfolders", subfolders).put("kind", kind)
            .put("mode", mode.label).put("pattern", pattern).put("matchCase", matchCase).put("page", page)
            .put("perPage", perPage).put("total", total).put("pages", (total + perPage - 1) / perPage)
            .put("items", items);
      }
    }));
  }

  private static String text(JsonObject b, String field) {
    if (!(b.getValue(field) instanceof String s)) {
      throw AgentException.of(Failure.BAD_REQUEST, "e.param.string", field);
    }
    return s;
  }

  private static String choice(JsonObject b, String field, String dflt, List<String> allowed) {
    Object v = b.getValue(field);
    if (v == null) {
      return dflt;
    }
    String s = v instanceof String x ? x.trim().toLowerCase(Locale.ROOT) : null;
    if (s == null || !allowed.contains(s)) {
      throw AgentException.of(Failure.BAD_REQUEST, "e.param.oneOf", field, String.join(", ", allowed), v);
    }
    return s;
  }

  private static int number(JsonObject b, String field, int dflt, int min, int max) {
    Object v = b.getValue(field);
    if (v == null) {
      return dflt;
    }
    long n;
    try {
      n = v instanceof Number x ? x.longValue() : Long.parseLong(v.toString().trim());
    } catch (NumberFormatException e) {
      n = Long.MIN_VALUE;
    }
    if (n < min || n > max) {
      throw AgentException.of(Failure.BAD_REQUEST, "e.param.whole", field, min, max, v);
    }
    return (int) n;
  }

  private static boolean known(History h, String path, boolean all) {
    if (h.current().containsKey(path)) {
      return true;
    }
    return all && h.spans().stream().anyMatch(s -> s.version().path().equals(path));
  }

  private static String childName(String folder, String path) {
    String prefix = folder.equals("/") ? "/" : folder + "/";
    if (!path.startsWith(prefix) || path.length() == prefix.length()) {
      return null;
    }
    String rest = path.substring(prefix.length());
    return rest.indexOf('/') >= 0 ? null : rest;
  }

  private static JsonArray current(History h, String folder) {
    String prefix = folder.equals("/") ? "/" : folder + "/";
    JsonArray items = new JsonArray();
    for (Map.Entry<String, FileVersion> e : h.current().tailMap(prefix, false).entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        break;
      }
      String name = childName(folder, e.getKey());
      if (name != null) {
        items.add(entry(name, e.getValue()));
      }
    }
    return items;
  }

  private static JsonArray allVersions(History h, String folder) {
    Map<String, JsonObject> byPath = new LinkedHashMap<>();
    List<History.Span> spans = new ArrayList<>(h.spans());
    spans.sort((a, b) -> a.version().path().compareTo(b.version().path()));
    for (History.Span s : spans) {
      String name = childName(folder, s.version().path());
      if (name == null) {
        continue;
      }
      JsonObject item = byPath.computeIfAbsent(s.version().path(), k -> {
        FileVersion cur = h.current().get(k);
        JsonObject o = cur == null ? entry(name, s.version()) : entry(name, cur);
        return o.put("current", cur != null).put("versions", new JsonArray());
      });
      item.getJsonArray("versions").add(version(s.version()).put("firstJob", s.firstJob()).put("endJob", s.endJob())
          .put("area", s.endJob() == null ? "data" : "retention"));
    }
    return new JsonArray(new ArrayList<>(byPath.values()));
  }

  private static JsonObject entry(String name, FileVersion v) {
    return version(v).put("name", name).put("path", v.path());
  }

  private static JsonObject version(FileVersion v) {
    JsonObject o = new JsonObject().put("kind", switch (v.kind()) {
      case FileVersion.FOLDER -> "folder";
      case FileVersion.SYMLINK -> "symlink";
      default -> "file";
    }).put("size", v.size()).put("mtime", v.mtimeNanos() / 1_000_000L);
    if (v.kind() == FileVersion.SYMLINK) {
      o.put("target", v.target());
    }
    return o;
  }

  // ----------------------------------------------------------------------------------------- restore

  /** See {@link Addresses#JOBS_RESTORE_START} and the API's RestoreRequest. */
  Future<JsonObject> start(JsonObject body) {
    long id = id(body);
    RestoreRequest req = RestoreRequest.of(body);
    return runs.claim(id, SetRuns.Kind.RESTORE).compose(claim -> place(body)
        .compose(p -> allowed(Caller.of(body), req, p))
        .compose(p -> blocking(() -> selection(p, req)).compose(sel -> launch(claim, p, sel, req)))
        .onFailure(err -> claim.release()));
  }

  /** The repository open, the history as of the job and the paths to restore, all checked (worker thread). */
  private record Selection(Repository repo, History history, List<String> paths) {
  }

  /**
   * Opens the repository and checks the request before anything is written: the job exists, and
   * every requested path selects something in it (404 naming the paths otherwise) and, for the
   * original location, lies under the job's source folders (400).
   */
  private Selection selection(Place p, RestoreRequest req) {
    Repository repo = open(p);
    try {
      if (req.job() != null && !repo.jobIds().contains(req.job())) {
        throw AgentException.of(Failure.NOT_FOUND, "e.restore.noJob", req.job(), p.set().id(), p.target().name());
      }
      if (repo.jobIds().isEmpty()) {
        throw AgentException.of(Failure.NOT_FOUND, "e.restore.empty", p.target().name(), p.set().id());
      }
      History h = history(repo, p, req.job());
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
        return new Selection(repo, h, req.original() ? underSources(repo.manifest(h.jobId()), req.paths())
            : req.paths());
      } catch (RepoException e) {
        throw new AgentException(Failure.BAD_REQUEST, e.getMessage());
      }
    } catch (RuntimeException e) {
      repo.close();
      throw e;
    }
  }

  private Future<JsonObject> launch(SetRuns.Claim claim, Place p, Selection sel, RestoreRequest req) {
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
          Run run = new Run(p, sel, req, reportId, runId);
          claim.started(run::cancel, run.run());
          return new JsonObject().put("setId", p.set().id()).put("reportId", reportId).put("runId", runId)
              .put("destination", p.target().name()).put("job", req.job() == null ? "latest" : req.job())
              .put("target", req.original() ? "original" : req.target().toString());
        });
  }

  /** See {@link Addresses#JOBS_RESTORE_CANCEL}. */
  Future<JsonObject> cancel(JsonObject body) {
    return runs.cancel(id(body), SetRuns.Kind.RESTORE);
  }

  /** One restore: engine on a worker, progress events, then the report. */
  private final class Run {
    private final Place place;
    private final Repository repo;
    private final Selection selection;
    private final RestoreRequest req;
    private final long reportId;
    private final String runId;
    private final JobLog log;
    private final LogStream stream;
    private final long startedAt = clock.millis();
    private final Progress.Speed speed = new Progress.Speed();
    private volatile RestoreEngine engine;
    private volatile boolean cancelled;

    Run(Place place, Selection selection, RestoreRequest req, long reportId, String runId) {
      this.place = place;
      this.repo = selection.repo();
      this.selection = selection;
      this.req = req;
      this.reportId = reportId;
      this.runId = runId;
      this.stream = new LogStream(vertx, List.of(reportId));
      this.log = new JobLog(clock, line -> {
        LOG.debug("restore set={} report={} {}", place.set().id(), reportId, line);
        stream.lineAdded();
      });
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
      Future<Object[]> work = workers.executeBlocking(() -> {
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
          return new Object[] {h.jobId(), s, e.verifiedFiles()};
        } finally {
          repo.close();
        }
      }, false);
      return work.map(r -> finish((String) r[0], (RestoreEngine.Summary) r[1], (Long) r[2], null))
          .recover(err -> {
            String msg = err instanceof RepoException || err instanceof java.io.IOException ? err.getMessage()
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

  // ---------------------------------------------------------------------------------------- requests

  /**
   * A user (not an admin) restores only into the account's folders: the target folder, or for the
   * original location every selected path (or, with none, every source of the set). Refused in the
   * caller's language.
   */
  private static Future<Place> allowed(Caller caller, RestoreRequest req, Place p) {
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

  private static String absolute(String field, String s) {
    if (s.isEmpty() || s.indexOf('\0') >= 0 || !s.startsWith("/")) {
      throw AgentException.of(Failure.BAD_REQUEST, "e.param.absoluteGot", field, s);
    }
    for (String part : s.split("/")) {
      if (part.equals("..") || part.equals(".")) {
        throw AgentException.of(Failure.BAD_REQUEST, "e.param.dots", field, s);
      }
    }
    return s.length() > 1 && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  private static String folder(Object v) {
    if (v == null) {
      return "/";
    }
    if (!(v instanceof String s)) {
      throw AgentException.of(Failure.BAD_REQUEST, "e.param.folder");
    }
    return absolute("path", s);
  }

  /** Null for the latest job. */
  private static String job(Object v) {
    if (v == null || (v instanceof String s && (s.isBlank() || s.equalsIgnoreCase("latest")))) {
      return null;
    }
    if (!(v instanceof String s) || !s.matches("[A-Za-z0-9._-]{1,64}")) {
      throw AgentException.of(Failure.BAD_REQUEST, "e.param.job", v);
    }
    return s;
  }

  private static boolean bool(JsonObject b, String field) {
    Object v = b.getValue(field);
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean x) {
      return x;
    }
    if (v instanceof String s && (s.equals("true") || s.equals("false"))) {
      return Boolean.parseBoolean(s);
    }
    throw AgentException.of(Failure.BAD_REQUEST, "e.param.boolean", field, v);
  }

  private static String string(JsonObject b, String field) {
    Object v = b.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s) || s.isBlank()) {
      throw AgentException.of(Failure.BAD_REQUEST, "e.param.nonEmpty", field);
    }
    return s;
  }

  private static long id(JsonObject body) {
    Long id = body.getLong("id");
    if (id == null) {
      throw AgentException.of(Failure.BAD_REQUEST, "e.set.idMissing");
    }
    return id;
  }

  // ------------------------------------------------------------------------------- sets, repositories

  /** The set and its destination named in {@code body}, with the set's key. */
  private Future<Place> place(JsonObject body) {
    long id = id(body);
    String name = string(body, "destination");
    if (name == null) {
      return Future.failedFuture(AgentException.of(Failure.BAD_REQUEST, "e.destination.name"));
    }
    return sets.resolve(id, body).map(r -> new Place(r.set(), r.target(name), r.secret()));
  }

  /** The set's repository at the destination, read-only; NOT_FOUND when nothing was backed up there. */
  private Repository open(Place p) {
    Store store;
    try {
      store = SetRepositories.store(p.target(), p.set(), home,
          buckets.throttle(p.set().id(), p.set().settings().bandwidth())); // guide ch. 9.5: restores too
    } catch (RuntimeException e) {
      throw AgentException.of(Failure.UNAVAILABLE, "e.destination.open", p.target().name(), p.target().url(),
          e.getMessage());
    }
    try {
      if (!store.exists(Repository.CONFIG)) {
        store.close();
        throw AgentException.of(Failure.NOT_FOUND, "e.restore.noneYet", p.target().name(), p.set().id());
      }
      return SetRepositories.openExisting(store, p.set().id(), p.set().settings(), p.secret(),
          DestinationState.of(home, p.set().id(), p.target())); // the repository the set recorded, no other
    } catch (RepoException e) {
      store.close();
      throw AgentException.of(Failure.UNAVAILABLE, "e.destination.failed", p.target().name(), p.set().id(),
          e.getMessage());
    }
  }

  private static History history(Repository repo, Place p, String job) {
    try {
      return History.load(repo, job);
    } catch (RepoException e) {
      throw AgentException.of(job != null && e.getMessage().contains("does not exist") ? Failure.NOT_FOUND
          : Failure.UNAVAILABLE, "e.restore.nothing", p.set().id(), p.target().name(), e.getMessage());
    }
  }

  private <T> Future<T> blocking(Callable<T> op) {
    return vertx.executeBlocking(() -> {
      try {
        return op.call();
      } catch (RepoException e) {
        throw new AgentException(Failure.UNAVAILABLE, e.getMessage());
      }
    }, false);
  }
}
