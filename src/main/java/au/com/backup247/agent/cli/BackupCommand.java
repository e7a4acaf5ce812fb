package au.com.backup247.agent.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code b247 backup SET [--destination NAME]... [--run-retention] [--wait]}: starts a backup of a
 * set in the running agent (with {@code --run-retention}, the set's retention policy is applied
 * afterwards); with {@code --wait}, waits for its reports and exits as {@link JobOutcome} says (0 only
 * when every destination's status is "Completed").
 */
@Command(name = "backup", mixinStandardHelpOptions = true, description = "Back up a set now (in the running agent).")
final class BackupCommand implements Callable<Integer> {
  @Mixin
  HomeOption home;

  @Parameters(index = "0", paramLabel = SetRef.LABEL, description = SetRef.HELP)
  String set;

  @Option(names = "--destination", paramLabel = "NAME", description = "Only this destination (repeatable).")
  List<String> destinations = new ArrayList<>();

  @Option(names = "--wait", description = "Wait until the backup ends and print each destination's status.")
  boolean waitForEnd;

  @Option(names = "--run-retention",
      description = "Then apply the set's retention policy to each destination that completed (space freeing).")
  boolean runRetention;

  @Override
  public Integer call() throws Exception {
    AgentApi api = AgentApi.of(home.resolve());
    JsonObject body = new JsonObject();
    if (!destinations.isEmpty()) {
      body.put("destinations", new JsonArray(new ArrayList<Object>(destinations)));
    }
    if (runRetention) {
      body.put("runRetention", true);
    }
    SetRef ref = SetRef.resolve(api, set);
    JsonObject started = api.post(ref.path() + "/backup", body);
    JsonArray jobs = started.getJsonArray("jobs");
    System.out.println("backup of " + ref.label() + " started (run " + started.getString("runId") + ")");
    if (!waitForEnd) {
      jobs.forEach(o -> System.out.println("  report " + ((JsonObject) o).getLong("id") + ": "
          + ((JsonObject) o).getString("destination")));
      return 0;
    }
    List<String> statuses = new ArrayList<>();
    for (Object o : jobs) {
      long id = ((JsonObject) o).getLong("id");
      JsonObject r = api.get("jobs/" + id + "?logLimit=1");
      while ("In progress".equals(r.getString("status"))) {
        Thread.sleep(1000);
        r = api.get("jobs/" + id + "?logLimit=1");
      }
      String status = r.getString("status");
      statuses.add(status);
      System.out.println("  " + r.getString("destination") + ": " + status + " (report " + id + ")");
    }
    return JobOutcome.exitCode(statuses);
  }
}
