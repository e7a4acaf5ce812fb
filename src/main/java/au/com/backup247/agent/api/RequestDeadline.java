package au.com.backup247.agent.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Slow clients cannot hold connections for long (TEST-MATRIX S11, slowloris): the idle timeout only
 * fires when nothing arrives, so a client dripping one byte a second would keep a connection. Once a
 * request's headers are in, its body must have arrived within {@code limitMs}, and on a kept-alive
 * HTTP/1 connection the next request must begin within {@code limitMs} of the previous answer;
 * otherwise the connection is closed at once. The time a request's own work takes is not limited.
 *
 * <p>Not covered: a client dripping the headers of its first request. Vert.x shows a connection to
 * the application only once a request's headers are parsed, so that phase is bounded only by the
 * header size limits ({@code api.maxHeaderBytes}, the request line) and the idle timeout. A held
 * socket costs the event loop nothing while it waits, so other clients are served meanwhile.
 */
final class RequestDeadline {
  private final Vertx vertx;
  private final long limitMs;
  private final Map<HttpConnection, Long> timers = new ConcurrentHashMap<>();

  RequestDeadline(Vertx vertx, long limitMs) {
    this.vertx = vertx;
    this.limitMs = limitMs;
  }

  /** A new connection: its first request must begin in time. */
  void connected(HttpConnection c) {
    arm(c);
    c.closeHandler(v -> cancel(c));
  }

  /** A request began (its headers are in): its body must end in time; then the next one may begin. */
  void started(RoutingContext ctx) {
    if (ctx.request().version() == HttpVersion.HTTP_2) {
      ctx.next(); // streams of one connection: HTTP/2 has its own flow control
      return;
    }
    HttpConnection c = ctx.request().connection();
    cancel(c);
    timers.put(c, vertx.setTimer(limitMs, t -> {
      if (!ctx.request().isEnded()) {
        cut(c);
      }
    }));
    ctx.addEndHandler(v -> {
      cancel(c);
      arm(c);
    });
    ctx.next();
  }

  private void arm(HttpConnection c) {
    timers.put(c, vertx.setTimer(limitMs, t -> {
      timers.remove(c);
      cut(c);
    }));
  }

  /** Closes at once ({@code close()} would wait for the half-received request). */
  private static void cut(HttpConnection c) {
    c.shutdown(0, TimeUnit.MILLISECONDS);
  }

  private void cancel(HttpConnection c) {
    Long t = timers.remove(c);
    if (t != null) {
      vertx.cancelTimer(t);
    }
  }
}
