package au.com.backup247.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.repo.store.SshPeers;
import au.com.backup247.agent.repo.store.sftp.SftpStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.sshd.server.SshServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code b247 repo ...} as a user runs it: the offline CLI on real folders, as a separate process. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class RepoCliIT {
  static final String[] FAST_KDF = {"--kdf-memory", "1024", "--kdf-iterations", "1"};

  static AgentProcess.Result b247(Path dir, java.util.Map<String, String> env, String... args) throws Exception {
    return run(dir, env, AgentProcess.javaJar(), args);
  }

  /** Like {@link #b247(Path, java.util.Map, String...)}, with the test build's hooks (crash points) loaded. */
  static AgentProcess.Result b247WithTestHooks(Path dir, java.util.Map<String, String> env, String... args)
      throws Exception {
    return run(dir, env, AgentProcess.withTestHooks(), args);
  }

  private static AgentProcess.Result run(Path dir, java.util.Map<String, String> env, List<String> cmd,
      String... args) throws Exception {
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    pb.redirectOutput(out.toFile());
    pb.redirectError(err.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(240, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("b247 " + String.join(" ", args) + " did not finish");
    }
    return new AgentProcess.Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  static AgentProcess.Result b247(Path dir, String... args) throws Exception {
    return b247(dir, java.util.Map.of(), args);
  }

  static void tree(Path root, long seed) throws IOException {
    Random r = new Random(seed);
    Files.createDirectories(root.resolve("a/b"));
    Files.writeString(root.resolve("a/notes.txt"), "some text\n".repeat(5000));
    byte[] big = new byte[6 << 20];
    r.nextBytes(big);
    Files.write(root.resolve("a/b/big.bin"), big);
    Files.createSymbolicLink(root.resolve("link"), Path.of("a/notes.txt"));
    Files.writeString(root.resolve("exec.sh"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(root.resolve("exec.sh"), PosixFilePermissions.fromString("rwx------"));
  }

  static void assertIdentical(Path a, Path b) throws Exception {
    AgentProcess.Result diff = AgentProcess.shell(60, "diff", "-r", "--no-dereference", a.toString(), b.toString());
    assertEquals(0, diff.exit(), diff.all());
  }

  static Path restored(Path target, Path src) {
    return target.resolve(src.toAbsolutePath().toString().substring(1));
  }

  @Test
  void init_backup_jobs_ls_restore_check_decrypt(@TempDir Path dir) throws Exception {
    Path src = dir.resolve("src");
    tree(src, 1);
    Path key = dir.resolve("keys/set.key");
    Path repo = dir.resolve("repo");
    AgentProcess.Result init = b247(dir, "repo", "init", "--repo", repo.toString(), "--key-file", key.toString());
    assertEquals(0, init.exit(), init.all());
    assertTrue(init.out().contains("A new Default key was written to " + key), init.out());
    String k = Files.readString(key).strip();
    assertEquals(44, k.length());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    assertFalse(init.all().contains(k), "the key must not be printed");
    assertFalse(Files.readString(repo.resolve("config")).contains(k), "the key must not be stored in the clear");

    AgentProcess.Result backup = b247(dir, "repo", "backup", "--repo", repo.toString(), "--key-file", key.toString(),
        src.toString());
    assertEquals(0, backup.exit(), backup.all());
    assertTrue(backup.out().contains(repo + ": job "), backup.out());

    AgentProcess.Result jobs = b247(dir, "repo", "jobs", "--repo", repo.toString(), "--key-file", key.toString());
    assertEquals(0, jobs.exit(), jobs.all());
    assertEquals(2, jobs.out().strip().lines().count(), jobs.out());

    AgentProcess.Result ls = b247(dir, "repo", "ls", "--repo", repo.toString(), "--key-file", key.toString());
    assertTrue(ls.out().contains(src.resolve("a/b/big.bin").toString()), ls.out());
    assertTrue(ls.out().contains(src.resolve("link") + " -> a/notes.txt"), ls.out());

    AgentProcess.Result restore = b247(dir, "repo", "restore", "--repo", repo.toString(), "--key-file", key.toString(),
        "--target", dir.resolve("out").toString());
    assertEquals(0, restore.exit(), restore.all());
    assertIdentical(src, restored(dir.resolve("out"), src));

    AgentProcess.Result check = b247(dir, "repo", "check", "--read-data", "--repo", repo.toString(), "--key-file",
        key.toString());
    assertEquals(0, check.exit(), check.all());
    assertTrue(check.out().contains("no problems"), check.out());

    // decrypt works from the blocks alone: remove the index and manifests first
    try (Stream<Path> s = Files.list(repo.resolve("index"))) {
      for (Path p : s.toList()) {
        Files.delete(p);
      }
    }
    AgentProcess.Result decrypt = b247(dir, "repo", "decrypt", "--repo", repo.toString(), "--key-file",
        key.toString(), "--target", dir.resolve("plain").toString());
    assertEquals(0, decrypt.exit(), decrypt.all());
    assertIdentical(src, restored(dir.resolve("plain"), src));
  }

  @Test
  void wrongKey_andMissingRepo_giveOneLineErrors(@TempDir Path dir) throws Exception {
    Path key = dir.resolve("pw");
    Files.writeString(key, "secret password\n");
    Path repo = dir.resolve("repo");
    List<String> init = new ArrayList<>(List.of("repo", "init", "--repo", repo.toString(), "--key-file",
        key.toString()));
    init.addAll(List.of(FAST_KDF));
    assertEquals(0, b247(dir, init.toArray(String[]::new)).exit());
    Path wrong = dir.resolve("wrong");
    Files.writeString(wrong, "not it");
    AgentProcess.Result r = b247(dir, "repo", "jobs", "--repo", repo.toString(), "--key-file", wrong.toString());
    assertEquals(1, r.exit());
    assertEquals("b247: wrong key for repository " + repo, r.err().strip());
    AgentProcess.Result none = b247(dir, "repo", "jobs", "--repo", dir.resolve("nothing").toString(), "--key-file",
        key.toString());
    assertEquals(1, none.exit());
    assertTrue(none.err().startsWith("b247: no repository and no backup sets at"), none.err());
    assertTrue(!none.err().contains("repo init"), "an address with nothing is not a reason to create one: "
        + none.err());
    AgentProcess.assertNoStackTrace(r.all() + none.all());
    AgentProcess.Result ecb = b247(dir, "repo", "init", "--repo", dir.resolve("r2").toString(), "--key-file",
        key.toString(), "--cipher", "ecb");
    assertEquals(1, ecb.exit());
    assertTrue(ecb.err().contains("ECB"), ecb.err());
  }

  @Test
  void oneBackupToTwoRepositories_aFailingOneDoesNotFailTheOther(@TempDir Path dir) throws Exception {
    Path src = dir.resolve("src");
    tree(src, 2);
    Path key = dir.resolve("pw");
    Files.writeString(key, "pw for both\n");
    Path r1 = dir.resolve("r1");
    Path r2 = dir.resolve("r2");
    List<String> init = new ArrayList<>(List.of("repo", "init", "--repo", r1.toString(), "--key-file",
        key.toString()));
    init.addAll(List.of(FAST_KDF));
    assertEquals(0, b247(dir, init.toArray(String[]::new)).exit());
    AgentProcess.Result like = b247(dir, "repo", "init", "--repo", r2.toString(), "--key-file", key.toString(),
        "--like", r1.toString());
    assertEquals(0, like.exit(), like.all());

    AgentProcess.Result both = b247(dir, "repo", "backup", "--mode", "concurrent", "--repo", r1.toString(), "--repo",
        r2.toString(), "--key-file", key.toString(), src.toString());
    assertEquals(0, both.exit(), both.all());
    for (Path r : new Path[] {r1, r2}) {
      Path out = dir.resolve("out-" + r.getFileName());
      assertEquals(0, b247(dir, "repo", "restore", "--repo", r.toString(), "--key-file", key.toString(), "--target",
          out.toString()).exit());
      assertIdentical(src, restored(out, src));
    }
    // identical blocks at both destinations: sealed once
    assertEquals(listing(r1.resolve("blocks")), listing(r2.resolve("blocks")));

    // break r2: its blocks folder becomes a file, so writing a block there fails
    Files.writeString(src.resolve("a/new.txt"), "new data".repeat(100000));
    Files.move(r2.resolve("blocks"), dir.resolve("r2-blocks-aside"));
    Files.writeString(r2.resolve("blocks"), "not a folder");
    AgentProcess.Result partly = b247(dir, "repo", "backup", "--mode", "concurrent", "--repo", r1.toString(),
        "--repo", r2.toString(), "--key-file", key.toString(), src.toString());
    assertEquals(1, partly.exit(), partly.all());
    assertTrue(partly.out().contains(r1 + ": job ") && partly.out().contains(r2 + ": FAILED"), partly.out());
    assertTrue(b247(dir, "repo", "jobs", "--repo", r1.toString(), "--key-file", key.toString()).out().strip()
        .lines().count() == 3);
  }

  static List<String> listing(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
    }
  }

  @Test
  void backupOutput_neverContainsThePassword(@TempDir Path dir) throws Exception {
    Path src = dir.resolve("src");
    tree(src, 3);
    Path key = dir.resolve("pw");
    Files.writeString(key, "hunter2-very-secret\n", StandardCharsets.UTF_8);
    Path repo = dir.resolve("repo");
    List<String> init = new ArrayList<>(List.of("repo", "init", "--repo", repo.toString(), "--key-file",
        key.toString()));
    init.addAll(List.of(FAST_KDF));
    AgentProcess.Result i = b247(dir, init.toArray(String[]::new));
    AgentProcess.Result b = b247(dir, "repo", "backup", "-v", "--repo", repo.toString(), "--key-file", key.toString(),
        src.toString());
    assertFalse((i.all() + b.all()).contains("hunter2"));
    AgentProcess.Result grep = AgentProcess.shell(60, "grep", "-r", "-l", "hunter2", repo.toString());
    assertEquals(1, grep.exit(), "password found in the repository: " + grep.out());
  }

  // ---- destinations by URL, repo test, sequential and concurrent mode ---------------------------

  static Path privateFile(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  static List<String> withFastKdf(String... args) {
    List<String> l = new ArrayList<>(List.of(args));
    l.addAll(List.of(FAST_KDF));
    return l;
  }

  @Test
  void repoTest_onALocalFolder_passesEveryStepWithItsLatency(@TempDir Path dir) throws Exception {
    Path target = dir.resolve("dest");
    AgentProcess.Result t = b247(dir, "repo", "test", "--repo", target.toString());
    assertEquals(0, t.exit(), t.all());
    for (String step : new String[] {"connect", "put", "get", "list", "delete"}) {
      assertTrue(t.out().lines().anyMatch(l -> l.matches(step + " +ok +[0-9.]+ ms .*")), step + ":\n" + t.out());
    }
    assertTrue(t.out().contains("ok: " + target + " works"), t.out());
    assertEquals(List.of(), listing(target), "the probe is deleted");
  }

  @Test
  void repoTest_onAReadOnlyFolder_failsNamingThePutStep(@TempDir Path dir) throws Exception {
    Path target = Files.createDirectory(dir.resolve("ro"));
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("r-xr-xr-x"));
    if (Files.isWritable(target)) {
      // running as root: permissions do not stop writes, so make probe/ impossible to create instead
      Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.writeString(target.resolve("probe"), "a file where the probe folder would go");
      Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("r-xr-xr-x"));
    }
    try {
      AgentProcess.Result t = b247(dir, "repo", "test", "--repo", target.toString());
      assertEquals(1, t.exit(), t.all());
      assertTrue(t.out().lines().anyMatch(l -> l.matches("put +FAILED +[0-9.]+ ms +permanent error: .*")), t.out());
      assertTrue(t.err().contains("test failed at step put (permanent)"), t.err());
      assertTrue(t.out().lines().anyMatch(l -> l.matches("connect +ok .*")), t.out());
      assertFalse(t.out().contains("get "), "stops at the failed step:\n" + t.out());
      AgentProcess.assertNoStackTrace(t.all());
    } finally {
      Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
    }
  }

  @Test
  void badDestinationUrl_orCredentialsReadableByOthers_isAOneLineUsageError(@TempDir Path dir) throws Exception {
    AgentProcess.Result secret = b247(dir, "repo", "test", "--repo", "sftp://backup:hunter2@127.0.0.1/x");
    assertEquals(2, secret.exit(), secret.all());
    assertTrue(secret.err().contains("credentials file"), secret.err());
    assertFalse(secret.all().contains("hunter2"), secret.all());
    AgentProcess.Result port = b247(dir, "repo", "jobs", "--repo", "sftp://backup@127.0.0.1:99x/x");
    assertEquals(2, port.exit(), port.all());
    assertTrue(port.err().contains("bad port \"99x\""), port.err());
    Path open = dir.resolve("creds");
    Files.writeString(open, "password=x\n");
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
    AgentProcess.Result perms = b247(dir, "repo", "test", "--repo", "sftp://backup@127.0.0.1/x", "--credentials",
        open.toString());
    assertEquals(2, perms.exit(), perms.all());
    assertTrue(perms.err().contains("chmod 600 " + open), perms.err());
    AgentProcess.assertNoStackTrace(secret.all() + port.all() + perms.all());
  }

  /** An embedded SFTP server (Apache MINA SSHD) serving {@code root}, password login only. */
  static SshServer sftpServer(Path root, KeyPair hostKey, String user, String password) throws IOException {
    return sftpServer(root, hostKey, user, password, 0);
  }

  /** The same on a given port (0: any free port), e.g. to bring a stopped server back where it was. */
  static SshServer sftpServer(Path root, KeyPair hostKey, String user, String password, int port)
      throws IOException {
    return SshPeers.mina(port, root, hostKey, user, password, null);
  }

  @Test
  void initBackupRestore_throughAnSftpUrl_withACredentialsFile(@TempDir Path dir) throws Exception {
    Path src = dir.resolve("src");
    tree(src, 4);
    Path serverRoot = Files.createDirectory(dir.resolve("server"));
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair hostKey = g.generateKeyPair();
    String password = "sftp-Pa55-word-xyz";
    SshServer server = sftpServer(serverRoot, hostKey, "backup", password);
    try {
      Path creds = privateFile(dir.resolve("sftp.properties"), "password=" + password + "\nhost-key-fingerprint="
          + SftpStore.fingerprint(hostKey.getPublic()) + "\n");
      Path key = dir.resolve("pw");
      Files.writeString(key, "repo password\n");
      String url = "sftp://backup@127.0.0.1:" + server.getPort() + "/repo";
      List<String> output = new ArrayList<>();

      AgentProcess.Result test = b247(dir, "repo", "test", "--repo", url, "--credentials", creds.toString());
      assertEquals(0, test.exit(), test.all());
      output.add(test.all());
      List<String> init = withFastKdf("repo", "init", "--repo", url, "--credentials", creds.toString(), "--key-file",
          key.toString());
      AgentProcess.Result i = b247(dir, init.toArray(String[]::new));
      assertEquals(0, i.exit(), i.all());
      assertTrue(Files.isRegularFile(serverRoot.resolve("repo/config")), "the repository is on the server");
      AgentProcess.Result b = b247(dir, "repo", "backup", "--repo", url, "--credentials", creds.toString(),
          "--key-file", key.toString(), src.toString());
      assertEquals(0, b.exit(), b.all());
      assertTrue(b.out().contains(url + ": job "), b.out());
      Path out = dir.resolve("out");
      AgentProcess.Result r = b247(dir, "repo", "restore", "--repo", url, "--credentials", creds.toString(),
          "--key-file", key.toString(), "--target", out.toString());
      assertEquals(0, r.exit(), r.all());
      assertIdentical(src, restored(out, src));
      AgentProcess.Result check = b247(dir, "repo", "check", "--read-data", "--repo", url, "--credentials",
          creds.toString(), "--key-file", key.toString());
      assertEquals(0, check.exit(), check.all());
      output.addAll(List.of(i.all(), b.all(), r.all(), check.all()));
      for (String o : output) {
        assertFalse(o.contains(password), "the SFTP password must never be printed: " + o);
      }

      // without the credentials file: refused before connecting, saying what is missing
      Path home = Files.createDirectory(dir.resolve("home")); // no ~/.ssh keys to fall back on
      AgentProcess.Result none = b247(dir, java.util.Map.of("JAVA_TOOL_OPTIONS", "-Duser.home=" + home), "repo",
          "jobs", "--repo", url, "--key-file", key.toString());
      assertEquals(2, none.exit(), none.all());
      assertTrue(none.err().contains("no password and no key"), none.err());
      AgentProcess.assertNoStackTrace(none.all());
    } finally {
      server.stop(true);
    }
  }

  @Test
  void sequentialAndConcurrentModes_bothBackUpEveryDestination_andAFailedOneExits1(@TempDir Path dir)
      throws Exception {
    Path src = dir.resolve("src");
    tree(src, 5);
    Path key = dir.resolve("pw");
    Files.writeString(key, "pw for both\n");
    Path r1 = dir.resolve("r1");
    Path r2 = dir.resolve("r2");
    assertEquals(0, b247(dir, withFastKdf("repo", "init", "--repo", r1.toString(), "--key-file", key.toString())
        .toArray(String[]::new)).exit());
    assertEquals(0, b247(dir, "repo", "init", "--repo", "file://" + r2, "--key-file", key.toString(), "--like",
        r1.toString()).exit());
    int jobs = 0;
    for (String[] mode : new String[][] {{"--mode", "sequential"}, {"--mode", "concurrent"}, {"--mode",
        "concurrent", "--max-concurrent", "1"}}) {
      Files.writeString(src.resolve("a/changed.txt"), String.join(" ", mode));
      List<String> args = new ArrayList<>(List.of("repo", "backup", "--repo", r1.toString(), "--repo", r2.toString(),
          "--key-file", key.toString(), src.toString()));
      args.addAll(List.of(mode));
      AgentProcess.Result b = b247(dir, args.toArray(String[]::new));
      assertEquals(0, b.exit(), b.all());
      assertTrue(b.out().contains(r1 + ": job ") && b.out().contains(r2 + ": job "), b.out());
      assertTrue(b.out().contains("2 destinations (" + mode[1]) && b.out().contains("2 completed"), b.out());
      jobs++;
      for (Path r : new Path[] {r1, r2}) {
        Path out = dir.resolve("out-" + jobs + "-" + r.getFileName());
        AgentProcess.Result restore = b247(dir, "repo", "restore", "--repo", r.toString(), "--key-file",
            key.toString(), "--target", out.toString());
        assertEquals(0, restore.exit(), restore.all());
        assertIdentical(src, restored(out, src));
      }
    }

    // break r2: its blocks folder becomes a file; in both modes r2 fails, r1 completes and restores
    Files.move(r2.resolve("blocks"), dir.resolve("r2-blocks-aside"));
    Files.writeString(r2.resolve("blocks"), "not a folder");
    for (String mode : new String[] {"sequential", "concurrent"}) {
      Files.writeString(src.resolve("a/new-" + mode + ".txt"), mode.repeat(100000));
      AgentProcess.Result b = b247(dir, "repo", "backup", "--mode", mode, "--repo", r2.toString(), "--repo",
          r1.toString(), "--key-file", key.toString(), src.toString());
      assertEquals(1, b.exit(), b.all());
      assertTrue(b.out().contains(r1 + ": job ") && b.out().contains(r2 + ": FAILED"), b.out());
      assertTrue(b.out().contains("1 completed, 1 FAILED"), b.out());
      AgentProcess.assertNoStackTrace(b.out());
      Path out = dir.resolve("out-broken-" + mode);
      AgentProcess.Result restore = b247(dir, "repo", "restore", "--repo", r1.toString(), "--key-file",
          key.toString(), "--target", out.toString());
      assertEquals(0, restore.exit(), restore.all());
      assertIdentical(src, restored(out, src));
    }

    AgentProcess.Result bad = b247(dir, "repo", "backup", "--mode", "parallel", "--repo", r1.toString(),
        "--key-file", key.toString(), src.toString());
    assertEquals(2, bad.exit(), bad.all());
    assertTrue(bad.err().contains("--mode must be sequential or concurrent"), bad.err());
  }

  /**
   * Issue 11, item 1: "init --like" never copies "no encryption" silently (only with --cipher none),
   * and a key given to a repository whose config says cipher none is refused: the config may have
   * been replaced to make the next backup go out in clear.
   */
  @Test
  void likeAnUnencryptedRepository_needsCipherNone_andAKeyRefusesAnUnencryptedConfig(@TempDir Path dir)
      throws Exception {
    Path plain = dir.resolve("plain");
    assertEquals(0, b247(dir, "repo", "init", "--repo", plain.toString(), "--cipher", "none").exit());
    AgentProcess.Result like = b247(dir, "repo", "init", "--repo", dir.resolve("copy").toString(), "--like",
        plain.toString());
    assertTrue(like.exit() != 0 && like.err().contains("copy it only with --cipher none"), like.all());
    assertFalse(Files.exists(dir.resolve("copy/config")));
    assertEquals(0, b247(dir, "repo", "init", "--repo", dir.resolve("copy").toString(), "--like", plain.toString(),
        "--cipher", "none").exit());

    Path key = dir.resolve("pw");
    Files.writeString(key, "a password\n");
    Path enc = dir.resolve("enc");
    List<String> init = new ArrayList<>(List.of("repo", "init", "--repo", enc.toString(), "--key-file",
        key.toString()));
    init.addAll(List.of(FAST_KDF));
    assertEquals(0, b247(dir, init.toArray(String[]::new)).exit());
    Files.copy(plain.resolve("config"), enc.resolve("config"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Path src = Files.createDirectories(dir.resolve("src"));
    Files.writeString(src.resolve("marker.txt"), "PLAINTEXT-MARKER");
    AgentProcess.Result backup = b247(dir, "repo", "backup", "--repo", enc.toString(), "--key-file", key.toString(),
        src.toString());
    assertTrue(backup.exit() != 0 && backup.all().contains("cipher none (no encryption), but a key was given"),
        backup.all());
    assertTrue(AgentProcess.shell(10, "grep", "-r", "PLAINTEXT-MARKER", enc.toString()).exit() != 0,
        "the marker went out in clear");
  }
}
