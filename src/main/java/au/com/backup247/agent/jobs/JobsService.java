package au.com.backup247.agent.jobs;

import au.com.backup247.agent.bus.Addresses;
import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.catalog.JobRow;
import au.com.backup247.agent.schedule.Decoded;
import au.com.backup247.agent.sets.BackupSet;
import au.com.backup247.agent.sets.Destinations;
import au.com.backup247.agent.sets.SetJson;
import au.com.backup247.agent.sets.SetKeys;
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
import java.util.Locale;
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
 * ({@link BackupRun}). "Run retention after backup" is accepted and ignored: retention is not part
 * of this service yet.
 */
final class JobsService {
  private static final Logger LOG = LoggerFactory.getLogger(JobsService.class);
  static final String UNFINISHED_MESSAGE = "the agent stopped before this backup finished";
  private final Vertx vertx;
  private final Clock clock;
  private final Path home;
  private final SetKeys keys;
  private final SetJson.Defaults defaults;
  /** Sets whose backup is starting or running. */
  private final Set<Long> busy = new HashSet<>();
  private final Map<Long, BackupRun> runs = new HashMap<>();
  private final Map<Long, Future<Void>> done = new HashMap<>();

  JobsService(Vertx vertx, Clock clock, Path home) {
    this.vertx = vertx;
    this.clock = clock;
    this.home = home;
    this.keys = new SetKeys(home.resolve("keys"));
    this.defaults = new SetJson.Defaults(Path.of(System.getProperty("user.home")), "agent");
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
      return Future.failedFuture(new AgentException(Failure.BAD_REQUEST, "trigger must be manual or schedule, got \""
          + trigger + "\""));
    }
    if (!busy.add(id)) {
      return Future.failedFuture(new AgentException(Failure.ALREADY_RUNNING, "backup set " + id
          + " already has a backup running; wait for it to end or cancel it"));
    }
    Future<JsonObject> started = Catalogs.request(vertx, Addresses.SETS_GET, new JsonObject().put("id", id))
        .compose(json -> {
          Decoded<BackupSet> d = SetJson.decodeSet(json, defaults);
          if (!d.isValid()) {
            return Future.failedFuture(new AgentException(Failure.INTERNAL, "backup set " + id
                + " has invalid stored settings: " + d.errors()));
          }
          BackupSet set = d.value().orElseThrow();
          List<Destinations.Target> targets = targets(set, body.getValue("destinations"));
          Long stopAt = stopAt(body);
          Integer hours = body.getValue("stopAfterHours") instanceof Number n ? n.intValue() : null;
          return secret(set).compose(secret -> launch(set, targets, secret, trigger, body.getString("scheduleName"),
              stopAt, hours));
        });
    return started.onFailure(err -> busy.remove(id));
  }

  private Future<JsonObject> launch(BackupSet set, List<Destinations.Target> targets, String secret, String trigger,
      String scheduleName, Long stopAt, Integer stopAfterHours) {
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
          Future<Void> f = run.run().onComplete(x -> {
            runs.remove(set.id());
            done.remove(set.id());
            busy.remove(set.id());
            LOG.info("backup ended: set={} run={}", set.id(), runId);
          });
          done.put(set.id(), f);
          JsonArray jobs = new JsonArray();
          for (int i = 0; i < ids.size(); i++) {
            jobs.add(new JsonObject().put("id", ids.get(i)).put("destination", targets.get(i).name()));
          }
          return new JsonObject().put("setId", set.id()).put("runId", runId).put("trigger", trigger).put("jobs", jobs);
        });
  }

  /** See {@link Addresses#JOBS_BACKUP_CANCEL}. */
  Future<JsonObject> cancel(JsonObject body) {
    long id = id(body);
    BackupRun run = runs.get(id);
    if (run == null) {
      return Future.failedFuture(new AgentException(Failure.CONFLICT, busy.contains(id)
          ? "the backup of set " + id + " is still starting; try again in a moment"
          : "backup set " + id + " has no backup running"));
    }
    run.cancel();
    LOG.info("backup cancel requested: set={} run={}", id, run.runId());
    return Future.succeededFuture(new JsonObject().put("setId", id).put("runId", run.runId()).put("cancelling", true));
  }

  /** Cancels every running backup and waits for their reports. */
  Future<Void> stopAll() {
    runs.values().forEach(BackupRun::cancel);
    return Future.join(new ArrayList<>(done.values())).mapEmpty();
  }

  private static List<Destinations.Target> targets(BackupSet set, Object names) {
    List<Destinations.Target> all = set.settings().destinations().targets();
    if (names == null) {
      return all;
    }
    if (!(names instanceof JsonArray a) || a.isEmpty()) {
      throw new AgentException(Failure.BAD_REQUEST, "destinations must be a non-empty list of destination names");
    }
    List<Destinations.Target> out = new ArrayList<>();
    for (Object n : a) {
      Destinations.Target t = all.stream().filter(x -> n instanceof String s
          && x.name().toLowerCase(Locale.ROOT).equals(s.toLowerCase(Locale.ROOT))).findFirst()
          .orElseThrow(() -> new AgentException(Failure.BAD_REQUEST, "destination \"" + n
              + "\" is not a destination of backup set " + set.id() + " (it has: "
              + all.stream().map(Destinations.Target::name).toList() + ")"));
      if (!out.contains(t)) {
        out.add(t);
      }
    }
    return out;
  }

  private Future<String> secret(BackupSet set) {
    if (!set.settings().encryption().enabled()) {
      return Future.succeededFuture(null);
    }
    return vertx.executeBlocking(() -> keys.read(set.id()), false)
        .compose(k -> k.isPresent() ? Future.succeededFuture(k.get())
            : Future.failedFuture(new AgentException(Failure.UNAVAILABLE, "backup set " + set.id()
                + " is encrypted but its key file " + keys.file(set.id()) + " is missing")));
  }

  /** {@code stopAt}: epoch ms by which a scheduled job must stop ("stop after N hours"), or null. */
  private static Long stopAt(JsonObject body) {
    Object v = body.getValue("stopAt");
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number n) || n.longValue() <= 0) {
      throw new AgentException(Failure.BAD_REQUEST, "stopAt must be a time in epoch milliseconds, got " + v);
    }
    return n.longValue();
  }

  private static long id(JsonObject body) {
    Long id = body.getLong("id");
    if (id == null) {
      throw new AgentException(Failure.BAD_REQUEST, "the backup set id is missing");
    }
    return id;
  }
}
