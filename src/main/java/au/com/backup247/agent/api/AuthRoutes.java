package au.com.backup247.agent.api;

import au.com.backup247.agent.bus.Addresses;
import au.com.backup247.agent.bus.Caller;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.i18n.Messages;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Login routes and the check of every other request's credentials (docs/SECURITY.md §3, §5 step 4).
 * The login routes are public; {@link #authenticate} guards everything mounted after it and puts
 * the {@link Caller} into the routing context, from where {@link ApiVerticle#forward} attaches it to
 * the request it sends on the bus.
 */
final class AuthRoutes {
  static final String CALLER = "caller";
  static final String SESSION = "session";
  private final boolean tls;

  AuthRoutes(boolean tls) {
    this.tls = tls;
  }

  /**
   * The public routes: login, second factor, SMS passcode, first-run setup, and forgetting this
   * browser's saved password (its own cookie is the only credential it can act on).
   */
  void mountPublic(Router router, String prefix) {
    router.post(prefix + "/auth/login").handler(ctx -> login(ctx, "login"));
    router.post(prefix + "/auth/2fa").handler(ctx -> login(ctx, "second-factor"));
    router.post(prefix + "/auth/2fa/sms").handler(ctx -> login(ctx, "sms-send"));
    router.get(prefix + "/auth/setup").handler(ctx -> login(ctx, "setup-state"));
    router.post(prefix + "/auth/setup").handler(ctx -> login(ctx, "setup"));
    router.post(prefix + "/auth/forget-device").handler(ctx -> login(ctx, "forget-device"));
  }

  /** The routes for a logged-in caller. */
  void mountProtected(Router router, String prefix) {
    router.post(prefix + "/auth/logout").handler(ctx -> {
      JsonObject body = ApiVerticle.bodyOrEmpty(ctx);
      if (body == null) {
        return;
      }
      body.put("session", ctx.<JsonObject>get(SESSION));
      send(ctx, "logout", body);
    });
    router.get(prefix + "/auth/me").handler(ctx -> ApiVerticle.forward(ctx, Addresses.AUTH_PREFIX + "me",
        new JsonObject().put("session", ctx.<JsonObject>get(SESSION)), r -> 200));
  }

  private void login(RoutingContext ctx, String op) {
    JsonObject body = ApiVerticle.bodyOrEmpty(ctx);
    if (body == null) {
      return;
    }
    HttpServerRequest req = ctx.request();
    Cookie device = req.getCookie("b247_device");
    Cookie remembered = req.getCookie("b247_remember");
    boolean usesSaved = op.equals("login") || op.equals("forget-device");
    if (usesSaved && remembered != null && !body.containsKey("password") && !body.containsKey("rememberToken")) {
      body.put("rememberToken", remembered.getValue()); // a browser's saved password (docs/SECURITY.md §3)
    }
    body.remove(Caller.FIELD);
    body.put("client", new JsonObject().put("ip", req.remoteAddress() == null ? "unknown" : req.remoteAddress().host())
        .put("userAgent", req.getHeader("User-Agent")).put("deviceCookie", device == null ? null : device.getValue())
        .put("language", ApiVerticle.language(ctx)));
    send(ctx, op, body);
  }

  /** Sends a login-family request and writes its {@code AuthReply}: status, body, cookies, Retry-After. */
  private void send(RoutingContext ctx, String op, JsonObject body) {
    ctx.vertx().eventBus().<JsonObject>request(Addresses.AUTH_PREFIX + op, body,
            new DeliveryOptions().setSendTimeout(ApiVerticle.BUS_TIMEOUT_MS))
        .map(Message::body)
        .onSuccess(reply -> {
          var resp = ctx.response().setStatusCode(reply.getInteger("status"))
              .putHeader("Content-Type", "application/json; charset=utf-8").putHeader("Cache-Control", "no-store");
          if (reply.containsKey("retryAfter")) {
            resp.putHeader("Retry-After", String.valueOf(reply.getLong("retryAfter")));
          }
          for (Object o : reply.getJsonArray("cookies")) {
            JsonObject c = (JsonObject) o;
            resp.addCookie(Cookie.cookie(c.getString("name"), c.getString("value")).setPath("/").setHttpOnly(true)
                .setSameSite(CookieSameSite.STRICT).setSecure(tls).setMaxAge(c.getLong("maxAge")));
          }
          resp.end(reply.getJsonObject("body").encode());
        })
        .onFailure(err -> ApiErrors.send(ctx, err));
  }

  /**
   * Guards every route mounted after it: the local token or a session (a cookie session also needs
   * the CSRF token with an unsafe method); 401 or 403 otherwise.
   */
  static void authenticate(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    JsonObject q = new JsonObject().put("method", req.method().name()).put("language", ApiVerticle.language(ctx));
    String auth = req.getHeader("Authorization");
    if (auth != null) {
      if (!auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
        ApiErrors.send(ctx.response(), Failure.UNAUTHORIZED, Messages.get(ApiVerticle.language(ctx), "login.bearer"));
        return;
      }
      q.put("bearer", auth.substring(7).strip()).put("asUser", req.getHeader("X-B247-User"));
    } else {
      Cookie c = req.getCookie("b247_session");
      if (c == null) {
        ApiErrors.send(ctx.response().putHeader("WWW-Authenticate", "Bearer"), Failure.UNAUTHORIZED,
            Messages.get(ApiVerticle.language(ctx), "login.first"));
        return;
      }
      q.put("cookie", c.getValue()).put("csrf", req.getHeader("X-CSRF-Token"));
    }
    ctx.vertx().eventBus().<JsonObject>request(Addresses.AUTH_AUTHENTICATE, q,
            new DeliveryOptions().setSendTimeout(ApiVerticle.BUS_TIMEOUT_MS))
        .map(Message::body)
        .onSuccess(r -> {
          ctx.put(CALLER, Caller.fromJson(r.getJsonObject("caller")));
          ctx.put(SESSION, r.getJsonObject("session"));
          ctx.next();
        })
        .onFailure(err -> ApiErrors.send(ctx, err));
  }

  /** The caller of a guarded route (fails closed: no rights when the route was not guarded). */
  static Caller caller(RoutingContext ctx) {
    Caller c = ctx.get(CALLER);
    return c == null ? new Caller(null, "anonymous", Caller.Role.USER, java.util.List.of(), "en") : c;
  }

  /** Lets only admins through; 403 naming what was refused ({@code what}: a message key) otherwise. */
  static boolean requireAdmin(RoutingContext ctx, String what) {
    Caller c = caller(ctx);
    if (c.isAdmin()) {
      return true;
    }
    ApiErrors.send(ctx.response(), Failure.FORBIDDEN, Messages.get(c.language(), "admin.only",
        Messages.get(c.language(), what), c.login()));
    return false;
  }
}
