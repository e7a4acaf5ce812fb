package au.com.backup247.agent.catalog;

import au.com.backup247.agent.Version;
import au.com.backup247.agent.bus.Addresses;
import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the catalog: opens it (applying migrations), records this run, answers catalog queries on
 * the bus, and closes it on undeploy. A damaged catalog is refused at start; sets are exported and
 * the catalog copied by {@link CatalogBackup}. Config: {@code {"file": "/abs/path/catalog.db",
 * "home": "/agent/home"}} (home defaults to the catalog's folder).
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
          return c.recordStart(System.currentTimeMillis(), Version.get(), ProcessHandle.current().pid(), nodeName());
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
          ready.addAll(AccountStoreClient.bind(vertx, catalog.accounts(), CatalogVerticle::answer));
          backup = new CatalogBackup(vertx, catalog, Path.of(file), home);
          ready.add(backup.start());
          return Future.join(ready);
        });
  }

  /** The backup-set storage addresses (the sets service owns the settings' format and rules). */
  private List<Future<Void>> setConsumers() {
    var bus = vertx.eventBus();
    return List.of(
        bus.<JsonObject>consumer(Addresses.CATALOG_SETS_INSERT, msg -> answer(msg, () ->
            catalog.insertSet(SetRow.fromJson(msg.body())).compose(v -> exported(msg.body().getLong("id"), "created"))
                .map(v -> new JsonObject()))).completion(),
        bus.<JsonObject>consumer(Addresses.CATALOG_SETS_UPDATE, msg -> answer(msg, () ->
            catalog.updateSet(msg.body().getLong("id"), msg.body().getString("name"), msg.body().getString("json"),
                msg.body().getLong("updatedAt")).compose(v -> exported(msg.body().getLong("id"), "updated"))
                .map(v -> new JsonObject()))).completion(),
        bus.<JsonObject>consumer(Addresses.CATALOG_SETS_DELETE, msg -> answer(msg, () ->
            catalog.deleteSet(msg.body().getLong("id")).compose(v -> exported(msg.body().getLong("id"), "deleted"))
                .map(v -> new JsonObject()))).completion(),
        bus.<JsonObject>consumer(Addresses.CATALOG_SETS_GET, msg -> answer(msg, () ->
            (msg.body().containsKey("id") ? catalog.getSet(msg.body().getLong("id"))
                : catalog.getSetByName(msg.body().getString("name"))).map(SetRow::toJson))).completion(),
        bus.<JsonObject>consumer(Addresses.CATALOG_SETS_LIST, msg -> answer(msg, () ->
            catalog.listSets(msg.body().getLong("after"), msg.body().getInteger("limit", 100),
                    msg.body().getLong("ownerId"))
                .map(p -> new JsonObject().put("items", new JsonArray(p.items().stream().map(SetRow::toJson).toList()))
                    .put("next", p.next())))).completion(),
        bus.<JsonObject>consumer(Addresses.CATALOG_SETS_SET_OWNER, msg -> answer(msg, () ->
            catalog.setOwner(msg.body().getLong("id"), msg.body().getLong("ownerId"))
                .compose(v -> exported(msg.body().getLong("id"), "updated")).map(v -> new JsonObject()))).completion(),
        bus.<JsonObject>consumer(Addresses.CATALOG_SETS_MAX_ID, msg -> answer(msg, () ->
            catalog.maxSetId().map(m -> new JsonObject().put("maxId", m)))).completion());
  }

  /** The set's export beside its key, written before a change to the set is answered. */
  private Future<Void> exported(long id, String change) {
    return backup == null ? Future.succeededFuture() : backup.exported(id, change);
  }

  /** The backup report and scheduler-state addresses (the jobs service owns the statuses). */
  private List<Future<Void>> jobConsumers() {
    var bus = vertx.eventBus();
    return List.of(
        bus.<JsonObject>consumer(Addresses.CATALOG_JOBS_INSERT, msg -> answer(msg, () ->
            catalog.insertJobs(msg.body().getJsonArray("rows").stream().map(o -> JobRow.fromJson((JsonObject) o))
                    .toList(), JobRow.Line.listFrom(msg.body().getJsonArray("lines")))
                .map(ids -> new JsonObject().put("ids", new JsonArray(ids))))).completion(),
        bus.<JsonObject>consumer(Addresses.CATALOG_JOBS_FINISH, msg -> answer(msg, () -> {
          JsonObject b = msg.body();
          return catalog.finishJob(b.getLong("id"), b.getString("jobId"), b.getString("status"), b.getLong("endedAt"),
              b.getJsonObject("stats", new JsonObject()).encode(), JobRow.Line.listFrom(b.getJsonArray("lines")),
              b.getBoolean("replaceLog", false))
              .map(v -> new JsonObject());
        })).completion(),
        bus.<JsonObject>consumer(Addresses.CATALOG_JOBS_LOG_APPEND, msg -> answer(msg, () ->
            catalog.appendJobLog(msg.body().getJsonArray("ids").stream().map(o -> ((Number) o).longValue()).toList(),
                JobRow.Line.listFrom(msg.body().getJsonArray("lines"))).map(v -> new JsonObject()))).completion(),
        bus.<JsonObject>consumer(Addresses.CATALOG_JOBS_MARK, msg -> answer(msg, () ->
            catalog.markJobs(msg.body().getString("from"), msg.body().getString("to"), msg.body().getString("message"),
                msg.body().getLong("now")).map(n -> new JsonObject().put("changed", n)))).completion(),
        bus.<JsonObject>consumer(Addresses.CATALOG_JOBS_LIST, msg -> answer(msg, () ->
            catalog.listJobs(JobQuery.fromJson(msg.body())).compose(p -> named(p.items())
                .map(items -> new JsonObject().put("items", items).put("next", p.next()))))).completion(),
        bus.<JsonObject>consumer(Addresses.CATALOG_JOBS_GET, msg -> answer(msg, () -> {
          JsonObject b = msg.body();
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
        })).completion(),
        bus.<JsonObject>consumer(Addresses.CATALOG_JOBS_SERIES, msg -> answer(msg, () ->
            catalog.setJobs(msg.body().getLong("setId")).map(rows -> JobSeries.of(msg.body().getLong("setId"), rows,
                msg.body().getInteger("limit", JobSeries.DEFAULT_POINTS))))).completion(),
        bus.<JsonObject>consumer(Addresses.CATALOG_SCHEDULE_STATE_GET, msg -> answer(msg, () ->
            catalog.lastEvaluated(msg.body().getLong("setId"))
                .map(t -> new JsonObject().put("lastEvaluated", t)))).completion(),
        bus.<JsonObject>consumer(Addresses.CATALOG_SCHEDULE_STATE_PUT, msg -> answer(msg, () ->
            catalog.setLastEvaluated(msg.body().getLong("setId"), msg.body().getLong("lastEvaluated"))
                .map(v -> new JsonObject()))).completion());
  }

  /** The reports as JSON, each with its set's name ({@code setName}; null once the set is deleted). */
  private Future<JsonArray> named(List<JobRow> rows) {
    return catalog.setNames(rows.stream().map(JobRow::setId).collect(Collectors.toSet()))
        .map(names -> new JsonArray(rows.stream().map(r -> r.toJson().put("setName", names.get(r.setId()))).toList()));
  }

  /** Replies with the result, or with the coded failure (unexpected ones are logged, not leaked). */
  private static void answer(Message<JsonObject> msg, Supplier<Future<JsonObject>> op) {
    Future<JsonObject> result;
    try {
      result = op.get();
    } catch (RuntimeException e) { // a malformed request (missing field)
      result = Future.failedFuture(new AgentException(Failure.BAD_REQUEST, msg.address() + ": " + e));
    }
    result.onSuccess(msg::reply).onFailure(err -> {
      AgentException a = AgentException.from(err);
      if (a.failure() == Failure.INTERNAL) {
        LOG.error("catalog request {} failed", msg.address(), err);
        msg.fail(Failure.UNAVAILABLE.busCode(), "catalog error: " + rootMessage(err));
        return;
      }
      msg.reply(a.toReply());
    });
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

  private static String nodeName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "localhost";
    }
  }
}
