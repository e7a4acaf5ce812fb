package au.com.backup247.agent.api;

import au.com.backup247.agent.bus.Addresses;
import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.bus.ValidationReply;
import au.com.backup247.agent.i18n.Messages;
import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API under {@code /api/v1} (JSON in and out) and the console root. Routes are thin: they
 * check input and send a request to the service that owns it on the event bus, then map the reply
 * or its coded failure to HTTP.
 *
 * <p>Config: {@code host}, {@code port}, {@code maxBodyBytes}, {@code maxHeaderBytes},
 * {@code eventKeepAliveSeconds} (see
 * {@code AgentConfig.Api}), {@code configFile} (named in the error when the port is taken) and
 * {@code tls} ({@code certFile}, {@code keyFile}: PEM; without it only a loopback host is served).
 * The routes are documented in {@code api/openapi.json}; a test keeps both in step.
 */
public final class ApiVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ApiVerticle.class);
  public static final String PREFIX = "/api/v1";
  static final long BUS_TIMEOUT_MS = 10_000;
  private HttpServer server;

  @Override
  public Future<?> start() {
    JsonObject c = config();
    ValidationReply.registerCodec(vertx); // field errors of a service on another node
    au.com.backup247.agent.bus.KeyedReply.registerCodec(vertx);
    String host = c.getString("host", "127.0.0.1");
    int port = c.getInteger("port", 7070);
    JsonObject tls = c.getJsonObject("tls"); // the certificate in use (ApiTls), or none: plain HTTP on loopback only
    RequestGuard guard = new RequestGuard(host, strings(c, "allowedHosts"), strings(c, "allowedOrigins"), tls != null);
    RequestDeadline deadline = new RequestDeadline(vertx, c.getLong("requestDeadlineMs", 30_000L));
    Router router = router(vertx, c.getInteger("maxBodyBytes", 1 << 20), guard, tls != null,
        1000L * c.getInteger("eventKeepAliveSeconds", 15));
    router.route().order(-1).handler(deadline::started);
    HttpServerOptions opts = new HttpServerOptions()
        .setMaxHeaderSize(c.getInteger("maxHeaderBytes", 8192))
        .setMaxInitialLineLength(8192)
        .setIdleTimeout(c.getInteger("idleTimeoutSeconds", 120))
        .setCompressionSupported(true);
    if (tls == null && !ApiTls.isLoopback(host)) {
      return Future.failedFuture(ApiTls.withoutTls(host, c.getString("configFile", "agent.json")));
    }
    if (tls != null) {
      opts.setSsl(true).setKeyCertOptions(ApiTls.keyCert(tls));
    }
    return vertx.createHttpServer(opts)
        .connectionHandler(deadline::connected)
        .requestHandler(router)
        .invalidRequestHandler(ApiVerticle::invalidRequest)
        .listen(port, host)
        .recover(err -> Future.failedFuture(bindFailure(err, host, port, c.getString("configFile", "agent.json"))))
        .onSuccess(s -> {
          server = s;
          LOG.info("API listening on {}://{}:{}/", tls == null ? "http" : "https", host, s.actualPort());
        });
  }

  /** The port actually bound (useful with port 0 in tests). */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  private static java.util.List<String> strings(JsonObject c, String key) {
    return c.getJsonArray(key, new io.vertx.core.json.JsonArray()).stream().map(String::valueOf).toList();
  }

  /** The router with a loopback-only guard (tests compare its routes with the OpenAPI document). */
  public static Router router(Vertx vertx, int maxBodyBytes) {
    return router(vertx, maxBodyBytes, new RequestGuard("127.0.0.1", java.util.List.of(), java.util.List.of(), false),
        false, ServerSentEvents.KEEP_ALIVE_MS);
  }

  /**
   * Builds the router: the request guard, then the public routes (health, the OpenAPI document,
   * login, the console's files), then the credentials check, then everything else.
   */
  static Router router(Vertx vertx, int maxBodyBytes, RequestGuard guard, boolean tls, long keepAliveMs) {
    Router router = Router.router(vertx);
    router.route().handler(ConsoleRoutes::headers);
    router.route().handler(guard::hostAndOrigin);
    router.route(PREFIX + "/*").handler(RequestGuard::jsonBody);
    router.route(PREFIX + "/*").handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes));
    router.get(PREFIX + "/health").handler(ctx -> forward(ctx, Addresses.SYSTEM_HEALTH, null,
        b -> "UP".equals(b.getString("status")) ? 200 : 503));
    router.get(PREFIX + "/openapi.json").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/json; charset=utf-8").end(openApi()));
    MetricsRoutes.mount(router);
    ConsoleRoutes.mount(router);
    AuthRoutes auth = new AuthRoutes(tls);
    auth.mountPublic(router, PREFIX);
    router.route(PREFIX + "/*").handler(AuthRoutes::authenticate);
    auth.mountProtected(router, PREFIX);
    router.route(PREFIX + "/sets/:id").handler(SetRoutes::access);
    router.route(PREFIX + "/sets/:id/*").handler(SetRoutes::access);
    router.get(PREFIX + "/info").handler(ctx -> forward(ctx, Addresses.SYSTEM_INFO, null, b -> 200));
    router.get(PREFIX + "/runs").handler(ctx -> {
      if (AuthRoutes.requireAdmin(ctx, "what.runs")) {
        listRuns(ctx);
      }
    });
    UserRoutes.mount(router, PREFIX);
    SetRoutes.mount(router, PREFIX);
    CredentialRoutes.mount(router, PREFIX);
    JobProgress live = new JobProgress(vertx);
    JobRoutes.mount(router, PREFIX, live, keepAliveMs);
    EventRoutes.mount(router, PREFIX, live, keepAliveMs);
    SpaceFreeingRoutes.mount(router, PREFIX);
    RestoreRoutes.mount(router, PREFIX);
    MailRoutes.mount(router, PREFIX);
    for (int status : new int[] {400, 401, 403, 404, 405, 413, 415, 500}) {
      router.errorHandler(status, ApiErrors::byStatus);
    }
    return router;
  }

  private static void listRuns(RoutingContext ctx) {
    JsonObject body = new JsonObject();
    try {
      String after = ctx.request().getParam("after");
      String limit = ctx.request().getParam("limit");
      body.put("after", after == null ? null : parseLong("after", after, Long.MIN_VALUE, Long.MAX_VALUE));
      body.put("limit", limit == null ? 100 : (int) parseLong("limit", limit, 1, 1000));
    } catch (AgentException e) {
      ApiErrors.send(ctx, e);
      return;
    }
    forward(ctx, Addresses.CATALOG_LIST_RUNS, body, b -> 200);
  }

  static long parseLong(String name, String value, long min, long max) {
    long v;
    try {
      v = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw AgentException.of(Failure.BAD_REQUEST, "e.query.whole", name, value);
    }
    if (v < min || v > max) {
      throw AgentException.of(Failure.BAD_REQUEST, "e.query.between", name, min, max, v);
    }
    return v;
  }

  /**
   * Sends {@code body} to {@code address} and answers with the reply, or the error shape. On a guarded
   * route the caller goes with it ({@code "caller"}, replacing anything the client sent by that name).
   */
  static void forward(RoutingContext ctx, String address, JsonObject body, Function<JsonObject, Integer> status) {
    forward(ctx, address, body, status, Function.identity());
  }

  /** As {@link #forward(RoutingContext, String, JsonObject, Function)}, answering {@code map} of the reply. */
  static void forward(RoutingContext ctx, String address, JsonObject body, Function<JsonObject, Integer> status,
      Function<JsonObject, JsonObject> map) {
    request(ctx, address, body).map(map)
        .onSuccess(reply -> ctx.response().setStatusCode(status.apply(reply))
            .putHeader("Content-Type", "application/json; charset=utf-8")
            .putHeader("Cache-Control", "no-store")
            .end(reply.encode()))
        .onFailure(err -> ApiErrors.send(ctx, err));
  }

  /** Sends {@code body} to {@code address} with the caller of a guarded route ({@code "caller"}). */
  static io.vertx.core.Future<JsonObject> request(RoutingContext ctx, String address, JsonObject body) {
    io.vertx.core.json.JsonObject caller = ctx.get(AuthRoutes.CALLER) == null ? null
        : ctx.<au.com.backup247.agent.bus.Caller>get(AuthRoutes.CALLER).toJson();
    if (caller != null) {
      body = body == null ? new JsonObject() : body;
      body.put(au.com.backup247.agent.bus.Caller.FIELD, caller);
    }
    return ctx.vertx().eventBus().<JsonObject>request(address, body,
        new DeliveryOptions().setSendTimeout(BUS_TIMEOUT_MS)).map(Message::body);
  }

  /**
   * The language of this request's messages: the caller's profile language, or before a login the
   * best match of the browser's Accept-Language.
   */
  static String language(RoutingContext ctx) {
    au.com.backup247.agent.bus.Caller c = ctx.get(AuthRoutes.CALLER);
    return c != null ? c.language()
        : au.com.backup247.agent.i18n.Messages.negotiate(ctx.request().getHeader("Accept-Language"));
  }

  /** The request body as a JSON object (empty when there is none); null after answering 400. */
  static JsonObject bodyOrEmpty(RoutingContext ctx) {
    try {
      String text = ctx.body().asString();
      JsonObject o = text == null || text.isBlank() ? new JsonObject() : new JsonObject(text);
      o.remove(au.com.backup247.agent.bus.Caller.FIELD);
      return o;
    } catch (RuntimeException e) {
      ApiErrors.send(ctx, AgentException.of(Failure.BAD_REQUEST, "e.body.object"));
      return null;
    }
  }

  /**
   * 431, 414 or 400 for a request the HTTP decoder refused, in the Accept-Language of the headers it
   * read before the refusal (none for a request line too long: English).
   */
  private static void invalidRequest(HttpServerRequest req) {
    Throwable cause = req.decoderResult().cause();
    Failure f = Failure.BAD_REQUEST;
    String key = "http.malformed";
    if (cause instanceof TooLongFrameException) {
      String m = String.valueOf(cause.getMessage());
      if (m.contains("header")) {
        f = Failure.HEADERS_TOO_LARGE;
        key = "http.headersTooLarge";
      } else {
        f = Failure.URI_TOO_LONG;
        key = "http.lineTooLong";
      }
    }
    String lang = Messages.negotiate(req.getHeader("Accept-Language"));
    ApiErrors.send(req.response().putHeader("Connection", "close"), f, Messages.get(lang, key));
  }

  static AgentException bindFailure(Throwable err, String host, int port, String configFile) {
    boolean inUse = err instanceof BindException
        || String.valueOf(err.getMessage()).contains("Address already in use");
    if (inUse) {
      return new AgentException(Failure.PORT_IN_USE, "port " + port + " on " + host
          + " is already in use; change api.port in " + configFile);
    }
    return new AgentException(Failure.PORT_IN_USE, "cannot listen on " + host + ":" + port + " ("
        + err.getMessage() + "); check api.host and api.port in " + configFile);
  }

  /** The OpenAPI document the API serves. */
  public static String openApi() {
    return resource("api/openapi.json");
  }

  static String resource(String name) {
    try (InputStream in = ApiVerticle.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
