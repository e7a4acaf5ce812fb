package au.com.backup247.agent.pipeline;

import au.com.backup247.agent.backup.BackupJob;
import au.com.backup247.agent.backup.BackupOptions;
import au.com.backup247.agent.backup.BackupResult;
import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.backup.SourceWalk;
import au.com.backup247.agent.repo.Repository;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * Runs backups through {@link PipelineBackup} for a caller that has no Vert.x of its own (the
 * offline CLI, tests): a small embedded Vert.x, not clustered, with one event loop, two threads in
 * its default worker pool (the stages run on pools of their own, see {@link PipelineBackup}),
 * daemon threads and no file cache. Starting it costs about a third of a second of class loading,
 * so {@link #start} does it in the background: the CLI opens the repositories (key stretching)
 * meanwhile. {@link #close} closes it.
 *
 * <p>An interrupt of the thread waiting in {@link #run} cancels the job ({@link BackupJob#cancel});
 * the call then waits for the stages to stop (about a second), releases the locks and throws
 * {@link InterruptedException}.
 */
public final class StandaloneBackup implements AutoCloseable {
  private final CompletableFuture<Vertx> vertx;

  private StandaloneBackup() {
    this.vertx = CompletableFuture.supplyAsync(() -> Vertx.vertx(options()), StandaloneBackup::daemon);
  }

  /** Starts the embedded Vert.x in the background and returns at once. */
  public static StandaloneBackup start() {
    return new StandaloneBackup();
  }

  /** One job in a Vert.x started for it and closed after: see {@link #run(BackupJob)}. */
  public static List<BackupResult> run(List<Repository> repos, BackupOptions options, JobLog log)
      throws InterruptedException {
    return run(BackupJob.create(repos, options, log));
  }

  /** One job in a Vert.x started for it and closed after: see {@link #run(BackupJob)}. */
  public static List<BackupResult> run(BackupJob job) throws InterruptedException {
    try (StandaloneBackup s = start()) {
      return s.backup(job);
    }
  }

  /** Backs up to {@code repos} with {@code options}; never throws for a destination's failure. */
  public List<BackupResult> backup(List<Repository> repos, BackupOptions options, JobLog log)
      throws InterruptedException {
    return backup(BackupJob.create(repos, options, log));
  }

  /** Backs up to {@code repos} what {@code walk} finds (see {@link BackupJob#create(List, SourceWalk)}). */
  public List<BackupResult> backup(List<Repository> repos, SourceWalk walk) throws InterruptedException {
    return backup(BackupJob.create(repos, walk));
  }

  /** Runs {@code job} with {@code options().threads()} chunk stages; see each {@link BackupResult}. */
  public List<BackupResult> backup(BackupJob job) throws InterruptedException {
    try {
      CompletableFuture<List<BackupResult>> f = PipelineBackup.run(vertx.get(), job, job.options().threads())
          .toCompletionStage().toCompletableFuture();
      try {
        return f.get();
      } catch (InterruptedException e) {
        job.cancel();
        awaitQuietly(f);
        throw e;
      }
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    }
  }

  /** Closes the embedded Vert.x (waits for it). */
  @Override
  public void close() {
    awaitQuietly(vertx.thenCompose(v -> v.close().toCompletionStage()));
  }

  static VertxOptions options() {
    return new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2).setInternalBlockingPoolSize(2)
        .setUseDaemonThread(true).setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false)
            .setClassPathResolvingEnabled(false));
  }

  private static void daemon(Runnable r) {
    Thread t = new Thread(r, "b247-vertx-start");
    t.setDaemon(true);
    t.start();
  }

  private static void awaitQuietly(CompletionStage<?> stage) {
    CompletableFuture<?> f = stage.toCompletableFuture();
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
