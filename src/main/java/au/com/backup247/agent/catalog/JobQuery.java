package au.com.backup247.agent.catalog;

import io.vertx.core.json.JsonObject;

/**
 * Filters and page of the report list: every filter is optional (null); {@code from}/{@code to}
 * bound the start time (epoch milliseconds, inclusive); reports come newest first and {@code after}
 * is the {@code next} of the previous page (reports with a smaller id). {@code kind}: "backup"
 * (every trigger but "restore", "space-freeing" and "retention"), "restore", "space-freeing" (triggers
 * "space-freeing" and "retention"), or null for all. {@code ownerId}: only reports of the sets of that
 * account (a user sees only their own).
 */
public record JobQuery(Long setId, String status, String destination, Long from, Long to, Long after, int limit,
    String kind, Long ownerId) {

  /** Every kind of report. */
  public JobQuery(Long setId, String status, String destination, Long from, Long to, Long after, int limit) {
    this(setId, status, destination, from, to, after, limit, null, null);
  }

  /** Reports of every owner. */
  public JobQuery(Long setId, String status, String destination, Long from, Long to, Long after, int limit,
      String kind) {
    this(setId, status, destination, from, to, after, limit, kind, null);
  }

  public JsonObject toJson() {
    return new JsonObject().put("setId", setId).put("status", status).put("destination", destination)
        .put("from", from).put("to", to).put("after", after).put("limit", limit).put("kind", kind)
        .put("ownerId", ownerId);
  }

  public static JobQuery fromJson(JsonObject o) {
    return new JobQuery(o.getLong("setId"), o.getString("status"), o.getString("destination"), o.getLong("from"),
        o.getLong("to"), o.getLong("after"), o.getInteger("limit", 100), o.getString("kind"), o.getLong("ownerId"));
  }
}
