package au.com.backup247.agent.jobs;

import au.com.backup247.agent.bus.BusClient;
import au.com.backup247.agent.bus.Addresses;
import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Caller;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.catalog.JobRow;
import au.com.backup247.agent.sets.BackupSet;
import au.com.backup247.agent.sets.Destinations;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
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
 * "retention"); space freeing on demand ({@link #spaceFreeing}) is a job of its own. Which jobs
 * of one set may run together is {@link SetRuns}'s rule: every start claims the set there.
 */
final class JobsService {
  private static final Logger LOG = LoggerFactory.getLogger(JobsService.class);
  static final String UNFINISHED_MESSAGE = "the agent stopped before this backup finished";
  private final JobsContext ctx;
  /** Zone of the advanced retention policies' calendar dates. */
  private final ZoneId zone;

  JobsService(JobsContext ctx, ZoneId zone) {
    this.ctx = ctx;
    this.zone = zone;
  }

  /** Marks reports left "In progress" by an agent that died as "Backup not yet finished". */
  Future<Integer> markUnfinished() {
    return BusClient.request(ctx.vertx(), Addresses.CATALOG_JOBS_MARK, new JsonObject()
            .put("from", JobStatus.IN_PROGRESS.label()).put("to", JobStatus.NOT_FINISHED.label())
            .put("message", UNFINISHED_MESSAGE).put("now", ctx.clock().millis()))
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
    BackupRequest req = BackupRequest.of(body);
    return ctx.runs().claim(id, SetRuns.Kind.BACKUP).compose(claim -> ctx.sets().resolve(id, body).compose(r -> {
      List<Destinations.Target> targets = r.targets(req.destinations());
      return launch(claim, r.set(), targets, r.secret(), req.trigger(), req.scheduleName(), req.stopAt(),
          req.stopAfterHours(), req.runRetention());
    }).onFailure(err -> claim.release()));
  }

  private Future<JsonObject> launch(SetRuns.Claim claim, BackupSet set, List<Destinations.Target> targets,
      String secret, String trigger, String scheduleName, Long stopAt, Integer stopAfterHours, boolean runRetention) {
    String runId = claim.runId();
    return inProgressRows(set, targets, runId, trigger, scheduleName)
        .map(ids -> {
          BackupRun run = new BackupRun(ctx, set, targets, ids, runId, secret,
              ctx.buckets().throttle(set.id(), set.settings().bandwidth()));
          if (stopAt != null) {
            run.stopAt(stopAt, scheduleName, stopAfterHours);
          }
          LOG.info("backup started: set={} run={} trigger={} destinations={}", set.id(), runId, trigger,
              targets.stream().map(Destinations.Target::name).toList());
          Future<Void> f = run.run().compose(x -> retentionAfter(claim, set, run, targets, secret, runRetention))
              .onComplete(x -> LOG.info("backup ended: set={} run={}", set.id(), runId));
          claim.started(() -> cancelled(set.id(), run), f);
          return new JsonObject().put("setId", set.id()).put("runId", runId).put("trigger", trigger)
              .put("jobs", run.reports());
        });
  }

  /** See {@link Addresses#JOBS_BACKUP_CANCEL}. */
  Future<JsonObject> cancel(JsonObject body) {
    return ctx.runs().cancel(id(body), SetRuns.Kind.BACKUP);
  }

  private static JsonObject cancelled(long setId, BackupRun run) {
    run.cancel();
    LOG.info("backup cancel requested: set={} run={}", setId, run.runId());
    return new JsonObject().put("setId", setId).put("runId", run.runId()).put("cancelling", true)
        .put("jobs", run.reports());
  }

  /**
   * See {@link Addresses#JOBS_SPACE_FREEING}: space freeing of one set ({@code id}, optionally only
   * some {@code destinations}) or, without {@code id}, of every set (busy sets are skipped and listed).
   */
  Future<JsonObject> spaceFreeing(JsonObject body) {
    SpaceFreeingRequest req = SpaceFreeingRequest.of(body);
    if (req.setId() != null) {
      return freeSpace(req.setId(), req.destinations(), Caller.of(body))
          .map(r -> new JsonObject().put("runs", new JsonArray().add(r)).put("skipped", new JsonArray()));
    }
    return SpaceFreeingRun.allSets(ctx.vertx()).compose(ids -> {
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
    return ctx.runs().claim(id, SetRuns.Kind.SPACE_FREEING).compose(claim -> ctx.sets().resolve(id, caller)
        .compose(r -> launchFreeing(r.set(), r.targets(destinations), r.secret(), SpaceFreeingRun.TRIGGER,
            claim.runId()))
        .map(l -> {
          claim.started(null, l.done());
          return l.reply();
        })
        .onFailure(err -> claim.release()));
  }

  /**
   * See {@link Addresses#JOBS_CONFIRM_STATE}: what each chosen destination shows now becomes what
   * the agent has seen there, and retention is no longer blocked for it. Not while the set has a
   * backup or space freeing running.
   */
  Future<JsonObject> confirmState(JsonObject body) {
    long id = id(body);
    SpaceFreeingRequest req = SpaceFreeingRequest.of(body);
    if (ctx.runs().busy(id, EnumSet.of(SetRuns.Kind.BACKUP, SetRuns.Kind.SPACE_FREEING)).isPresent()) {
      return Future.failedFuture(AgentException.of(Failure.ALREADY_RUNNING, "e.busy.confirm", id));
    }
    return ctx.sets().resolve(id, body).compose(r -> {
      List<Destinations.Target> targets = r.targets(req.destinations());
      return ctx.vertx().executeBlocking(() -> {
        JsonArray out = new JsonArray();
        for (Destinations.Target t : targets) {
          out.add(confirm(r.set(), t, r.secret()));
        }
        return new JsonObject().put("setId", id).put("destinations", out);
      }, false);
    });
  }

  private JsonObject confirm(BackupSet set, Destinations.Target t, String secret) {
    DestinationState state = DestinationState.of(ctx.home(), set.id(), t);
    JsonObject o = new JsonObject().put("name", t.name());
    try {
      au.com.backup247.agent.repo.store.Store store = SetRepositories.store(t, set, ctx.home());
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
    } catch (au.com.backup247.agent.repo.error.RepoException e) {
      throw AgentException.of(Failure.UNAVAILABLE, "e.destination.failed", t.name(), set.id(), e.getMessage());
    }
  }

  /** After a backup with "run retention after backup": its completed destinations, same set busy. */
  private Future<Void> retentionAfter(SetRuns.Claim claim, BackupSet set, BackupRun run,
      List<Destinations.Target> targets, String secret, boolean enabled) {
    List<Destinations.Target> completed = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      if (run.completed(i)) {
        completed.add(targets.get(i));
      }
    }
    if (!enabled || completed.isEmpty()) {
      return Future.succeededFuture();
    }
    return claim.widen(SetRuns.Kind.SPACE_FREEING).compose(
        v -> launchFreeing(set, completed, secret, SpaceFreeingRun.AFTER_BACKUP, UUID.randomUUID().toString())
            .compose(SpaceFreeingRun.Launched::done)
            .recover(err -> {
              LOG.error("retention after backup of set={} could not start: {}", set.id(), err.getMessage());
              return Future.succeededFuture();
            }),
        refused -> {
          LOG.warn("retention after backup of set={} skipped: {}", set.id(), refused.getMessage());
          return Future.succeededFuture();
        });
  }

  /** Report rows "In progress", then the run. */
  private Future<SpaceFreeingRun.Launched> launchFreeing(BackupSet set, List<Destinations.Target> targets,
      String secret, String trigger, String runId) {
    return inProgressRows(set, targets, runId, trigger, null).map(ids -> {
      LOG.info("space freeing started: set={} run={} trigger={} destinations={}", set.id(), runId, trigger,
          targets.stream().map(Destinations.Target::name).toList());
      SpaceFreeingRun run = new SpaceFreeingRun(ctx, set, targets, ids, runId, secret, zone);
      Future<Void> f = run.run().onComplete(x -> LOG.info("space freeing ended: set={} run={}", set.id(), runId));
      return new SpaceFreeingRun.Launched(new JsonObject().put("setId", set.id()).put("runId", runId)
          .put("trigger", trigger).put("jobs", run.reports()), f);
    });
  }

  /** One report row "In progress" per destination, in their order; their ids. */
  private Future<List<Long>> inProgressRows(BackupSet set, List<Destinations.Target> targets, String runId,
      String trigger, String scheduleName) {
    long now = ctx.clock().millis();
    JsonArray rows = new JsonArray();
    for (Destinations.Target t : targets) {
      rows.add(new JobRow(null, runId, null, set.id(), t.name(), JobStatus.IN_PROGRESS.label(), trigger, scheduleName,
          now, null, "{}").toJson());
    }
    return BusClient.request(ctx.vertx(), Addresses.CATALOG_JOBS_INSERT, new JsonObject().put("rows", rows))
        .map(r -> r.getJsonArray("ids").stream().map(o -> ((Number) o).longValue()).toList());
  }

  private static long id(JsonObject body) {
    Long id = body.getLong("id");
    if (id == null) {
      throw AgentException.of(Failure.BAD_REQUEST, "e.set.idMissing");
    }
    return id;
  }
}
