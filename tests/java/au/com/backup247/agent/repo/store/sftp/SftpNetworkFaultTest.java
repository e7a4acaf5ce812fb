package au.com.backup247.agent.repo.store.sftp;

import au.com.backup247.agent.repo.store.NetworkFaultContract;
import au.com.backup247.agent.repo.store.SshPeers;
import au.com.backup247.agent.repo.store.Store;
import au.com.backup247.agent.repo.store.SystemUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.apache.sshd.server.SshServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link NetworkFaultContract} for {@link SftpStore} against an embedded Apache MINA SSHD server. */
class SftpNetworkFaultTest extends NetworkFaultContract {
  static Path root;
  static SshServer server;
  static KeyPair hostKey;

  @BeforeAll
  static void startServer() throws Exception {
    root = Files.createTempDirectory("b247-sftp-faults");
    hostKey = SshPeers.ecdsa256();
    server = SshPeers.mina(0, root, hostKey, null);
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.stop(true);
    SystemUser.deleteQuietly(root);
  }

  @Override
  protected int serverPort() {
    return server.getPort();
  }

  @Override
  protected Store storeAt(int port, String folder) throws Exception {
    Path knownHosts = SshPeers.knownHosts(dir.resolve("known_hosts-" + port), port, hostKey.getPublic());
    Files.createDirectories(root.resolve(folder));
    return new SftpStore(SftpStore.Config.of("127.0.0.1", port, SshPeers.USER, "/" + folder)
        .withPassword(SshPeers.PASSWORD).withKnownHosts(knownHosts).withTimeouts(IO, IO));
  }
}
