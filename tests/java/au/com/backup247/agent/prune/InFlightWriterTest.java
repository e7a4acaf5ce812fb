package au.com.backup247.agent.prune;

import static au.com.backup247.agent.testing.Eventually.assertStill;
import static au.com.backup247.agent.testing.Eventually.eventuallyGet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.backup.BackupOptions;
import au.com.backup247.agent.backup.BackupResult;
import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.backup.RepoFixture;
import au.com.backup247.agent.pipeline.StandaloneBackup;
import au.com.backup247.agent.repo.Props;
import au.com.backup247.agent.repo.RepoLock;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.error.RepoException;
import au.com.backup247.agent.repo.store.FaultyStore;
import au.com.backup247.agent.repo.store.ForwardingStore;
import au.com.backup247.agent.repo.store.Store;
import au.com.backup247.agent.repo.store.local.LocalStore;
import au.com.backup247.agent.retention.RetentionPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers that run at the same time as others (issue 11, item 3; TEST-MATRIX R15, R17, R19): a prune
 * keeps what a running job wrote for a grace period, a job confirms before its manifest that the
 * blocks it deduplicated against still exist, a job whose lock was taken commits nothing, and with
 * real processes: a stopped backup, a prune and a resumed backup; two backups at once.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class InFlightWriterTest {
  private static final Pruner.Options KEEP_ONE_JOB = new Pruner.Options(new RetentionPolicy.Simple(1,
      RetentionPolicy.Unit.JOBS), ZoneId.of("UTC"), false, 50);
  static final RepoLock.Timing FAST = new RepoLock.Timing(Duration.ofMillis(100), Duration.ofMinutes(30),
      Duration.ofMillis(400));

  /** Runs {@code hook} once, right after the first block of a job not in {@code before} is stored. */
  static final class AfterFirstNewBlock extends ForwardingStore {
    private final List<String> before;
    private final Consumer<String> hook;
    private final AtomicBoolean done = new AtomicBoolean();

    AfterFirstNewBlock(Store inner, List<String> before, Consumer<String> hook) {
      super(inner);
      this.before = before;
      this.hook = hook;
    }

    @Override
    public void put(String path, byte[] data, int length) {
      super.put(path, data, length);
      if (path.startsWith("blocks/") && !before.contains(Repository.jobOf(path)) && done.compareAndSet(false, true)) {
        hook.accept(path);
      }
    }
  }

  static JobLog log(List<JobLog.Line> lines) {
    return RepoFixture.jobLog(lines);
  }

  private static List<BackupResult> backup(Repository repo, Path src, List<JobLog.Line> lines)
      throws InterruptedException {
    return StandaloneBackup.run(List.of(repo), new BackupOptions(List.of(src), false, 1, Clock.systemUTC()),
        log(lines));
  }

  /** Job 1 stores old.bin alone; job 2 deletes it and adds a.txt: old.bin's blocks are needed by no current version. */
  private static byte[] twoJobs(Path src, Path repoDir) throws Exception {
    Files.createDirectories(src);
    byte[] old = RepoFixture.bytes(new Random(11), 3 << 20);
    Files.write(src.resolve("old.bin"), old);
    try (Repository repo = RepoFixture.init(repoDir)) {
      assertTrue(backup(repo, src, new ArrayList<>()).get(0).ok());
      Files.delete(src.resolve("old.bin"));
      Files.writeString(src.resolve("a.txt"), "a 1");
      assertTrue(backup(repo, src, new ArrayList<>()).get(0).ok());
    }
    return old;
  }

  private static void assertRestoresLatest(Repository repo, Path src, Path target) throws Exception {
    List<JobLog.Line> lines = new ArrayList<>();
    assertEquals(0, RepoFixture.restore(repo, target, null, false, lines).failed(), lines.toString());
    RepoFixture.assertSameTree(src, RepoFixture.under(target, src));
  }

  /**
   * R15/R19: a prune ran while the job ran (here it slips past the lock, as a writer that ignores
   * locks would) and deleted the block holding the chunks the job deduplicated copy.bin against.
   * The job must not commit a manifest pointing at missing data; the next backup stores it again.
   */
  @Test
  void jobWhoseDeduplicatedBlocksWereDeleted_commitsNothing_andTheNextBackupStoresTheDataAgain(@TempDir Path dir)
      throws Exception {
    Path src = dir.resolve("src");
    Path repoDir = dir.resolve("repo");
    byte[] old = twoJobs(src, repoDir);
    Files.write(src.resolve("copy.bin"), old); // deduplicated against job 1's block
    Files.writeString(src.resolve("a.txt"), "a 2");
    List<String> before = RepoFixture.open(repoDir).jobIds();
    List<Pruner.Result> pruned = new ArrayList<>();
    Store hooked = new AfterFirstNewBlock(new LocalStore(repoDir), before, block -> {
      try {
        Path lockDir = repoDir.resolve("locks");
        Path aside = dir.resolve("lock-aside");
        Files.move(lockDir, aside); // the prune does not see the job's lock
        try (Repository other = RepoFixture.open(repoDir)) {
          Pruner.Options oneDay = new Pruner.Options(new RetentionPolicy.Simple(1, RetentionPolicy.Unit.DAYS),
              ZoneId.of("UTC"), false, 50).withGrace(Duration.ofDays(5)); // two days on, old.bin's version expired
          pruned.add(new Pruner(other, oneDay, log(new ArrayList<>()), Clock.offset(Clock.systemUTC(),
              Duration.ofDays(2))).run());
        }
        Files.delete(lockDir);
        Files.move(aside, lockDir);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    List<JobLog.Line> lines = new ArrayList<>();
    try (Repository repo = Repository.open(hooked, RepoFixture.PASSWORD)) {
      BackupResult r = backup(repo, src, lines).get(0);
      assertEquals(1, pruned.size(), "the prune ran during the job");
      assertTrue(pruned.get(0).blocksDeleted() >= 1, pruned.get(0).summary());
      assertFalse(r.ok(), "committed although data it refers to is gone: " + lines);
      assertTrue(r.error().contains("no longer stored") && r.error().contains("blocks/" + before.get(0) + "/"),
          r.error());
      assertEquals(before, repo.jobIds(), "no manifest written");
      PruneFixture.assertChecksClean(repo);
    }
    try (Repository repo = RepoFixture.open(repoDir)) {
      assertTrue(backup(repo, src, new ArrayList<>()).get(0).ok());
      PruneFixture.assertChecksClean(repo);
      assertRestoresLatest(repo, src, dir.resolve("restore"));
    }
  }

  /** A job whose lock was removed (another writer judged it stale and took over) stops before committing. */
  @Test
  void jobWhoseLockWasTakenOver_commitsNothing(@TempDir Path dir) throws Exception {
    Path src = dir.resolve("src");
    Path repoDir = dir.resolve("repo");
    twoJobs(src, repoDir);
    Files.writeString(src.resolve("a.txt"), "a 2");
    List<String> before = RepoFixture.open(repoDir).jobIds();
    Store hooked = new AfterFirstNewBlock(new LocalStore(repoDir), before, block -> {
      try (var locks = Files.list(repoDir.resolve("locks"))) {
        for (Path l : locks.toList()) {
          Files.delete(l);
        }
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    });
    try (Repository repo = Repository.open(hooked, RepoFixture.PASSWORD)) {
      BackupResult r = backup(repo, src, new ArrayList<>()).get(0);
      assertFalse(r.ok());
      assertTrue(r.error().contains("was removed by another writer"), r.error());
      assertEquals(before, repo.jobIds());
    }
  }

  /** R19: blocks no committed job refers to are kept while their job may still be running. */
  @Test
  void pruneKeepsUnreferencedBlocksYoungerThanTheGracePeriod(@TempDir Path dir) throws Exception {
    Path src = dir.resolve("src");
    Path repoDir = dir.resolve("repo");
    twoJobs(src, repoDir);
    Files.write(src.resolve("new.bin"), RepoFixture.bytes(new Random(5), 2 << 20));
    FaultyStore noManifest = new FaultyStore(new LocalStore(repoDir), 1).script(FaultyStore.Op.PUT, "jobs/",
        FaultyStore.Fault.permanentError());
    String running;
    try (Repository repo = Repository.open(noManifest, RepoFixture.PASSWORD)) {
      BackupResult r = backup(repo, src, new ArrayList<>()).get(0);
      assertFalse(r.ok(), "the manifest put was refused");
      running = r.jobId();
    }
    List<String> leftovers = PruneFixture.list(repoDir, "blocks/" + running);
    assertFalse(leftovers.isEmpty());
    try (Repository repo = RepoFixture.open(repoDir)) {
      Pruner.Result r = new Pruner(repo, KEEP_ONE_JOB, log(new ArrayList<>()), Clock.systemUTC()).run();
      assertEquals(leftovers, PruneFixture.list(repoDir, "blocks/" + running), "young leftovers deleted: " + r.summary());
      Clock later = Clock.offset(Clock.systemUTC(), Pruner.GRACE.plusHours(1));
      new Pruner(repo, KEEP_ONE_JOB, log(new ArrayList<>()), later).run();
      assertEquals(List.of(), PruneFixture.list(repoDir, "blocks/" + running), "old leftovers kept");
      PruneFixture.assertChecksClean(repo);
    }
  }

  // ------------------------------------------------------------------------------- real processes

  private static Process backupProcess(Path repoDir, Path key, Path src, Path out, String bandwidth) throws Exception {
    String javaBin = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(javaBin, "-cp", PruneCrashTest.classPath(),
        "au.com.backup247.agent.cli.B247", "repo", "backup", "--repo", repoDir.toString(), "--key-file",
        key.toString()));
    if (bandwidth != null) {
      cmd.addAll(List.of("--bandwidth", bandwidth));
    }
    cmd.add(src.toString());
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
  }

  /** Waits until the running job (not in {@code before}) has stored a block; returns its id. */
  private static String awaitNewBlock(Path repoDir, List<String> before, Process p, Path out) {
    return eventuallyGet(Duration.ofSeconds(60), () -> {
      assertStill(p.isAlive(), "the backup ended early: " + Files.readString(out));
      for (String b : PruneFixture.list(repoDir, "blocks")) {
        if (b.endsWith(".bak") && !before.contains(b.split("/")[1])) {
          return b.split("/")[1];
        }
      }
      throw new AssertionError("no block written: " + Files.readString(out));
    });
  }

  /** After the STOP: the job has not committed (its lock is still there; it goes at the end of the job). */
  private static void assertStillRunning(Path repoDir, Process p, Path out) throws Exception {
    assertTrue(p.isAlive() && !PruneFixture.list(repoDir, "locks").isEmpty(),
        "the backup had ended before it was stopped: " + Files.readString(out));
  }

  private static void signal(Process p, String sig) throws Exception {
    assertEquals(0, new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).start().waitFor());
  }

  private static Path lockFile(Path repoDir) throws Exception {
    List<String> locks = PruneFixture.list(repoDir, "locks");
    assertEquals(1, locks.size(), locks.toString());
    return repoDir.resolve(locks.get(0));
  }

  /**
   * R19 (rustic-rs/docs#144): a backup in its own JVM is stopped (SIGSTOP) mid-upload; a prune
   * runs; the backup is resumed (SIGCONT). On this host the stopped process's lock is never stale:
   * the prune refuses and the backup then completes. As another host's lock, not refreshed for an
   * hour and unchanged while watched, it is taken: the prune keeps the young blocks of the stopped
   * job, and the resumed job finds its lock gone and commits nothing. Either way every committed job
   * restores, the repository checks clean, and the next backup completes.
   */
  @Test
  void stoppedBackup_pruneMeanwhile_resumedBackupCompletesOrFailsCleanly(@TempDir Path dir) throws Exception {
    Path src = dir.resolve("src");
    Path repoDir = dir.resolve("repo");
    byte[] old = twoJobs(src, repoDir);
    Path key = dir.resolve("key");
    Files.writeString(key, RepoFixture.PASSWORD);
    for (String round : List.of("same-host", "other-host")) {
      Files.write(src.resolve("copy-" + round + ".bin"), old); // deduplicated against job 1's block
      Files.write(src.resolve("new-" + round + ".bin"), RepoFixture.bytes(new Random(round.length()), 12 << 20));
      List<String> before = RepoFixture.open(repoDir).jobIds();
      Path out = dir.resolve(round + ".out");
      // three 4 MiB blocks at 2 MB/s: after the first one is seen, the others need about 4 s, so the STOP
      // below lands mid-job however fast the machine (and however slowly this test gets to send it)
      Process p = backupProcess(repoDir, key, src, out, "2MB/s");
      try {
        String running = awaitNewBlock(repoDir, before, p, out);
        signal(p, "STOP");
        assertStillRunning(repoDir, p, out);
        List<String> written = PruneFixture.list(repoDir, "blocks/" + running);
        if (round.equals("other-host")) {
          Path lock = lockFile(repoDir);
          Props theirs = Props.parse(Files.readString(lock), "lock").put("host", "other-host")
              .put("refreshed", Instant.now().minus(Duration.ofHours(1)).toString());
          Files.writeString(lock, theirs.text(), StandardCharsets.UTF_8);
        }
        try (Repository repo = RepoFixture.open(repoDir)) {
          Pruner pruner = new Pruner(repo, KEEP_ONE_JOB, log(new ArrayList<>()), Clock.systemUTC()).lockTiming(FAST);
          if (round.equals("same-host")) {
            RepoException e = org.junit.jupiter.api.Assertions.assertThrows(RepoException.class, pruner::run);
            assertTrue(e.getMessage().contains("pid " + p.pid()), e.getMessage());
          } else {
            Pruner.Result r = pruner.run();
            assertTrue(PruneFixture.list(repoDir, "blocks/" + running).containsAll(written),
                "the stopped job's blocks are young: kept (" + r.summary() + ")");
          }
        }
        signal(p, "CONT");
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the resumed backup did not end");
      } finally {
        p.destroyForcibly();
      }
      String output = Files.readString(out);
      try (Repository repo = RepoFixture.open(repoDir)) {
        if (round.equals("same-host")) {
          assertEquals(0, p.exitValue(), output);
          assertRestoresLatest(repo, src, dir.resolve("restore-" + round));
        } else {
          assertTrue(p.exitValue() != 0 && output.contains("was removed by another writer"), output);
          assertEquals(before, repo.jobIds(), "nothing committed");
        }
        PruneFixture.assertChecksClean(repo);
        for (String job : repo.jobIds()) {
          assertEquals(0, RepoFixture.restore(repo, dir.resolve("all-" + round + "-" + job), job, false,
              new ArrayList<>()).failed(), job);
        }
        assertTrue(backup(repo, src, new ArrayList<>()).get(0).ok());
        assertRestoresLatest(repo, src, dir.resolve("next-" + round));
        PruneFixture.assertChecksClean(repo);
      }
      assertEquals(List.of(), PruneFixture.list(repoDir, "locks"));
    }
  }

  /**
   * R17: two backups of one repository at once, as two processes (two agents): the second is
   * refused naming the holder's host, pid and start, and changes nothing; then a lock owner on
   * another host that is alive (refreshed) refuses the next backup the same way.
   */
  @Test
  void twoProcessesAtOnce_theSecondIsRefusedNamingTheHolder_andAnotherHostsLiveLockToo(@TempDir Path dir)
      throws Exception {
    Path src = dir.resolve("src");
    Path repoDir = dir.resolve("repo");
    twoJobs(src, repoDir);
    Path key = dir.resolve("key");
    Files.writeString(key, RepoFixture.PASSWORD);
    Files.write(src.resolve("new.bin"), RepoFixture.bytes(new Random(9), 12 << 20));
    List<String> before = RepoFixture.open(repoDir).jobIds();
    // three 4 MiB blocks at 2 MB/s: the two after the first one seen take about 4 s, time enough for the STOP
    Process first = backupProcess(repoDir, key, src, dir.resolve("first.out"), "2MB/s");
    try {
      awaitNewBlock(repoDir, before, first, dir.resolve("first.out"));
      signal(first, "STOP"); // so that it is surely still running while the second one starts
      assertStillRunning(repoDir, first, dir.resolve("first.out"));
      Process second = backupProcess(repoDir, key, src, dir.resolve("second.out"), null);
      assertTrue(second.waitFor(60, TimeUnit.SECONDS));
      signal(first, "CONT");
      String out = Files.readString(dir.resolve("second.out"));
      assertTrue(second.exitValue() != 0 && out.contains("is locked by") && out.contains("pid " + first.pid()), out);
      assertTrue(first.waitFor(120, TimeUnit.SECONDS));
      assertEquals(0, first.exitValue(), Files.readString(dir.resolve("first.out")));
    } finally {
      first.destroyForcibly();
    }
    try (Repository repo = RepoFixture.open(repoDir)) {
      assertEquals(before.size() + 1, repo.jobIds().size());
      PruneFixture.assertChecksClean(repo);
      assertRestoresLatest(repo, src, dir.resolve("restore"));
    }
    Files.createDirectories(repoDir.resolve("locks"));
    Path theirs = repoDir.resolve("locks/other-host-42-1.lock");
    Files.writeString(theirs, new Props().put("host", "other-host").put("pid", 42).put("job", "theirs")
        .put("created", Instant.now().toString()).put("refreshed", Instant.now().toString()).text());
    Process third = backupProcess(repoDir, key, src, dir.resolve("third.out"), null);
    assertTrue(third.waitFor(60, TimeUnit.SECONDS));
    String out = Files.readString(dir.resolve("third.out"));
    assertTrue(third.exitValue() != 0 && out.contains("is locked by other-host pid 42"), out);
    assertTrue(Files.exists(theirs));
  }
}
