package au.com.backup247.agent.repo.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.backup.RepoFixture;
import au.com.backup247.agent.integrity.Checker;
import au.com.backup247.agent.prune.PruneCrashTest;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.compress.CompressionSetting;
import au.com.backup247.agent.repo.crypto.CipherSuite;
import au.com.backup247.agent.repo.crypto.Hashes;
import au.com.backup247.agent.repo.crypto.KeyType;
import au.com.backup247.agent.repo.store.local.LocalStore;
import au.com.backup247.agent.repo.store.s3.S3Store;
import au.com.backup247.agent.repo.store.sftp.SftpStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.sshd.server.SshServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TEST-MATRIX R2 (issue 11): {@code b247 repo backup} in its own JVM is killed ({@code kill -9})
 * while a block is on its way: between write and rename (a local folder: a temporary file exists),
 * mid-stream (SFTP on Apache MINA: the temporary file is growing), before a multipart upload
 * completes (S3 on s3proxy: an upload is in progress). No object under a final name is partial
 * (every block's name is its SHA-256), the repository checks clean, the next backup completes and
 * removes the temporary leftovers once they are old enough (here aged by hand), and the source
 * restores identically.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class KilledUploadTest {
  private static Repository.InitOptions options(int blockMiB) {
    return new Repository.InitOptions("1700000000000", CipherSuite.AES_256_GCM, CompressionSetting.NONE,
        KeyType.PASSWORD, 0, blockMiB << 20, 1024, 1);
  }

  /**
   * A destination as the child process sees it and as this test does. The killed backups upload at
   * {@code rate} (a {@code --bandwidth}), so each block takes about two seconds to go up and the kill
   * lands during an upload however fast or busy the machine is; the next backup runs unlimited.
   */
  private record Peer(String url, Path credentials, Supplier<Store> store, Path served, BooleanSupplier uploading,
      int blockMiB, int files, String rate) {
  }

  private static Path credentials(Path dir, String text) throws Exception {
    Path f = dir.resolve("credentials");
    Files.writeString(f, text);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    return f;
  }

  /** Temporary uploads under {@code root} that already hold data. */
  private static List<Path> temporary(Path root) {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> p.getFileName().toString().contains(Store.TEMP_MARKER) && p.toFile().length() > 0)
          .toList();
    } catch (Exception e) {
      return List.of(); // a file renamed while walking
    }
  }

  private static Process backup(Path dir, Peer peer, Path key, Path src, String name, String rate)
      throws Exception {
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
        PruneCrashTest.classPath(), "au.com.backup247.agent.cli.B247", "repo", "backup", "--repo", peer.url(),
        "--key-file", key.toString()));
    if (peer.credentials() != null) {
      cmd.addAll(List.of("--credentials", peer.credentials().toString()));
    }
    if (rate != null) {
      cmd.addAll(List.of("--bandwidth", rate));
    }
    cmd.add(src.toString());
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".out").toFile())
        .start();
  }

  private void killMidUpload(Path dir, Peer peer) throws Exception {
    Path src = Files.createDirectories(dir.resolve("src"));
    Random r = new Random(2);
    for (int i = 0; i < peer.files(); i++) {
      Files.write(src.resolve("big-" + i + ".bin"), RepoFixture.bytes(r, peer.blockMiB() << 20));
    }
    Path key = dir.resolve("key");
    Files.writeString(key, RepoFixture.PASSWORD);
    Repository.init(peer.store().get(), options(peer.blockMiB()), RepoFixture.PASSWORD).close();
    boolean landed = false;
    for (int round = 0; round < 5 && !landed; round++) {
      Process p = backup(dir, peer, key, src, "killed-" + round, peer.rate());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (p.isAlive() && System.nanoTime() < deadline) {
        if (peer.uploading().getAsBoolean()) {
          p.destroyForcibly(); // SIGKILL
          break;
        }
        Thread.onSpinWait();
      }
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      // landed when the upload is still unfinished now that the process is dead: between the look and the
      // kill, a busy machine may have let it finish (then another round)
      landed = peer.uploading().getAsBoolean();
    }
    assertTrue(landed, "no kill landed during an upload in 5 backups");
    try (Repository repo = Repository.open(peer.store().get(), RepoFixture.PASSWORD)) {
      for (Store.StoredObject o : repo.store().list("blocks/")) {
        String name = o.path().substring(o.path().lastIndexOf('/') + 1);
        assertEquals(name, HexFormat.of().formatHex(Hashes.sha256(repo.store().get(o.path()))) + ".bak",
            "a partial block under its final name: " + o.path());
      }
      assertTrue(new Checker(repo).run(false).ok());
    }
    List<Path> leftovers = peer.served() == null ? List.of() : temporary(peer.served());
    if (peer.served() != null) {
      assertFalse(leftovers.isEmpty(), "the kill left no temporary upload");
      for (Path t : leftovers) { // the next backup removes those older than a day
        Files.setLastModifiedTime(t, FileTime.from(Instant.now().minus(Duration.ofDays(2))));
      }
    }
    Process next = backup(dir, peer, key, src, "next", null);
    assertTrue(next.waitFor(300, TimeUnit.SECONDS));
    assertEquals(0, next.exitValue(), Files.readString(dir.resolve("next.out")));
    for (Path t : leftovers) {
      assertFalse(Files.exists(t), "temporary upload left in place: " + t);
    }
    try (Repository repo = Repository.open(peer.store().get(), RepoFixture.PASSWORD)) {
      Path target = dir.resolve("restore");
      List<JobLog.Line> lines = new ArrayList<>();
      assertEquals(0, RepoFixture.restore(repo, target, null, false, lines).failed(), lines.toString());
      RepoFixture.assertSameTree(src, RepoFixture.under(target, src));
      assertTrue(new Checker(repo).run(true).ok());
    }
  }

  @Test
  void localFolder_killedBetweenWriteAndRename(@TempDir Path dir) throws Exception {
    Path repo = dir.resolve("repo");
    killMidUpload(dir, new Peer(repo.toString(), null, () -> new LocalStore(repo), repo,
        () -> !temporary(repo.resolve("blocks")).isEmpty(), 16, 3, "8MiB/s"));
  }

  @Test
  void sftp_killedMidStream(@TempDir Path dir) throws Exception {
    Path served = Files.createDirectories(dir.resolve("served"));
    SshServer server = SshPeers.mina(0, served, SshPeers.ed25519(), null);
    try {
      String fingerprint = SftpStore.fingerprint(server.getKeyPairProvider().loadKeys(null).iterator().next()
          .getPublic());
      Path creds = credentials(dir, "password=" + SshPeers.PASSWORD + "\nhost-key-fingerprint=" + fingerprint + "\n");
      killMidUpload(dir, new Peer("sftp://" + SshPeers.USER + "@127.0.0.1:" + server.getPort() + "/repo", creds,
          () -> new SftpStore(SftpStore.Config.of("127.0.0.1", server.getPort(), SshPeers.USER, "/repo/")
              .withPassword(SshPeers.PASSWORD).withHostKeyFingerprint(fingerprint)
              .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(60))), served,
          () -> !temporary(served.resolve("repo/blocks")).isEmpty(), 2, 3, "1MiB/s"));
    } finally {
      server.stop(true);
    }
  }

  /**
   * S3: killed while a block's multipart upload is in progress. Aborting such uploads is the
   * destination's work (done elsewhere); here: nothing partial is visible and the next run completes.
   */
  @Test
  void s3_killedBeforeAMultipartUploadCompletes(@TempDir Path dir) throws Exception {
    S3Peers.Peer server = S3Peers.start();
    try {
      server.createBucket("b247-kill");
      Path creds = credentials(dir, "access-key=" + S3Peers.ACCESS_KEY + "\nsecret-key=" + S3Peers.SECRET_KEY + "\n");
      var client = server.client();
      killMidUpload(dir, new Peer("s3://b247-kill/repo?endpoint=" + server.endpoint() + "&region=us-east-1", creds,
          () -> new S3Store(server.config("b247-kill", "repo")), null,
          () -> !client.listMultipartUploads(b -> b.bucket("b247-kill")).uploads().isEmpty(), 17, 2, "8MiB/s"));
    } finally {
      server.stop();
    }
  }
}
