package au.com.backup247.agent.api;

import au.com.backup247.agent.bus.Caller;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * {@code GET /events}: the live state of every job the caller may see, as server-sent events
 * ({@link ServerSentEvents}), so a page shows jobs started anywhere (the CLI, a schedule, another
 * browser) without asking again and again:
 *
 * <pre>
 * event: started    the first event of a run, and at once for each run going when the stream begins
 * event: progress   each later progress event of a run (at most about two a second)
 * event: ended      its last event ("done": true, the run's final status)
 * data: a progress event of the jobs service (jobs.Progress: "kind", "setId", "setName", "runId",
 *       "status", "percent", ..., "destinations": [{"id": report id, "name", "status"}])
 * </pre>
 *
 * A user gets only the events of their own sets (the event's {@code ownerId}); an admin all of them.
 * The stream never ends by itself; a client that reconnects gets the runs going as {@code started}.
 */
final class EventRoutes {
  private EventRoutes() {
  }

  static void mount(Router router, String prefix, JobProgress live, long keepAliveMs) {
    router.get(prefix + "/events").handler(ctx -> stream(ctx, live, keepAliveMs));
  }

  private static void stream(RoutingContext ctx, JobProgress live, long keepAliveMs) {
    Caller caller = AuthRoutes.caller(ctx);
    ServerSentEvents stream = ServerSentEvents.start(ctx, keepAliveMs).opened();
    Set<String> seen = new HashSet<>(); // runs this stream has announced (the event loop's only)
    for (JsonObject e : live.running()) {
      deliver(stream, caller, seen, e);
    }
    Runnable stop = live.listenAll(e -> ctx.vertx().runOnContext(v -> deliver(stream, caller, seen, e)));
    stream.onClose(stop);
  }

  private static void deliver(ServerSentEvents stream, Caller caller, Set<String> seen, JsonObject e) {
    if (!visible(caller, e)) {
      return;
    }
    String run = e.getString("runId");
    if (e.getBoolean("done", false)) {
      seen.remove(run);
      stream.sendAlways("ended", e);
    } else if (seen.add(run)) {
      stream.send("started", e);
    } else {
      stream.send("progress", e);
    }
  }

  /** Admins see every job; a user the jobs of sets they own (a set with no owner is the admins'). */
  static boolean visible(Caller caller, JsonObject event) {
    if (caller.isAdmin()) {
      return true;
    }
    Long owner = event.getLong("ownerId");
    return owner != null && caller.userId() != null && Objects.equals(owner, caller.userId());
  }
}
