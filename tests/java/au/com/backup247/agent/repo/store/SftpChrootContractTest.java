package au.com.backup247.agent.repo.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link SftpStore} passes the destination contract against Debian's OpenSSH set up the common
 * secure way for a backup account: {@code Match User} with {@code ChrootDirectory} and
 * {@code ForceCommand internal-sftp}. The user ({@link SystemUser}, password login) sees the chroot
 * as {@code /}, which belongs to root as sshd requires, and writes below {@code /upload}; the store
 * is given paths as the user sees them. Needs root and openssh-server (CI has both): skipped
 * elsewhere, failing under {@code CI=true}.
 *
 * <p>sshd refuses a chroot with any folder on its path that is writable by others, so the chroot
 * is made under {@code /run}, not under the world-writable {@code /tmp}.
 */
class SftpChrootContractTest extends StoreContract {
  static Path dir;
  static Path chroot;
  static Process sshd;
  static int port;
  static Path knownHosts;
  static SystemUser user;
  static final AtomicInteger N = new AtomicInteger();
  Path folder;

  @BeforeAll
  static void startSshd() throws Exception {
    boolean installed = Files.isExecutable(SftpOpenSshContractTest.SSHD);
    String missing = "OpenSSH sshd missing: install the Debian package openssh-server to run this test";
    assertFalse(!installed && "true".equals(System.getenv("CI")), missing + " (.ci/run installs it)");
    Assumptions.assumeTrue(installed, missing);
    user = SystemUser.get();
    dir = SystemUser.openTempFolder("b247-sshd");
    chroot = Files.createTempDirectory(Path.of("/run"), "b247-chroot", PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwxr-xr-x")));
    user.ownFolder(chroot, "upload");
    Path etc = Files.createDirectories(dir.resolve("etc"));
    SftpOpenSshContractTest.run("/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "host", "-f",
        etc.resolve("host_key").toString());
    port = SshPeers.freePort();
    knownHosts = dir.resolve("known_hosts");
    Files.writeString(knownHosts, "[127.0.0.1]:" + port + " " + Files.readString(etc.resolve("host_key.pub")));
    Files.writeString(etc.resolve("sshd_config"), String.join("\n",
        "Port " + port,
        "ListenAddress 127.0.0.1",
        "HostKey " + etc.resolve("host_key"),
        "PidFile none",
        "UsePAM no",
        "PubkeyAuthentication no",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "MaxSessions 32",
        "LogLevel ERROR",
        "Subsystem sftp internal-sftp",
        "Match User " + user.name(),
        "  PasswordAuthentication yes",
        "  ChrootDirectory " + chroot,
        "  ForceCommand internal-sftp",
        "  AllowTcpForwarding no",
        "  X11Forwarding no",
        ""));
    Files.createDirectories(Path.of("/run/sshd"));
    Path log = dir.resolve("sshd.log");
    sshd = new ProcessBuilder(SftpOpenSshContractTest.SSHD.toString(), "-D", "-e", "-f",
        etc.resolve("sshd_config").toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
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
    SystemUser.deleteQuietly(chroot);
    SystemUser.deleteQuietly(dir);
  }

  /** The store at {@code root}, a path as the chrooted user sees it. */
  static SftpStore.Config config(String root) {
    return SftpStore.Config.of("127.0.0.1", port, user.name(), root).withPassword(user.password())
        .withKnownHosts(knownHosts).withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(30)).withMaxChannels(8);
  }

  @Override
  protected Store createStore() throws Exception {
    String name = "t" + N.incrementAndGet();
    folder = user.ownFolder(chroot.resolve("upload"), name);
    return new SftpStore(config("/upload/" + name));
  }

  @Override
  protected Path backingFolder() {
    return folder;
  }

  @Override
  protected void planted(Path folder) throws Exception {
    user.giveAwayAll(folder);
  }

  @Test
  void pathsAreAsTheUserSeesThem_absoluteAndRelativeToTheLoginFolder() throws Exception {
    try (SftpStore absolute = new SftpStore(config("/upload/seen/repo"));
        SftpStore relative = new SftpStore(config("upload/seen/repo"))) {
      absolute.put("jobs/a.job", new byte[] {1, 2});
      assertArrayEquals(new byte[] {1, 2}, relative.get("jobs/a.job"), "the login folder is the chroot's /");
      assertTrue(Files.exists(chroot.resolve("upload/seen/repo/jobs/a.job")));
      assertEquals("posix-rename fsync", absolute.serverFeatures());
    }
  }
}
