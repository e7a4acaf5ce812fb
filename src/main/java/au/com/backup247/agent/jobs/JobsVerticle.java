package au.com.backup247.agent.jobs;

import au.com.backup247.agent.bandwidth.SetBuckets;
import au.com.backup247.agent.bus.Addresses;
import au.com.backup247.agent.bus.BusService;
import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the jobs service ({@link JobsService}) and the restore service ({@link RestoreService}) to
 * {@code b247.jobs.*}; both claim sets in one {@link SetRuns}. Deploy one instance after
 * the catalog and the sets service: at start it marks reports left "In progress" by a previous
 * run as "Backup not yet finished". Config: {@code home} (the agent home; keys are read from
 * {@code home/keys}, destination credentials from {@code home/credentials/<setId>/}).
 */
public final class JobsVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(JobsVerticle.class);
  private final Clock clock;
  private JobsService service;
  private RestoreService restores;
  /** The sets' runs: one registry for backups, restores and space freeing. */
  private final SetRuns runs = new LocalSetRuns();
  /**
   * The sets' shared bandwidth buckets: one registry for backups and restores, with the periods in the
   * agent's time zone (the schedules'); a deleted set's are dropped.
   */
  private SetBuckets buckets;

  public JobsVerticle() {
    this(Clock.systemUTC());
  }

  /** With an injected clock (tests). */
  public JobsVerticle(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    String home = config().getString("home");
    if (home == null) {
      return Future.failedFuture(new AgentException(Failure.CONFIG_INVALID, "jobs verticle: config \"home\" is missing"));
    }
    String zone = config().getString("timeZone", ZoneId.systemDefault().getId());
    ZoneId zoneId;
    try {
      zoneId = ZoneId.of(zone);
    } catch (DateTimeException e) {
      return Future.failedFuture(new AgentException(Failure.CONFIG_INVALID, "jobs verticle: timeZone \"" + zone
          + "\" is not a time zone id (e.g. Australia/Sydney, UTC)"));
    }
    buckets = new SetBuckets(zoneId);
    JobsContext ctx = new JobsContext(vertx, clock, Path.of(home), runs, buckets);
    service = new JobsService(ctx, zoneId);
    restores = new RestoreService(ctx);
    return service.markUnfinished()
        .recover(err -> Future.failedFuture(new AgentException(Failure.UNAVAILABLE,
            "backup jobs: the catalog does not answer (" + err.getMessage() + "); deploy the catalog first")))
        .compose(n -> Future.join(List.of(
            bind(Addresses.JOBS_BACKUP_START, service::start),
            bind(Addresses.JOBS_BACKUP_CANCEL, service::cancel),
            bind(Addresses.JOBS_SPACE_FREEING, service::spaceFreeing),
            bind(Addresses.JOBS_CONFIRM_STATE, service::confirmState),
            bind(Addresses.JOBS_RESTORE_POINTS, restores::points),
            bind(Addresses.JOBS_RESTORE_TREE, restores::tree),
            bind(Addresses.JOBS_RESTORE_SEARCH, restores::search),
            bind(Addresses.JOBS_RESTORE_START, restores::start),
            bind(Addresses.JOBS_RESTORE_CANCEL, restores::cancel),
            vertx.eventBus().<JsonObject>consumer(Addresses.EVENT_SET_CHANGED, m -> forgetDeleted(m.body()))
                .completion())));
  }

  /** A deleted set's shared bandwidth buckets are dropped (guide ch. 9.5: they live as long as the set). */
  private void forgetDeleted(JsonObject event) {
    if ("deleted".equals(event.getString("change")) && event.getValue("id") instanceof Number id) {
      buckets.forget(id.longValue());
    }
  }

  /** The sets' bandwidth buckets (null before the start). */
  SetBuckets buckets() {
    return buckets;
  }

  private Future<Void> bind(String address, Function<JsonObject, Future<JsonObject>> op) {
    return BusService.bind(vertx, address, op, "jobs service", LOG);
  }

  @Override
  public Future<?> stop() {
    return runs.stop().eventually(() -> restores == null ? Future.succeededFuture() : restores.close());
  }
}
