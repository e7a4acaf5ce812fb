package au.com.backup247.agent.repo.store.ftp;

import au.com.backup247.agent.repo.store.FtpPeers;
import au.com.backup247.agent.repo.store.Store;
import au.com.backup247.agent.repo.store.StoreContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FtpStore} over explicit FTPS (AUTH TLS, PROT P) with a pinned certificate fingerprint
 * passes the destination contract against an embedded Apache FtpServer with a self-signed
 * certificate made for the test.
 */
class FtpsContractTest extends StoreContract {
  @TempDir
  static Path dir;
  static Path home;
  static FtpPeers.Peer server;
  static FtpPeers.KeyPairFile key;
  static final AtomicInteger N = new AtomicInteger();
  Path folder;

  @BeforeAll
  static void startServer() throws Exception {
    home = Files.createDirectories(dir.resolve("home"));
    key = FtpPeers.selfSigned(dir.resolve("server.p12"), "127.0.0.1");
    server = FtpPeers.start(home, key);
  }

  @AfterAll
  static void stopServer() {
    server.stop();
  }

  @Override
  protected Store createStore() throws Exception {
    String name = "t" + N.incrementAndGet();
    folder = Files.createDirectories(home.resolve(name));
    return new FtpStore(FtpStore.Config.of("127.0.0.1", server.port(), FtpPeers.USER, "/" + name)
        .withPassword(FtpPeers.PASSWORD).withCertificateFingerprint(key.fingerprint())
        .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(30)));
  }

  @Override
  protected Path backingFolder() {
    return folder;
  }
}
