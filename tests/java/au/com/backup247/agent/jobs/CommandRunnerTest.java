package au.com.backup247.agent.jobs;

import static org.junit.jupiter.api.Assertions.assertFalse;

import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.sets.CommandSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link CommandRunner#cancel}: a pre-backup command stops with its backup. */
class CommandRunnerTest {

  /**
   * Regression: a cancel that came while the command's process was starting was lost (the runner
   * had not yet published the process), so the cancelled backup waited for the whole command.
   */
  @Test
  void aCancelAtAnyMomentOfTheStart_stopsTheCommand(@TempDir Path dir) throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      for (int i = 0; i < 40; i++) {
        CommandRunner runner = new CommandRunner(new JobLog(Clock.systemUTC(), line -> { }), dir);
        CountDownLatch running = new CountDownLatch(1);
        Future<Boolean> run = pool.submit(() -> {
          running.countDown();
          return runner.runAll("pre-backup", List.of(new CommandSpec("Wait", dir, "sleep 60", 3600)));
        });
        running.await();
        // not a wait for anything: spreads the cancels from before the process starts to after it runs
        LockSupport.parkNanos(i * 100_000L);
        runner.cancel();
        assertFalse(run.get(20, TimeUnit.SECONDS), "a cancelled command does not succeed (cancel " + i
            + " × 0.1 ms after the start)");
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
