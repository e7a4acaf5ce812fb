package au.com.backup247.agent.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.pipeline.StandaloneBackup;
import au.com.backup247.agent.prune.Pruner;
import au.com.backup247.agent.repo.JobIds;
import au.com.backup247.agent.repo.Manifest;
import au.com.backup247.agent.repo.RepoLock;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.error.RepoException;
import au.com.backup247.agent.retention.RetentionPolicy;
import au.com.backup247.agent.testing.MovableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TEST-MATRIX R16 with an injected clock (issue 11, item 2): job ids never go backwards, "latest" is
 * the newest data whatever the clock said, a backup with a clock set back or far ahead warns, and a
 * prune refuses to act on such a clock, naming both times.
 */
class ClockJumpTest {
  private static final Duration TEN_YEARS = Duration.ofDays(3653);

  private static List<JobLog.Line> backup(Repository repo, Path src, Clock clock) throws InterruptedException {
    List<JobLog.Line> lines = new ArrayList<>();
    List<BackupResult> r = StandaloneBackup.run(List.of(repo), new BackupOptions(List.of(src), false, 1,
        clock), RepoFixture.jobLog(lines));
    assertTrue(r.get(0).ok(), lines.toString());
    return lines;
  }

  private static String warnings(List<JobLog.Line> lines) {
    return lines.stream().filter(l -> l.level() == JobLog.Level.WARNING).map(JobLog.Line::message).toList().toString();
  }

  private static Pruner.Result prune(Repository repo, Clock clock) {
    return new Pruner(repo, new Pruner.Options(new RetentionPolicy.Simple(1, RetentionPolicy.Unit.DAYS),
        ZoneId.of("UTC"), false, 50), RepoFixture.jobLog(new ArrayList<>()), clock).run();
  }

  private static String latest(Repository repo, Path dir, Path file) throws Exception {
    Path target = dir.resolve("restore-" + System.nanoTime());
    assertEquals(0, RepoFixture.restore(repo, target, null, false, new ArrayList<>()).failed());
    return Files.readString(RepoFixture.under(target, file));
  }

  @Test
  void clockSetBackADay_newestDataStaysLatest_andAPruneRefusesNamingBothTimes(@TempDir Path dir) throws Exception {
    Path src = Files.createDirectories(dir.resolve("src"));
    Files.writeString(src.resolve("f.txt"), "version 1");
    MovableClock clock = MovableClock.ticking();
    try (Repository repo = RepoFixture.init(dir.resolve("repo"))) {
      backup(repo, src, clock);
      String first = repo.jobIds().get(0);
      clock.setOffset(Duration.ofDays(-1));
      Files.writeString(src.resolve("f.txt"), "version 2, written while the clock was a day behind");
      List<JobLog.Line> lines = backup(repo, src, clock);
      String second = repo.jobIds().get(1);
      assertTrue(second.compareTo(first) > 0, first + " then " + second);
      assertEquals(JobIds.time(first).plusSeconds(1), JobIds.time(second), "max(now, newest + 1 s)");
      assertTrue(warnings(lines).contains("before the newest job " + first), warnings(lines));
      assertEquals("version 2, written while the clock was a day behind", latest(repo, dir, src.resolve("f.txt")));

      RepoException e = assertThrows(RepoException.class, () -> prune(repo, clock));
      assertTrue(e.getMessage().contains("the clock says " + clock.instant().toString().substring(0, 13))
          && e.getMessage().contains("before the newest job " + second + " (" + JobIds.time(second) + ")")
          && e.getMessage().contains("Nothing was changed"), e.getMessage());
      assertEquals(2, repo.jobIds().size());
      Manifest m = repo.manifest(second);
      assertTrue(Instant.parse(m.get("started")).isBefore(JobIds.time(second).minus(Duration.ofHours(23))),
          "started keeps what the clock said: " + m.get("started"));
    }
  }

