package au.com.backup247.agent.repo.store.ftp;

import au.com.backup247.agent.repo.store.FtpPeers;
import au.com.backup247.agent.repo.store.NetworkFaultContract;
import au.com.backup247.agent.repo.store.Store;
import au.com.backup247.agent.repo.store.SystemUser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link NetworkFaultContract} for {@link FtpStore} against an embedded Apache FtpServer. Only the
 * control connection passes the proxy (passive data connections go to the server's own port), so
 * resets land in its command traffic.
 */
class FtpNetworkFaultTest extends NetworkFaultContract {
  static Path home;
  static FtpPeers.Peer server;

  @BeforeAll
  static void startServer() throws Exception {
    home = Files.createTempDirectory("b247-ftp-faults");
    server = FtpPeers.start(home, null);
  }

  @AfterAll
  static void stopServer() {
    server.stop();
    SystemUser.deleteQuietly(home);
  }

  @Override
  protected int serverPort() {
    return server.port();
  }

  @Override
  protected long resetAfter() {
    return 400;
  }

  @Override
  protected Store storeAt(int port, String folder) throws Exception {
    Files.createDirectories(home.resolve(folder));
    return new FtpStore(FtpStore.Config.of("127.0.0.1", port, FtpPeers.USER, "/" + folder)
        .withPassword(FtpPeers.PASSWORD).withTimeouts(IO, IO));
  }
}
