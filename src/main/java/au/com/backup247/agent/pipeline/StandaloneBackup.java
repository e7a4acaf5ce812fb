package au.com.backup247.agent.pipeline;

import au.com.backup247.agent.backup.BackupJob;
import au.com.backup247.agent.backup.BackupOptions;
import au.com.backup247.agent.backup.BackupResult;
import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.repo.Repository;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs a backup through {@link PipelineBackup} for a caller that has no Vert.x of its own (the
 * offline CLI, tests): a small embedded Vert.x is started for the job and closed after it. It is
 * not clustered, has one event loop, one worker thread per stage that can run at once (scan, the
 * chunkers, seal, one uploader per destination), daemon threads, and no file cache.
 *
 * <p>An interrupt of the waiting thread cancels the job ({@link BackupJob#cancel}); the call then
 * waits for the stages to stop (about a second), releases the locks and throws
 * {@link InterruptedException}.
 */
public final class StandaloneBackup {
  private StandaloneBackup() {
  }

  /** Backs up to {@code repos} with {@code options}; never throws for a destination's failure. */
  public static List<BackupResult> run(List<Repository> repos, BackupOptions options, JobLog log)
      throws InterruptedException {
    return run(BackupJob.create(repos, options, log));
  }

  /** Runs {@code job} with {@code options().threads()} chunk stages; see each {@link BackupResult}. */
  public static List<BackupResult> run(BackupJob job) throws InterruptedException {
    int chunkers = job.options().threads();
    Vertx vertx = Vertx.vertx(options(chunkers + job.repositories().size() + 2));
    try {
      CompletableFuture<List<BackupResult>> f = PipelineBackup.run(vertx, job, chunkers).toCompletionStage()
          .toCompletableFuture();
      try {
        return f.get();
      } catch (InterruptedException e) {
        job.cancel();
        awaitQuietly(f);
        throw e;
      }
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } finally {
      awaitQuietly(vertx.close().toCompletionStage().toCompletableFuture());
    }
  }

  static VertxOptions options(int workers) {
    // a stage runs in one handler for as long as its input allows (a large file, a paced upload):
    // no blocked-thread warnings for the workers
    return new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(workers).setInternalBlockingPoolSize(2)
        .setUseDaemonThread(true).setMaxWorkerExecuteTime(365).setMaxWorkerExecuteTimeUnit(TimeUnit.DAYS)
        .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false)
            .setClassPathResolvingEnabled(false));
  }

  private static void awaitQuietly(CompletableFuture<?> f) {
    boolean interrupted = false;
    while (true) {
      try {
        f.get();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      } catch (ExecutionException e) {
        break;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
