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
import au.com.backup247.agent.repo.Manifest;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.compress.CompressionSetting;
import au.com.backup247.agent.repo.crypto.CipherSuite;
import au.com.backup247.agent.repo.crypto.Hashes;
import au.com.backup247.agent.repo.crypto.KeyType;
import au.com.backup247.agent.repo.store.local.LocalStore;
import au.com.backup247.agent.repo.store.s3.S3Store;
import au.com.backup247.agent.repo.store.sftp.SftpStore;
import au.com.backup247.agent.retention.RetentionPolicy;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.sshd.server.SshServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TEST-MATRIX R1 (issue 11): a backup "crashes" at a storage call chosen from a seed — the n-th call
 * of the job, before or after it is carried out — and from then on no call reaches the store, as
 * after {@code kill -9}. After each crash: the repository checks clean reading every blob, the
 * newest committed job restores byte-identical to the source as it was then, every block under its
 * final name is whole (its name is its SHA-256), and everything no manifest refers to is a block,
 * an index part or a lock. Then the next backup succeeds and restores. At the end a prune deletes
 * the leftovers: nothing unreferenced remains. Against a local folder, SFTP (Apache MINA SSHD) and
 * S3 (s3proxy), all over loopback and in this JVM.
 *
 * <p>Seeds per destination: {@value #CI_SEEDS} by default; {@code -Db247.crashSeeds=200} (or more)
 * for the long run, {@code -Db247.crashSeed0=N} to start elsewhere (a failure names its seed).
 */
@Timeout(value = 1800, unit = TimeUnit.SECONDS)
class CrashSeedsTest {
  static final int CI_SEEDS = 4;
  static final int SEEDS = Integer.getInteger("b247.crashSeeds", CI_SEEDS);
  static final long SEED0 = Long.getLong("b247.crashSeed0", 20261126L);

  /** A source tree the test changes, and the content of every job that committed. */
  static final class Model {
    final Path src;
    final Map<String, byte[]> files = new TreeMap<>();
    final Map<String, Map<String, byte[]>> jobs = new LinkedHashMap<>();

    Model(Path src) {
      this.src = src;
    }

    void change(Random r) throws Exception {
      Files.createDirectories(src.resolve("d" + r.nextInt(3)));
      int edits = 1 + r.nextInt(3);
      for (int i = 0; i < edits; i++) {
        List<String> names = new ArrayList<>(files.keySet());
        if (!names.isEmpty() && r.nextInt(5) == 0) {
          String gone = names.get(r.nextInt(names.size()));
          Files.delete(src.resolve(gone));
          files.remove(gone);
          continue;
        }
        String name = !names.isEmpty() && r.nextBoolean() ? names.get(r.nextInt(names.size()))
            : "d" + r.nextInt(3) + "/f" + r.nextInt(1000);
        Files.createDirectories(src.resolve(name).getParent());
        byte[] data = RepoFixture.bytes(r, r.nextInt(4) == 0 ? r.nextInt(300_000) : r.nextInt(3000));
        Files.write(src.resolve(name), data);
        files.put(name, data);
      }
    }

    void committed(String job) {
      jobs.put(job, new TreeMap<>(files));
    }
  }

  private static Repository.InitOptions options() {
    // 64 KiB blocks: a job writes several, so crashes land between blocks too
    return new Repository.InitOptions("1700000000000", CipherSuite.AES_256_GCM, CompressionSetting.FAST_LOCAL,
        KeyType.PASSWORD, 0, 64 << 10, 1024, 1);
  }

  private static BackupResult backup(Repository repo, Path src, List<JobLog.Line> lines)
      throws InterruptedException {
    return StandaloneBackup.run(List.of(repo), new BackupOptions(List.of(src), false, 2, Clock.systemUTC()),
        RepoFixture.jobLog(lines)).get(0);
  }

  private static void assertRestores(Repository repo, String job, Map<String, byte[]> expected, Path src, Path work,
      String what) throws Exception {
    Path target = work.resolve("restore-" + System.nanoTime());
    List<JobLog.Line> lines = new ArrayList<>();
    assertEquals(0, RepoFixture.restore(repo, target, job, false, lines).failed(), what + ": " + lines);
    Path root = RepoFixture.under(target, src);
    Map<String, byte[]> actual = new TreeMap<>();
    if (Files.exists(root)) {
      try (Stream<Path> s = Files.walk(root)) {
        for (Path f : s.filter(Files::isRegularFile).toList()) {
          actual.put(root.relativize(f).toString(), Files.readAllBytes(f));
        }
      }
    }
    assertEquals(expected.keySet(), actual.keySet(), what);
    for (String f : expected.keySet()) {
      assertTrue(java.util.Arrays.equals(expected.get(f), actual.get(f)), what + ": content of " + f);
    }
    assertEquals(0, new ProcessBuilder("rm", "-rf", target.toString()).start().waitFor());
  }

  /** Paths the manifests refer to: config, manifests, index parts, blocks. */
  private static Set<String> referenced(Repository repo) {
    Set<String> out = new TreeSet<>();
    out.add(Repository.CONFIG);
    for (String job : repo.jobIds()) {
      Manifest m = repo.manifest(job);
      out.add("jobs/" + job + ".job");
      m.segmentRefs().forEach(r -> out.add(r.name()));
      m.checkpointRefs().forEach(r -> out.add(r.name()));
      repo.segment(m).blocks().forEach(b -> out.add(b.path()));
    }
    return out;
  }

  /**
   * TEST-MATRIX S6: every block, index part and manifest starts its per-object keys from a fresh
   * 16-byte salt (bytes 12..28, FORMAT.md §2, §4, §5) and a blob's nonce is its offset in the object,
   * so no (key, nonce) pair repeats as long as no salt does: across all the jobs, crashes and
   * restarts of a run, none may.
   */
  static void assertSaltsUnique(Store store, String what) {
    Set<String> salts = new java.util.HashSet<>();
    int objects = 0;
    for (Store.StoredObject o : store.list("")) {
      if (o.path().startsWith("blocks/") || o.path().startsWith("index/") || o.path().startsWith("jobs/")) {
        String salt = HexFormat.of().formatHex(store.get(o.path(), 12, 16));
        assertTrue(salts.add(salt), what + ": salt " + salt + " used twice (" + o.path() + ")");
        objects++;
      }
    }
    assertTrue(objects > 0, what);
  }

  /** Runs the seeds against the store {@code stores} gives (each call a new client on the same repository). */
  private static void runSeeds(String peer, Supplier<Store> stores, Path work) throws Exception {
    Model model = new Model(Files.createDirectories(work.resolve("src")));
    Random setup = new Random(SEED0);
    model.change(setup);
    int calls;
    try (Repository repo = Repository.init(stores.get(), options(), RepoFixture.PASSWORD)) {
      CrashingStore counting = new CrashingStore(repo.store(), Integer.MAX_VALUE, false);
      List<JobLog.Line> lines = new ArrayList<>();
      try (Repository counted = Repository.open(counting, RepoFixture.PASSWORD)) {
        BackupResult r = backup(counted, model.src, lines);
        assertTrue(r.ok(), lines.toString());
        model.committed(r.jobId());
        calls = counting.calls();
      }
    }
    long t0 = System.nanoTime();
    int committedByCrashedJobs = 0;
    for (int i = 0; i < SEEDS; i++) {
      long seed = SEED0 + i;
      String what = peer + " seed " + seed;
      Random r = new Random(seed);
      model.change(r);
      int crashAt = 1 + r.nextInt(Math.max(1, calls + calls / 5));
      boolean after = r.nextBoolean();
      List<String> before;
      try (Repository repo = Repository.open(stores.get(), RepoFixture.PASSWORD)) {
        before = repo.jobIds();
      }
      CrashingStore crashing = new CrashingStore(stores.get(), crashAt, after);
      List<JobLog.Line> lines = new ArrayList<>();
      BackupResult crashed;
      try (Repository repo = Repository.open(crashing, RepoFixture.PASSWORD)) {
        crashed = backup(repo, model.src, lines);
      } catch (au.com.backup247.agent.repo.error.RepoException e) {
        crashed = null; // crashed while opening
      }
      try (Repository repo = Repository.open(stores.get(), RepoFixture.PASSWORD)) {
        List<String> jobs = repo.jobIds();
        if (jobs.size() > before.size()) { // the crash came after the manifest
          assertEquals(crashed == null ? null : crashed.jobId(), jobs.get(jobs.size() - 1), what);
          model.committed(jobs.get(jobs.size() - 1));
          committedByCrashedJobs++;
        }
        assertEquals(new ArrayList<>(model.jobs.keySet()), jobs, what + ": committed jobs");
        Checker.Report check = new Checker(repo).run(true);
        assertTrue(check.ok(), what + " (crash at call " + crashAt + (after ? " after" : " before") + "): "
            + check.problems());
        String newest = jobs.get(jobs.size() - 1);
        assertRestores(repo, newest, model.jobs.get(newest), model.src, work, what + ", job " + newest);
        Set<String> refs = referenced(repo);
        for (Store.StoredObject o : repo.store().list("")) {
          String p = o.path();
          if (refs.contains(p)) {
            continue;
          }
          assertTrue(p.startsWith("locks/") || (p.startsWith("index/") && (p.endsWith("idx") || p.endsWith("ckp")))
              || (p.startsWith("blocks/") && p.endsWith(".bak")), what + ": unexpected leftover " + p);
        }
        for (Store.StoredObject o : repo.store().list("blocks/")) {
          String name = o.path().substring(o.path().lastIndexOf('/') + 1);
          assertEquals(name, HexFormat.of().formatHex(Hashes.sha256(repo.store().get(o.path()))) + ".bak",
              what + ": a block under its final name is not whole");
        }
        lines.clear();
        BackupResult next = backup(repo, model.src, lines);
        assertTrue(next.ok(), what + ": the next backup failed: " + lines);
        model.committed(next.jobId());
        assertRestores(repo, null, model.files, model.src, work, what + ": after the next backup");
        calls = Math.max(calls, crashing.calls());
      }
    }
    try (Repository repo = Repository.open(stores.get(), RepoFixture.PASSWORD)) {
      Pruner.Options keepAll = new Pruner.Options(new RetentionPolicy.Simple(30, RetentionPolicy.Unit.DAYS),
          ZoneId.of("UTC"), false, 0).withGrace(Duration.ZERO);
      new Pruner(repo, keepAll, RepoFixture.jobLog(new ArrayList<>()), Clock.systemUTC()).run();
      Set<String> refs = referenced(repo);
      for (Store.StoredObject o : repo.store().list("")) {
        assertTrue(refs.contains(o.path()), peer + ": left over after the prune: " + o.path());
      }
      assertTrue(new Checker(repo).run(true).ok());
      assertSaltsUnique(repo.store(), peer);
      String first = model.jobs.keySet().iterator().next();
      assertRestores(repo, first, model.jobs.get(first), model.src, work, peer + ": the first job at the end");
    }
    System.out.printf("R1 %s: %d seeds in %d ms (%d crashed jobs had committed)%n", peer, SEEDS,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), committedByCrashedJobs);
  }

  @Test
  void localFolder(@TempDir Path dir) throws Exception {
    Path repo = dir.resolve("repo");
    runSeeds("local", () -> new LocalStore(repo), dir);
  }

  @Test
  void sftpMina(@TempDir Path dir) throws Exception {
    Path served = Files.createDirectories(dir.resolve("served"));
    SshServer server = SshPeers.mina(0, served, SshPeers.ed25519(), null);
    try {
      String fingerprint = SftpStore.fingerprint(server.getKeyPairProvider().loadKeys(null).iterator().next()
          .getPublic());
      runSeeds("sftp", () -> new SftpStore(SftpStore.Config.of("127.0.0.1", server.getPort(), SshPeers.USER, "/repo/")
          .withPassword(SshPeers.PASSWORD).withHostKeyFingerprint(fingerprint)
          .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(30))), dir);
    } finally {
      server.stop(true);
    }
  }

  @Test
  void s3proxy(@TempDir Path dir) throws Exception {
    S3Peers.Peer server = S3Peers.start();
    try {
      server.createBucket("b247-crash");
      runSeeds("s3", () -> new S3Store(server.config("b247-crash", "repo")), dir);
    } finally {
      server.stop();
    }
  }
}
