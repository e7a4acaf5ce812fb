package au.com.backup247.agent.repo.store.ftp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.repo.store.DebianFtpServers;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@link FtpStore} over explicit FTPS passes the destination contract against Debian's pure-ftpd
 * with TLS required ({@code -Y 2}), logging in a system user; it lists with MLSD. See
 * {@link DebianFtpServers}.
 */
class PureFtpdContractTest extends DebianFtpContract {
  @Override
  DebianFtpServers.Server start(Path etc) throws Exception {
    return DebianFtpServers.pureFtpd(etc);
  }

  @Test
  void usesMlsd() {
    assertTrue(((FtpStore) store).usesMlsd());
  }
}
