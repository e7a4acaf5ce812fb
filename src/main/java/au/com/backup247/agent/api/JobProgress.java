package au.com.backup247.agent.api;

import au.com.backup247.agent.bus.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;

/**
 * The latest progress event of every running job, by report id, for {@code GET /jobs/{id}} and the
 * job's event stream. It listens to the jobs service's progress events (backups, restores, space
 * freeing: one event names every report of its run in {@code "destinations"}), which come at most
 * every 500 ms per run, and keeps an ended job's last event {@value #KEEP_DONE_MS} ms so that a
 * client that asks just after the end still gets the final event.
 */
final class JobProgress {
  static final long KEEP_DONE_MS = 60_000;
  private static final List<String> EVENTS = List.of(Addresses.EVENT_JOB_PROGRESS,
      Addresses.EVENT_RESTORE_PROGRESS, Addresses.EVENT_SPACE_FREEING_PROGRESS);

  private final Vertx vertx;
  private final Map<Long, JsonObject> latest = new ConcurrentHashMap<>();
  private final Map<Long, Set<Consumer<JsonObject>>> listeners = new ConcurrentHashMap<>();
  /** The latest event of each running run, by {@code runId}, for streams that begin in the middle. */
  private final Map<String, JsonObject> runs = new ConcurrentHashMap<>();
  private final Set<Consumer<JsonObject>> everyRun = new CopyOnWriteArraySet<>();

  JobProgress(Vertx vertx) {
    this.vertx = vertx;
    for (String address : EVENTS) {
      MessageConsumer<JsonObject> c = vertx.eventBus().localConsumer(address, m -> received(m.body()));
      c.exceptionHandler(err -> { });
    }
  }

  /** The last event of report {@code id}, or null when its job is not running (nor just ended). */
  JsonObject latest(long id) {
    return latest.get(id);
  }

  /**
   * Calls {@code listener} with each new event of report {@code id} until it is removed with the
   * returned handle.
   */
  Runnable listen(long id, Consumer<JsonObject> listener) {
    listeners.computeIfAbsent(id, k -> new CopyOnWriteArraySet<>()).add(listener);
    return () -> listeners.computeIfPresent(id, (k, set) -> {
      set.remove(listener);
      return set.isEmpty() ? null : set;
    });
  }

  /** The latest event of every run still going (one per run, all its reports in "destinations"). */
  Collection<JsonObject> running() {
    return List.copyOf(runs.values());
  }

  /**
   * Calls {@code listener} with every event of every run (as published: one per run, not one per
   * report) until it is removed with the returned handle.
   */
  Runnable listenAll(Consumer<JsonObject> listener) {
    everyRun.add(listener);
    return () -> everyRun.remove(listener);
  }

  private void received(JsonObject event) {
    String run = event.getString("runId");
    if (run != null) {
      if (event.getBoolean("done", false)) {
        runs.remove(run);
      } else {
        runs.put(run, event);
      }
    }
    everyRun.forEach(l -> l.accept(event));
    JsonArray dests = event.getJsonArray("destinations", new JsonArray());
    boolean done = event.getBoolean("done", false);
    for (int i = 0; i < dests.size(); i++) {
      Long id = dests.getJsonObject(i).getLong("id");
      if (id == null) {
        continue;
      }
      JsonObject mine = event.copy().put("reportId", id);
      latest.put(id, mine);
      if (done) {
        vertx.setTimer(KEEP_DONE_MS, t -> latest.remove(id, mine));
      }
      Set<Consumer<JsonObject>> ls = listeners.get(id);
      if (ls != null) {
        ls.forEach(l -> l.accept(mine));
      }
    }
  }
}
