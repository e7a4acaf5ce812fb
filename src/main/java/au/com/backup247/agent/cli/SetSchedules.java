package au.com.backup247.agent.cli;

import au.com.backup247.agent.schedule.Decoded;
import au.com.backup247.agent.schedule.Schedule;
import au.com.backup247.agent.schedule.ScheduleEvaluator;
import au.com.backup247.agent.schedule.ScheduleJson;
import au.com.backup247.agent.config.AgentConfig;
import au.com.backup247.agent.home.AgentHome;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A set's schedules and reports in the words of {@code set create}, {@code set list} and
 * {@code status}: "daily at 21:00", "next run today 21:00", "last successful backup 3 h ago".
 * The next run is computed as the agent's scheduler does ({@link ScheduleEvaluator}) in the
 * agent's schedule time zone (agent.json); a set whose owner's profile names another zone is
 * scheduled by the agent in that zone, which this does not read.
 */
final class SetSchedules {
  private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE d MMM", Locale.ENGLISH);

  private SetSchedules() {
  }

  /** {@code "daily at 21:00"}, {@code "weekly (mon, fri) every 30m"}, {@code "monthly (day last) at 23:00"}. */
  static String describe(JsonObject s) {
    StringBuilder b = new StringBuilder(s.getString("type", "?"));
    JsonArray days = s.getJsonArray("weekdays");
    if (days != null && !days.isEmpty()) {
      List<String> names = new ArrayList<>();
      days.forEach(d -> names.add(d.toString().substring(0, Math.min(3, d.toString().length()))));
      b.append(" (").append(String.join(", ", names)).append(")");
    }
    JsonObject md = s.getJsonObject("monthDay");
    if (md != null) {
      b.append(md.containsKey("day") ? " (day " + md.getValue("day") + ")"
          : " (" + md.getString("ordinal") + " " + md.getString("weekday") + ")");
    }
    if (s.getString("date") != null) {
      b.append(" on ").append(s.getString("date"));
    }
    b.append(s.getString("at") != null ? " at " + s.getString("at") : " every " + s.getString("every"));
    if (!s.getBoolean("enabled", true)) {
      b.append(" (off)");
    }
    return b.toString();
  }

  /**
   * The zone the agent reads schedules in: agent.json's {@code schedule.timeZone} ("system": this
   * machine's), as the scheduler takes it; this machine's zone when the file cannot be read.
   */
  static ZoneId zone(AgentHome home) {
    try {
      Path file = home.configFile();
      if (Files.exists(file)) {
        return AgentConfig.fromJson(new JsonObject(Files.readString(file, StandardCharsets.UTF_8)), file.toString())
            .scheduleZone();
      }
    } catch (IOException | RuntimeException e) {
      // the agent reports its own configuration errors; the CLI shows times in this machine's zone
    }
    return ZoneId.systemDefault();
  }

  /** The next time one of the set's enabled schedules fires after {@code now}; empty when none will. */
  static Optional<ZonedDateTime> nextRun(JsonObject set, Instant now, ZoneId zone) {
    if (!set.getBoolean("scheduleEnabled", true)) {
      return Optional.empty();
    }
    ScheduleEvaluator evaluator = new ScheduleEvaluator();
    Optional<ZonedDateTime> next = Optional.empty();
    for (Object o : set.getJsonArray("schedules", new JsonArray())) {
      Decoded<Schedule> d = ScheduleJson.decode((JsonObject) o, "schedule");
      Optional<ZonedDateTime> fire = d.value().flatMap(s -> evaluator.nextFire(s, zone, now));
      if (fire.isPresent() && (next.isEmpty() || fire.get().isBefore(next.get()))) {
        next = fire;
      }
    }
    return next;
  }

  /** {@code "next run today 21:00"}, {@code "... tomorrow 02:00"}, {@code "... Sat 12 Dec 21:00"}, or "no schedule". */
  static String nextRunText(JsonObject set, Instant now, ZoneId zone) {
    if (set.getJsonArray("schedules", new JsonArray()).isEmpty()) {
      return "no schedule";
    }
    return nextRun(set, now, zone).map(t -> "next run " + when(t, now, zone))
        .orElse(set.getBoolean("scheduleEnabled", true) ? "no next run" : "schedules paused");
  }

  /** {@code today 21:00}, {@code tomorrow 02:00}, {@code yesterday 21:00} or {@code Sat 12 Dec 21:00}. */
  static String when(ZonedDateTime t, Instant now, ZoneId zone) {
    LocalDate today = LocalDate.ofInstant(now, zone);
    LocalDate day = t.withZoneSameInstant(zone).toLocalDate();
    String d = day.equals(today) ? "today" : day.equals(today.plusDays(1)) ? "tomorrow"
        : day.equals(today.minusDays(1)) ? "yesterday" : DAY.format(day);
    return d + " " + HOUR.format(t.withZoneSameInstant(zone));
  }

  /** {@code "just now"}, {@code "5 min ago"}, {@code "3 h ago"}, {@code "2 days ago"}. */
  static String ago(Instant then, Instant now) {
    Duration d = Duration.between(then, now);
    if (d.toMinutes() < 1) {
      return "just now";
    }
    if (d.toHours() < 1) {
      return d.toMinutes() + " min ago";
    }
    if (d.toDays() < 2) {
      return d.toHours() + " h ago";
    }
    return d.toDays() + " days ago";
  }
  /** Whether a report's status counts as a successful backup. */
  static boolean successful(String status) {
    return "Completed".equals(status) || "Completed with warning(s)".equals(status);
  }

  /**
   * The set's last backup and next run in one line: {@code last successful backup 3 h ago
   * (Completed); next run today 21:00}, {@code last backup 1 h ago: Failed (report 12); last
   * successful backup 2 days ago; no schedule}, {@code never backed up; ...}.
   */
  static String activity(AgentApi api, JsonObject set, Instant now, ZoneId zone) throws InterruptedException {
    return lastBackup(api, set.getLong("id"), now) + "; " + nextRunText(set, now, zone);
  }

  /** The part of {@link #activity} about the set's backups. */
  static String lastBackup(AgentApi api, long setId, Instant now) throws InterruptedException {
    JsonArray latest = api.get("jobs?kind=backup&limit=1&setId=" + setId).getJsonArray("items");
    if (latest.isEmpty()) {
      return "never backed up";
    }
    JsonObject last = latest.getJsonObject(0);
    String status = last.getString("status");
    if (successful(status)) {
      return "last successful backup " + ago(Instant.ofEpochMilli(last.getLong("endedAt", last.getLong("startedAt"))),
          now) + " (" + status + ")";
    }
    String lastText = "In progress".equals(status)
        ? "backup in progress, started " + ago(Instant.ofEpochMilli(last.getLong("startedAt")), now)
        : "last backup " + ago(Instant.ofEpochMilli(last.getLong("endedAt", last.getLong("startedAt"))), now) + ": "
            + status + " (report " + last.getLong("id") + ")";
    Instant best = null;
    for (String ok : List.of("Completed", "Completed with warning(s)")) {
      JsonArray found = api.get("jobs?kind=backup&limit=1&setId=" + setId + "&status="
          + AgentApi.query(ok)).getJsonArray("items");
      if (!found.isEmpty()) {
        JsonObject r = found.getJsonObject(0);
        Instant at = Instant.ofEpochMilli(r.getLong("endedAt", r.getLong("startedAt")));
        best = best == null || at.isAfter(best) ? at : best;
      }
    }
    return lastText + "; " + (best == null ? "no successful backup yet" : "last successful backup " + ago(best, now));
  }
}
