package au.com.backup247.agent.cli;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.home.AgentHome;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code b247 status}: running or not, with pid, version, uptime and API address, then each set's
 * last backup and next run. Exit 3 when not running.
 */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Tell whether the agent is running, and each set's last backup and next run.")
final class StatusCommand implements Callable<Integer> {
  @Mixin
  HomeOption home;

  @Option(names = "--json", description = "Print the status as JSON.")
  boolean json;

  /**
   * One line per set the caller may see: its last backup and next run ({@code sets} in {@code out});
   * a line saying why when the agent does not answer.
   */
  private static String sets(AgentHome h, JsonObject out) {
    StringBuilder text = new StringBuilder();
    JsonArray sets = new JsonArray();
    try {
      AgentApi api = AgentApi.of(h);
      Instant now = Instant.now();
      ZoneId zone = SetSchedules.zone(h);
      JsonArray items = api.get("sets?limit=1000").getJsonArray("items");
      if (items.isEmpty()) {
        text.append("\nno backup sets yet: b247 set create --name NAME --source FOLDER --dest FOLDER-OR-URL");
      }
      for (Object o : items) {
        JsonObject set = (JsonObject) o;
        String last = SetSchedules.lastBackup(api, set.getLong("id"), now);
        String next = SetSchedules.nextRunText(set, now, zone);
        sets.add(new JsonObject().put("id", set.getLong("id")).put("name", set.getString("name"))
            .put("lastBackup", last).put("nextRun", next));
        text.append("\n").append(SetCommand.describe(set)).append(": ").append(last).append("; ").append(next);
      }
      out.put("sets", sets);
    } catch (AgentException e) {
      text.append("\nbackup sets: not shown (").append(e.getMessage()).append(")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return text.toString();
  }

  @Override
  public Integer call() {
    AgentHome h = home.resolve();
    AgentState s = AgentState.read(h);
    JsonObject out = new JsonObject().put("running", s.running()).put("home", h.root().toString());
    String text;
    if (!s.running()) {
      text = "not running";
    } else {
      String pid = s.pid().isPresent() ? Long.toString(s.pid().getAsLong()) : "unknown";
      out.put("pid", s.pid().isPresent() ? s.pid().getAsLong() : null);
      if (s.ready()) {
        JsonObject st = s.state().orElseThrow();
        String uptime = AgentState.uptime(st.getLong("startedAt"), System.currentTimeMillis());
        out.put("version", st.getString("version")).put("uptime", uptime).put("api", st.getString("api"))
            .put("startedAt", st.getLong("startedAt"));
        text = "running (pid " + pid + "), version " + st.getString("version") + ", uptime " + uptime + ", API "
            + st.getString("api");
      } else {
        out.put("starting", true);
        text = "starting (pid " + pid + ")";
      }
    }
    if (s.ready()) {
      text += sets(h, out);
    }
    System.out.println(json ? out.encodePrettily() : text);
    return s.running() ? 0 : Failure.NOT_RUNNING.exitCode();
  }
}
