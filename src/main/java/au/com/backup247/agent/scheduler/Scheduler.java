package au.com.backup247.agent.scheduler;

import au.com.backup247.agent.bus.BusClient;
import au.com.backup247.agent.bus.Addresses;
import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.catalog.JobRow;
import au.com.backup247.agent.jobs.JobStatus;
import au.com.backup247.agent.schedule.Decoded;
import au.com.backup247.agent.schedule.Due;
import au.com.backup247.agent.schedule.ScheduleEvaluator;
import au.com.backup247.agent.schedule.Stop;
import au.com.backup247.agent.sets.BackupSet;
import au.com.backup247.agent.sets.Destinations;
import au.com.backup247.agent.sets.SetJson;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One evaluation of every set's schedules ({@link ScheduleEvaluator#due} over
 * {@code (lastEvaluated, now]}): RUN starts the set's backup through the jobs service unless it is
 * still running, which is recorded as a "Missed" report ("skipped: still running"); MISSED (the
 * agent was down) is recorded as "Missed", never replayed. A set's schedules are read in the time zone
 * of its owner's profile, or in the agent's ({@code schedule.timeZone}) for the admins' sets and
 * accounts without one.
 *
 * <p>{@code lastEvaluated} is kept per set in the catalog and written before the firings are acted
 * on, so a crash in between loses a firing rather than running it twice. A set never evaluated
 * before starts from its last change ({@code updatedAt}).
 */
final class Scheduler {
  private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
  private final Vertx vertx;
  private final ZoneId zone;
  private final ScheduleEvaluator evaluator = new ScheduleEvaluator();
  private final SetJson.Defaults defaults = new SetJson.Defaults(Path.of(System.getProperty("user.home")), "agent");
  private boolean ticking;

  Scheduler(Vertx vertx, ZoneId zone) {
    this.vertx = vertx;
    this.zone = zone;
  }

  Future<Void> tick(Instant now) {
    if (ticking) {
      LOG.warn("scheduler tick at {} skipped: the previous tick is still running", now);
      return Future.succeededFuture();
    }
    ticking = true;
    Future<JsonObject> zones = request(Addresses.AUTH_TIME_ZONES, new JsonObject()).otherwise(err -> {
      LOG.debug("scheduler: no account time zones ({}); every set in {}", err.getMessage(), zone);
      return new JsonObject();
    });
    return zones.compose(z -> sets(null, new ArrayList<>()).map(sets -> Map.entry(z, sets)))
        .compose(e -> {
          Future<Void> chain = Future.succeededFuture();
          for (Owned s : e.getValue()) {
            ZoneId in = zoneOf(e.getKey(), s.ownerId());
            chain = chain.compose(v -> evaluate(s.set(), in, now).recover(err -> {
              LOG.error("scheduler: set={} could not be evaluated: {}", s.set().id(), err.getMessage());
              return Future.succeededFuture();
            }));
          }
          return chain;
        })
        .onFailure(err -> LOG.error("scheduler tick at {} failed: {}", now, err.getMessage()))
        .eventually(() -> {
          ticking = false;
          return Future.succeededFuture();
        });
  }

  /**
   * When the set {@code id} is next backed up by one of its schedules, as this scheduler reads them
   * (the owner's time zone): {@code {"id", "nextRun": ms | null, "timeZone"}}; null when the set has
   * no enabled schedule that fires again.
   */
  Future<JsonObject> nextRun(long id, Instant now) {
    Future<JsonObject> zones = request(Addresses.AUTH_TIME_ZONES, new JsonObject()).otherwise(new JsonObject());
    return zones.compose(z -> request(Addresses.SETS_GET, new JsonObject().put("id", id)).map(json -> {
      ZoneId in = zoneOf(z, json.getLong("ownerId"));
      Optional<ZonedDateTime> next = SetJson.decodeSet(json, defaults).value()
          .filter(set -> set.settings().scheduleEnabled())
          .flatMap(set -> set.settings().schedules().stream()
              .map(sc -> evaluator.nextFire(sc, in, now)).flatMap(Optional::stream).min(ZonedDateTime::compareTo));
      return new JsonObject().put("id", id).put("nextRun", next.map(t -> t.toInstant().toEpochMilli()).orElse(null))
          .put("timeZone", in.getId());
    }));
  }

  /** A set with a schedule and the account that owns it (null: the admins). */
  private record Owned(BackupSet set, Long ownerId) {
  }

