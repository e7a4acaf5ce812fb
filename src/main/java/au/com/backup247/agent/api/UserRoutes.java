package au.com.backup247.agent.api;

import au.com.backup247.agent.bus.Addresses;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/**
 * Accounts ({@code /users...}, admins) and the caller's own profile ({@code /profile...}),
 * forwarded to the auth service ({@code b247.auth.users.*}, {@code b247.auth.profile.*},
 * {@code b247.auth.2fa.*}), which decides what the caller may do.
 */
final class UserRoutes {
  private UserRoutes() {
  }

  static void mount(Router router, String prefix) {
    router.get(prefix + "/users").handler(ctx -> op(ctx, "users.list", null));
    router.post(prefix + "/users").handler(ctx -> op(ctx, "users.create", b -> new JsonObject().put("user", b)));
    router.get(prefix + "/users/:login").handler(ctx -> op(ctx, "users.get", null));
    router.put(prefix + "/users/:login").handler(ctx -> op(ctx, "users.update", b -> new JsonObject().put("user", b)));
    router.delete(prefix + "/users/:login").handler(ctx -> op(ctx, "users.delete", null));
    router.post(prefix + "/users/:login/password").handler(ctx -> op(ctx, "users.password", b -> b));
    router.post(prefix + "/users/:login/unlock").handler(ctx -> op(ctx, "users.unlock", b -> new JsonObject()));
    router.post(prefix + "/users/:login/reset-2fa").handler(ctx -> op(ctx, "users.reset-2fa", b -> new JsonObject()));
    router.get(prefix + "/profile").handler(ctx -> op(ctx, "profile.get", null));
    router.put(prefix + "/profile").handler(ctx -> op(ctx, "profile.update", b -> new JsonObject().put("profile", b)));
    router.post(prefix + "/profile/password").handler(ctx -> op(ctx, "profile.password", b -> b));
    router.get(prefix + "/profile/sessions").handler(ctx -> op(ctx, "profile.sessions", null));
    router.post(prefix + "/profile/sessions/:sessionId/revoke").handler(ctx -> op(ctx, "profile.revoke-session",
        b -> new JsonObject().put("id", ctx.pathParam("sessionId"))));
    router.get(prefix + "/profile/2fa").handler(ctx -> op(ctx, "2fa.get", null));
    router.put(prefix + "/profile/2fa").handler(ctx -> op(ctx, "2fa.set", b -> b));
    router.post(prefix + "/profile/2fa/totp").handler(ctx -> op(ctx, "2fa.totp-add", b -> b));
    router.post(prefix + "/profile/2fa/sms").handler(ctx -> op(ctx, "2fa.sms-add", b -> b));
    router.post(prefix + "/profile/2fa/recovery-codes").handler(ctx -> op(ctx, "2fa.recovery-codes", b -> b));
    for (String action : new String[] {"confirm", "re-pair", "remove", "resend"}) {
      router.post(prefix + "/profile/2fa/authenticators/:authId/" + action).handler(ctx -> op(ctx, "2fa." + action,
          b -> b.put("authenticatorId", ctx.pathParam("authId"))));
    }
  }

  /**
   * Forwards to {@code b247.auth.<name>}: the body ({@code shape} null: no body) reshaped, plus the
   * path's login and the caller's session.
   */
  static void op(RoutingContext ctx, String name, Function<JsonObject, JsonObject> shape) {
    JsonObject out;
    if (shape == null) {
      out = new JsonObject();
    } else {
      JsonObject body = ApiVerticle.bodyOrEmpty(ctx);
      if (body == null) {
        return;
      }
      out = shape.apply(body);
    }
    String login = ctx.pathParam("login");
    if (login != null) {
      out.put("login", login);
    }
    out.put("session", ctx.<JsonObject>get(AuthRoutes.SESSION));
    ApiVerticle.forward(ctx, Addresses.AUTH_PREFIX + name, out, r -> name.equals("users.create") ? 201 : 200);
  }
}
