package au.com.backup247.agent.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.backup.BackupResult;
import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.backup.RepoFixture;
import au.com.backup247.agent.integrity.Checker;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.retention.RetentionPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TEST-MATRIX R7 on a destination that really fills up (a small tmpfs; root, as in CI): the job
 * that meets "no space" fails once, clearly; the earlier jobs still restore byte-identical and
 * {@code check --read-data} passes; Space Freeing Up runs on the full destination and frees space;
 * once space is freed, the next backup completes and everything checks clean.
 */
class FullDestinationTest {
  @TempDir
  Path dir;
  private Path disk;

  @AfterEach
  void unmount() throws Exception {
    if (disk != null) {
      new ProcessBuilder("umount", "-l", disk.toString()).inheritIO().start().waitFor();
    }
  }

  private void mount(String size) throws Exception {
    Path d = Files.createDirectories(dir.resolve("small-disk"));
    Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", d.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      assertFalse("true".equals(System.getenv("CI")), "cannot mount a small tmpfs in CI: " + out);
      Assumptions.abort("cannot mount a small tmpfs here (needs root): " + out);
    }
    disk = d;
  }

  @Test
  void noSpace_failsOnce_earlierJobsRestore_andSpaceFreeingRunsOnTheFullDisk() throws Exception {
    mount("12m");
    Path src = Files.createDirectories(dir.resolve("src"));
    Random r = new Random(7);
    Path repoDir = disk.resolve("repo");
    Repository repo = RepoFixture.init(repoDir);
    for (int job = 1; job <= 3; job++) {
      Files.write(src.resolve("data.bin"), RepoFixture.bytes(r, 2 << 20));
      Files.writeString(src.resolve("notes.txt"), "version " + job);
      assertTrue(RepoFixture.backup(src, repo, new ArrayList<>()).get(0).ok());
      RepoFixture.copyTree(src, dir.resolve("job" + job));
    }
    List<String> jobs = repo.jobIds();

    Files.write(src.resolve("more.bin"), RepoFixture.bytes(r, 16 << 20));
    List<JobLog.Line> lines = new ArrayList<>();
    BackupResult failed = RepoFixture.backup(src, repo, lines).get(0);
    assertFalse(failed.ok());
    assertTrue(failed.error().contains("no space left"), failed.error());
    assertEquals(jobs, repo.jobIds(), "the failed job committed nothing");

    for (int i = 0; i < 3; i++) {
      Path out = dir.resolve("restore-" + i);
      RestoreAll.restore(repoDir, jobs.get(i), out);
      RepoFixture.assertSameTree(dir.resolve("job" + (i + 1)), RepoFixture.under(out, src));
    }
    Checker.Report full = new Checker(RepoFixture.open(repoDir)).run(true);
    assertTrue(full.ok(), full.problems().toString());

    // the disk is as the failed job left it: full but for the temp file it removed
    long before = usedBytes(repoDir);
    List<JobLog.Line> pruneLog = new ArrayList<>();
    // keep versions superseded within the last job; no grace, so blocks of the removed versions go now
    Pruner.Result pruned = new Pruner(RepoFixture.open(repoDir), new Pruner.Options(new RetentionPolicy.Simple(1,
        RetentionPolicy.Unit.JOBS), ZoneOffset.UTC, false, 50).withGrace(java.time.Duration.ZERO),
        RepoFixture.jobLog(pruneLog), Clock.systemUTC()).run();
    assertTrue(pruned.removed().size() > 0, pruneLog.toString());
    assertTrue(usedBytes(repoDir) < before, "space was freed: " + pruneLog);

    Files.delete(src.resolve("more.bin"));
    Files.write(src.resolve("more.bin"), RepoFixture.bytes(r, 1 << 20));
    assertTrue(RepoFixture.backup(src, RepoFixture.open(repoDir), new ArrayList<>()).get(0).ok());
    Checker.Report after = new Checker(RepoFixture.open(repoDir)).run(true);
    assertTrue(after.ok(), after.problems().toString());
    RestoreAll.restore(repoDir, null, dir.resolve("latest"));
    RepoFixture.assertSameTree(src, RepoFixture.under(dir.resolve("latest"), src));
  }

  static long usedBytes(Path repo) throws IOException {
    try (var s = Files.walk(repo)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  /** Restores one job (null: the latest) of the repository at {@code repoDir} into {@code out}. */
  static final class RestoreAll {
    static void restore(Path repoDir, String job, Path out) throws Exception {
      List<JobLog.Line> lines = new ArrayList<>();
      var s = RepoFixture.restore(RepoFixture.open(repoDir), out, job, false, lines);
      assertEquals(0, s.failed(), lines.toString());
    }
  }
}
