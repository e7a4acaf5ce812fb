package au.com.backup247.agent.api;

import au.com.backup247.agent.bus.Addresses;
import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Caller;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.jobs.JobStatus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;

/**
 * Backup and report routes: {@code POST /sets/{id}/backup} and {@code .../backup/cancel} go to the
 * jobs service ({@code b247.jobs.*}); {@code GET /jobs} and {@code GET /jobs/{id}} read the reports
 * from the catalog, a running job's report with its live {@code "progress"} ({@link JobProgress});
 * {@code GET /jobs/{id}/events} streams that progress (server-sent events, {@link ServerSentEvents})
 * until the job ends; {@code GET /sets/{id}/stats} gives a set's charts from its reports.
 */
final class JobRoutes {
  private static final Set<String> LEVELS = Set.of("info", "warning", "error");

  private JobRoutes() {
  }

  static void mount(Router router, String prefix, JobProgress live, long keepAliveMs) {
    router.post(prefix + "/sets/:id/backup").handler(ctx -> SetRoutes.withId(ctx, id -> startBackup(ctx, id)));
    router.post(prefix + "/sets/:id/backup/cancel").handler(ctx -> SetRoutes.withId(ctx, id ->
        ApiVerticle.forward(ctx, Addresses.JOBS_BACKUP_CANCEL, id, r -> 202)));
    router.get(prefix + "/jobs").handler(JobRoutes::list);
    router.get(prefix + "/sets/:id/stats").handler(ctx -> SetRoutes.withId(ctx, id -> stats(ctx, id)));
    router.get(prefix + "/jobs/:id").handler(ctx -> get(ctx, live));
    router.get(prefix + "/jobs/:id/events").handler(ctx -> events(ctx, live, keepAliveMs));
  }

  /** Body (optional): {@code {"destinations": [names], "runRetention": bool}}. */
  private static void startBackup(RoutingContext ctx, JsonObject id) {
    SetRoutes.withOptionalBody(ctx, body -> {
      id.put("trigger", "manual").put("runRetention", body.getValue("runRetention")); // checked by the jobs service
      if (body.containsKey("destinations")) {
        id.put("destinations", body.getValue("destinations"));
      }
      ApiVerticle.forward(ctx, Addresses.JOBS_BACKUP_START, id, r -> 202);
    });
  }

  private static void list(RoutingContext ctx) {
    JsonObject q = new JsonObject();
    try {
      String setId = ctx.request().getParam("setId");
      q.put("setId", setId == null ? null : ApiVerticle.parseLong("setId", setId, 1, Long.MAX_VALUE));
      String status = ctx.request().getParam("status");
      if (status != null) {
        q.put("status", JobStatus.parse(status).orElseThrow(() -> AgentException.of(Failure.BAD_REQUEST,
            "e.query.status", JobStatus.allowed(), status)).label());
      }
      q.put("destination", ctx.request().getParam("destination"));
      String kind = ctx.request().getParam("kind");
      if (kind != null && !kind.equals("backup") && !kind.equals("restore") && !kind.equals("space-freeing")) {
        throw AgentException.of(Failure.BAD_REQUEST, "e.query.kind", kind);
      }
      q.put("kind", kind);
      q.put("from", time("from", ctx.request().getParam("from")));
      q.put("to", time("to", ctx.request().getParam("to")));
      String after = ctx.request().getParam("after");
      q.put("after", after == null ? null : ApiVerticle.parseLong("after", after, 1, Long.MAX_VALUE));
      String limit = ctx.request().getParam("limit");
      q.put("limit", limit == null ? 100 : (int) ApiVerticle.parseLong("limit", limit, 1, 1000));
    } catch (AgentException e) {
      ApiErrors.send(ctx, e);
      return;
    }
    ownOnly(ctx, q);
    ApiVerticle.forward(ctx, Addresses.CATALOG_JOBS_LIST, q, r -> 200);
  }

  /**
   * The set's charts ({@code catalog.JobSeries}); {@code limit}: points per destination (default 100).
   * Who may read the set is checked before ({@code SetRoutes.access}: another user's set is a 404).
   */
  private static void stats(RoutingContext ctx, JsonObject id) {
    String limit = ctx.request().getParam("limit");
    try {
      id.put("limit", limit == null ? 100 : (int) ApiVerticle.parseLong("limit", limit, 1, 1000));
    } catch (AgentException e) {
      ApiErrors.send(ctx, e);
      return;
    }
    ApiVerticle.forward(ctx, Addresses.CATALOG_JOBS_SERIES, id.put("setId", id.getLong("id")), r -> 200);
  }

