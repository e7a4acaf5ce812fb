package au.com.backup247.agent.repo.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@link FtpStore} over explicit FTPS passes the destination contract against Debian's vsftpd with
 * {@code ssl_enable=YES} and everything else as Debian ships it: TLS required, and every data
 * connection must resume the control connection's TLS session ({@code require_ssl_reuse=YES}),
 * over TLS 1.3 (vsftpd's default ciphers leave nothing else). See {@link DebianFtpServers}.
 */
class VsftpdContractTest extends DebianFtpContract {
  @Override
  DebianFtpServers.Server start(Path etc) throws Exception {
    return DebianFtpServers.vsftpd(etc);
  }

  /** One control connection, many data connections: each resumes a session (TLS 1.3 tickets are used once). */
  @Test
  void manyTransfersOnOneConnection_eachDataConnectionResumesTheSession() throws Exception {
    try (FtpStore one = new FtpStore(server.config(folder.toString()).withMaxConnections(1))) {
      for (int i = 0; i < 12; i++) {
        byte[] data = bytes(1000 + i, i);
        one.put("o/" + i, data);
        assertArrayEquals(data, one.get("o/" + i));
        assertArrayEquals(new byte[] {data[5], data[6]}, one.get("o/" + i, 5, 2));
        assertEquals(i + 1, one.list("o/").size());
      }
    }
  }

  /**
   * A client that does not resume the session (as Commons Net alone) is refused by vsftpd; the
   * store says so in words, as a permanent error, instead of "IOException caught while copying".
   */
  @Test
  void aDataConnectionWithoutSessionReuse_isRefused_permanentlyAndInWords() throws Exception {
    try (FtpStore plain = new FtpStore(server.config(folder.toString()))) {
      plain.resumeDataSessions = false;
      StoreException e = assertThrows(StoreException.class, () -> plain.put("x", new byte[70_000]));
      assertFalse(e.isTransient(), e.getMessage());
      assertTrue(e.getMessage().contains("the server requires TLS session reuse on data connections"), e.getMessage());
      StoreException l = assertThrows(StoreException.class, () -> plain.list(""));
      assertFalse(l.isTransient(), l.getMessage());
      assertTrue(l.getMessage().contains("the server requires TLS session reuse on data connections"), l.getMessage());
    }
  }
}
