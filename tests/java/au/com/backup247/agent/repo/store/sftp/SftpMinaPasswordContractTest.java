package au.com.backup247.agent.repo.store.sftp;

import au.com.backup247.agent.repo.store.SshPeers;
import au.com.backup247.agent.repo.store.Store;
import au.com.backup247.agent.repo.store.StoreContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.server.SshServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SftpStore} with password authentication and a known_hosts file passes the destination
 * contract against an embedded Apache MINA SSHD server with its SFTP subsystem.
 */
class SftpMinaPasswordContractTest extends StoreContract {
  @TempDir
  static Path dir;
  static SshServer server;
  static Path serverRoot;
  static Path knownHosts;
  static final AtomicInteger N = new AtomicInteger();
  Path folder;

  @BeforeAll
  static void startServer() throws Exception {
    serverRoot = Files.createDirectories(dir.resolve("served"));
    KeyPair hostKey = SshPeers.ecdsa256();
    server = SshPeers.mina(0, serverRoot, hostKey, null);
    knownHosts = SshPeers.knownHosts(dir.resolve("known_hosts"), server.getPort(), hostKey.getPublic());
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.stop(true);
  }

  @Override
  protected Store createStore() {
    String name = "t" + N.incrementAndGet();
    folder = serverRoot.resolve(name);
    return new SftpStore(SftpStore.Config.of("127.0.0.1", server.getPort(), SshPeers.USER, "/" + name)
        .withPassword(SshPeers.PASSWORD).withKnownHosts(knownHosts)
        .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(30)));
  }

  @Override
  protected Path backingFolder() {
    return folder;
  }
}
