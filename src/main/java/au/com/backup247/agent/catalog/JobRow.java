package au.com.backup247.agent.catalog;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * One backup report row (migration V003): a backup of one set to one destination. The catalog
 * stores the status and statistics as given; the jobs service owns their vocabulary.
 *
 * @param id the report's number (null before it is stored)
 * @param runId shared by the rows of one backup request (its destinations)
 * @param jobId the repository's job id, or null when none was written
 * @param setId the backup set
 * @param destination the destination's name in the set
 * @param status one of the guide's report statuses ("Completed", "Missed", ...)
 * @param trigger "manual" or "schedule"
 * @param scheduleName the schedule that fired, or null
 * @param startedAt epoch milliseconds
 * @param endedAt epoch milliseconds, or null while running
 * @param stats statistics as a JSON object text
 */
public record JobRow(Long id, String runId, String jobId, long setId, String destination, String status,
    String trigger, String scheduleName, long startedAt, Long endedAt, String stats) {

  public JobRow {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(trigger, "trigger");
    stats = stats == null ? "{}" : stats;
  }

  /** One log line of a report; {@code level} is info, warning or error. */
  public record Line(long seq, long time, String level, String message) {
    public JsonObject toJson() {
      return new JsonObject().put("seq", seq).put("time", time).put("level", level).put("message", message);
    }

    public static Line fromJson(JsonObject o) {
      return new Line(o.getLong("seq", 0L), o.getLong("time"), o.getString("level"), o.getString("message"));
    }

    /** Reads a JSON array of lines (null: none). */
    public static List<Line> listFrom(JsonArray a) {
      return a == null ? List.of() : a.stream().map(o -> fromJson((JsonObject) o)).toList();
    }

    /** Writes lines as a JSON array. */
    public static JsonArray toArray(List<Line> lines) {
      return new JsonArray(lines.stream().map(Line::toJson).toList());
    }
  }

  /**
   * The bus and API form: {@code {"id", "runId", "jobId", "setId", "destination", "status",
   * "trigger", "scheduleName", "startedAt", "endedAt", "stats": {...}}}.
   */
  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("runId", runId).put("jobId", jobId).put("setId", setId)
        .put("destination", destination).put("status", status).put("trigger", trigger)
        .put("scheduleName", scheduleName).put("startedAt", startedAt).put("endedAt", endedAt)
        .put("stats", new JsonObject(stats));
  }

  /** Reads the form written by {@link #toJson()}. */
  public static JobRow fromJson(JsonObject o) {
    JsonObject stats = o.getJsonObject("stats");
    return new JobRow(o.getLong("id"), o.getString("runId"), o.getString("jobId"), o.getLong("setId"),
        o.getString("destination"), o.getString("status"), o.getString("trigger"), o.getString("scheduleName"),
        o.getLong("startedAt"), o.getLong("endedAt"), stats == null ? "{}" : stats.encode());
  }
}