  @Test
  void clockTenYearsAhead_aPruneRefuses_alsoAfterABackupMadeWithThatClock(@TempDir Path dir) throws Exception {
    Path src = Files.createDirectories(dir.resolve("src"));
    MovableClock clock = MovableClock.ticking();
    try (Repository repo = RepoFixture.init(dir.resolve("repo"))) {
      for (int i = 0; i < 3; i++) {
        Files.writeString(src.resolve("f.txt"), "version " + i);
        backup(repo, src, clock);
      }
      clock.setOffset(TEN_YEARS);
      RepoException e = assertThrows(RepoException.class, () -> prune(repo, clock));
      String newest = repo.jobIds().get(2);
      assertTrue(e.getMessage().contains("days after the newest job " + newest + " (" + JobIds.time(newest) + ")")
          && e.getMessage().contains("set ahead"), e.getMessage());

      Files.writeString(src.resolve("f.txt"), "version 3");
      List<JobLog.Line> lines = backup(repo, src, clock);
      assertTrue(warnings(lines).contains("days after the newest job " + newest), warnings(lines));
      e = assertThrows(RepoException.class, () -> prune(repo, clock));
      assertTrue(e.getMessage().contains("days after job " + newest), e.getMessage());
      for (String job : repo.jobIds()) {
        assertEquals(1, repo.segment(repo.manifest(job)).added().stream()
            .filter(v -> v.path().endsWith("f.txt")).count(), "every version of f.txt is still there");
      }
      Pruner.Result trusted = new Pruner(repo, new Pruner.Options(new RetentionPolicy.Simple(1,
          RetentionPolicy.Unit.DAYS), ZoneId.of("UTC"), true, 50, true, Pruner.GRACE),
          RepoFixture.jobLog(new ArrayList<>()), clock).run();
      assertEquals(2, trusted.removed().size(), "with --trust-clock the user decides: " + trusted.removed());
    }
  }

  /**
   * The clock jumps a day back in the middle of a job (after its start): the job commits, the next
   * one is still ordered after it, and the lock a running job holds is never stale for another
   * writer, whatever that writer's clock says.
   */
  @Test
  void clockJumpDuringAJob_keepsOrder_andTheLiveLockIsNotStaleForAWriterTenYearsAhead(@TempDir Path dir)
      throws Exception {
    Path src = Files.createDirectories(dir.resolve("src"));
    Files.writeString(src.resolve("f.txt"), "version 1");
    Files.write(src.resolve("big.bin"), RepoFixture.bytes(new java.util.Random(3), 3 << 20));
    MovableClock clock = MovableClock.ticking();
    AtomicInteger reads = new AtomicInteger();
    Clock jumping = new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        if (reads.incrementAndGet() == 2) {
          clock.setOffset(Duration.ofDays(-1)); // right after the job read its start time
        }
        return clock.instant();
      }
    };
    Path repoDir = dir.resolve("repo");
    try (Repository repo = RepoFixture.init(repoDir); Repository other = RepoFixture.open(repoDir)) {
      List<JobLog.Line> lines = new ArrayList<>();
      AtomicReference<String> refused = new AtomicReference<>();
      BackupJob job = BackupJob.create(List.of(repo), new BackupOptions(List.of(src), false, 1,
          jumping), new JobLog(Clock.systemUTC(), l -> {
            lines.add(l);
            if (l.message().startsWith("job ") && l.message().contains(" started; sources")) {
              Clock ahead = Clock.offset(Clock.systemUTC(), TEN_YEARS);
              try (RepoLock stolen = RepoLock.acquire(other.store(), "thief", ahead)) {
                refused.set("taken");
              } catch (RepoException e) {
                refused.set(e.getMessage());
              }
            }
          }));
      assertTrue(StandaloneBackup.run(job).get(0).ok(), lines.toString());
      assertTrue(refused.get() != null && refused.get().contains("is locked by"), String.valueOf(refused.get()));
      String first = repo.jobIds().get(0);
      Manifest m = repo.manifest(first);
      assertTrue(m.get("finished").compareTo(m.get("started")) < 0, "the clock went back during the job: " + m);
      Files.writeString(src.resolve("f.txt"), "version 2");
      backup(repo, src, clock);
      assertTrue(repo.jobIds().get(1).compareTo(first) > 0, repo.jobIds().toString());
      assertEquals("version 2", latest(repo, dir, src.resolve("f.txt")));
    }
  }
}
