package au.com.backup247.agent.jobs;

import au.com.backup247.agent.bus.Addresses;
import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Caller;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.catalog.JobRow;
import au.com.backup247.agent.sets.BackupSet;
import au.com.backup247.agent.sets.Destinations;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and cancels backups of sets, one at a time per set, and writes their reports through the
 * catalog. State is confined to the owning verticle's context (no locks).
 *
 * <p>Starting replies as soon as the reports exist ("In progress"); the backup goes on
 * ({@link BackupRun}). With "run retention after backup" the set's retention policy is then applied
 * to each destination whose backup completed ({@link SpaceFreeingRun}, reports with trigger
 * "retention"); space freeing on demand ({@link #spaceFreeing}) is a job of its own. A set has one
 * job at a time: backup and space freeing exclude each other, and space freeing waits for a
 * running restore of the set.
 */
final class JobsService {
  private static final Logger LOG = LoggerFactory.getLogger(JobsService.class);
  static final String UNFINISHED_MESSAGE = "the agent stopped before this backup finished";
  private final Vertx vertx;
  private final Clock clock;
  private final Path home;
  private final SetResolver sets;
  /** Sets whose backup is starting or running. */
  private final Set<Long> busy = new HashSet<>();
  private final Map<Long, BackupRun> runs = new HashMap<>();
  private final Map<Long, Future<Void>> done = new HashMap<>();
  /** Zone of the advanced retention policies' calendar dates. */
  private java.time.ZoneId zone = java.time.ZoneId.systemDefault();
  /** Whether a set has a restore running (space freeing must not delete what a restore reads). */
  private java.util.function.LongPredicate restoring = id -> false;
  /** Sets whose space freeing is starting or running (a restore of them must wait). */
  private final Set<Long> freeing = new HashSet<>();

  JobsService(Vertx vertx, Clock clock, Path home) {
    this.vertx = vertx;
    this.clock = clock;
    this.home = home;
    this.sets = new SetResolver(vertx, home);
  }

  /** Marks reports left "In progress" by an agent that died as "Backup not yet finished". */
  Future<Integer> markUnfinished() {
    return Catalogs.request(vertx, Addresses.CATALOG_JOBS_MARK, new JsonObject()
            .put("from", JobStatus.IN_PROGRESS.label()).put("to", JobStatus.NOT_FINISHED.label())
            .put("message", UNFINISHED_MESSAGE).put("now", clock.millis()))
        .map(r -> r.getInteger("changed"))
        .onSuccess(n -> {
          if (n > 0) {
            LOG.warn("{} backup report(s) left in progress by the previous run marked \"{}\"", n,
                JobStatus.NOT_FINISHED.label());
          }
        });
  }

  /** See {@link Addresses#JOBS_BACKUP_START}. */
  Future<JsonObject> start(JsonObject body) {
    long id = id(body);
    String trigger = body.getString("trigger", "manual");
    if (!trigger.equals("manual") && !trigger.equals("schedule")) {
      return Future.failedFuture(AgentException.of(Failure.BAD_REQUEST, "e.trigger", trigger));
    }
    if (!busy.add(id)) {
      return Future.failedFuture(AgentException.of(Failure.ALREADY_RUNNING, "e.busy.backup", id));
    }
    Future<JsonObject> started = sets.resolve(id, body).compose(r -> {
      List<Destinations.Target> targets = r.targets(body.getValue("destinations"));
      Long stopAt = stopAt(body);
      Integer hours = body.getValue("stopAfterHours") instanceof Number n ? n.intValue() : null;
      boolean retention = Boolean.TRUE.equals(body.getValue("runRetention"));
      return launch(r.set(), targets, r.secret(), trigger, body.getString("scheduleName"), stopAt, hours, retention);
    });
    return started.onFailure(err -> busy.remove(id));
  }

  private Future<JsonObject> launch(BackupSet set, List<Destinations.Target> targets, String secret, String trigger,
      String scheduleName, Long stopAt, Integer stopAfterHours, boolean runRetention) {
    String runId = UUID.randomUUID().toString();
    long now = clock.millis();
    JsonArray rows = new JsonArray();
    for (Destinations.Target t : targets) {
      rows.add(new JobRow(null, runId, null, set.id(), t.name(), JobStatus.IN_PROGRESS.label(), trigger, scheduleName,
          now, null, "{}").toJson());
    }
    return Catalogs.request(vertx, Addresses.CATALOG_JOBS_INSERT, new JsonObject().put("rows", rows))
        .map(r -> {
          List<Long> ids = r.getJsonArray("ids").stream().map(o -> ((Number) o).longValue()).toList();
          BackupRun run = new BackupRun(vertx, clock, set, targets, ids, runId, secret, home);
          if (stopAt != null) {
            run.stopAt(stopAt, scheduleName, stopAfterHours);
          }
          runs.put(set.id(), run);
          LOG.info("backup started: set={} run={} trigger={} destinations={}", set.id(), runId, trigger,
              targets.stream().map(Destinations.Target::name).toList());
          Future<Void> f = run.run().compose(x -> retentionAfter(set, run, targets, secret, runRetention))
              .onComplete(x -> {
            runs.remove(set.id());
            done.remove(set.id());
            busy.remove(set.id());
            LOG.info("backup ended: set={} run={}", set.id(), runId);
          });
          done.put(set.id(), f);
          return new JsonObject().put("setId", set.id()).put("runId", runId).put("trigger", trigger)
              .put("jobs", run.reports());
        });
  }

  /** See {@link Addresses#JOBS_BACKUP_CANCEL}. */
  Future<JsonObject> cancel(JsonObject body) {
    long id = id(body);
    BackupRun run = runs.get(id);
    if (run == null) {
      return Future.failedFuture(AgentException.of(Failure.CONFLICT, busy.contains(id)
          ? "e.backup.starting" : "e.backup.none", id));
    }
    run.cancel();
    LOG.info("backup cancel requested: set={} run={}", id, run.runId());
    return Future.succeededFuture(new JsonObject().put("setId", id).put("runId", run.runId()).put("cancelling", true)
        .put("jobs", run.reports()));
  }

  /** Cancels every running backup and waits for their reports. */
  Future<Void> stopAll() {
    runs.values().forEach(BackupRun::cancel);
    return Future.join(new ArrayList<>(done.values())).mapEmpty();
  }

  /** Sets the retention zone and the check for running restores (the verticle wires both). */
  JobsService retention(java.time.ZoneId zone, java.util.function.LongPredicate restoring) {
    this.zone = zone;
    this.restoring = restoring;
    return this;
  }

  /**
   * See {@link Addresses#JOBS_SPACE_FREEING}: space freeing of one set ({@code id}, optionally only
   * some {@code destinations}) or, without {@code id}, of every set (busy sets are skipped and listed).
   */
  Future<JsonObject> spaceFreeing(JsonObject body) {
    Object id = body.getValue("id");
    if (id != null) {
      if (!(id instanceof Number n)) {
        return Future.failedFuture(AgentException.of(Failure.BAD_REQUEST, "e.set.id", id));
      }
      return freeSpace(n.longValue(), body.getValue("destinations"), Caller.of(body))
          .map(r -> new JsonObject().put("runs", new JsonArray().add(r)).put("skipped", new JsonArray()));
    }
    return SpaceFreeingRun.allSets(vertx).compose(ids -> {
      JsonArray runs = new JsonArray();
      JsonArray skipped = new JsonArray();
      Future<Void> chain = Future.succeededFuture();
      for (long s : ids) {
        chain = chain.compose(v -> freeSpace(s, null, Caller.of(body)).<Void>map(r -> {
          runs.add(r);
          return null;
        }).recover(err -> {
          skipped.add(new JsonObject().put("setId", s).put("reason", err.getMessage()));
          return Future.succeededFuture();
        }));
      }
      return chain.map(v -> new JsonObject().put("runs", runs).put("skipped", skipped));
    });
  }

  private Future<JsonObject> freeSpace(long id, Object destinations, Caller caller) {
    if (restoring.test(id)) {
      return Future.failedFuture(AgentException.of(Failure.ALREADY_RUNNING, "e.busy.restoreThenFree", id));
    }
    if (!busy.add(id)) {
      return Future.failedFuture(AgentException.of(Failure.ALREADY_RUNNING, "e.busy.backupOrFree", id));
    }
    freeing.add(id);
    Future<JsonObject> started = sets.resolve(id, caller)
        .compose(r -> launchFreeing(r.set(), r.targets(destinations), r.secret(), SpaceFreeingRun.TRIGGER))
        .map(l -> {
          done.put(id, l.done().onComplete(x -> {
            done.remove(id);
            freeing.remove(id);
            busy.remove(id);
          }));
          return l.reply();
        });
    return started.onFailure(err -> {
      freeing.remove(id);
      busy.remove(id);
    });
  }

  /**
   * See {@link Addresses#JOBS_CONFIRM_STATE}: what each chosen destination shows now becomes what
   * the agent has seen there, and retention is no longer blocked for it. Not while the set has a
   * backup or space freeing running.
   */
  Future<JsonObject> confirmState(JsonObject body) {
    long id = id(body);
    if (busy.contains(id)) {
      return Future.failedFuture(AgentException.of(Failure.ALREADY_RUNNING, "e.busy.confirm", id));
    }
    return sets.resolve(id, body).compose(r -> {
      List<Destinations.Target> targets = r.targets(body.getValue("destinations"));
      return vertx.executeBlocking(() -> {
        JsonArray out = new JsonArray();
        for (Destinations.Target t : targets) {
          out.add(confirm(r.set(), t, r.secret()));
        }
        return new JsonObject().put("setId", id).put("destinations", out);
      }, false);
    });
  }

  private JsonObject confirm(BackupSet set, Destinations.Target t, String secret) {
    DestinationState state = DestinationState.of(home, set.id(), t);
    JsonObject o = new JsonObject().put("name", t.name());
    try {
      au.com.backup247.agent.repo.store.Store store = SetRepositories.store(t, set, home);
      if (!store.exists(au.com.backup247.agent.repo.Repository.CONFIG)) {
        store.close();
        return o.put("newestJob", null).put("cleared", null);
      }
      try (au.com.backup247.agent.repo.Repository repo = SetRepositories.openExisting(store, set.id(),
          set.settings(), secret, state)) {
        String cleared = state.confirm(repo);
        List<String> jobs = repo.jobIds();
        LOG.info("destination state confirmed: set={} destination={} cleared={}", set.id(), t.name(), cleared);
        return o.put("newestJob", jobs.isEmpty() ? null : jobs.get(jobs.size() - 1)).put("cleared", cleared);
      }
    } catch (au.com.backup247.agent.repo.RepoException e) {
      throw AgentException.of(Failure.UNAVAILABLE, "e.destination.failed", t.name(), set.id(), e.getMessage());
    }
  }

  /** Whether set {@code id} is freeing space (restores wait for it). */
  boolean freeing(long id) {
    return freeing.contains(id);
  }

  /** After a backup with "run retention after backup": its completed destinations, same set busy. */
  private Future<Void> retentionAfter(BackupSet set, BackupRun run, List<Destinations.Target> targets, String secret,
      boolean enabled) {
    List<Destinations.Target> completed = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      if (run.completed(i)) {
        completed.add(targets.get(i));
      }
    }
    if (!enabled || completed.isEmpty()) {
      return Future.succeededFuture();
    }
    if (restoring.test(set.id())) {
      LOG.warn("retention after backup of set={} skipped: a restore is running", set.id());
      return Future.succeededFuture();
    }
    freeing.add(set.id());
    return launchFreeing(set, completed, secret, SpaceFreeingRun.AFTER_BACKUP)
        .compose(SpaceFreeingRun.Launched::done)
        .recover(err -> {
          LOG.error("retention after backup of set={} could not start: {}", set.id(), err.getMessage());
          return Future.succeededFuture();
        })
        .onComplete(x -> freeing.remove(set.id()));
  }

  /** Report rows "In progress", then the run. */
  private Future<SpaceFreeingRun.Launched> launchFreeing(BackupSet set, List<Destinations.Target> targets,
      String secret, String trigger) {
    String runId = UUID.randomUUID().toString();
    long now = clock.millis();
    JsonArray rows = new JsonArray();
    for (Destinations.Target t : targets) {
      rows.add(new JobRow(null, runId, null, set.id(), t.name(), JobStatus.IN_PROGRESS.label(), trigger, null, now,
          null, "{}").toJson());
    }
    return Catalogs.request(vertx, Addresses.CATALOG_JOBS_INSERT, new JsonObject().put("rows", rows)).map(r -> {
      List<Long> ids = r.getJsonArray("ids").stream().map(o -> ((Number) o).longValue()).toList();
      LOG.info("space freeing started: set={} run={} trigger={} destinations={}", set.id(), runId, trigger,
          targets.stream().map(Destinations.Target::name).toList());
      Future<Void> f = new SpaceFreeingRun(vertx, clock, set, targets, ids, runId, secret, home, zone).run()
          .onComplete(x -> LOG.info("space freeing ended: set={} run={}", set.id(), runId));
      JsonArray jobs = new JsonArray();
      for (int i = 0; i < ids.size(); i++) {
        jobs.add(new JsonObject().put("id", ids.get(i)).put("destination", targets.get(i).name()));
      }
      return new SpaceFreeingRun.Launched(new JsonObject().put("setId", set.id()).put("runId", runId)
          .put("trigger", trigger).put("jobs", jobs), f);
    });
  }

  /** {@code stopAt}: epoch ms by which a scheduled job must stop ("stop after N hours"), or null. */
  private static Long stopAt(JsonObject body) {
    Object v = body.getValue("stopAt");
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number n) || n.longValue() <= 0) {
      throw AgentException.of(Failure.BAD_REQUEST, "e.stopAt", v);
    }
    return n.longValue();
  }

  private static long id(JsonObject body) {
    Long id = body.getLong("id");
    if (id == null) {
      throw AgentException.of(Failure.BAD_REQUEST, "e.set.idMissing");
    }
    return id;
  }
}
