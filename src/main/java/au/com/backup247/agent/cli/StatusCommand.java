package au.com.backup247.agent.cli;

import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.home.AgentHome;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code b247 status}: running or not, with pid, version, uptime and API address. Exit 3 when not running. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Tell whether the agent is running.")
final class StatusCommand implements Callable<Integer> {
  @Mixin
  HomeOption home;

  @Option(names = "--json", description = "Print the status as JSON.")
  boolean json;

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
    System.out.println(json ? out.encodePrettily() : text);
    return s.running() ? 0 : Failure.NOT_RUNNING.exitCode();
  }
}
