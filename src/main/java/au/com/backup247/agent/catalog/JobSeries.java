package au.com.backup247.agent.catalog;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The series the console's charts draw for one set, from its reports (guide ch. 9.6: "where people
 * look rather than read"): per destination, one point per ended backup or space freeing report,
 * oldest first.
 *
 * <pre>
 * {"setId": 12, "destinations": [{"name": "Local-1", "points": [
 *   {"reportId", "kind": "backup" | "space-freeing", "status", "startedAt", "endedAt", "durationMs",
 *    "filesNew", "filesChanged", "bytesNew", "bytesStored", "bytesFreed", "storedTotal"}, ...]}]}
 * </pre>
 *
 * <p>{@code storedTotal} is the data the agent's jobs have left at the destination after that report:
 * the bytes every earlier backup stored there, less the bytes space freeing removed (never below 0).
 * It counts the set's whole history, also the points left out by the limit. It leaves out what the
 * catalog does not know (a repository's index and job files, or blocks written by another agent).
 * Reports still running are left out; restores are not in the input.
 */
public final class JobSeries {
  /** Points per destination when the request says nothing. */
  public static final int DEFAULT_POINTS = 100;
  private static final String[] BACKUP_FIELDS = {"filesNew", "filesChanged", "bytesNew", "bytesStored"};

  private JobSeries() {
  }

  /** The series of {@code rows} (one set's reports, oldest first), the newest {@code limit} points per destination. */
  public static JsonObject of(long setId, List<JobRow> rows, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1: " + limit);
    }
    Map<String, Deque<JsonObject>> byDestination = new LinkedHashMap<>();
    Map<String, Long> totals = new LinkedHashMap<>();
    for (JobRow r : rows) {
      if (r.endedAt() == null) {
        continue;
      }
      JsonObject stats = new JsonObject(r.stats());
      boolean freeing = isSpaceFreeing(r.trigger());
      long total = totals.getOrDefault(r.destination(), 0L);
      total = freeing ? Math.max(0, total - stats.getLong("bytesFreed", 0L)) : total + stats.getLong("bytesStored", 0L);
      totals.put(r.destination(), total);
      JsonObject p = new JsonObject().put("reportId", r.id()).put("kind", freeing ? "space-freeing" : "backup")
          .put("status", r.status()).put("startedAt", r.startedAt()).put("endedAt", r.endedAt())
          .put("durationMs", Math.max(0, r.endedAt() - r.startedAt()));
      for (String f : BACKUP_FIELDS) {
        p.put(f, freeing ? 0L : stats.getLong(f, 0L));
      }
      p.put("bytesFreed", freeing ? stats.getLong("bytesFreed", 0L) : 0L).put("storedTotal", total);
      Deque<JsonObject> points = byDestination.computeIfAbsent(r.destination(), d -> new ArrayDeque<>());
      points.addLast(p);
      if (points.size() > limit) {
        points.removeFirst();
      }
    }
    JsonArray destinations = new JsonArray();
    byDestination.forEach((name, points) -> destinations.add(new JsonObject().put("name", name)
        .put("points", new JsonArray(List.copyOf(points)))));
    return new JsonObject().put("setId", setId).put("destinations", destinations);
  }

  /** The triggers of space freeing reports (on demand, or the retention run after a backup). */
  static boolean isSpaceFreeing(String trigger) {
    return "space-freeing".equals(trigger) || "retention".equals(trigger);
  }
}
