package au.com.backup247.agent.repo.store.sftp;

import au.com.backup247.agent.repo.store.SshPeers;
import au.com.backup247.agent.repo.store.SystemUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's OpenSSH sshd set up the common secure way for a backup account, on a free loopback
 * port: {@code Match User} {@link SystemUser} with {@code ChrootDirectory}, {@code ForceCommand
 * internal-sftp} and password login. The chroot belongs to root, as sshd requires, and the user
 * writes below its {@code /upload}. sshd refuses a chroot with a folder on its path that others
 * may write, so it is made under {@code /run}, not the world-writable {@code /tmp}. Needs root and
 * openssh-server (CI has both): skipped elsewhere, failing under {@code CI=true}.
 */
public record ChrootedSshd(Process process, int port, Path dir, Path chroot, Path knownHosts, SystemUser user)
    implements AutoCloseable {

  public static ChrootedSshd start() throws Exception {
    boolean installed = Files.isExecutable(SftpOpenSshContractTest.SSHD);
    String missing = "OpenSSH sshd missing: install the Debian package openssh-server to run this test";
    Assertions.assertFalse(!installed && "true".equals(System.getenv("CI")), missing + " (.ci/run installs it)");
    Assumptions.assumeTrue(installed, missing);
    SystemUser user = SystemUser.get();
    Path dir = SystemUser.openTempFolder("b247-sshd");
    Path chroot = Files.createTempDirectory(Path.of("/run"), "b247-chroot", PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwxr-xr-x")));
    user.ownFolder(chroot, "upload");
    Path etc = Files.createDirectories(dir.resolve("etc"));
    SftpOpenSshContractTest.run("/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "host", "-f",
        etc.resolve("host_key").toString());
    int port = SshPeers.freePort();
    Path knownHosts = dir.resolve("known_hosts");
    Files.writeString(knownHosts, "[127.0.0.1]:" + port + " " + Files.readString(etc.resolve("host_key.pub")));
    Files.writeString(etc.resolve("sshd_config"), String.join("\n",
        "Port " + port, "ListenAddress 127.0.0.1", "HostKey " + etc.resolve("host_key"), "PidFile none",
        "UsePAM no", "PubkeyAuthentication no", "PasswordAuthentication no", "KbdInteractiveAuthentication no",
        "MaxSessions 32", "LogLevel ERROR", "Subsystem sftp internal-sftp",
        "Match User " + user.name(),
        "  PasswordAuthentication yes",
        "  ChrootDirectory " + chroot,
        "  ForceCommand internal-sftp",
        "  AllowTcpForwarding no",
        "  X11Forwarding no", ""));
    Files.createDirectories(Path.of("/run/sshd"));
    Path log = dir.resolve("sshd.log");
    Process p = new ProcessBuilder(SftpOpenSshContractTest.SSHD.toString(), "-D", "-e", "-f",
        etc.resolve("sshd_config").toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    SshPeers.awaitBanner(port, p, log, Duration.ofSeconds(20));
    return new ChrootedSshd(p, port, dir, chroot, knownHosts, user);
  }

  /** The store at {@code root}, a path as the chrooted user sees it. */
  public SftpStore.Config config(String root) {
    return SftpStore.Config.of("127.0.0.1", port, user.name(), root).withPassword(user.password())
        .withKnownHosts(knownHosts).withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(30)).withMaxChannels(8);
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    SystemUser.deleteQuietly(chroot);
    SystemUser.deleteQuietly(dir);
  }
}
