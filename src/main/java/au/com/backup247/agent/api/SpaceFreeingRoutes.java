package au.com.backup247.agent.api;

import au.com.backup247.agent.bus.Addresses;
import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Space Freeing Up (guide ch. 9.9.2): {@code POST /sets/{id}/space-freeing} (body optional:
 * {@code {"destinations": [names]}}) and {@code POST /space-freeing} (every set) go to the jobs
 * service ({@link Addresses#JOBS_SPACE_FREEING}); the outcome is in the reports ({@code GET /jobs}).
 * {@code POST /sets/{id}/confirm-state} (same body) lifts the block on retention the agent puts on a
 * destination that looked rolled back or tampered with ({@link Addresses#JOBS_CONFIRM_STATE}).
 */
final class SpaceFreeingRoutes {
  private SpaceFreeingRoutes() {
  }

  static void mount(Router router, String prefix) {
    router.post(prefix + "/sets/:id/space-freeing").handler(ctx -> SetRoutes.withId(ctx, id ->
        withDestinations(ctx, id, () -> ApiVerticle.forward(ctx, Addresses.JOBS_SPACE_FREEING, id, r -> 202))));
    router.post(prefix + "/sets/:id/confirm-state").handler(ctx -> SetRoutes.withId(ctx, id ->
        withDestinations(ctx, id, () -> ApiVerticle.forward(ctx, Addresses.JOBS_CONFIRM_STATE, id, r -> 200))));
    router.post(prefix + "/space-freeing").handler(ctx -> {
      if (AuthRoutes.requireAdmin(ctx, "what.spaceFreeingAll")) {
        ApiVerticle.forward(ctx, Addresses.JOBS_SPACE_FREEING, new JsonObject(), r -> 202);
      }
    });
  }

  /**
   * Copies {@code "destinations"}, the optional body's only key, into {@code id}, then runs {@code next};
   * 400 for another key or a body that is not a JSON object.
   */
  private static void withDestinations(RoutingContext ctx, JsonObject id, Runnable next) {
    SetRoutes.withOptionalBody(ctx, body -> {
      for (String k : body.fieldNames()) {
        if (!k.equals("destinations")) {
          ApiErrors.send(ctx, AgentException.of(Failure.BAD_REQUEST, "e.body.unknown", k, "destinations"));
          return;
        }
      }
      if (body.containsKey("destinations")) {
        id.put("destinations", body.getValue("destinations"));
      }
      next.run();
    });
  }
}
