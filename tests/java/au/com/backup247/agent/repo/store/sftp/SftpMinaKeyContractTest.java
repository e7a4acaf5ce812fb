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
 * {@link SftpStore} with an Ed25519 identity file (passphrase-protected) and a pinned host key
 * fingerprint passes the destination contract against an embedded Apache MINA SSHD server.
 */
class SftpMinaKeyContractTest extends StoreContract {
  @TempDir
  static Path dir;
  static SshServer server;
  static Path serverRoot;
  static Path identity;
  static String fingerprint;
  static final AtomicInteger N = new AtomicInteger();
  Path folder;

  @BeforeAll
  static void startServer() throws Exception {
    serverRoot = Files.createDirectories(dir.resolve("served"));
    KeyPair hostKey = SshPeers.ed25519();
    KeyPair userKey = SshPeers.ed25519();
    identity = SshPeers.writePrivateKey(userKey, dir.resolve("id_ed25519"), "key passphrase");
    server = SshPeers.mina(0, serverRoot, hostKey, userKey.getPublic());
    server.setPasswordAuthenticator(null); // keys only
    fingerprint = SftpStore.fingerprint(hostKey.getPublic());
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.stop(true);
  }

  @Override
  protected Store createStore() {
    String name = "k" + N.incrementAndGet();
    folder = serverRoot.resolve("repos/" + name);
    return new SftpStore(SftpStore.Config.of("127.0.0.1", server.getPort(), SshPeers.USER, "/repos/" + name + "/")
        .withIdentity(identity, "key passphrase").withHostKeyFingerprint(fingerprint)
        .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(30)).withMaxChannels(8));
  }

  @Override
  protected Path backingFolder() {
    return folder;
  }
}
