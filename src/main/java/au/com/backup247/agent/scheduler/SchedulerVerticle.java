package au.com.backup247.agent.scheduler;

import au.com.backup247.agent.bus.Addresses;
import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.BusService;
import au.com.backup247.agent.bus.Failure;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives the schedules of every backup set: a periodic timer calls {@link #tick} with the injected
 * clock's time; the work is done by {@link Scheduler}. Deploy one instance after the jobs service.
 *
 * <p>Config: {@code timeZone} (the zone schedules are read in; the agent passes agent.json's
 * {@code schedule.timeZone}, default the system zone),
 * {@code intervalMs} (default 30000; 0 turns the timer off, for tests that call {@link #tick}).
 * Answers {@code b247.scheduler.next-run}: when a set is next backed up.
 */
public final class SchedulerVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerVerticle.class);
  static final long DEFAULT_INTERVAL_MS = 30_000;
  private final Clock clock;
  private Scheduler scheduler;
  private long timer = -1;

  public SchedulerVerticle() {
    this(Clock.systemUTC());
  }

  /** With an injected clock (tests). */
  public SchedulerVerticle(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    String zoneText = config().getString("timeZone", ZoneId.systemDefault().getId());
    ZoneId zone;
    try {
      zone = ZoneId.of(zoneText);
    } catch (DateTimeException e) {
      return Future.failedFuture(new AgentException(Failure.CONFIG_INVALID, "scheduler: timeZone \"" + zoneText
          + "\" is not a time zone id (e.g. Australia/Sydney, UTC)"));
    }
    long interval = config().getLong("intervalMs", DEFAULT_INTERVAL_MS);
    if (interval < 0) {
      return Future.failedFuture(new AgentException(Failure.CONFIG_INVALID, "scheduler: intervalMs must be 0 (off) or"
          + " positive, got " + interval));
    }
    scheduler = new Scheduler(vertx, zone);
    if (interval > 0) {
      timer = vertx.setPeriodic(interval, id -> tick(clock.instant()));
    }
    LOG.info("scheduler started: zone={} interval={} ms", zone, interval);
    return BusService.bind(vertx, Addresses.SCHEDULER_NEXT_RUN, b -> scheduler.nextRun(b.getLong("id"),
        clock.instant()), "scheduler", LOG);
  }

  /** Evaluates every set's schedules up to {@code now}; a tick still running makes this one a no-op. */
  public Future<Void> tick(Instant now) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> scheduler.tick(now).onComplete(done));
    return done.future();
  }

  @Override
  public Future<?> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return Future.succeededFuture();
  }
}
