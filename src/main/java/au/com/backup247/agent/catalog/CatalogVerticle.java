package au.com.backup247.agent.catalog;

import au.com.backup247.agent.bus.Addresses;
import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.BusService;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.repo.HostName;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the catalog: opens it (applying migrations), records this run, answers catalog queries on
 * the bus, and closes it on undeploy. A damaged catalog is refused at start; sets are exported and
 * the catalog copied by {@link CatalogBackup}. Config: {@code {"file": "/abs/path/catalog.db",
 * "home": "/agent/home", "version": "1.2.3"}} (home defaults to the catalog's folder; version, the
 * build recorded with this run, is given by the entry point, which knows it, so the catalog does not
 * depend on it).
 */
public final class CatalogVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(CatalogVerticle.class);
  private Catalog catalog;
  private CatalogBackup backup;
  private Long runId;

  @Override
  public Future<?> start() {
    String file = config().getString("file");
    if (file == null) {
      return Future.failedFuture(new AgentException(Failure.CONFIG_INVALID, "catalog verticle: config \"file\" is missing"));
    }
    Path home = config().getString("home") != null ? Path.of(config().getString("home"))
        : Path.of(file).toAbsolutePath().getParent();
    return vertx.executeBlocking(() -> CatalogBackup.requireSound(Path.of(file), home))
        .compose(v -> SqliteCatalog.open(vertx, Path.of(file))
            .recover(err -> Future.failedFuture(new AgentException(Failure.UNAVAILABLE,
                "catalog " + file + " cannot be opened: " + rootMessage(err), err))))
        .compose(c -> {
          catalog = c;
          return c.recordStart(System.currentTimeMillis(), config().getString("version", "unknown"),
              ProcessHandle.current().pid(), HostName.local());
        })
        .compose(id -> {
          runId = id;
          var ping = vertx.eventBus().<JsonObject>consumer(Addresses.CATALOG_PING, msg -> catalog.ping()
              .onSuccess(v -> msg.reply(new JsonObject().put("schemaVersion", v).put("file", file)))
              .onFailure(err -> msg.fail(Failure.UNAVAILABLE.busCode(), "catalog not reachable: " + rootMessage(err))));
          var runs = vertx.eventBus().<JsonObject>consumer(Addresses.CATALOG_LIST_RUNS, msg -> {
            JsonObject body = msg.body() == null ? new JsonObject() : msg.body();
            catalog.listRuns(body.getLong("after"), body.getInteger("limit", 100))
                .onSuccess(p -> msg.reply(new JsonObject()
                    .put("items", new JsonArray(p.items().stream().map(AgentRun::toJson).toList()))
                    .put("next", p.next())))
                .onFailure(err -> msg.fail(Failure.BAD_REQUEST.busCode(), rootMessage(err)));
          });
          List<Future<?>> ready = new ArrayList<>(List.of(ping.completion(), runs.completion()));
          ready.addAll(setConsumers());
          ready.addAll(jobConsumers());
          ready.addAll(AccountStoreClient.bind(vertx, catalog.accounts(), UNEXPECTED, LOG));
          backup = new CatalogBackup(vertx, catalog, Path.of(file), home);
          ready.add(backup.start());
          return Future.join(ready);
        });
  }

  /** The backup-set storage addresses (the sets service owns the settings' format and rules). */
  private List<Future<Void>> setConsumers() {
    return List.of(
        bind(Addresses.CATALOG_SETS_INSERT, b ->
            catalog.insertSet(SetRow.fromJson(b)).compose(v -> exported(b.getLong("id"), "created"))
                .map(v -> new JsonObject())),
        bind(Addresses.CATALOG_SETS_UPDATE, b ->
            catalog.updateSet(b.getLong("id"), b.getString("name"), b.getString("json"),
                b.getLong("updatedAt")).compose(v -> exported(b.getLong("id"), "updated"))
                .map(v -> new JsonObject())),
        bind(Addresses.CATALOG_SETS_DELETE, b ->
            catalog.deleteSet(b.getLong("id")).compose(v -> exported(b.getLong("id"), "deleted"))
                .map(v -> new JsonObject())),
        bind(Addresses.CATALOG_SETS_GET, b ->
            (b.containsKey("id") ? catalog.getSet(b.getLong("id"))
                : catalog.getSetByName(b.getString("name"))).map(SetRow::toJson)),
        bind(Addresses.CATALOG_SETS_LIST, b ->
            catalog.listSets(b.getLong("after"), b.getInteger("limit", 100),
                    b.getLong("ownerId"))
                .map(p -> new JsonObject().put("items", new JsonArray(p.items().stream().map(SetRow::toJson).toList()))
                    .put("next", p.next()))),
        bind(Addresses.CATALOG_SETS_SET_OWNER, b ->
            catalog.setOwner(b.getLong("id"), b.getLong("ownerId"))
                .compose(v -> exported(b.getLong("id"), "updated")).map(v -> new JsonObject())),
        bind(Addresses.CATALOG_SETS_MAX_ID, b ->
            catalog.maxSetId().map(m -> new JsonObject().put("maxId", m))));
  }

  /** The set's export beside its key, written before a change to the set is answered. */
  private Future<Void> exported(long id, String change) {
    return backup == null ? Future.succeededFuture() : backup.exported(id, change);
  }

  /** The backup report and scheduler-state addresses (the jobs service owns the statuses). */
  private List<Future<Void>> jobConsumers() {
    return List.of(
        bind(Addresses.CATALOG_JOBS_INSERT, b ->
            catalog.insertJobs(b.getJsonArray("rows").stream().map(o -> JobRow.fromJson((JsonObject) o))
                    .toList(), JobRow.Line.listFrom(b.getJsonArray("lines")))
                .map(ids -> new JsonObject().put("ids", new JsonArray(ids)))),
        bind(Addresses.CATALOG_JOBS_FINISH, b -> {
          return catalog.finishJob(b.getLong("id"), b.getString("jobId"), b.getString("status"), b.getLong("endedAt"),
              b.getJsonObject("stats", new JsonObject()).encode(), JobRow.Line.listFrom(b.getJsonArray("lines")),
              b.getBoolean("replaceLog", false))
              .map(v -> new JsonObject());
        }),
        bind(Addresses.CATALOG_JOBS_LOG_APPEND, b ->
            catalog.appendJobLog(b.getJsonArray("ids").stream().map(o -> ((Number) o).longValue()).toList(),
                JobRow.Line.listFrom(b.getJsonArray("lines"))).map(v -> new JsonObject())),
        bind(Addresses.CATALOG_JOBS_MARK, b ->
            catalog.markJobs(b.getString("from"), b.getString("to"), b.getString("message"),
                b.getLong("now")).map(n -> new JsonObject().put("changed", n))),
        bind(Addresses.CATALOG_JOBS_LIST, b ->
            catalog.listJobs(JobQuery.fromJson(b)).compose(p -> named(p.items())
                .map(items -> new JsonObject().put("items", items).put("next", p.next())))),
        bind(Addresses.CATALOG_JOBS_GET, b -> {
          long id = b.getLong("id");
          int limit = b.getInteger("logLimit", SqliteJobs.MAX_LINES);
          Long owner = b.getLong("ownerId");
          return catalog.getJob(id).compose(row -> owner == null ? Future.succeededFuture(row)
              : catalog.getSet(row.setId()).transform(ar -> ar.succeeded() && owner.equals(ar.result().ownerId())
                  ? Future.succeededFuture(row)
                  : Future.failedFuture(AgentException.of(Failure.NOT_FOUND, "e.report.notFound", id))))
              .compose(row -> catalog.jobLog(id, b.getString("level"), b.getLong("logAfter", 0L),
                  limit + 1)
              .map(lines -> {
                List<JobRow.Line> page = lines.size() > limit ? lines.subList(0, limit) : lines;
                return row.toJson().put("log", JobRow.Line.toArray(page))
                    .put("logNext", lines.size() > limit ? page.get(limit - 1).seq() : null);
              })
              .compose(json -> catalog.setNames(List.of(json.getLong("setId")))
                  .map(names -> json.put("setName", names.get(json.getLong("setId"))))));
        }),
        bind(Addresses.CATALOG_JOBS_SERIES, b ->
            catalog.setJobs(b.getLong("setId")).map(rows -> JobSeries.of(b.getLong("setId"), rows,
                b.getInteger("limit", JobSeries.DEFAULT_POINTS)))),
        bind(Addresses.CATALOG_SCHEDULE_STATE_GET, b ->
            catalog.lastEvaluated(b.getLong("setId"))
                .map(t -> new JsonObject().put("lastEvaluated", t))),
        bind(Addresses.CATALOG_SCHEDULE_STATE_PUT, b ->
            catalog.setLastEvaluated(b.getLong("setId"), b.getLong("lastEvaluated"))
                .map(v -> new JsonObject())));
  }

  /** The reports as JSON, each with its set's name ({@code setName}; null once the set is deleted). */
  private Future<JsonArray> named(List<JobRow> rows) {
    return catalog.setNames(rows.stream().map(JobRow::setId).collect(Collectors.toSet()))
        .map(names -> new JsonArray(rows.stream().map(r -> r.toJson().put("setName", names.get(r.setId()))).toList()));
  }

  /**
   * The catalog's answers to what it did not expect: a request it cannot read is BAD_REQUEST naming
   * the address, a failing database UNAVAILABLE with its root cause (logged, no stack trace leaks).
   */
  static final BusService.Unexpected UNEXPECTED = new BusService.Unexpected() {
    @Override
    public Throwable thrown(String address, RuntimeException e) {
      return new AgentException(Failure.BAD_REQUEST, address + ": " + e);
    }

    @Override
    public ReplyException failed(String address, Throwable err) {
      return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, Failure.UNAVAILABLE.busCode(),
          "catalog error: " + rootMessage(err));
    }
  };

  private Future<Void> bind(String address, Function<JsonObject, Future<JsonObject>> op) {
    return BusService.bind(vertx, address, op, UNEXPECTED, LOG);
  }

  @Override
  public Future<?> stop() {
    if (backup != null) {
      backup.stop();
    }
    if (catalog == null) {
      return Future.succeededFuture();
    }
    Future<Void> recorded = runId == null ? Future.succeededFuture()
        : catalog.recordStop(runId, System.currentTimeMillis());
    return recorded.eventually(() -> catalog.close()).onComplete(ar -> LOG.info("catalog closed"));
  }

  static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
  }
}