  /** The owner's time zone (its profile's), or the agent's. */
  private ZoneId zoneOf(JsonObject zones, Long ownerId) {
    String z = ownerId == null ? null : zones.getString(String.valueOf(ownerId));
    try {
      return z == null ? zone : ZoneId.of(z);
    } catch (java.time.DateTimeException e) {
      return zone;
    }
  }

  private Future<List<Owned>> sets(Long after, List<Owned> acc) {
    return request(Addresses.SETS_LIST, new JsonObject().put("after", after).put("limit", 100)).compose(page -> {
      for (Object o : page.getJsonArray("items")) {
        Decoded<BackupSet> d = SetJson.decodeSet((JsonObject) o, defaults);
        d.value().filter(s -> s.settings().scheduleEnabled() && !s.settings().schedules().isEmpty())
            .ifPresent(s -> acc.add(new Owned(s, ((JsonObject) o).getLong("ownerId"))));
      }
      Long next = page.getLong("next");
      return next == null ? Future.succeededFuture(acc) : sets(next, acc);
    });
  }

  private Future<Void> evaluate(BackupSet set, ZoneId zone, Instant now) {
    return request(Addresses.CATALOG_SCHEDULE_STATE_GET, new JsonObject().put("setId", set.id())).compose(st -> {
      Long stored = st.getLong("lastEvaluated");
      Instant last = Instant.ofEpochMilli(stored != null ? stored : set.updatedAt());
      if (!now.isAfter(last)) {
        return Future.succeededFuture();
      }
      List<Due> due = evaluator.due(set.settings().schedules(), zone, last, now);
      return request(Addresses.CATALOG_SCHEDULE_STATE_PUT, new JsonObject().put("setId", set.id())
              .put("lastEvaluated", now.toEpochMilli()))
          .compose(v -> {
            Future<Void> chain = Future.succeededFuture();
            for (Due d : due) {
              chain = chain.compose(x -> act(set, d));
            }
            return chain;
          });
    });
  }

  private Future<Void> act(BackupSet set, Due d) {
    String schedule = d.schedule().name();
    if (d.status() == Due.Status.MISSED) {
      LOG.info("scheduler: set={} schedule=\"{}\" at {} missed (the agent was not running)", set.id(), schedule,
          d.fireAt());
      return missed(set, d, "missed: the agent was not running at " + d.fireAt());
    }
    return request(Addresses.JOBS_BACKUP_START, new JsonObject().put("id", set.id()).put("trigger", "schedule")
            .put("scheduleName", schedule).put("runRetention", d.schedule().runRetentionAfterBackup())
            .put("stopAt", d.stopDeadline().map(Instant::toEpochMilli).orElse(null))
            .put("stopAfterHours", d.schedule().stop() instanceof Stop.AfterHours a ? a.hours() : null))
        .<Void>map(r -> {
          LOG.info("scheduler: set={} schedule=\"{}\" at {} started run {}", set.id(), schedule, d.fireAt(),
              r.getString("runId"));
          return null;
        })
        .recover(err -> {
          if (err instanceof AgentException a && a.failure() == Failure.ALREADY_RUNNING) {
            LOG.info("scheduler: set={} schedule=\"{}\" at {} skipped: still running", set.id(), schedule, d.fireAt());
            return missed(set, d, "skipped: still running (schedule \"" + schedule + "\" at " + d.fireAt() + ")");
          }
          LOG.error("scheduler: set={} schedule=\"{}\" could not start: {}", set.id(), schedule, err.getMessage());
          return missed(set, d, "not started: " + err.getMessage());
        });
  }

  /** One "Missed" report per destination of the set. */
  private Future<Void> missed(BackupSet set, Due d, String message) {
    long at = d.fireAt().toInstant().toEpochMilli();
    String runId = UUID.randomUUID().toString();
    JsonArray rows = new JsonArray();
    for (Destinations.Target t : set.settings().destinations().targets()) {
      rows.add(new JobRow(null, runId, null, set.id(), t.name(), JobStatus.MISSED.label(), "schedule",
          d.schedule().name(), at, at, "{}").toJson());
    }
    JsonArray lines = new JsonArray().add(new JobRow.Line(0, at, "warning", message).toJson());
    return request(Addresses.CATALOG_JOBS_INSERT, new JsonObject().put("rows", rows).put("lines", lines)).mapEmpty();
  }

  private Future<JsonObject> request(String address, JsonObject body) {
    return BusClient.request(vertx, address, body);
  }
}
