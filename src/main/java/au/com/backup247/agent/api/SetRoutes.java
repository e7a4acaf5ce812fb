package au.com.backup247.agent.api;

import au.com.backup247.agent.bus.Addresses;
import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.bus.Caller;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Consumer;

/**
 * The backup sets routes ({@code /api/v1/sets...}), forwarded to {@code b247.sets.*}. The
 * encryption key is in the create response once, and otherwise only from
 * {@code POST /sets/{id}/key/unmask} (to be limited to the set's owner by the auth service). Also
 * {@code GET /files?path=}: a folder of the agent's machine for choosing sources (the sets service's
 * {@code FolderListing}, with the same folder rights as a set's sources).
 */
final class SetRoutes {
  private SetRoutes() {
  }

  static void mount(Router router, String prefix) {
    router.get(prefix + "/sets").handler(SetRoutes::list);
    router.post(prefix + "/sets").handler(ctx -> withBody(ctx, body -> ApiVerticle.forward(ctx, Addresses.SETS_CREATE,
        body.put("sealForRecovery", AuthRoutes.caller(ctx).encryptionRecovery()), r -> 201))); // the account decides
    router.get(prefix + "/sets/:id").handler(ctx -> withId(ctx, id ->
        ApiVerticle.forward(ctx, Addresses.SETS_GET, id, r -> 200)));
    router.put(prefix + "/sets/:id").handler(ctx -> withId(ctx, id -> withBody(ctx, body ->
        ApiVerticle.forward(ctx, Addresses.SETS_UPDATE, id.put("set", body), r -> 200))));
    router.delete(prefix + "/sets/:id").handler(ctx -> withId(ctx, id ->
        ApiVerticle.forward(ctx, Addresses.SETS_DELETE, id, r -> 200)));
    router.post(prefix + "/sets/:id/rename").handler(ctx -> withId(ctx, id -> withBody(ctx, body ->
        ApiVerticle.forward(ctx, Addresses.SETS_RENAME, id.put("name", body.getValue("name")), r -> 200))));
    router.get(prefix + "/sets/:id/next-run").handler(ctx -> withId(ctx, id ->
        ApiVerticle.forward(ctx, Addresses.SCHEDULER_NEXT_RUN, id, r -> 200)));
    router.get(prefix + "/files").handler(ctx -> ApiVerticle.forward(ctx, Addresses.SETS_FILES,
        new JsonObject().put("path", ctx.request().getParam("path")), r -> 200));
    router.post(prefix + "/sets/:id/key/unmask").handler(ctx -> withId(ctx, id ->
        ApiVerticle.forward(ctx, Addresses.SETS_UNMASK_KEY, id, r -> 200)));
  }

  /**
   * Lets a request on {@code /sets/{id}...} through only when the caller may use that set (its owner
   * or an admin); another user's set answers 404 like a missing one.
   */
  static void access(RoutingContext ctx) {
    long id = pathId(ctx);
    if (id < 1) {
      ctx.next(); // the route answers 400 for a bad id
      return;
    }
    JsonObject q = new JsonObject().put("id", id).put(Caller.FIELD, AuthRoutes.caller(ctx).toJson());
    ctx.vertx().eventBus().<JsonObject>request(Addresses.SETS_ACCESS, q,
            new DeliveryOptions().setSendTimeout(ApiVerticle.BUS_TIMEOUT_MS))
        .onSuccess(r -> ctx.next())
        .onFailure(err -> ApiErrors.send(ctx, err));
  }

  private static void list(RoutingContext ctx) {
    JsonObject body = new JsonObject();
    try {
      String after = ctx.request().getParam("after");
      String limit = ctx.request().getParam("limit");
      body.put("after", after == null ? null : ApiVerticle.parseLong("after", after, Long.MIN_VALUE, Long.MAX_VALUE));
      body.put("limit", limit == null ? 100 : (int) ApiVerticle.parseLong("limit", limit, 1, 1000));
      body.put("name", ctx.request().getParam("name"));
    } catch (AgentException e) {
      ApiErrors.send(ctx, e);
      return;
    }
    ApiVerticle.forward(ctx, Addresses.SETS_LIST, body, r -> 200);
  }

  /** Passes {@code {"id": n}} for a path id that is a positive whole number; 400 otherwise. */
  static void withId(RoutingContext ctx, Consumer<JsonObject> next) {
    long id = pathId(ctx);
    if (id < 1) {
      ApiErrors.send(ctx, AgentException.of(Failure.BAD_REQUEST, "e.set.pathId", ctx.pathParam("id")));
      return;
    }
    next.accept(new JsonObject().put("id", id));
  }

  /** The path's {@code :id} as a number, -1 when it is not a whole number (a valid one is at least 1). */
  private static long pathId(RoutingContext ctx) {
    try {
      return Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Passes the request body when it is a JSON object, an empty object when there is none; 400 otherwise. */
  static void withOptionalBody(RoutingContext ctx, Consumer<JsonObject> next) {
    JsonObject body;
    try {
      String text = ctx.body().asString();
      body = text == null || text.isBlank() ? new JsonObject() : new JsonObject(text);
    } catch (RuntimeException e) {
      ApiErrors.send(ctx, AgentException.of(Failure.BAD_REQUEST, "e.body.objectOrEmpty"));
      return;
    }
    next.accept(body);
  }

  /** Passes the request body when it is a JSON object; 400 otherwise. */
  static void withBody(RoutingContext ctx, Consumer<JsonObject> next) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      body = null;
    }
    if (body == null) {
      ApiErrors.send(ctx, AgentException.of(Failure.BAD_REQUEST, "e.body.object"));
      return;
    }
    next.accept(body);
  }
}
