package au.com.backup247.agent.repo.store.ftp;

import static org.junit.jupiter.api.Assertions.assertFalse;

import au.com.backup247.agent.repo.store.FtpPeers;
import au.com.backup247.agent.repo.store.Store;
import au.com.backup247.agent.repo.store.StoreContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FtpStore} passes the destination contract against an embedded Apache FtpServer whose FEAT
 * answer does not offer MLST, so the store lists with {@code LIST -a} (Unix-style lines parsed by
 * Commons Net) and asks sizes with {@code SIZE}, as it does with servers that lack MLSD.
 */
class FtpListContractTest extends StoreContract {
  @TempDir
  static Path home;
  static FtpPeers.Peer server;
  static final AtomicInteger N = new AtomicInteger();
  Path folder;

  @BeforeAll
  static void startServer() throws Exception {
    server = FtpPeers.start(home, null, 0, false);
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
        .withPassword(FtpPeers.PASSWORD).withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(30)));
  }

  @Test
  void usesListAndSize() {
    assertFalse(((FtpStore) store).usesMlsd());
  }

  @Override
  protected Path backingFolder() {
    return folder;
  }
}
