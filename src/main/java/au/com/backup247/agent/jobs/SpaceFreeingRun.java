package au.com.backup247.agent.jobs;

import au.com.backup247.agent.bus.BusClient;
import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.bus.Addresses;
import au.com.backup247.agent.prune.Pruner;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.error.RepoException;
import au.com.backup247.agent.repo.store.Store;
import au.com.backup247.agent.sets.BackupSet;
import au.com.backup247.agent.sets.Destinations;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Space freeing of one set (guide ch. 9.9.2 "Space Freeing Up", and "run retention policy after
 * backup"): the set's retention policy applied to each chosen destination in turn by a
 * {@link Pruner}, with one report row per destination (trigger {@value #TRIGGER} on demand,
 * {@value #AFTER_BACKUP} after a backup). A destination without a repository has nothing to free.
 * Blocking work runs on workers; never fails (problems end up in the reports).
 */
final class SpaceFreeingRun extends ReportedRun {
  private static final Logger LOG = LoggerFactory.getLogger(SpaceFreeingRun.class);
  static final String TRIGGER = "space-freeing";
  static final String AFTER_BACKUP = "retention";
  /** Blocks whose live data is below this share are repacked (FORMAT.md §10). */
  static final int REPACK_BELOW_PERCENT = 50;

  private final ZoneId zone;
  private final long startedAt;
  /** Each destination's status for the progress events: "Waiting", "In progress", then its report's. */
  private final String[] states;
  /** The last line of the log: what it is doing now (progress events). */
  private volatile String step;
  /** The running prune's counts (progress events): objects done of its step's total, bytes freed. */
  private volatile long done;
  private volatile long total;
  private volatile long freed;
  private volatile String stage;

  /** A started run: the reply for the caller and the run's completion. */
  record Launched(JsonObject reply, Future<Void> done) {
  }

  /** Every backup set id, read page by page. */
  static Future<List<Long>> allSets(Vertx vertx) {
    List<Long> ids = new ArrayList<>();
    return page(vertx, null, ids).map(v -> ids);
  }

  private static Future<Void> page(Vertx vertx, Long after, List<Long> ids) {
    return BusClient.request(vertx, Addresses.SETS_LIST, new JsonObject().put("after", after).put("limit", 100))
        .compose(p -> {
          p.getJsonArray("items").forEach(o -> ids.add(((JsonObject) o).getLong("id")));
          Long next = p.getLong("next");
          return next == null ? Future.succeededFuture() : page(vertx, next, ids);
        });
  }

  SpaceFreeingRun(JobsContext ctx, BackupSet set, List<Destinations.Target> targets, List<Long> rowIds,
      String runId, String secret, ZoneId zone) {
    super(ctx, set, targets, rowIds, runId, secret);
    this.zone = zone;
    this.startedAt = clock.millis();
    this.states = new String[targets.size()];
    java.util.Arrays.fill(states, "Waiting");
  }

  @Override
  void logged(JobLog.Line line) {
    LOG.debug("space freeing set={} run={} {}", set.id(), runId, line);
    step = line.message();
  }

  /** One destination's outcome: the prune's result, or its error. */
  private record Outcome(Pruner.Result result, String error) {
  }

  Future<Void> run() {
    stream.start(log);
    log.info("space freeing of set \"" + set.settings().name() + "\" (" + set.id() + ") at "
        + targets.stream().map(Destinations.Target::name).toList() + " started");
    publish(false);
    long timer = vertx.setPeriodic(Progress.EVERY_MS, id -> publish(false));
    Future<List<Outcome>> chain = Future.succeededFuture(new ArrayList<>());
    for (int i = 0; i < targets.size(); i++) {
      Destinations.Target t = targets.get(i);
      int dest = i;
      chain = chain.compose(list -> {
        states[dest] = JobStatus.IN_PROGRESS.label();
        return vertx.executeBlocking(() -> prune(t), false).map(o -> {
          list.add(o);
          return list;
        });
      });
    }
    return chain.recover(err -> {
      LOG.error("space freeing of set={} run={} failed", set.id(), runId, err);
      log.error("space freeing stopped unexpectedly: " + err.getMessage());
      return Future.succeededFuture(List.of());
    }).compose(this::finish).eventually(() -> {
      vertx.cancelTimer(timer);
      publish(true);
      return Future.succeededFuture();
    });
  }

  /** See {@link Addresses#EVENT_SPACE_FREEING_PROGRESS}. */
  private void publish(boolean done) {
    JsonArray dests = new JsonArray();
    String status = JobStatus.IN_PROGRESS.label();
    for (int i = 0; i < targets.size(); i++) {
      dests.add(new JsonObject().put("id", rowIds.get(i)).put("name", targets.get(i).name()).put("status", states[i]));
      if (done && !states[i].startsWith("Completed")) {
        status = states[i];
      }
    }
    if (done && status.equals(JobStatus.IN_PROGRESS.label())) {
      status = targets.isEmpty() ? JobStatus.FAILED.label() : states[0];
    }
    vertx.eventBus().publish(Addresses.EVENT_SPACE_FREEING_PROGRESS, Progress.head("space-freeing", set, runId,
            startedAt, clock.millis(), status, done)
        .put("phase", done ? "done" : "freeing space").put("step", done ? null : step)
        .put("stage", stage).put("files", this.done).put("filesTotal", stage == null ? null : total)
        .put("bytes", freed).put("bytesTotal", null).put("bytesPerSecond", 0)
        .put("etaSeconds", done ? Long.valueOf(0) : null)
        .put("percent", done ? Integer.valueOf(100) : "delete".equals(stage) ? Progress.percent(this.done, total) : null)
        .put("currentFile", null).put("destinations", dests));
  }

  private Outcome prune(Destinations.Target t) {
    Store store;
    try {
      store = SetRepositories.store(t, set, home);
    } catch (RuntimeException e) {
      return failed(t, "cannot be opened: " + e.getMessage());
    }
    try {
      if (!store.exists(Repository.CONFIG)) {
        store.close();
        log.info("destination \"" + t.name() + "\": no backups yet, nothing to free");
        return new Outcome(new Pruner.Result(store.name(), false, 0, 0, List.of(), 0, 0, 0, 0, 0), null);
      }
      DestinationState state = DestinationState.of(home, set.id(), t);
      try (Repository repo = SetRepositories.openExisting(store, set.id(), set.settings(), secret, state)) {
        String rollback = state.inspect(repo);
        if (rollback != null) {
          state.block(rollback, clock.instant());
        }
        if (state.blocked() != null) {
          return failed(t, "retention is blocked: " + state.blocked() + ". Nothing was changed; check the "
              + "destination, then confirm it (b247 free-space " + set.id() + " --destination \"" + t.name()
              + "\" --confirm-state)");
        }
        log.info("destination \"" + t.name() + "\": applying the retention policy");
        Pruner.Result r = new Pruner(repo, new Pruner.Options(set.settings().retention(), zone, false,
            REPACK_BELOW_PERCENT), log, clock).progress(this::pruned).run();
        log.info("destination \"" + t.name() + "\": " + r.summary());
        state.seen(repo);
        return new Outcome(r, null);
      }
    } catch (RuntimeException e) {
      store.close();
      if (!(e instanceof RepoException)) {
        LOG.error("space freeing of set={} at {} failed", set.id(), t.name(), e);
      }
      return failed(t, e.getMessage());
    }
  }

  /** The running prune's step and counts (its thread); bytes freed add up over the destinations. */
  private volatile long freedBefore;

  private void pruned(String step, long done, long total, long bytesFreed) {
    if (!step.equals(stage) && "repack".equals(step)) {
      freedBefore = freed;
    }
    this.stage = step;
    this.done = done;
    this.total = total;
    this.freed = freedBefore + bytesFreed;
  }

  private Outcome failed(Destinations.Target t, String message) {
    String m = "destination \"" + t.name() + "\": " + message;
    log.error(m);
    return new Outcome(null, m);
  }

  private Future<Void> finish(List<Outcome> outcomes) {
    long now = clock.millis();
    return stream.close().compose(v -> {
      JsonObject lines = stream.finalLines(log);
      List<Future<Void>> writes = new ArrayList<>();
      for (int i = 0; i < targets.size(); i++) {
        Outcome o = i < outcomes.size() ? outcomes.get(i) : null;
        JobStatus status = o == null || o.error() != null ? JobStatus.FAILED
            : log.warnings() > 0 ? JobStatus.COMPLETED_WITH_WARNINGS : JobStatus.COMPLETED;
        states[i] = status.label();
        long row = rowIds.get(i);
        JsonObject body = new JsonObject().put("id", row).put("status", status.label()).put("endedAt", now)
            .put("stats", stats(o == null ? null : o.result())).mergeIn(lines);
        writes.add(BusClient.request(vertx, Addresses.CATALOG_JOBS_FINISH, body).<Void>mapEmpty().recover(err -> {
          LOG.error("space freeing report {} of set={} could not be written: {}", row, set.id(), err.getMessage());
          return Future.succeededFuture();
        }));
      }
      return Future.join(writes).mapEmpty();
    });
  }

  private JsonObject stats(Pruner.Result r) {
    JsonObject o = new JsonObject().put("warnings", log.warnings()).put("errors", log.errors());
    if (r != null) {
      o.put("versionsRemoved", r.removed().size()).put("versionsKept", r.versionsKept())
          .put("blocksDeleted", r.blocksDeleted()).put("blocksRepacked", r.blocksRepacked())
          .put("indexPartsDeleted", r.indexPartsDeleted()).put("bytesFreed", r.bytesFreed());
    }
    return o;
  }
}
