package au.com.backup247.agent.repo.store.sftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.repo.store.NoSuchObjectException;
import au.com.backup247.agent.repo.store.SshPeers;
import au.com.backup247.agent.repo.store.Store;
import au.com.backup247.agent.repo.store.StoreContract;
import au.com.backup247.agent.repo.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SftpStore} passes the destination contract against Debian's OpenSSH: a real {@code sshd}
 * on a random loopback port with a generated host key and config, key authentication for the
 * current user (root in CI) and a hashed known_hosts file. Needs the Debian package
 * {@code openssh-server}; skipped when its binaries are missing, except under CI=true, where that fails.
 *
 * <p>SFTP is served by {@code internal-sftp}: the same OpenSSH code as the
 * {@code /usr/lib/openssh/sftp-server} binary, run inside sshd. The binary would be started
 * through the user's login shell for every channel, which sources root's {@code .bashrc} and costs
 * over a second per channel on machines whose {@code .bashrc} is slow.
 */
class SftpOpenSshContractTest extends StoreContract {
  static final Path SSHD = Path.of("/usr/sbin/sshd");
  @TempDir
  static Path dir;
  static Process sshd;
  static int port;
  static Path identity;
  static Path knownHosts;
  static Path served;
  static Path log;
  static final AtomicInteger N = new AtomicInteger();
  Path folder;

  static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
    }
  }

  @BeforeAll
  static void startSshd() throws Exception {
    boolean installed = Files.isExecutable(SSHD) && Files.isExecutable(Path.of("/usr/bin/ssh-keygen"));
    String missing = "OpenSSH sshd or ssh-keygen missing: install the Debian package openssh-server to run this test";
    assertFalse(!installed && "true".equals(System.getenv("CI")), missing + " (.ci/run installs it)");
    Assumptions.assumeTrue(installed, missing);
    served = Files.createDirectories(dir.resolve("served"));
    Path etc = Files.createDirectories(dir.resolve("etc"));
    run("/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "host", "-f", etc.resolve("host_key").toString());
    identity = dir.resolve("id_ed25519");
    run("/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "client", "-f", identity.toString());
    Files.copy(dir.resolve("id_ed25519.pub"), etc.resolve("authorized_keys"));
    port = SshPeers.freePort();
    knownHosts = dir.resolve("known_hosts");
    Files.writeString(knownHosts, "[127.0.0.1]:" + port + " " + Files.readString(etc.resolve("host_key.pub")));
    run("/usr/bin/ssh-keygen", "-q", "-H", "-f", knownHosts.toString()); // hashed host names, as Debian's default
    Files.writeString(etc.resolve("sshd_config"), String.join("\n",
        "Port " + port,
        "ListenAddress 127.0.0.1",
        "HostKey " + etc.resolve("host_key"),
        "PidFile none",
        "AuthorizedKeysFile " + etc.resolve("authorized_keys"),
        "StrictModes no",
        "UsePAM no",
        "PubkeyAuthentication yes",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "PermitRootLogin prohibit-password",
        "MaxSessions 32",
        "LogLevel ERROR",
        "Subsystem sftp internal-sftp",
        ""));
    Path privsep = Path.of("/run/sshd"); // sshd needs its privilege separation folder
    if (!Files.isDirectory(privsep)) {
      Files.createDirectories(privsep);
    }
    log = dir.resolve("sshd.log");
    sshd = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", etc.resolve("sshd_config").toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    SshPeers.awaitBanner(port, sshd, log, Duration.ofSeconds(20));
  }

  @AfterAll
  static void stopSshd() throws Exception {
    if (sshd != null) {
      sshd.destroy();
      if (!sshd.waitFor(10, TimeUnit.SECONDS)) {
        sshd.destroyForcibly();
      }
    }
  }

  static SftpStore.Config config(String root) {
    return SftpStore.Config.of("127.0.0.1", port, System.getProperty("user.name"), root)
        .withIdentity(identity, null).withKnownHosts(knownHosts)
        .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(30)).withMaxChannels(8);
  }

  @Override
  protected Store createStore() {
    folder = served.resolve("o" + N.incrementAndGet());
    return new SftpStore(config(folder.toString()));
  }

  @Override
  protected Path backingFolder() {
    return folder;
  }

  @Test
  void openSshOffersAtomicRenameAndFsync() {
    assertEquals("posix-rename fsync", ((SftpStore) store).serverFeatures());
  }

  @Test
  void openSshAgreesToTheCipherThatIsWarmedUp() {
    assertEquals(SftpStore.CIPHERS.get(0).getName(), ((SftpStore) store).transportCipher());
  }

  @Test
  void anUnknownHostKeyIsRefusedByFingerprint() throws IOException {
    Path other = Files.writeString(dir.resolve("other_known_hosts"), "");
    try (SftpStore s = new SftpStore(config(served.toString()).withKnownHosts(other))) {
      StoreException e = assertThrows(StoreException.class, () -> s.list(""));
      assertFalse(e.isTransient());
      assertTrue(e.getMessage().contains("unknown host key ssh-ed25519 SHA256:"), e.getMessage());
    }
  }

  @Test
  void aMissingFileIsNoSuchObjectAndAFileInPlaceOfAFolderIsPermanent() throws IOException {
    assertThrows(NoSuchObjectException.class, () -> store.get("nope"));
    store.put("a", new byte[] {1});
    StoreException e = assertThrows(StoreException.class, () -> store.put("a/b", new byte[] {1}));
    assertFalse(e.isTransient(), e.getMessage());
  }

  /**
   * OpenSSH answers a write to a full disk with a bare SSH_FX_FAILURE; the store asks the server how much
   * space is left (statvfs@openssh.com) and says "no space left" instead of retrying. The full disk is a
   * 2 MiB tmpfs mounted under the served folder (needs root, as in CI).
   */
  @Test
  void aFullDiskIsNoSpaceLeft_permanent_andLeavesNothingBehind() throws Exception {
    Path full = Files.createDirectories(served.resolve("full"));
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", full.toString())
        .redirectErrorStream(true).start();
    String why = new String(mount.getInputStream().readAllBytes());
    if (mount.waitFor() != 0) {
      assertFalse("true".equals(System.getenv("CI")), "cannot mount a small tmpfs in CI: " + why);
      Assumptions.abort("cannot mount a small tmpfs here (needs root): " + why);
    }
    try (SftpStore s = new SftpStore(config(full.toString()))) {
      s.put("small", new byte[1000]);
      StoreException e = assertThrows(StoreException.class, () -> s.put("blocks/big.bak", new byte[4 << 20]));
      assertFalse(e.isTransient(), e.getMessage());
      assertTrue(e.getMessage().contains("no space left on the server"), e.getMessage());
      assertTrue(e.getMessage().contains("blocks/big.bak"), e.getMessage());
      assertEquals(java.util.List.of("small"), s.list("").stream().map(Store.StoredObject::path).toList(),
          "no partial object, no temp file listed");
      try (var files = Files.walk(full)) {
        assertEquals(0, files.filter(f -> f.getFileName().toString().contains(".tmp-")).count(), "temp removed");
      }
    } finally {
      new ProcessBuilder("umount", full.toString()).start().waitFor();
    }
  }
}
