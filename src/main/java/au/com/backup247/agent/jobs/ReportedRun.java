package au.com.backup247.agent.jobs;

import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.sets.BackupSet;
import au.com.backup247.agent.sets.Destinations;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * A run of one set at some of its destinations with one report row per destination, in the
 * destinations' order ({@link BackupRun}, {@link SpaceFreeingRun}, and {@link RestoreRun} at one
 * destination): the set, its key, the run id, and the run's log, streamed to the report rows as it
 * grows ({@link LogStream}).
 */
abstract class ReportedRun {
  final Vertx vertx;
  final Clock clock;
  final Path home;
  final BackupSet set;
  final List<Destinations.Target> targets;
  final List<Long> rowIds;
  final String runId;
  final String secret;
  final LogStream stream;
  final JobLog log;

  ReportedRun(JobsContext ctx, BackupSet set, List<Destinations.Target> targets, List<Long> rowIds, String runId,
      String secret) {
    this.vertx = ctx.vertx();
    this.clock = ctx.clock();
    this.home = ctx.home();
    this.set = set;
    this.targets = List.copyOf(targets);
    this.rowIds = List.copyOf(rowIds);
    this.runId = runId;
    this.secret = secret;
    this.stream = new LogStream(vertx, rowIds);
    this.log = new JobLog(clock, line -> {
      logged(line);
      stream.lineAdded();
    });
  }

  /** Each line of the run's log as it is added, before it is streamed to the reports. */
  abstract void logged(JobLog.Line line);

  String runId() {
    return runId;
  }

  /** The run's reports, one per destination: {@code [{"id", "destination"}]}. */
  JsonArray reports() {
    JsonArray jobs = new JsonArray();
    for (int i = 0; i < rowIds.size(); i++) {
      jobs.add(new JsonObject().put("id", rowIds.get(i)).put("destination", targets.get(i).name()));
    }
    return jobs;
  }
}
