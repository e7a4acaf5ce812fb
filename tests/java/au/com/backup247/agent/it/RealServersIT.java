package au.com.backup247.agent.it;

import static au.com.backup247.agent.it.RepoCliIT.assertIdentical;
import static au.com.backup247.agent.it.RepoCliIT.b247;
import static au.com.backup247.agent.it.RepoCliIT.privateFile;
import static au.com.backup247.agent.it.RepoCliIT.restored;
import static au.com.backup247.agent.it.RepoCliIT.withFastKdf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.repo.store.AzuritePeer;
import au.com.backup247.agent.repo.store.DebianFtpServers;
import au.com.backup247.agent.repo.store.S3Peers;
import au.com.backup247.agent.repo.store.SystemUser;
import au.com.backup247.agent.repo.store.sftp.ChrootedSshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Issue 15 as a user meets it: the offline CLI, as a separate process, initialises a repository,
 * backs up and restores it on servers set up the way they are shipped — Debian's vsftpd
 * with FTPS on its defaults (TLS session reuse required), Debian's pure-ftpd with TLS, OpenSSH
 * with a chrooted internal-sftp user — and on an S3 bucket and an Azure container that do not
 * exist yet (s3proxy, Azurite), which {@code repo init} creates.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class RealServersIT {
  @TempDir
  Path dir;

  /** init, backup, restore (identical): each exits 0. */
  void roundTrip(String url, Path creds) throws Exception {
    Path src = dir.resolve("src");
    DestinationsIT.randomTree(src, 3, 1 << 20, 15);
    Path key = dir.resolve("key");
    Files.writeString(key, "a password for real servers\n");
    String[] common = {"--repo", url, "--credentials", creds.toString(), "--key-file", key.toString()};
    AgentProcess.Result init = b247(dir, withFastKdf(concat(new String[] {"repo", "init"}, common))
        .toArray(String[]::new));
    assertEquals(0, init.exit(), init.all());
    AgentProcess.Result backup = b247(dir, concat(concat(new String[] {"repo", "backup"}, common),
        new String[] {src.toString()}));
    assertEquals(0, backup.exit(), backup.all());
    Path out = dir.resolve("restored");
    AgentProcess.Result restore = b247(dir, concat(concat(new String[] {"repo", "restore"}, common),
        new String[] {"--target", out.toString()}));
    assertEquals(0, restore.exit(), restore.all());
    assertIdentical(src, restored(out, src)); // every block read back and authenticated
    AgentProcess.assertNoStackTrace(init.all() + backup.all() + restore.all());
  }

  static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  void ftps(DebianFtpServers.Server server) throws Exception {
    Path served = server.user().ownFolder(server.log().getParent(), "served");
    Path creds = privateFile(dir.resolve("ftps.properties"), "password=" + server.user().password()
        + "\ncertificate-fingerprint=" + server.fingerprint() + "\n");
    roundTrip("ftps://" + server.user().name() + "@127.0.0.1:" + server.port() + served + "/repo", creds);
  }

  @Test
  void vsftpd_ftpsOnItsDefaults_sessionReuseRequired() throws Exception {
    Path etc = SystemUser.openTempFolder("b247-vsftpd-it");
    try (DebianFtpServers.Server server = DebianFtpServers.vsftpd(etc)) {
      ftps(server);
    } finally {
      SystemUser.deleteQuietly(etc);
    }
  }

  @Test
  void pureFtpd_withTls() throws Exception {
    Path etc = SystemUser.openTempFolder("b247-pureftpd-it");
    try (DebianFtpServers.Server server = DebianFtpServers.pureFtpd(etc)) {
      ftps(server);
    } finally {
      SystemUser.deleteQuietly(etc);
    }
  }

  @Test
  void openSsh_chrootedInternalSftpUser_pathsAsTheUserSeesThem() throws Exception {
    try (ChrootedSshd sshd = ChrootedSshd.start()) {
      Path creds = privateFile(dir.resolve("sftp.properties"), "password=" + sshd.user().password()
          + "\nknown-hosts=" + sshd.knownHosts() + "\n");
      roundTrip("sftp://" + sshd.user().name() + "@127.0.0.1:" + sshd.port() + "/upload/repo", creds);
      assertTrue(Files.exists(sshd.chroot().resolve("upload/repo/config")));
    }
  }

  @Test
  void s3_aMissingBucketIsCreatedByRepoInit() throws Exception {
    S3Peers.Peer s3 = S3Peers.start();
    try {
      Path creds = privateFile(dir.resolve("s3.properties"), "access-key=" + S3Peers.ACCESS_KEY + "\nsecret-key="
          + S3Peers.SECRET_KEY + "\n");
      roundTrip("s3://not-yet-there/repo?endpoint=" + s3.endpoint() + "&region=us-east-1", creds);
      try (S3Client c = s3.client()) {
        assertFalse(c.listObjectsV2(r -> r.bucket("not-yet-there").prefix("repo/")).contents().isEmpty());
      }
    } finally {
      s3.stop();
    }
  }

  @Test
  void azure_aMissingContainerIsCreatedPrivateByRepoInit() throws Exception {
    try (AzuritePeer azurite = AzuritePeer.shared()) {
      Path creds = privateFile(dir.resolve("azure.properties"), "account-key=" + AzuritePeer.KEY + "\n");
      roundTrip("azure://" + AzuritePeer.ACCOUNT + "/not-yet-there/repo?endpoint=" + azurite.endpoint, creds);
      var made = azurite.client().getBlobContainerClient("not-yet-there");
      assertTrue(made.exists());
      assertEquals(null, made.getProperties().getBlobPublicAccess(), "private");
    }
  }
}
