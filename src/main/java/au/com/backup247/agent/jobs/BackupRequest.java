package au.com.backup247.agent.jobs;

import au.com.backup247.agent.bus.Addresses;
import au.com.backup247.agent.schedule.FieldError;
import au.com.backup247.agent.schedule.JsonFields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A backup's start ({@link Addresses#JOBS_BACKUP_START}), checked in one pass: every bad field is a
 * {@link FieldError} of one VALIDATION failure.
 *
 * @param trigger manual or schedule
 * @param destinations the destinations' names (null: all of the set's)
 * @param runRetention apply the retention policy after the backup
 * @param stopAt epoch ms by which a scheduled backup must stop ("stop after N hours"), or null
 * @param stopAfterHours the schedule's N, for the log, or null
 * @param scheduleName the schedule that started it, or null
 */
record BackupRequest(String trigger, JsonArray destinations, boolean runRetention, Long stopAt,
    Integer stopAfterHours, String scheduleName) {

  static BackupRequest of(JsonObject body) {
    List<FieldError> errors = new ArrayList<>();
    JsonFields f = new JsonFields(body, "", errors);
    String trigger = f.string("trigger", false);
    if (trigger == null && body.getValue("trigger") == null) {
      trigger = "manual";
    } else if (trigger != null && !trigger.equals("manual") && !trigger.equals("schedule")) {
      f.error("trigger", "v.oneOf", "manual, schedule", trigger);
    }
    JsonArray destinations = destinationNames(body, "destinations", f);
    boolean runRetention = f.bool("runRetention", false);
    Long stopAt = null;
    Object at = body.getValue("stopAt");
    if (at instanceof Number n && n.longValue() > 0) {
      stopAt = n.longValue();
    } else if (at != null) {
      f.error("stopAt", "v.stopAt", at);
    }
    Integer hours = null;
    Object h = body.getValue("stopAfterHours");
    if (h instanceof Integer i) {
      hours = i;
    } else if (h != null) {
      f.error("stopAfterHours", "v.whole", h);
    }
    String scheduleName = f.string("scheduleName", false);
    if (!errors.isEmpty()) {
      throw FieldError.invalid(errors, "the backup request");
    }
    return new BackupRequest(trigger, destinations, runRetention, stopAt, hours, scheduleName);
  }

  /** {@code name}: absent (null) or a non-empty list of destination names (strings). */
  static JsonArray destinationNames(JsonObject body, String name, JsonFields f) {
    Object v = body.getValue(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonArray a) || a.isEmpty() || a.stream().anyMatch(o -> !(o instanceof String))) {
      f.error(name, "v.destinationNames", v);
      return null;
    }
    return a;
  }
}
