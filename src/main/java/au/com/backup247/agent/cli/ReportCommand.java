package au.com.backup247.agent.cli;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code b247 report ...}: the running agent's backup and restore reports (guide ch. 9.6) through
 * {@code /api/v1/jobs}: {@code list} with the guide's filters and paging, {@code show} one report
 * with its log, optionally only the lines of one type.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Backup and restore reports of the running agent.",
    subcommands = {ReportCommand.ListReports.class, ReportCommand.Show.class, CommandLine.HelpCommand.class})
final class ReportCommand implements Runnable {

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /**
   * {@code report list [--set SET] [--status S] [--destination NAME] [--kind backup|restore|space-freeing]
   * [--from T] [--to T] [--limit N] [--after ID] [--json]}: reports, newest first, one line each.
   */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List reports, newest first.")
  static class ListReports implements Callable<Integer> {
    @Mixin
    HomeOption home;

    @Option(names = "--set", paramLabel = SetRef.LABEL, description = "Only this backup set (its name or id).")
    String set;

    @Option(names = "--status", paramLabel = "STATUS",
        description = "Only this status, e.g. \"Completed with warning(s)\" or \"Missed\".")
    String status;

    @Option(names = "--destination", paramLabel = "NAME", description = "Only this destination.")
    String destination;

    @Option(names = "--kind", paramLabel = "KIND", description = "backup, restore or space-freeing (default: all).")
    String kind;

    @Option(names = "--from", paramLabel = "T",
        description = {"Started at or after T: a date (yyyy-MM-dd), a date and time (\"yyyy-MM-dd HH:mm\"), today,",
            "yesterday, a time ago (7d, 12h, 30m), an ISO instant or epoch ms; local time."})
    String from;

    @Option(names = "--to", paramLabel = "T", description = "Started at or before T (a date: up to its end).")
    String to;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "Records per page (1..1000).")
    int limit;

    @Option(names = "--after", paramLabel = "ID", description = "The page after this report id (printed as \"more\").")
    Long after;

    @Option(names = "--json", description = "Print the raw JSON page.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      AgentApi api = AgentApi.of(home.resolve());
      StringBuilder q = new StringBuilder("jobs?limit=" + limit);
      append(q, "setId", set == null ? null : SetRef.resolve(api, set).id());
      append(q, "status", status);
      append(q, "destination", destination);
      append(q, "kind", kind);
      append(q, "from", time("--from", from, false));
      append(q, "to", time("--to", to, true));
      append(q, "after", after);
      JsonObject page = api.get(q.toString());
      if (json) {
        System.out.println(page.encodePrettily());
        return 0;
      }
      JsonArray items = page.getJsonArray("items");
      if (items.isEmpty()) {
        System.out.println("no reports");
      }
      for (Object o : items) {
        JsonObject r = (JsonObject) o;
        Long ended = r.getLong("endedAt");
        System.out.printf("%6d  %-20s  %-12s  %-26s  %-8s  %s  %s%n", r.getLong("id"), setLabel(r),
            r.getString("destination"), r.getString("status"), r.getString("trigger"),
            Times.show(r.getLong("startedAt")), Times.show(ended));
      }
      if (page.getValue("next") != null) {
        System.out.println("more: --after " + page.getValue("next"));
      }
      return 0;
    }

    /** The set's name, or {@code set ID} once the set is deleted. */
    static String setLabel(JsonObject report) {
      String name = report.getString("setName");
      return name != null ? name : "set " + report.getLong("setId");
    }

    private static void append(StringBuilder q, String name, Object value) {
      if (value != null) {
        q.append('&').append(name).append('=').append(AgentApi.query(value.toString()));
      }
    }

    /** {@code --from}/{@code --to} as epoch ms ({@link Times#parse}); a day counts whole. */
    static String time(String option, String value, boolean end) {
      return value == null ? null : Long.toString(Times.parse(option, value, end, Clock.systemDefaultZone()));
    }
  }

  /** {@code report show ID [--level info|warning|error] [--json]}: one report and its whole log. */
  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one report with its log.")
  static final class Show implements Callable<Integer> {
    private static final Map<String, String> LEVELS = Map.of("info", "INFO", "warning", "WARN", "error", "ERROR");

    @Mixin
    HomeOption home;

    @Parameters(index = "0", paramLabel = "ID", description = "The report's id (from `report list`).")
    long id;

    @Option(names = "--level", paramLabel = "TYPE", description = "Only log lines of this type: info, warning or error.")
    String level;

    @Option(names = "--json", description = "Print the raw JSON (the report and every log line).")
    boolean json;

    @Override
    public Integer call() throws Exception {
      if (level != null && !LEVELS.containsKey(level)) {
        throw new AgentException(Failure.BAD_REQUEST, "--level must be info, warning or error, got \"" + level + "\"");
      }
      AgentApi api = AgentApi.of(home.resolve());
      String base = "jobs/" + id + "?logLimit=5000" + (level == null ? "" : "&level=" + level);
      JsonObject report = api.get(base);
      JsonArray log = report.getJsonArray("log").copy();
      Object next = report.getValue("logNext");
      while (next != null) {
        JsonObject more = api.get(base + "&logAfter=" + next);
        log.addAll(more.getJsonArray("log"));
        next = more.getValue("logNext");
      }
      report.put("log", log).remove("logNext");
      if (json) {
        System.out.println(report.encodePrettily());
        return 0;
      }
      Long ended = report.getLong("endedAt");
      System.out.println("report " + report.getLong("id") + ": " + report.getString("status"));
      System.out.println("  set          " + (report.getString("setName") == null ? report.getLong("setId") + " (deleted)"
          : "\"" + report.getString("setName") + "\" (id " + report.getLong("setId") + ")"));
      System.out.println("  destination  " + report.getString("destination"));
      System.out.println("  kind         " + ("restore".equals(report.getString("trigger")) ? "restore"
          : "backup (" + report.getString("trigger") + (report.getString("scheduleName") == null ? ""
          : ", schedule \"" + report.getString("scheduleName") + "\"") + ")"));
      System.out.println("  job          " + (report.getString("jobId") == null ? "-" : report.getString("jobId")));
      System.out.println("  started      " + Times.show(report.getLong("startedAt")));
      System.out.println("  ended        " + Times.show(ended));
      JsonObject stats = report.getJsonObject("stats", new JsonObject());
      stats.fieldNames().stream().sorted().forEach(k -> System.out.println("  " + String.format("%-13s", k) + stats
          .getValue(k)));
      System.out.println("log" + (level == null ? "" : " (" + level + " lines)") + ":");
      for (Object o : log) {
        JsonObject l = (JsonObject) o;
        System.out.printf("  %s %-5s %s%n", Times.show(l.getLong("time")),
            LEVELS.getOrDefault(l.getString("level"), l.getString("level")), l.getString("message"));
      }
      return 0;
    }
  }
}
