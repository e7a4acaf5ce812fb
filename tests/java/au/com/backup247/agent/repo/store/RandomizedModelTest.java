package au.com.backup247.agent.repo.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.backup.BackupOptions;
import au.com.backup247.agent.backup.BackupResult;
import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.backup.RepoFixture;
import au.com.backup247.agent.integrity.Checker;
import au.com.backup247.agent.pipeline.StandaloneBackup;
import au.com.backup247.agent.prune.Pruner;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.compress.CompressionSetting;
import au.com.backup247.agent.repo.crypto.CipherSuite;
import au.com.backup247.agent.repo.crypto.KeyType;
import au.com.backup247.agent.repo.store.local.LocalStore;
import au.com.backup247.agent.retention.RetentionPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * TEST-MATRIX R20 (Kopia's {@code TestRandomizedSmall}): random sequences of source changes,
 * backups, prunes, restores and crashed backups against a local folder, checked against a model
 * that knows, independently of the code, what each job held and which versions a "keep the last N
 * jobs" prune removes. Every restore, and at the end every job, is compared with the model, and the
 * repository must check clean reading every blob.
 *
 * <p>Size: {@code jqwik.tries.default} (40 in CI, from {@code junit-platform.properties}) sequences of
 * up to {@code b247.modelSteps} steps (default 30). Long run: {@code -Djqwik.tries.default=500
 * -Db247.modelSteps=120}. A failure prints the seed; jqwik replays it next time.
 */
class RandomizedModelTest {
  static final int STEPS = Integer.getInteger("b247.modelSteps", 30);

  /** One step. */
  sealed interface Step permits Write, Delete, Backup, Crash, Prune, Restore {
  }

  record Write(int file, int seed) implements Step {
  }

  record Delete(int file) implements Step {
  }

  record Backup() implements Step {
  }

  /** A backup that dies at its n-th storage call (before or after it). */
  record Crash(int call, boolean after) implements Step {
  }

  record Prune(int keepJobs) implements Step {
  }

  /** Restores the job at this position among the committed ones (modulo their number). */
  record Restore(int job) implements Step {
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<Step> step = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(0, 7).flatMap(f ->
            Arbitraries.integers().map(s -> (Step) new Write(f, s)))),
        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 7).map(f -> (Step) new Delete(f))),
        net.jqwik.api.Tuple.of(4, Arbitraries.just(new Backup())),
        net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(1, 60).flatMap(n ->
            Arbitraries.of(true, false).map(a -> (Step) new Crash(n, a)))),
        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 3).map(k -> (Step) new Prune(k))),
        net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0, 1000).map(j -> (Step) new Restore(j))));
    return step.list().ofMinSize(3).ofMaxSize(STEPS);
  }

  /** A version of one file in the model: the job that added it and the one that ended it (null: current). */
  private static final class Version {
    final byte[] data;
    final int added;
    Integer ended;
    boolean removed;

    Version(byte[] data, int added) {
      this.data = data;
      this.added = added;
    }
  }

  /** The model: the source now, and per file every version with the jobs it lived in. */
  private static final class Model {
    final Map<String, byte[]> source = new TreeMap<>();
    final Map<String, List<Version>> versions = new HashMap<>();
    final List<String> jobs = new ArrayList<>();
    int writes;

    /** A job committed with the source as it is now. */
    void committed(String job) {
      int j = jobs.size();
      jobs.add(job);
      for (Map.Entry<String, List<Version>> e : versions.entrySet()) {
        List<Version> vs = e.getValue();
        Version last = vs.isEmpty() ? null : vs.get(vs.size() - 1);
        byte[] now = source.get(e.getKey());
        if (last != null && last.ended == null && (now == null || !java.util.Arrays.equals(now, last.data))) {
          last.ended = j;
        }
      }
      for (Map.Entry<String, byte[]> e : source.entrySet()) {
        List<Version> vs = versions.computeIfAbsent(e.getKey(), k -> new ArrayList<>());
        Version last = vs.isEmpty() ? null : vs.get(vs.size() - 1);
        if (last == null || last.ended != null) {
          vs.add(new Version(e.getValue(), j));
        }
      }
    }

    /** "Keep the last N jobs": a version ended N or more jobs before the newest is removed. */
    void pruned(int keep) {
      int newest = jobs.size() - 1;
      for (List<Version> vs : versions.values()) {
        for (Version v : vs) {
          if (v.ended != null && newest - v.ended + 1 >= keep + 1) {
            v.removed = true;
          }
        }
      }
    }

    /** The files job {@code j} restores. */
    Map<String, byte[]> at(int j) {
      Map<String, byte[]> out = new TreeMap<>();
      versions.forEach((path, vs) -> {
        for (Version v : vs) {
          if (!v.removed && v.added <= j && (v.ended == null || v.ended > j)) {
            out.put(path, v.data);
          }
        }
      });
      return out;
    }
  }

  private static Repository.InitOptions options() {
    return new Repository.InitOptions("1700000000000", CipherSuite.AES_256_GCM, CompressionSetting.FAST_LOCAL,
        KeyType.PASSWORD, 0, 64 << 10, 1024, 1);
  }

  private static BackupResult backup(Repository repo, Path src) throws InterruptedException {
    return StandaloneBackup.run(List.of(repo), new BackupOptions(List.of(src), false, 2, Clock.systemUTC()),
        RepoFixture.jobLog(new ArrayList<>())).get(0);
  }

  private static void assertRestores(Repository repo, Model m, int j, Path src, Path work, String what)
      throws Exception {
    Path target = Files.createTempDirectory(work, "restore");
    List<JobLog.Line> lines = new ArrayList<>();
    assertEquals(0, RepoFixture.restore(repo, target, m.jobs.get(j), false, lines).failed(), what + lines);
    Path root = RepoFixture.under(target, src);
    Map<String, byte[]> actual = new TreeMap<>();
    if (Files.exists(root)) {
      try (Stream<Path> s = Files.walk(root)) {
        for (Path f : s.filter(Files::isRegularFile).toList()) {
          actual.put(root.relativize(f).toString(), Files.readAllBytes(f));
        }
      }
    }
    Map<String, byte[]> expected = m.at(j);
    assertEquals(expected.keySet(), actual.keySet(), what + " job " + m.jobs.get(j));
    for (String f : expected.keySet()) {
      assertTrue(java.util.Arrays.equals(expected.get(f), actual.get(f)), what + " job " + m.jobs.get(j) + ": " + f);
    }
  }

  private static void step(Step step, Model m, Path src, Path repoDir, Path work, String what) throws Exception {
    if (step instanceof Write w) {
      byte[] data = RepoFixture.bytes(new Random(w.seed()), 100 + (w.seed() & 0x3FFF) + ++m.writes);
      Files.write(src.resolve("f" + w.file()), data); // sizes differ: a rewrite in the same tick is seen
      m.source.put("f" + w.file(), data);
    } else if (step instanceof Delete d) {
      Files.deleteIfExists(src.resolve("f" + d.file()));
      m.source.remove("f" + d.file());
    } else if (step instanceof Backup) {
      try (Repository repo = RepoFixture.open(repoDir)) {
        BackupResult r = backup(repo, src);
        assertTrue(r.ok(), what + r.error());
        m.committed(r.jobId());
      }
    } else if (step instanceof Crash c) {
      int before;
      try (Repository repo = RepoFixture.open(repoDir)) {
        before = repo.jobIds().size();
      }
      try (Repository repo = Repository.open(new CrashingStore(new LocalStore(repoDir), c.call(), c.after()),
          RepoFixture.PASSWORD)) {
        backup(repo, src);
      } catch (au.com.backup247.agent.repo.error.RepoException e) {
        // died while opening
      }
      try (Repository repo = RepoFixture.open(repoDir)) {
        List<String> jobs = repo.jobIds();
        if (jobs.size() > before) {
          m.committed(jobs.get(jobs.size() - 1)); // it died after its manifest
        }
      }
    } else if (step instanceof Prune p && !m.jobs.isEmpty()) {
      try (Repository repo = RepoFixture.open(repoDir)) {
        new Pruner(repo, new Pruner.Options(new RetentionPolicy.Simple(p.keepJobs(), RetentionPolicy.Unit.JOBS),
            ZoneId.of("UTC"), false, 50).withGrace(Duration.ZERO), RepoFixture.jobLog(new ArrayList<>()),
            Clock.systemUTC()).run();
        m.pruned(p.keepJobs());
      }
    } else if (step instanceof Restore r && !m.jobs.isEmpty()) {
      try (Repository repo = RepoFixture.open(repoDir)) {
        assertRestores(repo, m, r.job() % m.jobs.size(), src, work, what);
      }
    }
  }

  @Property(shrinking = ShrinkingMode.OFF)
  void everyJobRestoresWhatTheModelSays(@ForAll("steps") List<Step> steps) throws Exception {
    Path work = Files.createTempDirectory("b247-model");
    try {
      run(steps, work);
    } finally {
      new ProcessBuilder("rm", "-rf", work.toString()).start().waitFor();
    }
  }

  private void run(List<Step> steps, Path work) throws Exception {
    Path src = Files.createDirectories(work.resolve("src"));
    Path repoDir = work.resolve("repo");
    Model m = new Model();
    Repository.init(new LocalStore(repoDir), options(), RepoFixture.PASSWORD).close();
    String trace = "";
    for (Step step : steps) {
      trace += step + " ";
      String what = "after " + trace + ":";
      step(step, m, src, repoDir, work, what);
    }
    try (Repository repo = RepoFixture.open(repoDir)) {
      assertEquals(m.jobs, repo.jobIds(), "after " + trace);
      for (int j = 0; j < m.jobs.size(); j++) {
        assertRestores(repo, m, j, src, work, "at the end of " + trace + ":");
      }
      Checker.Report rep = new Checker(repo).run(true);
      assertTrue(rep.ok(), "after " + trace + ": " + rep.problems());
    }
  }
}
