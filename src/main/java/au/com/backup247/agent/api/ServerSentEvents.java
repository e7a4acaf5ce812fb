package au.com.backup247.agent.api;

import au.com.backup247.agent.bus.Addresses;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * One server-sent event stream ({@code text/event-stream}) on a response:
 *
 * <pre>
 * : connected                  a comment at once, so the browser's EventSource opens without waiting
 * event: NAME                  for the first event
 * data: {...one JSON object on one line...}
 *                              (an empty line ends each event)
 * : keep-alive                 a comment every keep-alive interval (api.eventKeepAliveSeconds,
 *                              default {@value #KEEP_ALIVE_MS} ms) while nothing else is sent,
 * </pre>
 *
 * so that the agent's idle timeout, a proxy or the browser does not close a stream that is quiet
 * (a job waiting for its destination). The keep-alive stops when the stream ends or the client goes.
 *
 * <p>A stream opened with a login session lasts no longer than the session: at each keep-alive the
 * session is checked (without counting as a use of it), and once it was ended elsewhere, logged out or
 * expired (idle or absolute) the stream ends; the browser's reconnect then gets the 401 that sends it
 * to the login.
 */
final class ServerSentEvents {
  static final long KEEP_ALIVE_MS = 15_000;

  private final RoutingContext ctx;
  private final HttpServerResponse res;
  private final long timer;

  private ServerSentEvents(RoutingContext ctx, long keepAliveMs) {
    this.ctx = ctx;
    this.res = ctx.response().setChunked(true).setStatusCode(200)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .putHeader("X-Accel-Buffering", "no") // nginx and the like: pass each event on at once
        .putHeader("Content-Encoding", "identity"); // no compression: each event must leave at once
    this.timer = ctx.vertx().setPeriodic(keepAliveMs, t -> {
      if (open()) {
        res.write(": keep-alive\n\n");
        endUnlessSessionAlive();
      }
    });
    res.closeHandler(v -> stopKeepAlive());
    res.endHandler(v -> stopKeepAlive());
  }

  private void endUnlessSessionAlive() {
    JsonObject session = ctx.get(AuthRoutes.SESSION);
    if (session == null || !"session".equals(session.getString("kind"))) {
      return; // the local token: it lives as long as the agent
    }
    ctx.vertx().eventBus().<JsonObject>request(Addresses.AUTH_PREFIX + "session-alive",
            new JsonObject().put("tokenHash", session.getString("tokenHash")),
            new DeliveryOptions().setSendTimeout(ApiVerticle.BUS_TIMEOUT_MS))
        .onSuccess(m -> {
          if (!m.body().getBoolean("alive", false) && open()) {
            res.end();
          }
        }); // no answer (the agent stopping): the next keep-alive asks again
  }

  /** Starts the stream on {@code ctx}'s response (status 200, headers), with a keep-alive every {@code keepAliveMs}. */
  static ServerSentEvents start(RoutingContext ctx, long keepAliveMs) {
    return new ServerSentEvents(ctx, keepAliveMs);
  }

  /** Writes the opening comment, so the client sees the stream open before the first event. */
  ServerSentEvents opened() {
    res.write(": connected\n\n");
    return this;
  }

  /** Whether the client is still there and the stream has not ended. */
  boolean open() {
    return !res.ended() && !res.closed();
  }

  /** Sends one event unless the client went or cannot keep up (a slow reader skips events, never queues them). */
  void send(String name, JsonObject data) {
    if (open() && !res.writeQueueFull()) {
      res.write(text(name, data));
    }
  }

  /** Sends an event a reader must not miss (the end of a job), a slow reader's too. */
  void sendAlways(String name, JsonObject data) {
    if (open()) {
      res.write(text(name, data));
    }
  }

  /** Sends the last event (always, a slow reader too) and ends the stream. */
  void end(String name, JsonObject data) {
    if (open()) {
      res.end(text(name, data));
    }
  }

  /** Runs {@code action} when the client goes away (or the stream ends). */
  void onClose(Runnable action) {
    res.closeHandler(v -> {
      stopKeepAlive();
      action.run();
    });
  }

  private void stopKeepAlive() {
    ctx.vertx().cancelTimer(timer);
  }

  static String text(String name, JsonObject data) {
    return "event: " + name + "\ndata: " + data.encode() + "\n\n";
  }
}
