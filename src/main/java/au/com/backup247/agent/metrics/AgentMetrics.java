package au.com.backup247.agent.metrics;

import au.com.backup247.agent.bus.LiveFlows;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.shareddata.Shareable;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.UUID;

/**
 * The meters of one agent node, served in the Prometheus text format at {@code GET /metrics}
 * ({@code api.MetricsRoutes}). {@link #vertx} builds the node's Vert.x with them, so Vert.x records
 * its HTTP server requests and the JVM (memory, GC, threads, class loading, CPU, uptime) into the
 * same registry; {@code MetricsVerticle} adds the jobs, the destinations and the event-loop delay,
 * and each scrape reads the pipeline's credit flows ({@link LiveFlows}).
 *
 * <p>Nothing here runs per chunk: Vert.x's event-bus and worker-pool meters are off (they allocate
 * per message and per task, and would name every job's addresses; the SQL and HTTP clients' are off too),
 * the jobs' counters follow their progress events (twice a second per job) and the flows are read
 * when scraped.
 */
public final class AgentMetrics implements Shareable {
  /** The Prometheus text exposition format, version 0.0.4. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private static final String MAP = "b247.metrics";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final FlowMeters flows = new FlowMeters(registry);
  private LiveFlows live;

  private AgentMetrics() {
    // Vert.x Web names a request's route by every route it went through ("/api/v1/>/api/v1/>.../sets/:id");
    // the last one says which it was
    registry.config().meterFilter(MeterFilter.replaceTagValues("route", r -> r.substring(r.lastIndexOf('>') + 1)));
  }

  /**
   * A Vert.x with {@code options} whose HTTP server and JVM meters go to a new {@link AgentMetrics},
   * found again with {@link #of}.
   */
  public static Vertx vertx(VertxOptions options) {
    AgentMetrics m = new AgentMetrics();
    MicrometerMetricsOptions mo = new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)
        .setRegistryName("b247-" + UUID.randomUUID()) // one per Vert.x: agents in one JVM (tests) count apart
        .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE))
        .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS).addDisabledMetricsCategory(MetricsDomain.NAMED_POOLS)
        // the catalog's two JDBC pools would share unlabelled meters (their counts mixed); the only HTTP
        // client is the SMS gateway's
        .addDisabledMetricsCategory("sql").addDisabledMetricsCategory(MetricsDomain.HTTP_CLIENT);
    Vertx vertx = Vertx.builder().with(options.setMetricsOptions(mo))
        .withMetrics(new MicrometerMetricsFactory(m.registry)).build();
    m.live = LiveFlows.watch(vertx);
    vertx.sharedData().getLocalMap(MAP).put(MAP, m);
    return vertx;
  }

  /** The meters of {@code vertx}; empty when it was not built by {@link #vertx}. */
  public static Optional<AgentMetrics> of(Vertx vertx) {
    return Optional.ofNullable(vertx.sharedData().<String, AgentMetrics>getLocalMap(MAP).get(MAP));
  }

  /** Where the agent's meters are registered. */
  public MeterRegistry registry() {
    return registry;
  }

  /** Every meter now, in the Prometheus text format ({@link #CONTENT_TYPE}). */
  public synchronized String scrape() {
    flows.update(live.samples(), live.held());
    return registry.scrape();
  }
}
