package au.com.backup247.agent.cli;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code b247 free-space [SET] [--destination NAME]... [--wait]}: Space Freeing Up (guide ch.
 * 9.9.2) in the running agent — the set's retention policy applied now, for one set or, without
 * SET, for every set; with {@code --wait}, waits for the reports, prints what each freed and exits
 * 1 unless every destination completed.
 */
@Command(name = "free-space", mixinStandardHelpOptions = true,
    description = "Apply the retention policy now and free space (one set, or every set) in the running agent.")
final class FreeSpaceCommand implements Callable<Integer> {
  @Mixin
  HomeOption home;

  @Parameters(index = "0", arity = "0..1", paramLabel = SetRef.LABEL,
      description = "The backup set: its name (ignoring case) or its id (default: every set).")
  String set;

  @Option(names = "--destination", paramLabel = "NAME",
      description = "Only this destination (repeatable; needs SET).")
  List<String> destinations = new ArrayList<>();

  @Option(names = "--confirm-state", description = {"First confirm the destinations as they are now: retention blocked",
      "because one looked rolled back, tampered with or was written with a wrong clock runs again (needs SET)."})
  boolean confirmState;

  @Option(names = "--wait", description = {"Wait until it ends, showing what it is doing, and print each destination's",
      "status and space freed (Ctrl-C stops waiting; the space freeing goes on in the agent)."})
  boolean waitForEnd;

  @Option(names = "--progress-every", paramLabel = "SECONDS", defaultValue = "5",
      description = "With --wait not on a terminal: a progress line at most every SECONDS (default ${DEFAULT-VALUE}).")
  int progressEvery;

  @Override
  public Integer call() throws Exception {
    if (set == null && !destinations.isEmpty()) {
      throw new AgentException(Failure.BAD_REQUEST,
          "--destination needs a SET");
    }
    if (set == null && confirmState) {
      throw new AgentException(Failure.BAD_REQUEST,
          "--confirm-state needs a SET");
    }
    AgentApi api = AgentApi.of(home.resolve());
    SetRef ref = set == null ? null : SetRef.resolve(api, set);
    JsonObject body = new JsonObject();
    if (!destinations.isEmpty()) {
      body.put("destinations", new JsonArray(new ArrayList<Object>(destinations)));
    }
    if (confirmState) {
      JsonObject confirmed = api.post(ref.path() + "/confirm-state", body);
      for (Object o : confirmed.getJsonArray("destinations")) {
        JsonObject d = (JsonObject) o;
        System.out.println("destination " + d.getString("name") + " confirmed as it is now (newest job "
            + d.getString("newestJob") + ")" + (d.getString("cleared") == null ? ""
                : "; retention no longer blocked: " + d.getString("cleared")));
      }
    }
    JsonObject started = api.post(ref == null ? "space-freeing" : ref.path() + "/space-freeing", body);
    for (Object o : started.getJsonArray("skipped")) {
      JsonObject s = (JsonObject) o;
      System.out.println("set " + s.getLong("setId") + " skipped: " + s.getString("reason"));
    }
    boolean ok = true;
    for (Object o : started.getJsonArray("runs")) {
      JsonObject run = (JsonObject) o;
      System.out.println("space freeing of set " + run.getLong("setId") + " started (run " + run.getString("runId")
          + ")");
      for (Object j : run.getJsonArray("jobs")) {
        long id = ((JsonObject) j).getLong("id");
        if (!waitForEnd) {
          System.out.println("  report " + id + ": " + ((JsonObject) j).getString("destination"));
          continue;
        }
        List<JsonObject> ended = new JobWatch(api, "the space freeing of set " + run.getLong("setId"),
            null, progressEvery).await(List.of(id));
        if (ended == null) {
          return JobWatch.LEFT_RUNNING;
        }
        JsonObject r = ended.get(0);
        String status = r.getString("status");
        ok &= status.startsWith("Completed");
        JsonObject st = r.getJsonObject("stats", new JsonObject());
        System.out.println("  " + r.getString("destination") + ": " + status + " (report " + id + ")"
            + (st.containsKey("versionsRemoved") ? ": " + st.getLong("versionsRemoved") + " version(s) removed, "
                + st.getLong("blocksDeleted") + " block(s) deleted, " + st.getLong("blocksRepacked")
                + " repacked, " + st.getLong("bytesFreed") + " bytes freed" : ""));
      }
    }
    return ok ? 0 : 1;
  }
}
