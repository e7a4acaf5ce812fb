package au.com.backup247.agent.api;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.bus.ValidationException;
import au.com.backup247.agent.i18n.Messages;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's one error shape: {@code {"error": {"code": "...", "message": "..."}}} with the status
 * of the {@link Failure}; a {@link ValidationException} adds
 * {@code "fields": [{"field": "schedules[0].every", "message": "..."}]} to the error object.
 * Unexpected errors are logged with their stack trace and answered with a generic message (no
 * internals leak to clients).
 */
final class ApiErrors {
  private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

  private ApiErrors() {
  }

  static JsonObject body(Failure f, String message) {
    return new JsonObject().put("error", new JsonObject().put("code", f.code()).put("message", message));
  }

  static void send(HttpServerResponse resp, Failure f, String message) {
    send(resp, f, body(f, message));
  }

  private static void send(HttpServerResponse resp, Failure f, JsonObject body) {
    if (resp.ended() || resp.closed()) {
      return;
    }
    if (resp.headWritten()) {
      resp.reset();
      return;
    }
    resp.setStatusCode(f.httpStatus()).putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store").end(body.encode());
  }

  static void send(RoutingContext ctx, Throwable err) {
    AgentException a = AgentException.from(err);
    if (a instanceof ValidationException v) {
      JsonObject body = body(v.failure(), v.getMessage());
      body.getJsonObject("error").put("fields", v.fields());
      send(ctx.response(), v.failure(), body);
      return;
    }
    if (a.failure() == Failure.INTERNAL) {
      LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), err);
      send(ctx.response(), Failure.INTERNAL, Messages.get(ApiVerticle.language(ctx), "http.internal"));
      return;
    }
    send(ctx.response(), a.failure(), a.getMessage());
  }

  /** Router error handler for a status without an exception (404, 405, 413, ...). */
  static void byStatus(RoutingContext ctx) {
    if (ctx.failure() != null && !(ctx.failure() instanceof io.vertx.ext.web.handler.HttpException)) {
      send(ctx, ctx.failure());
      return;
    }
    int status = ctx.statusCode();
    Failure f = Failure.ofHttpStatus(status).orElse(Failure.INTERNAL);
    String lang = ApiVerticle.language(ctx);
    String message = switch (f) {
      case NOT_FOUND -> Messages.get(lang, "http.notFound", ctx.request().path());
      case METHOD_NOT_ALLOWED -> Messages.get(lang, "http.method", ctx.request().method(), ctx.request().path());
      case PAYLOAD_TOO_LARGE -> Messages.get(lang, "http.tooLarge");
      case UNSUPPORTED_MEDIA_TYPE -> Messages.get(lang, "http.mediaType");
      case BAD_REQUEST -> Messages.get(lang, "http.bad");
      default -> Messages.get(lang, "http.internal");
    };
    if (f == Failure.INTERNAL && ctx.failure() != null) {
      LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
    }
    send(ctx.response(), f, message);
  }
}
