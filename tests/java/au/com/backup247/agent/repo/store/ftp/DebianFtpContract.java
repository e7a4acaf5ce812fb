package au.com.backup247.agent.repo.store.ftp;

import au.com.backup247.agent.repo.store.DebianFtpServers;
import au.com.backup247.agent.repo.store.Store;
import au.com.backup247.agent.repo.store.StoreContract;
import au.com.backup247.agent.repo.store.SystemUser;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The destination contract against one of {@link DebianFtpServers}, started once for the class:
 * each test gets a fresh folder owned by the {@link SystemUser} the server logs in.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DebianFtpContract extends StoreContract {
  private final AtomicInteger n = new AtomicInteger();
  Path dir;
  DebianFtpServers.Server server;
  Path served;
  Path folder;

  /** Starts the server with its files in {@code etc}. */
  abstract DebianFtpServers.Server start(Path etc) throws Exception;

  @BeforeAll
  void startServer() throws Exception {
    dir = SystemUser.openTempFolder("b247-ftpd");
    server = start(dir);
    served = server.user().ownFolder(dir, "served");
  }

  @AfterAll
  void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
    SystemUser.deleteQuietly(dir);
  }

  @Override
  protected Store createStore() throws Exception {
    folder = server.user().ownFolder(served, "t" + n.incrementAndGet());
    return new FtpStore(server.config(folder.toString()));
  }

  @Override
  protected Path backingFolder() {
    return folder;
  }

  @Override
  protected void planted(Path folder) throws Exception {
    server.user().giveAwayAll(folder);
  }
}
