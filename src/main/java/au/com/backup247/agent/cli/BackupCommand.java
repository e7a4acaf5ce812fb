package au.com.backup247.agent.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code b247 backup SET [--destination NAME]... [--run-retention] [--wait]}: starts a backup of a
 * set in the running agent (with {@code --run-retention}, the set's retention policy is applied
 * afterwards); with {@code --wait}, shows its progress ({@link JobWatch}), then each destination's
 * summary (files new/changed/unchanged, data read/added/stored, duration; the reason when it did not
 * complete) and exits as {@link JobOutcome} says (0 only when every destination's status is
 * "Completed"). {@code b247 backup --cancel SET} cancels the set's running backup and waits for it to stop.
 */
@Command(name = "backup", mixinStandardHelpOptions = true, description = "Back up a set now (in the running agent).")
final class BackupCommand implements Callable<Integer> {
  @Mixin
  SetArg set;

  @Option(names = "--destination", paramLabel = "NAME", description = "Only this destination (repeatable).")
  List<String> destinations = new ArrayList<>();

  @Option(names = "--wait", description = {"Wait until the backup ends, showing its progress, then print each",
      "destination's summary. Ctrl-C asks whether to cancel the backup or leave it running (not on a terminal:",
      "it is left running, exit status 130)."})
  boolean waitForEnd;

  @Option(names = "--cancel", description = "Cancel the set's running backup (and wait until it stopped).")
  boolean cancel;

  @Option(names = "--progress-every", paramLabel = "SECONDS", defaultValue = "5",
      description = "With --wait not on a terminal: a progress line at most every SECONDS (default ${DEFAULT-VALUE}).")
  int progressEvery;

  @Option(names = "--run-retention",
      description = "Then apply the set's retention policy to each destination that completed (space freeing).")
  boolean runRetention;

  @Override
  public Integer call() throws Exception {
    AgentApi api = set.api();
    SetRef ref = set.resolve(api);
    if (cancel) {
      return cancel(api, ref);
    }
    JsonObject body = new JsonObject();
    if (!destinations.isEmpty()) {
      body.put("destinations", new JsonArray(new ArrayList<Object>(destinations)));
    }
    if (runRetention) {
      body.put("runRetention", true);
    }
    JsonObject started = api.post(ref.path() + "/backup", body);
    JsonArray jobs = started.getJsonArray("jobs");
    System.out.println("backup of " + ref.label() + " started (run " + started.getString("runId") + ")");
    if (!waitForEnd) {
      jobs.forEach(o -> System.out.println("  report " + ((JsonObject) o).getLong("id") + ": "
          + ((JsonObject) o).getString("destination")));
      return 0;
    }
    return waitAndSummarize(api, ids(jobs), new JobWatch(api, "the backup of " + ref.label(),
        () -> api.post(ref.path() + "/backup/cancel", new JsonObject()), progressEvery));
  }

  private static List<Long> ids(JsonArray jobs) {
    List<Long> ids = new ArrayList<>();
    jobs.forEach(o -> ids.add(((JsonObject) o).getLong("id")));
    return ids;
  }

  /** Cancels the running backup, then waits for its reports and prints how each ended. */
  private int cancel(AgentApi api, SetRef ref) throws InterruptedException {
    JsonObject r = api.post(ref.path() + "/backup/cancel", new JsonObject());
    System.out.println("cancelling the backup of " + ref.label() + " (run " + r.getString("runId") + ")");
    JsonArray jobs = r.getJsonArray("jobs", new JsonArray());
    List<JsonObject> reports = new JobWatch(api, "the backup of " + ref.label(), null, progressEvery)
        .await(ids(jobs));
    if (reports == null) {
      return JobWatch.LEFT_RUNNING;
    }
    for (JsonObject rep : reports) {
      System.out.println("  " + rep.getString("destination") + ": " + rep.getString("status") + " (report "
          + rep.getLong("id") + ")");
    }
    return 0;
  }

  /** Waits for the reports, prints each one's summary; exits as {@link JobOutcome} says, 130 when left running. */
  static int waitAndSummarize(AgentApi api, List<Long> ids, JobWatch watch) throws InterruptedException {
    List<JsonObject> reports = watch.await(ids);
    if (reports == null) {
      return JobWatch.LEFT_RUNNING;
    }
    List<String> statuses = new ArrayList<>();
    for (JsonObject r : reports) {
      String status = r.getString("status");
      statuses.add(status);
      System.out.println("  " + r.getString("destination") + ": " + status + " (report " + r.getLong("id") + ")");
      for (String line : summary(r)) {
        System.out.println("    " + line);
      }
      if (!status.startsWith("Completed") || status.contains("warning")) {
        for (String reason : JobWatch.reasons(api, r.getLong("id"), 3)) {
          System.out.println("    " + (status.startsWith("Completed") ? "warning: " : "reason: ") + reason);
        }
      }
    }
    return JobOutcome.exitCode(statuses);
  }

  /** The restic-like summary of a backup report: files, data and duration. */
  static List<String> summary(JsonObject report) {
    JsonObject s = report.getJsonObject("stats", new JsonObject());
    List<String> lines = new ArrayList<>();
    if (s.containsKey("filesNew")) {
      lines.add("Files: " + s.getLong("filesNew", 0L) + " new, " + s.getLong("filesChanged", 0L) + " changed, "
          + s.getLong("filesUnchanged", 0L) + " unchanged" + (s.getLong("filesDeleted", 0L) > 0
              ? ", " + s.getLong("filesDeleted") + " deleted" : ""));
      lines.add("Data: " + JobWatch.bytes(s.getLong("bytesRead", 0L)) + " read, "
          + JobWatch.bytes(s.getLong("bytesNew", 0L)) + " added, " + JobWatch.bytes(s.getLong("bytesStored", 0L))
          + " stored");
    }
    Long started = report.getLong("startedAt");
    Long ended = report.getLong("endedAt");
    if (started != null && ended != null) {
      lines.add("Took: " + JobWatch.duration((ended - started + 500) / 1000));
    }
    return lines;
  }
}
