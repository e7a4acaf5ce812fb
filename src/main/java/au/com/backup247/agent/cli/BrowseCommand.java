package au.com.backup247.agent.cli;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code b247 browse SET [--destination NAME] [--job ID] [--path P] [--all-versions] [--json]}: the
 * restore points of a set at a destination, and the children of a folder as of a job (through the
 * running agent).
 */
@Command(name = "browse", mixinStandardHelpOptions = true,
    description = "List a set's restore points and the contents of a backed-up folder (in the running agent).")
final class BrowseCommand implements Callable<Integer> {
  @Mixin
  SetArg set;

  @Option(names = "--destination", paramLabel = "NAME",
      description = "The destination to browse (may be left out when the set has only one).")
  String destination;

  @Option(names = "--job", paramLabel = "ID", defaultValue = "latest", description = "As of this job; default: latest.")
  String job;

  @Option(names = "--path", paramLabel = "P", defaultValue = "/", description = "The absolute folder; default: /.")
  String path;

  @Option(names = "--all-versions", description = "Show every version of each entry.")
  boolean allVersions;

  @Option(names = "--json", description = "Print the raw JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    AgentApi api = set.api();
    SetRef ref = set.resolve(api);
    String dest = AgentApi.query(ref.destination(destination));
    JsonObject points = api.get(ref.path() + "/restore-points?destination=" + dest);
    if (points.getJsonArray("items").isEmpty() && !json) {
      System.out.println("no restore points yet at destination \"" + points.getString("destination") + "\"");
      return 0;
    }
    JsonObject tree = api.get(ref.path() + "/tree?destination=" + dest + "&job=" + AgentApi.query(job) + "&path="
        + AgentApi.query(path) + "&allVersions=" + allVersions);
    if (json) {
      System.out.println(new JsonObject().put("restorePoints", points).put("tree", tree).encodePrettily());
      return 0;
    }
    System.out.println("restore points (newest first): " + points.getJsonArray("items").stream()
        .map(o -> ((JsonObject) o).getString("job")).toList());
    System.out.println(tree.getString("path") + " as of job " + tree.getString("job") + ":");
    for (Object o : tree.getJsonArray("items")) {
      JsonObject e = (JsonObject) o;
      System.out.printf("  %-7s %14d  %s  %s%s%n", e.getString("kind"), e.getLong("size"),
          Times.show(e.getLong("mtime")), e.getString("name"),
          e.containsKey("target") ? " -> " + e.getString("target") : "");
      if (e.containsKey("versions")) {
        for (Object v : e.getJsonArray("versions")) {
          JsonObject x = (JsonObject) v;
          System.out.printf("      %-9s %14d  %s  jobs %s .. %s%n", x.getString("area"), x.getLong("size"),
              Times.show(x.getLong("mtime")), x.getString("firstJob"),
              x.getString("endJob") == null ? "now" : x.getString("endJob"));
        }
      }
    }
    return 0;
  }
}
