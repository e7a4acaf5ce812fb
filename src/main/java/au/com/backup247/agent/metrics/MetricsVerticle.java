package au.com.backup247.agent.metrics;

import au.com.backup247.agent.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the node's {@link AgentMetrics}: the jobs' counters from their progress events
 * ({@link JobMeters}) and the event-loop probe ({@link EventLoopDelay}). Config:
 * {@code eventLoopProbeMs} (default 1000). On a Vert.x not built by {@link AgentMetrics#vertx} it
 * does nothing.
 */
public final class MetricsVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsVerticle.class);
  private EventLoopDelay probe;

  @Override
  public Future<?> start() {
    Optional<AgentMetrics> metrics = AgentMetrics.of(vertx);
    if (metrics.isEmpty()) {
      LOG.info("metrics are off: this Vert.x records none");
      return Future.succeededFuture();
    }
    JobMeters jobs = new JobMeters(metrics.get().registry());
    probe = new EventLoopDelay(vertx, metrics.get().registry());
    probe.start(config().getLong("eventLoopProbeMs", 1000L));
    var bus = vertx.eventBus();
    return Future.all(List.of(Addresses.EVENT_JOB_PROGRESS, Addresses.EVENT_RESTORE_PROGRESS,
            Addresses.EVENT_SPACE_FREEING_PROGRESS).stream()
        .map(a -> bus.<JsonObject>consumer(a, m -> jobs.progress(m.body())).completion()).toList());
  }

  @Override
  public Future<?> stop() {
    if (probe != null) {
      probe.stop();
    }
    return Future.succeededFuture();
  }
}
