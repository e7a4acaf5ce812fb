package au.com.backup247.agent.cli;

import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code b247 jobs [--set ID] [--status S] [--limit N] [--json]}: the running agent's backup reports, newest first. */
@Command(name = "jobs", mixinStandardHelpOptions = true, description = "List backup reports (newest first).")
final class JobsCommand implements Callable<Integer> {
  @Mixin
  HomeOption home;

  @Option(names = "--set", paramLabel = "ID", description = "Only this backup set.")
  Long setId;

  @Option(names = "--status", paramLabel = "STATUS", description = "Only this status, e.g. \"Missed\".")
  String status;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most N reports (1..1000).")
  int limit;

  @Option(names = "--json", description = "Print the raw JSON page.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    StringBuilder q = new StringBuilder("jobs?limit=" + limit);
    if (setId != null) {
      q.append("&setId=").append(setId);
    }
    if (status != null) {
      q.append("&status=").append(URLEncoder.encode(status, StandardCharsets.UTF_8));
    }
    JsonObject page = AgentApi.of(home.resolve()).get(q.toString());
    if (json) {
      System.out.println(page.encodePrettily());
      return 0;
    }
    for (Object o : page.getJsonArray("items")) {
      JsonObject r = (JsonObject) o;
      System.out.printf("%6d  %-15d  %-12s  %-26s  %-8s  %s%n", r.getLong("id"), r.getLong("setId"),
          r.getString("destination"), r.getString("status"), r.getString("trigger"),
          Instant.ofEpochMilli(r.getLong("startedAt")));
    }
    return 0;
  }
}
