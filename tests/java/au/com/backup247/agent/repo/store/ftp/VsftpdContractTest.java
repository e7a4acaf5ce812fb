package au.com.backup247.agent.repo.store.ftp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.repo.store.DebianFtpServers;
import au.com.backup247.agent.repo.store.Store;
import au.com.backup247.agent.repo.store.StoreException;
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
   * Data connections go out with TCP_NODELAY: the client's last handshake message otherwise waits
   * for the server's delayed acknowledgement (40 ms on Linux), and every listing or small download
   * took about ten times as long (50 ms instead of 5 over loopback).
   */
  @Test
  void dataConnections_doNotWaitForDelayedAcknowledgements() throws Exception {
    try (FtpStore one = new FtpStore(server.config(folder.toString()).withMaxConnections(1))) {
      one.put("n/x", new byte[10]);
      FtpConnector.Conn c = one.connector.open();
      try {
        ResumingFtpsClient ftps = (ResumingFtpsClient) c.ftp;
        try (java.net.Socket data = ftps._openDataConnection_("LIST", folder.resolve("n").toString())) {
          assertTrue(data != null, ftps.getReplyString());
          assertTrue(data.getTcpNoDelay());
          data.getInputStream().readAllBytes();
        }
        assertTrue(ftps.completePendingCommand(), ftps.getReplyString());
      } finally {
        FtpConnector.disconnect(c.ftp, true);
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
      plain.connector.resumeDataSessions = false;
      StoreException e = assertThrows(StoreException.class, () -> plain.put("x", new byte[70_000]));
      assertFalse(e.isTransient(), e.getMessage());
      assertTrue(e.getMessage().contains("the server requires TLS session reuse on data connections"), e.getMessage());
      StoreException l = assertThrows(StoreException.class, () -> plain.list(""));
      assertFalse(l.isTransient(), l.getMessage());
      assertTrue(l.getMessage().contains("the server requires TLS session reuse on data connections"), l.getMessage());
    }
  }

  /**
   * The URL a user writes, {@code ftps://USER@HOST:PORT/folder}, is a folder relative to the login
   * folder (RFC 1738, curl), and {@code /%2Ffolder} the absolute one: both reach the same folder
   * for this account, whose login folder is {@code /}, and vsftpd as Debian ships it stores in it.
   */
  @Test
  void theUrlsPathIsRelativeToTheLoginFolder_andAbsoluteWithAnEncodedSlash() throws Exception {
    Path f = server.user().ownFolder(folder, "by-url");
    Path cf = java.nio.file.Files.writeString(folder.resolveSibling(folder.getFileName() + ".properties"),
        "password=" + server.user().password() + "\ncertificate-fingerprint=" + server.fingerprint() + "\n");
    java.nio.file.Files.setPosixFilePermissions(cf, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    au.com.backup247.agent.destination.Credentials c = au.com.backup247.agent.destination.Credentials.load(cf);
    String base = "ftps://" + server.user().name() + "@127.0.0.1:" + server.port() + "/";
    String relative = base + f.toString().substring(1);
    try (Store s = au.com.backup247.agent.destination.Destinations.openBare(
        au.com.backup247.agent.destination.DestinationUrl.parse(relative), c)) {
      assertEquals(f.toString().substring(1), ((FtpStore) s).config().root());
      s.put("rel", new byte[] {1, 2, 3});
    }
    try (Store s = au.com.backup247.agent.destination.Destinations.openBare(
        au.com.backup247.agent.destination.DestinationUrl.parse(base + "%2F" + f.toString().substring(1)), c)) {
      assertEquals(f.toString(), ((FtpStore) s).config().root());
      assertArrayEquals(new byte[] {1, 2, 3}, s.get("rel"));
    }
    assertTrue(java.nio.file.Files.exists(f.resolve("rel")));
  }
}