  private static void get(RoutingContext ctx, JobProgress live) {
    JsonObject q = new JsonObject();
    try {
      q.put("id", ApiVerticle.parseLong("id", ctx.pathParam("id"), 1, Long.MAX_VALUE));
      String level = ctx.request().getParam("level");
      if (level != null) {
        String l = level.trim().toLowerCase(Locale.ROOT);
        if (!LEVELS.contains(l)) {
          throw AgentException.of(Failure.BAD_REQUEST, "e.query.level", level);
        }
        q.put("level", l);
      }
      String logAfter = ctx.request().getParam("logAfter");
      q.put("logAfter", logAfter == null ? 0L : ApiVerticle.parseLong("logAfter", logAfter, 0, Long.MAX_VALUE));
      String logLimit = ctx.request().getParam("logLimit");
      q.put("logLimit", logLimit == null ? 1000 : (int) ApiVerticle.parseLong("logLimit", logLimit, 1, 10_000));
    } catch (AgentException e) {
      ApiErrors.send(ctx, e);
      return;
    }
    ownOnly(ctx, q);
    ApiVerticle.forward(ctx, Addresses.CATALOG_JOBS_GET, q, r -> 200, r -> withProgress(r, live));
  }

  /** A running job's report with its latest progress event ({@code "progress"}; null once it ended). */
  private static JsonObject withProgress(JsonObject report, JobProgress live) {
    JsonObject p = JobStatus.IN_PROGRESS.label().equals(report.getString("status"))
        ? live.latest(report.getLong("id")) : null;
    return report.put("progress", p);
  }

  /**
   * Server-sent events of one job: {@code event: progress} with each progress event (at most about
   * two a second), then one with {@code "done": true}, and the stream ends. A job that already ended
   * gets that final event at once: its last progress event when the agent still has it, else the
   * report's status. Only the owner of the report's set (or an admin) may read it: the catalog
   * answers 404 otherwise, as for {@code GET /jobs/{id}}.
   */
  private static void events(RoutingContext ctx, JobProgress live, long keepAliveMs) {
    long id;
    try {
      id = ApiVerticle.parseLong("id", ctx.pathParam("id"), 1, Long.MAX_VALUE);
    } catch (AgentException e) {
      ApiErrors.send(ctx.response(), e.failure(), e.getMessage());
      return;
    }
    JsonObject q = new JsonObject().put("id", id).put("logLimit", 1);
    ownOnly(ctx, q);
    ApiVerticle.request(ctx, Addresses.CATALOG_JOBS_GET, q).onFailure(err -> ApiErrors.send(ctx, err))
        .onSuccess(report -> {
          ServerSentEvents stream = ServerSentEvents.start(ctx, keepAliveMs);
          boolean running = JobStatus.IN_PROGRESS.label().equals(report.getString("status"));
          JsonObject last = live.latest(id);
          if (!running || last != null && last.getBoolean("done", false)) {
            stream.end("progress", last != null && last.getBoolean("done", false) ? last : finalEvent(report));
            return;
          }
          stream.opened();
          if (last != null) {
            stream.send("progress", last);
          }
          Runnable[] stop = new Runnable[1];
          stop[0] = live.listen(id, e -> ctx.vertx().runOnContext(v -> {
            if (e.getBoolean("done", false)) {
              stop[0].run();
              stream.end("progress", e);
            } else {
              stream.send("progress", e);
            }
          }));
          stream.onClose(() -> stop[0].run());
          JsonObject now = live.latest(id); // it may have ended between the first look and listen()
          if (now != null && now.getBoolean("done", false)) {
            stop[0].run();
            stream.end("progress", now);
          }
        });
  }

  /** The final event of a job that ended before the stream began, from its report. */
  private static JsonObject finalEvent(JsonObject report) {
    return new JsonObject().put("kind", report.getString("kind")).put("reportId", report.getLong("id"))
        .put("setId", report.getLong("setId")).put("status", report.getString("status")).put("done", true)
        .put("stats", report.getJsonObject("stats"));
  }

  /** A user sees only the reports of their own sets (the catalog filters by {@code ownerId}). */
  private static void ownOnly(RoutingContext ctx, JsonObject q) {
    Caller c = AuthRoutes.caller(ctx);
    if (!c.isAdmin()) {
      q.put("ownerId", c.userId() == null ? -1L : c.userId());
    }
  }

  /** Epoch milliseconds or an ISO-8601 instant ("2025-01-31T00:00:00Z"). */
  static Long time(String name, String value) {
    if (value == null) {
      return null;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      try {
        return Instant.parse(value).toEpochMilli();
      } catch (DateTimeParseException ex) {
        throw AgentException.of(Failure.BAD_REQUEST, "e.query.instant", name, value);
      }
    }
  }
}
