package au.com.backup247.agent.pipeline;

import au.com.backup247.agent.backup.BackupJob;
import au.com.backup247.agent.backup.BackupResult;
import au.com.backup247.agent.bus.CreditFlow;
import au.com.backup247.agent.config.VerticlesSpec;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one {@link BackupJob} as verticles talking over the event bus (ARCHITECTURE section 2),
 * deployed for the job and undeployed after it, as the {@code pipeline} section of verticles.json
 * says (class, instances, threading, config of each stage; {@link VerticlesSpec#pipelineOf}):
 *
 * <pre>
 *  ScanVerticle ──FileBatch──▶ ChunkVerticle ×N ──Blobs──▶ SealVerticle ──Block──▶ UploaderVerticle ×destinations
 *      ▲                            │                          ▲                          │
 *      └─────────FilesDone──────────┘                          └──────────Written─────────┘
 * </pre>
 *
 * Every arrow that carries data is a {@link CreditFlow} with a small window (each stage's
 * {@code window}), and each stage handles one item at a time (the flow queues the rest), so memory
 * is bounded: a few batches of files queued per chunker, a few messages of blobs per chunker towards
 * the sealer (and one more waiting in the chunker for a credit), each less than the chunk stage's
 * {@code batchBytes} (at most the largest chunk) plus one blob (a full batch of FILE records travels
 * as a blob too),
 * and the sealer's block buffers: one filling plus the upload stage's {@code window} lent to the
 * destinations. The sealer packs a blob only once no block waits for an uploader's credit and a
 * buffer is free, so however many chunkers run, a slow destination holds at most that many blocks
 * (window + 1) and the chunkers wait. The bytes held between stages are counted
 * ({@link HeldBytes}; metric {@code b247_flow_held_bytes}). One sealed block stream fans out to every
 * destination at once; a slow destination holds the others back only as far as its window allows,
 * and a failed one is dropped while the others complete. The scan stage also keeps the index in
 * walk order and commits each destination at the end. The stages find the job by the run id in
 * their config ({@link Runs}).
 *
 * <p>Cancel ({@link BackupJob#cancel}) reaches every loop: the walk stops, each chunker stops at its
 * file's next chunk, and the uploaders drop queued blocks and stop a paced upload mid-block, so the
 * job ends within about a second however large the current file or block.
 */
public final class PipelineBackup {
  private PipelineBackup() {
  }

  /**
   * Runs {@code job} with {@code threads} chunk stages (or as many as verticles.json says);
   * completes with each destination's result.
   */
  public static Future<List<BackupResult>> run(Vertx vertx, BackupJob job, int threads) {
    return run(vertx, job, threads, new HeldBytes(), new HashMap<>());
  }

  /** As {@link #run(Vertx, BackupJob, int)}, counting the bytes held between stages in {@code held}. */
  static Future<List<BackupResult>> run(Vertx vertx, BackupJob job, int threads, HeldBytes held) {
    return run(vertx, job, threads, held, new HashMap<>());
  }

  /** As {@link #run(Vertx, BackupJob, int)}, counting the instances deployed of each stage in {@code deployed}. */
  static Future<List<BackupResult>> run(Vertx vertx, BackupJob job, int threads, Map<String, Integer> deployed) {
    return run(vertx, job, threads, new HeldBytes(), deployed);
  }

  private static Future<List<BackupResult>> run(Vertx vertx, BackupJob job, int threads, HeldBytes held,
      Map<String, Integer> deployed) {
    Messages.register(vertx);
    Map<String, VerticlesSpec.Entry> plan = VerticlesSpec.pipelineOf(vertx);
    int chunkers = plan.get("chunk").instances(threads);
    List<String> ids = new ArrayList<>();
    return vertx.executeBlocking(job::prepare, false).compose(ok -> {
      if (!ok) {
        return Future.succeededFuture(job.committer().release());
      }
      Runs.Run run = Runs.open(vertx, job, held);
      Future<?> chain = Future.succeededFuture();
      for (int i = 0; i < job.repositories().size(); i++) {
        if (job.destinationOk(i)) {
          JsonObject cfg = new JsonObject().put("destination", i);
          chain = chain.compose(x -> deploy(vertx, run, plan.get("upload"), job.repositories().size(), cfg, ids,
              deployed));
        }
      }
      // block buffers: one filling, and one for each block an uploader may hold (its window)
      int buffers = plan.get("upload").config().getInteger("window") + 1;
      chain = chain.compose(x -> deploy(vertx, run, plan.get("seal"), 1, new JsonObject().put("chunkers", chunkers)
          .put("buffers", buffers), ids, deployed));
      for (int k = 0; k < chunkers; k++) {
        JsonObject cfg = new JsonObject().put("index", k);
        chain = chain.compose(x -> deploy(vertx, run, plan.get("chunk"), chunkers, cfg, ids, deployed));
      }
      chain = chain.compose(x -> deploy(vertx, run, plan.get("scan"), 1, new JsonObject().put("chunkers", chunkers),
          ids, deployed));
      return chain.compose(x -> run.result().future())
          .recover(err -> vertx.executeBlocking(job.committer()::release, false)
              .compose(r -> Future.<List<BackupResult>>failedFuture(err)))
          .eventually(() -> {
            Runs.close(vertx, run);
            return Future.succeededFuture();
          });
    }).eventually(() -> {
      List<Future<Void>> undeploys = new ArrayList<>();
      for (String id : ids) {
        undeploys.add(vertx.undeploy(id));
      }
      return Future.join(undeploys);
    });
  }

  /** Deploys one instance of {@code stage} for {@code run}, on a pool of {@code poolSize} threads. */
  static Future<String> deploy(Vertx vertx, Runs.Run run, VerticlesSpec.Entry stage, int poolSize,
      JsonObject config, List<String> ids, Map<String, Integer> deployed) {
    Class<? extends io.vertx.core.Deployable> cls = VerticlesSpec.verticleClass(stage, "pipeline");
    JsonObject cfg = stage.config().copy().mergeIn(config).put("run", run.id());
    return vertx.deployVerticle(() -> VerticlesSpec.newInstance(cls), options(run.id(), stage, poolSize).setConfig(cfg))
        .onSuccess(id -> {
          ids.add(id);
          deployed.merge(stage.name(), 1, Integer::sum);
        });
  }

  /**
   * A stage's deployment: as a worker (what verticles.json says for every stage), on a pool of the
   * job's own with as many threads as the stage has instances, so a stage's per-thread state (a
   * chunker's compression contexts and scratch buffers) exists once per instance, not once per
   * thread of a shared pool, and a stage never waits for another job's. A stage stays in one handler
   * as long as its input allows (a large file, a paced upload): no blocked-thread warnings.
   */
  static DeploymentOptions options(String runId, VerticlesSpec.Entry stage, int threads) {
    DeploymentOptions o = new DeploymentOptions().setThreadingModel(stage.threading());
    if (stage.threading() != ThreadingModel.WORKER) {
      return o;
    }
    return o.setWorkerPoolName("b247-" + stage.name() + "-" + runId.substring(0, 8)).setWorkerPoolSize(threads)
        .setMaxWorkerExecuteTime(365).setMaxWorkerExecuteTimeUnit(TimeUnit.DAYS);
  }
}
