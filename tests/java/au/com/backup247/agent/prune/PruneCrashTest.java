package au.com.backup247.agent.prune;

import static au.com.backup247.agent.prune.PruneFixture.afterLastJob;
import static au.com.backup247.agent.prune.PruneFixture.assertChecksClean;
import static au.com.backup247.agent.prune.PruneFixture.twoDays;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.backup.RepoFixture;
import au.com.backup247.agent.repo.Manifest;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.retention.RetentionPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A prune stopped at each of its crash points (the hook throws there, as a kill would stop it: no
 * code after the point runs): the repository checks clean reading every blob, every job restores
 * every kept version byte for byte, and the next prune finishes the work and leaves no leftovers.
 */
public class PruneCrashTest {
  @TempDir
  static Path dir;
  static PruneFixture fixture;
  static List<Pruner.Removed> planned;
  static Map<String, Integer> reached = new LinkedHashMap<>();

  /** Thrown at the chosen crash point. */
  static final class Crash extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Crash(String label) {
      super("crash at " + label);
    }
  }

  @BeforeAll
  static void build() throws Exception {
    fixture = PruneFixture.build(dir.resolve("base"));
    Path copy = copy("count");
    try (Repository repo = fixture.open(copy)) {
      planned = new Pruner(repo, twoDays(true, 50), log(), afterLastJob()).run().removed();
      new Pruner(repo, twoDays(false, 50), log(), afterLastJob())
          .crashPoints(l -> reached.merge(l, 1, Integer::sum)).run();
    }
    assertTrue(reached.getOrDefault("prune-manifest", 0) >= 3, reached.toString());
    assertTrue(reached.getOrDefault("prune-delete", 0) >= 3, reached.toString());
  }

  static JobLog log() {
    return new JobLog(Clock.systemUTC(), l -> { });
  }

  static Path copy(String name) throws Exception {
    Path to = dir.resolve(name);
    PruneFixture.copyTree(fixture.repoDir, to);
    return to;
  }

  @Test
  void everyCrashPoint_leavesARepositoryThatChecksCleanRestoresAndIsFinishedByTheNextRun() throws Exception {
    List<String> points = new ArrayList<>();
    reached.forEach((label, n) -> {
      for (int i : new TreeSet<>(List.of(1, 2, (n + 1) / 2, n))) {
        if (i >= 1 && i <= n) {
          points.add(label + ":" + i);
        }
      }
    });
    assertTrue(points.size() >= 10, points.toString());
    for (String point : points) {
      Path repoDir = copy("crash-" + point.replace(':', '-'));
      String label = point.substring(0, point.indexOf(':'));
      int nth = Integer.parseInt(point.substring(point.indexOf(':') + 1));
      AtomicInteger count = new AtomicInteger();
      try (Repository repo = fixture.open(repoDir)) {
        assertThrows(Crash.class, () -> new Pruner(repo, twoDays(false, 50), log(), afterLastJob()).crashPoints(l -> {
          if (l.equals(label) && count.incrementAndGet() == nth) {
            throw new Crash(point);
          }
        }).run(), point);
      }
      try (Repository repo = fixture.open(repoDir)) {
        assertChecksClean(repo);
        assertKeptVersionsRestore(repo, dir.resolve("work-" + point.replace(':', '-')));
        Pruner.Result again = new Pruner(repo, twoDays(false, 50), log(), afterLastJob()).run();
        assertTrue(again.removed().stream().allMatch(r -> planned.contains(r)), point + ": " + again.removed());
        assertNoLeftovers(repo, repoDir, point);
        assertChecksClean(repo);
        fixture.assertRestores(repo, planned, dir.resolve("final-" + point.replace(':', '-')));
      }
    }
  }

  /**
   * A real crash: {@code b247 repo prune} in its own JVM halted at a crash point (as kill -9 would,
   * leaving its lock behind); the next prune finds the lock stale (its process is gone), finishes
   * the work, and the repository checks clean and restores.
   */
  @Test
  void killedProcess_leavesAStaleLock_andTheNextPruneFinishes() throws Exception {
    Path key = dir.resolve("key");
    Files.writeString(key, RepoFixture.PASSWORD);
    String javaBin = ProcessHandle.current().info().command().orElse("java");
    Pruner.Options keepTwoJobs = new Pruner.Options(new RetentionPolicy.Simple(2, RetentionPolicy.Unit.JOBS),
        ZoneId.of("UTC"), false, 50).withGrace(java.time.Duration.ZERO);
    List<Pruner.Removed> plan;
    try (Repository repo = fixture.open(copy("plan-jobs"))) {
      plan = new Pruner(repo, new Pruner.Options(keepTwoJobs.policy(), keepTwoJobs.zone(), true, 50), log(),
          Clock.systemUTC()).run().removed();
    }
    assertTrue(plan.size() >= 5, plan.toString());
    for (String point : List.of("prune-after-index", "prune-manifest:2", "prune-delete:1")) {
      Path repoDir = copy("killed-" + point.replace(':', '-'));
      Process p = new ProcessBuilder(javaBin, "-Db247.crashAt=" + point, "-cp", classPath(),
          "au.com.backup247.agent.cli.B247", "repo", "prune", "--repo", repoDir.toString(), "--key-file",
          key.toString(), "--keep-jobs", "2").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertEquals(137, p.waitFor(), point + ": " + out);
      assertEquals(1, PruneFixture.list(repoDir, "locks").size(), "the killed prune left its lock");
      try (Repository repo = fixture.open(repoDir)) {
        assertChecksClean(repo);
        Pruner.Result again = new Pruner(repo, keepTwoJobs, log(), Clock.systemUTC()).run();
        assertNoLeftovers(repo, repoDir, point);
        assertChecksClean(repo);
        assertTrue(plan.containsAll(again.removed()), point + ": " + again.removed());
        fixture.assertRestores(repo, plan, dir.resolve("killed-final-" + point.replace(':', '-')));
      }
      assertEquals(0, PruneFixture.list(repoDir, "locks").size());
    }
  }

  /** The class path of this test run (the JUnit console loads tests through a class loader of its own). */
  public static String classPath() throws Exception {
    List<String> parts = new ArrayList<>();
    for (ClassLoader l = au.com.backup247.agent.cli.B247.class.getClassLoader(); l != null; l = l.getParent()) {
      if (l instanceof java.net.URLClassLoader u) {
        for (java.net.URL url : u.getURLs()) {
          parts.add(Path.of(url.toURI()).toString());
        }
      }
    }
    parts.add(System.getProperty("java.class.path"));
    return String.join(java.io.File.pathSeparator, parts);
  }

  /** Each job restores its snapshot less the planned removals, plus at most removed versions not yet gone. */
  static void assertKeptVersionsRestore(Repository repo, Path work) throws Exception {
    Files.createDirectories(work);
    for (int i = 0; i < fixture.jobs.size(); i++) {
      String job = fixture.jobs.get(i);
      Set<String> gone = new HashSet<>();
      for (Pruner.Removed r : planned) {
        if (r.addedBy().compareTo(job) <= 0 && r.endedBy().compareTo(job) > 0) {
          gone.add(fixture.src.toAbsolutePath().relativize(Path.of(r.path())).toString());
        }
      }
      Path target = work.resolve("restore" + i);
      List<JobLog.Line> lines = new ArrayList<>();
      assertEquals(0, RepoFixture.restore(repo, target, job, false, lines).failed(), lines.toString());
      Path restored = RepoFixture.under(target, fixture.src);
      Path snap = fixture.snapshots.get(i);
      for (String f : files(snap)) {
        boolean removed = gone.stream().anyMatch(g -> f.equals(g) || f.startsWith(g + "/"));
        if (Files.exists(restored.resolve(f))) {
          assertArrayEquals(Files.readAllBytes(snap.resolve(f)), Files.readAllBytes(restored.resolve(f)),
              job + " " + f);
        } else {
          assertTrue(removed, "kept version of " + f + " as of job " + job + " was not restored");
        }
      }
      for (String f : files(restored)) {
        assertTrue(Files.exists(snap.resolve(f)), "job " + job + " restored " + f + ", which it never held");
      }
    }
  }

  /** Every index part and block in the repository is one the manifests refer to. */
  static void assertNoLeftovers(Repository repo, Path repoDir, String point) throws Exception {
    Set<String> parts = new TreeSet<>();
    Set<String> blocks = new TreeSet<>();
    for (String job : repo.jobIds()) {
      Manifest m = repo.manifest(job);
      m.segmentRefs().forEach(r -> parts.add(r.name()));
      m.checkpointRefs().forEach(r -> parts.add(r.name()));
      repo.segment(m).blocks().forEach(b -> blocks.add(b.path()));
    }
    assertEquals(parts, new TreeSet<>(PruneFixture.list(repoDir, "index")), point);
    assertEquals(blocks, new TreeSet<>(PruneFixture.list(repoDir, "blocks")), point);
  }

  static List<String> files(Path root) throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
          .map(p -> root.relativize(p).toString()).sorted().toList();
    }
  }
}
