package au.com.backup247.agent.pipeline;

import au.com.backup247.agent.backup.BackupJob;
import au.com.backup247.agent.backup.BackupResult;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.List;
import java.util.UUID;

/**
 * The node's registry of backup runs in progress, by run id. A stage verticle is deployed by class
 * name with only the run id in its config, and stage messages carry the id: each stage finds the
 * job's shared state (its {@link BackupJob}) here, so what crosses the bus is plain data.
 */
final class Runs {
  private static final String MAP = "b247.pipeline.runs";

  private Runs() {
  }

  /**
   * One job's run: its id, the job, the bytes its stages hold between them and the result the scan
   * stage completes once it committed.
   */
  record Run(String id, BackupJob job, HeldBytes held, Promise<List<BackupResult>> result) implements Shareable {
    /** The prefix of the run's event-bus addresses. */
    String base() {
      return "b247.backup." + id;
    }

    /** The event-bus address of {@code what} ({@code chunk.0}, {@code seal.1}, {@code done}, ...) in this run. */
    String address(String what) {
      return base() + "." + what;
    }
  }

  /** Registers a new run of {@code job} under a fresh id. */
  static Run open(Vertx vertx, BackupJob job, HeldBytes held) {
    Run run = new Run(UUID.randomUUID().toString(), job, held, Promise.promise());
    map(vertx).put(run.id(), run);
    return run;
  }

  /** The run {@code id} on this node; fails when there is none (its stages outlived it, or another node's id). */
  static Run of(Vertx vertx, String id) {
    Run run = map(vertx).get(id);
    if (run == null) {
      throw new IllegalStateException("no backup run " + id + " on this node");
    }
    return run;
  }

  static void close(Vertx vertx, Run run) {
    map(vertx).remove(run.id());
  }

  private static LocalMap<String, Run> map(Vertx vertx) {
    return vertx.sharedData().getLocalMap(MAP);
  }
}
