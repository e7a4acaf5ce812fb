package au.com.backup247.agent.catalog;

import io.vertx.core.json.JsonObject;

/** One start of the agent, as recorded in the catalog. {@code stoppedAt} is null while running or after a crash. */
record AgentRun(long id, long startedAt, Long stoppedAt, String version, long pid, String node) {
  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("startedAt", startedAt).put("stoppedAt", stoppedAt)
        .put("version", version).put("pid", pid).put("node", node);
  }
}
