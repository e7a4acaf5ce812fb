package au.com.backup247.agent.cli;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code b247 search SET [--destination NAME] [--job ID] [--folder P] [--no-subfolders]
 * [--kind files|directories|both] [--mode contains|exact|starts-with|ends-with|glob] [--match-case]
 * [--page N] [--per-page N] [--json] PATTERN}: the restore filter's search (guide ch. 13.3) through
 * the running agent ({@code GET /api/v1/sets/{id}/search}); one line per match with its name,
 * folder, size and date modified.
 */
@Command(name = "search", mixinStandardHelpOptions = true,
    description = "Search a set's backup by name, as the restore filter does (in the running agent).")
final class SearchCommand implements Callable<Integer> {
  @Mixin
  SetArg set;

  @Parameters(index = "1", arity = "0..1", paramLabel = "PATTERN", defaultValue = "",
      description = "The text to look for in names; default: every name.")
  String pattern;

  @Option(names = "--destination", paramLabel = "NAME",
      description = "The destination to search (may be left out when the set has only one).")
  String destination;

  @Option(names = "--job", paramLabel = "ID", defaultValue = "latest", description = "As of this job; default: latest.")
  String job;

  @Option(names = "--folder", paramLabel = "P", defaultValue = "/",
      description = "Look in this absolute folder as backed up; default: /.")
  String folder;

  @Option(names = "--no-subfolders", description = "Only the folder's direct contents (default: subfolders too).")
  boolean noSubfolders;

  @Option(names = "--kind", paramLabel = "KIND", defaultValue = "both",
      description = "files, directories or both (default).")
  String kind;

  @Option(names = "--mode", paramLabel = "MODE", defaultValue = "contains",
      description = "contains (default), exact, starts-with, ends-with or glob (the whole name; * any characters, "
          + "? one); a pattern with * or ? is a glob.")
  String mode;

  @Option(names = "--match-case", description = "Compare case-sensitively.")
  boolean matchCase;

  @Option(names = "--page", paramLabel = "N", defaultValue = "1", description = "The page, from 1.")
  int page;

  @Option(names = "--per-page", paramLabel = "N", defaultValue = "50", description = "Items per page (1..1000).")
  int perPage;

  @Option(names = "--json", description = "Print the raw JSON page.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    AgentApi api = set.api();
    SetRef ref = set.resolve(api);
    JsonObject r = api.get(ref.path() + "/search?destination=" + AgentApi.query(ref.destination(destination))
        + "&job=" + AgentApi.query(job) + "&folder=" + AgentApi.query(folder) + "&subfolders=" + !noSubfolders
        + "&kind=" + AgentApi.query(kind) + "&mode=" + AgentApi.query(mode) + "&pattern=" + AgentApi.query(pattern)
        + "&matchCase=" + matchCase + "&page=" + page + "&perPage=" + perPage);
    if (json) {
      System.out.println(r.encodePrettily());
      return 0;
    }
    for (Object o : r.getJsonArray("items")) {
      JsonObject e = (JsonObject) o;
      System.out.printf("%-7s %14d  %s  %s  (in %s)%n", e.getString("kind"), e.getLong("size"),
          Times.show(e.getLong("mtime")), e.getString("name"), e.getString("folder"));
    }
    System.out.println(r.getLong("total") + " found in " + r.getString("folder") + " as of job " + r.getString("job")
        + "; page " + r.getInteger("page") + " of " + Math.max(1, r.getLong("pages")));
    return 0;
  }
}
