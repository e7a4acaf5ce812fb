package au.com.backup247.agent.api;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.bus.ValidationException;
import au.com.backup247.agent.i18n.Messages;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
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
      send(ctx.response(), v.failure(), validation(v.getMessage(), v.fields(), ApiVerticle.language(ctx)));
      return;
    }
    if (a.failure() == Failure.INTERNAL) {
      LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), err);
      send(ctx.response(), Failure.INTERNAL, Messages.get(ApiVerticle.language(ctx), "http.internal"));
      return;
    }
    send(ctx.response(), a.failure(), a.message(ApiVerticle.language(ctx)));
  }

  /**
   * The answer to a validation failure in {@code lang}: each field's message from the bundles when it
   * has a key (the field paths stay as they are), and, in another language than English, a summary
   * made of them in place of the English one. The keys do not go out.
   */
  static JsonObject validation(String message, JsonArray fields, String lang) {
    JsonArray said = new JsonArray();
    boolean allKeyed = !fields.isEmpty();
    for (Object o : fields) {
      JsonObject f = ((JsonObject) o).copy();
      String key = (String) f.remove("key");
      JsonArray args = (JsonArray) f.remove("args");
      if (key != null) {
        f.put("message", Messages.get(lang, key, args == null ? new Object[0] : args.getList().toArray()));
      } else {
        allKeyed = false;
      }
      said.add(f);
    }
    String summary = message;
    if (allKeyed && !"en".equals(lang)) {
      String first = said.stream().limit(3).map(o -> ((JsonObject) o).getString("field") + ": "
          + ((JsonObject) o).getString("message")).collect(java.util.stream.Collectors.joining("; "));
      summary = Messages.get(lang, said.size() > 3 ? "v.summary.more" : "v.summary", said.size(), first,
          said.size() - 3);
    }
    JsonObject body = body(Failure.VALIDATION, summary);
    body.getJsonObject("error").put("fields", said);
    return body;
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
