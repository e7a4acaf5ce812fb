package au.com.backup247.agent.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.backup.BackupOptions;
import au.com.backup247.agent.backup.BackupResult;
import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.backup.RepoFixture;
import au.com.backup247.agent.integrity.Checker;
import au.com.backup247.agent.pipeline.StandaloneBackup;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.retention.RetentionPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A repository with nine daily jobs whose files change, with a snapshot of the source after each
 * job, and the checks every prune test makes: the repository checks clean reading every blob, and
 * each job restores exactly its snapshot minus the versions the prune removed.
 */
final class PruneFixture {
  /** Day 0, 10:00 UTC, 30 days ago: every job is in the past, whatever the date of the test run. */
  static final Instant DAY0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.DAYS).minus(Duration.ofDays(30))
      .plus(Duration.ofHours(10));
  static final int JOBS = 9;

  final Path dir;
  final Path src;
  final Path repoDir;
  final List<Path> snapshots = new ArrayList<>();
  final List<String> jobs = new ArrayList<>();

  private PruneFixture(Path dir) {
    this.dir = dir;
    this.src = dir.resolve("src");
    this.repoDir = dir.resolve("repo");
  }

  /**
   * Job 0: a 6 MB random file (first in walk order, so the first block holds only it), small
   * files a, b, a 200 KB file e that never changes, sub/s1. Job 1 changes a and deletes the big
   * file; job 2 changes a and b; job 3 deletes sub; jobs 4–8 change "tick" (job 7 writes a
   * checkpoint). Job k runs at DAY0 + k days.
   */
  static PruneFixture build(Path dir) throws Exception {
    PruneFixture f = new PruneFixture(dir);
    Random r = new Random(7);
    Files.createDirectories(f.src.resolve("sub"));
    byte[] big = RepoFixture.bytes(r, 6 << 20);
    Files.write(f.src.resolve("0-big.bin"), big);
    Files.write(dir.resolve("big.copy"), big);
    Files.writeString(f.src.resolve("a"), "a version 1");
    Files.writeString(f.src.resolve("b"), "b version 1");
    Files.write(f.src.resolve("e"), RepoFixture.bytes(r, 200_000));
    Files.writeString(f.src.resolve("sub/s1"), "s1");
    Repository repo = RepoFixture.init(f.repoDir);
    repo.indexPartBytes(4096);
    for (int k = 0; k < JOBS; k++) {
      switch (k) {
        case 1 -> {
          Files.writeString(f.src.resolve("a"), "a version 2");
          Files.delete(f.src.resolve("0-big.bin"));
        }
        case 2 -> {
          Files.writeString(f.src.resolve("a"), "a version 3");
          Files.writeString(f.src.resolve("b"), "b version 2");
        }
        case 3 -> {
          Files.delete(f.src.resolve("sub/s1"));
          Files.delete(f.src.resolve("sub"));
        }
        default -> {
          if (k > 0) {
            Files.writeString(f.src.resolve("tick"), "tick " + k);
          }
        }
      }
      f.backup(repo, k);
      Path snap = dir.resolve("snap" + k);
      copyTree(f.src, snap);
      f.snapshots.add(snap);
    }
    f.jobs.addAll(repo.jobIds());
    assertEquals(JOBS, f.jobs.size());
    repo.close();
    return f;
  }

  static Clock at(Instant t) {
    return Clock.fixed(t, ZoneOffset.UTC);
  }

  static Clock day(double days) {
    return at(DAY0.plus(Duration.ofMinutes((long) (days * 24 * 60))));
  }

  void backup(Repository repo, int day) throws InterruptedException {
    List<JobLog.Line> lines = new ArrayList<>();
    Clock clock = Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), DAY0.plus(Duration.ofDays(day))));
    List<BackupResult> res = StandaloneBackup.run(List.of(repo),
        new BackupOptions(List.of(src), false, 1, clock), RepoFixture.jobLog(lines));
    assertTrue(res.get(0).ok(), lines.toString());
  }

  /**
   * Keep superseded versions 2 days, evaluated 1 hour after the last job; no grace period for
   * unreferenced blocks (the tests here stop prunes midway and expect the next one to delete what
   * they left; the grace period has tests of its own).
   */
  static Pruner.Options twoDays(boolean dryRun, int repack) {
    return new Pruner.Options(new RetentionPolicy.Simple(2, RetentionPolicy.Unit.DAYS), ZoneId.of("UTC"), dryRun,
        repack).withGrace(java.time.Duration.ZERO);
  }

  static Clock afterLastJob() {
    return day(JOBS - 1 + 1.0 / 24);
  }

  Repository open() {
    return RepoFixture.open(repoDir);
  }

  Repository open(Path repoCopy) {
    return RepoFixture.open(repoCopy);
  }

  /** Check --read-data finds nothing. */
  static void assertChecksClean(Repository repo) {
    Checker.Report rep = new Checker(repo).run(true);
    assertTrue(rep.ok(), rep.problems().toString());
  }

  /**
   * Every job restores exactly its snapshot, less the versions in {@code removed} that were live
   * in it (they are gone; everything else must come back byte for byte).
   */
  void assertRestores(Repository repo, List<Pruner.Removed> removed, Path work) throws Exception {
    Files.createDirectories(work);
    for (int i = 0; i < jobs.size(); i++) {
      String job = jobs.get(i);
      Path expected = work.resolve("expected" + i);
      copyTree(snapshots.get(i), expected);
      for (Pruner.Removed r : removed) {
        if (r.addedBy().compareTo(job) <= 0 && r.endedBy().compareTo(job) > 0) {
          deleteTree(expected.resolve(src.toAbsolutePath().relativize(Path.of(r.path())).toString()));
        }
      }
      Path target = work.resolve("restore" + i);
      List<JobLog.Line> lines = new ArrayList<>();
      assertEquals(0, RepoFixture.restore(repo, target, job, false, lines).failed(), lines.toString());
      RepoFixture.assertSameTree(expected, RepoFixture.under(target, src));
    }
  }

  static long size(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  static void copyTree(Path from, Path to) throws Exception {
    Process p = new ProcessBuilder("cp", "-a", from.toString(), to.toString()).inheritIO().start();
    assertEquals(0, p.waitFor());
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }

  static List<String> list(Path root, String sub) throws IOException {
    Path d = root.resolve(sub);
    if (!Files.exists(d)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(d)) {
      return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
    }
  }
}
