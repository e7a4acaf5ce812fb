package au.com.backup247.agent.api;

import au.com.backup247.agent.bus.Addresses;
import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Restore routes (guide ch. 13), forwarded to {@code b247.jobs.restore.*}: the restore points,
 * the tree and the restore filter's search of a set at one destination, and {@code POST /sets/{id}/restore}. Restore reports are
 * listed by {@code GET /jobs?kind=restore}.
 */
final class RestoreRoutes {
  private RestoreRoutes() {
  }

  static void mount(Router router, String prefix) {
    router.get(prefix + "/sets/:id/restore-points").handler(ctx -> SetRoutes.withId(ctx, id -> {
      id.put("destination", ctx.request().getParam("destination"));
      ApiVerticle.forward(ctx, Addresses.JOBS_RESTORE_POINTS, id, r -> 200);
    }));
    router.get(prefix + "/sets/:id/tree").handler(ctx -> SetRoutes.withId(ctx, id -> {
      id.put("destination", ctx.request().getParam("destination")).put("job", ctx.request().getParam("job"))
          .put("path", ctx.request().getParam("path")).put("allVersions", ctx.request().getParam("allVersions"));
      ApiVerticle.forward(ctx, Addresses.JOBS_RESTORE_TREE, id, r -> 200);
    }));
    router.get(prefix + "/sets/:id/search").handler(ctx -> SetRoutes.withId(ctx, id -> {
      for (String p : new String[] {"destination", "job", "folder", "subfolders", "kind", "mode", "pattern",
          "matchCase", "page", "perPage"}) {
        id.put(p, ctx.request().getParam(p));
      }
      ApiVerticle.forward(ctx, Addresses.JOBS_RESTORE_SEARCH, id, r -> 200);
    }));
    router.post(prefix + "/sets/:id/restore").handler(ctx -> SetRoutes.withId(ctx, id -> restore(ctx, id)));
    router.post(prefix + "/sets/:id/restore/cancel").handler(ctx -> SetRoutes.withId(ctx, id ->
        ApiVerticle.forward(ctx, Addresses.JOBS_RESTORE_CANCEL, id, r -> 202)));
  }

  private static void restore(RoutingContext ctx, JsonObject id) {
    SetRoutes.withBody(ctx, body -> ApiVerticle.forward(ctx, Addresses.JOBS_RESTORE_START,
        body.copy().put("id", id.getLong("id")), r -> 202));
  }
}
