package au.com.backup247.agent.jobs;

import au.com.backup247.agent.backup.JobLog;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * A job log in the report's form: {@code [{"time": ms, "level": "info|warning|error", "message"}]}.
 * A very long log keeps its first and last {@value #KEEP} lines and one line saying how many were
 * left out, so a report stays a bounded size.
 */
final class ReportLines {
  static final int KEEP = 5000;

  private ReportLines() {
  }

  static JsonArray of(List<JobLog.Line> lines) {
    JsonArray out = new JsonArray();
    if (lines.size() <= 2 * KEEP) {
      lines.forEach(l -> out.add(line(l)));
      return out;
    }
    lines.subList(0, KEEP).forEach(l -> out.add(line(l)));
    JobLog.Line cut = lines.get(KEEP);
    out.add(new JsonObject().put("time", cut.time().toEpochMilli()).put("level", "info")
        .put("message", (lines.size() - 2 * KEEP) + " log lines left out"));
    lines.subList(lines.size() - KEEP, lines.size()).forEach(l -> out.add(line(l)));
    return out;
  }

  static JsonObject line(JobLog.Line l) {
    return new JsonObject().put("time", l.time().toEpochMilli()).put("level", l.level().name().toLowerCase(Locale.ROOT))
        .put("message", l.message());
  }
}
