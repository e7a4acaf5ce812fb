package au.com.backup247.agent.api;

import au.com.backup247.agent.bus.Addresses;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * A set's destination credentials: {@code PUT} ({@code ?merge=true}: add to what is stored) and
 * {@code DELETE /api/v1/sets/{id}/destinations/{name}/credentials}, forwarded to
 * {@code b247.sets.credentials.*}; and the destination's test, {@code POST .../destinations/{name}/test};
 * and the test of a destination not saved yet with credentials given for it only,
 * {@code POST /api/v1/destinations/test} (the creation wizard's "Test").
 * The body of a PUT is a JSON object of the credential keys the destination takes; no route ever
 * answers with a value (a set's JSON only says {@code "credentials": "stored"}).
 */
final class CredentialRoutes {
  private CredentialRoutes() {
  }

  static void mount(Router router, String prefix) {
    String path = prefix + "/sets/:id/destinations/:name/credentials";
    router.put(path).handler(ctx -> SetRoutes.withId(ctx, id -> SetRoutes.withBody(ctx, body ->
        ApiVerticle.forward(ctx, Addresses.SETS_CREDENTIALS_PUT,
            id.put("destination", ctx.pathParam("name")).put("credentials", body)
                .put("merge", "true".equals(ctx.request().getParam("merge"))), r -> 200))));
    router.post(prefix + "/sets/:id/destinations/:name/test").handler(ctx -> SetRoutes.withId(ctx, id ->
        ApiVerticle.forward(ctx, Addresses.SETS_DESTINATION_TEST, id.put("destination", ctx.pathParam("name")),
            r -> 200)));
    router.post(prefix + "/destinations/test").handler(ctx -> SetRoutes.withBody(ctx, body ->
        ApiVerticle.forward(ctx, Addresses.DESTINATIONS_TEST, new JsonObject()
            .put("destination", body.getValue("destination")).put("credentials", body.getValue("credentials")),
            r -> 200)));
    router.delete(path).handler(ctx -> SetRoutes.withId(ctx, id ->
        ApiVerticle.forward(ctx, Addresses.SETS_CREDENTIALS_DELETE, id.put("destination", ctx.pathParam("name")),
            r -> 200)));
  }
}
