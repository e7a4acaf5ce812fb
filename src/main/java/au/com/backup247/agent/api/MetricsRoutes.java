package au.com.backup247.agent.api;

import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.metrics.AgentMetrics;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * {@code GET /metrics}: this node's meters in the Prometheus text format ({@link AgentMetrics}),
 * for admins (the local API token works as a scraper's bearer token). Outside {@code /api/v1},
 * where Prometheus looks by default, and guarded like the API.
 */
final class MetricsRoutes {
  static final String PATH = "/metrics";

  private MetricsRoutes() {
  }

  /** Mounts the route; before the console's catch-all, which would answer its page. */
  static void mount(Router router) {
    router.get(PATH).handler(AuthRoutes::authenticate).handler(MetricsRoutes::scrape);
  }

  private static void scrape(RoutingContext ctx) {
    if (!AuthRoutes.requireAdmin(ctx, "what.metrics")) {
      return;
    }
    Optional<AgentMetrics> metrics = AgentMetrics.of(ctx.vertx());
    if (metrics.isEmpty()) {
      ApiErrors.send(ctx.response(), Failure.UNAVAILABLE, "this node records no metrics (its Vert.x was started "
          + "without them)");
      return;
    }
    ctx.response().putHeader("Content-Type", AgentMetrics.CONTENT_TYPE).putHeader("Cache-Control", "no-store")
        .end(metrics.get().scrape());
  }
}
