package au.com.backup247.agent.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.integrity.Checker;
import au.com.backup247.agent.pipeline.StandaloneBackup;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.compress.CompressionSetting;
import au.com.backup247.agent.repo.crypto.CipherSuite;
import au.com.backup247.agent.repo.crypto.KeyType;
import au.com.backup247.agent.repo.store.local.LocalStore;
import au.com.backup247.agent.restore.RestoreEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/** Shared helpers: small repositories with fast key stretching, source trees, tree comparison. */
public final class RepoFixture {
  public static final String PASSWORD = "correct horse battery staple";

  private RepoFixture() {
  }

  public static Repository.InitOptions options(CipherSuite suite, CompressionSetting c) {
    // small Argon2 parameters keep tests fast; production defaults are 64 MiB / 3 iterations
    return new Repository.InitOptions("1700000000000", suite, c, KeyType.PASSWORD, 0, 4 << 20, 1024, 1);
  }

  public static Repository init(Path dir) {
    return Repository.init(new LocalStore(dir), options(CipherSuite.AES_256_GCM, CompressionSetting.FAST_LOCAL),
        PASSWORD);
  }

  public static Repository open(Path dir) {
    return Repository.open(new LocalStore(dir), PASSWORD);
  }

  public static List<String> log = new ArrayList<>();

  public static JobLog jobLog(List<JobLog.Line> sink) {
    return new JobLog(Clock.systemUTC(), sink::add);
  }

  public static List<BackupResult> backup(Path source, Repository... repos) throws InterruptedException {
    List<JobLog.Line> lines = new ArrayList<>();
    return StandaloneBackup.run(List.of(repos), new BackupOptions(List.of(source), false, 2, Clock.systemUTC()),
        jobLog(lines));
  }

  /** One backup of {@code source} whose log lines go to {@code lines}. */
  public static List<BackupResult> backup(Path source, Repository repo, List<JobLog.Line> lines)
      throws InterruptedException {
    return StandaloneBackup.run(List.of(repo), new BackupOptions(List.of(source), false, 2, Clock.systemUTC()),
        jobLog(lines));
  }

  /** A snapshot with nanosecond mtimes ({@code cp -a}; Files.copy keeps only microseconds). */
  public static void copyTree(Path from, Path to) throws Exception {
    Process p = new ProcessBuilder("cp", "-a", from.toString(), to.toString()).inheritIO().start();
    assertEquals(0, p.waitFor());
  }

  public static RestoreEngine.Summary restore(Repository repo, Path target, String job, boolean all,
      List<JobLog.Line> lines) throws Exception {
    return new RestoreEngine(repo, new RestoreEngine.Options(target, job, all, null, false, 2), jobLog(lines)).run();
  }

  /**
   * Restores {@code repo}'s latest job under {@code target} with no file failing, finds the tree of
   * {@code src} there, and a full check of the repository (every blob read) finds no problem.
   */
  public static void assertRestoresAndChecks(Repository repo, Path target, Path src) throws Exception {
    List<JobLog.Line> lines = new ArrayList<>();
    assertEquals(0, restore(repo, target, null, false, lines).failed(), lines.toString());
    assertSameTree(src, under(target, src));
    Checker.Report report = new Checker(repo).run(true);
    assertTrue(report.ok(), report.problems().toString());
  }

  /** A tree with text, random, empty and large files, nested folders, a symlink and odd modes. */
  public static void makeTree(Path root, long seed) throws IOException {
    Random r = new Random(seed);
    Files.createDirectories(root.resolve("docs/deep/deeper"));
    Files.createDirectories(root.resolve("empty-folder"));
    Files.writeString(root.resolve("docs/readme.txt"), "hello backup\n".repeat(1000));
    Files.write(root.resolve("docs/deep/random.bin"), bytes(r, 3 << 20));
    Files.write(root.resolve("docs/deep/deeper/small.bin"), bytes(r, 17));
    Files.write(root.resolve("empty.txt"), new byte[0]);
    Files.write(root.resolve("big.bin"), bytes(r, 9 << 20));
    Files.createSymbolicLink(root.resolve("link-to-readme"), Path.of("docs/readme.txt"));
    Files.createSymbolicLink(root.resolve("dangling"), Path.of("/nonexistent/target"));
    Path script = root.resolve("run.sh");
    Files.writeString(script, "#!/bin/sh\necho hi\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-x---"));
    Files.setLastModifiedTime(root.resolve("docs/readme.txt"), FileTime.fromMillis(1_600_000_000_123L));
  }

  public static byte[] bytes(Random r, int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }

  /** Same names, kinds, contents, symlink targets, modes and file mtimes. */
  public static void assertSameTree(Path expected, Path actual) throws IOException {
    List<Path> a = list(expected);
    List<Path> b = list(actual);
    assertEquals(a.stream().map(p -> expected.relativize(p).toString()).toList(),
        b.stream().map(p -> actual.relativize(p).toString()).toList());
    for (Path p : a) {
      Path q = actual.resolve(expected.relativize(p).toString());
      if (Files.isSymbolicLink(p)) {
        assertTrue(Files.isSymbolicLink(q), q + " should be a symlink");
        assertEquals(Files.readSymbolicLink(p), Files.readSymbolicLink(q));
        continue;
      }
      assertEquals(Files.isDirectory(p), Files.isDirectory(q, LinkOption.NOFOLLOW_LINKS), q.toString());
      assertEquals(Files.getPosixFilePermissions(p), Files.getPosixFilePermissions(q), "mode of " + q);
      if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(p), Files.readAllBytes(q)), "content of " + q);
        assertEquals(Files.getLastModifiedTime(p), Files.getLastModifiedTime(q), "mtime of " + q);
      }
    }
  }

  static List<Path> list(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.sorted().toList();
    }
  }

  /** Where a source folder lands under a restore target (stored paths are absolute). */
  public static Path under(Path target, Path source) {
    return target.resolve(source.toAbsolutePath().toString().substring(1));
  }
}
