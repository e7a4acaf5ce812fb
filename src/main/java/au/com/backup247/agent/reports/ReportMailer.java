package au.com.backup247.agent.reports;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.MailMessage;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds the email of one finished backup report: subject
 * {@code [B247] Backup of <set> to <destination>: <status>}, a plain-text body (set, destination,
 * job, status, start/end, duration, file and byte statistics, warning/error counts and up to
 * {@link #MAX_PROBLEM_LINES} warning and error lines) and the same as an HTML alternative.
 *
 * <p>The report is the catalog's bus form ({@code JobRow.toJson()}); the problem lines are
 * {@code {"time", "level", "message"}} objects.
 */
final class ReportMailer {
  /** At most this many warning/error lines are quoted in one email. */
  public static final int MAX_PROBLEM_LINES = 20;
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx", Locale.ROOT);

  private final ZoneId zone;

  public ReportMailer(ZoneId zone) {
    this.zone = zone;
  }

  /** One labelled line of the body. */
  private record Field(String label, String value) {
  }

  /** {@code [B247] Backup of <set> to <destination>: <status>}. */
  public static String subject(String setName, JsonObject report) {
    return "[B247] Backup of " + oneLine(setName) + " to " + oneLine(report.getString("destination")) + ": "
        + report.getString("status");
  }

  /** The message from {@code from} to {@code to}, with a text body and an HTML alternative. */
  public MailMessage message(String from, String to, String setName, JsonObject report, List<JsonObject> problems) {
    List<Field> head = head(setName, report);
    List<Field> stats = stats(report.getJsonObject("stats", new JsonObject()));
    List<JsonObject> shown = problems.size() > MAX_PROBLEM_LINES ? problems.subList(0, MAX_PROBLEM_LINES) : problems;
    return new MailMessage().setFrom(from).setTo(to).setSubject(subject(setName, report))
        .setText(text(head, stats, shown, problems.size())).setHtml(html(setName, head, stats, shown, problems.size()));
  }

  private List<Field> head(String setName, JsonObject r) {
    List<Field> f = new ArrayList<>();
    f.add(new Field("Backup set", oneLine(setName) + " (" + r.getLong("setId") + ")"));
    f.add(new Field("Destination", oneLine(r.getString("destination"))));
    f.add(new Field("Job", r.getString("jobId") == null ? "-" : r.getString("jobId")));
    f.add(new Field("Report", String.valueOf(r.getLong("id"))));
    f.add(new Field("Status", r.getString("status")));
    String trigger = r.getString("trigger", "manual");
    f.add(new Field("Trigger", r.getString("scheduleName") == null ? trigger
        : trigger + " (" + oneLine(r.getString("scheduleName")) + ")"));
    Long start = r.getLong("startedAt");
    Long end = r.getLong("endedAt");
    f.add(new Field("Started", time(start)));
    f.add(new Field("Ended", time(end)));
    f.add(new Field("Duration", start == null || end == null ? "-" : duration(end - start)));
    return f;
  }

  private static List<Field> stats(JsonObject s) {
    List<Field> f = new ArrayList<>();
    f.add(new Field("Files new", count(s, "filesNew")));
    f.add(new Field("Files changed", count(s, "filesChanged")));
    f.add(new Field("Files unchanged", count(s, "filesUnchanged")));
    f.add(new Field("Files deleted", count(s, "filesDeleted")));
    f.add(new Field("Bytes read", bytes(s, "bytesRead")));
    f.add(new Field("Bytes new", bytes(s, "bytesNew")));
    f.add(new Field("Bytes stored", bytes(s, "bytesStored")));
    f.add(new Field("Warnings", count(s, "warnings")));
    f.add(new Field("Errors", count(s, "errors")));
    return f;
  }

  private String text(List<Field> head, List<Field> stats, List<JsonObject> shown, int total) {
    StringBuilder b = new StringBuilder("B247 backup report\n\n");
    head.forEach(f -> b.append(pad(f.label() + ":")).append(f.value()).append('\n'));
    b.append('\n');
    stats.forEach(f -> b.append(pad(f.label() + ":")).append(f.value()).append('\n'));
    if (total > 0) {
      b.append("\nWarnings and errors");
      if (total > shown.size()) {
        b.append(" (first ").append(shown.size()).append(" of ").append(total).append(')');
      }
      b.append(":\n");
      for (JsonObject l : shown) {
        b.append("  ").append(problem(l)).append('\n');
      }
    }
    b.append("\n-- \nSent by B247 Agent. The full log is in the agent's backup report.\n");
    return b.toString();
  }

  private String html(String setName, List<Field> head, List<Field> stats, List<JsonObject> shown, int total) {
    StringBuilder b = new StringBuilder("<!DOCTYPE html><html><body style=\"font-family:sans-serif\">");
    b.append("<h2>Backup of ").append(esc(oneLine(setName))).append("</h2><table>");
    for (Field f : head) {
      b.append("<tr><th align=\"left\">").append(esc(f.label())).append("</th><td>").append(esc(f.value()))
          .append("</td></tr>");
    }
    b.append("</table><h3>Statistics</h3><table>");
    for (Field f : stats) {
      b.append("<tr><th align=\"left\">").append(esc(f.label())).append("</th><td align=\"right\">")
          .append(esc(f.value())).append("</td></tr>");
    }
    b.append("</table>");
    if (total > 0) {
      b.append("<h3>Warnings and errors").append(total > shown.size() ? " (first " + shown.size() + " of " + total + ")"
          : "").append("</h3><ul>");
      shown.forEach(l -> b.append("<li>").append(esc(problem(l))).append("</li>"));
      b.append("</ul>");
    }
    return b.append("</body></html>").toString();
  }

  private String problem(JsonObject l) {
    Long t = l.getLong("time");
    return "[" + l.getString("level", "?") + "] " + (t == null ? "" : time(t) + " ") + oneLine(l.getString("message"));
  }

  private String time(Long ms) {
    return ms == null ? "-" : TIME.format(Instant.ofEpochMilli(ms).atZone(zone));
  }

  /** {@code 1 h 2 min 3 s}, or {@code 0 s}. */
  static String duration(long ms) {
    long s = Math.max(0, ms) / 1000;
    StringBuilder b = new StringBuilder();
    if (s >= 3600) {
      b.append(s / 3600).append(" h ");
    }
    if (s >= 60) {
      b.append(s / 60 % 60).append(" min ");
    }
    return b.append(s % 60).append(" s").toString();
  }

  private static String count(JsonObject s, String key) {
    Long v = s.getLong(key);
    return v == null ? "-" : String.valueOf(v);
  }

  private static String bytes(JsonObject s, String key) {
    Long v = s.getLong(key);
    return v == null ? "-" : human(v);
  }

  /** {@code 512 B}, {@code 1.5 KiB}, {@code 2.0 MiB}, ... */
  static String human(long v) {
    if (v < 1024) {
      return v + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double d = v;
    int u = -1;
    while (d >= 1024 && u < units.length - 1) {
      d /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s (%d bytes)", d, units[u], v);
  }

  private static String pad(String label) {
    return String.format(Locale.ROOT, "%-17s", label);
  }

  /** Keeps header and line values on one line (no header injection through a set name). */
  static String oneLine(String s) {
    return s == null ? "-" : s.replaceAll("[\\r\\n\\t]+", " ");
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
