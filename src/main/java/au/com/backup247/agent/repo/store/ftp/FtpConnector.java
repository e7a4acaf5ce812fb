package au.com.backup247.agent.repo.store.ftp;

import au.com.backup247.agent.repo.store.ConnectionPool;
import au.com.backup247.agent.repo.store.StoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.X509TrustManager;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPReply;
import org.apache.commons.net.ftp.FTPSClient;

/**
 * Opens, checks and closes an FTP store's connections for its {@link ConnectionPool}: connect, log
 * in, {@code PBSZ 0}/{@code PROT P} with TLS, binary type, passive mode, {@code FEAT}. An idle
 * connection is checked with {@code NOOP} after 15 s; a server reply breaks a connection only when
 * it ends the session ({@code 421}, or vsftpd's refusal of an unresumed TLS session).
 */
final class FtpConnector implements ConnectionPool.Connector<FtpConnector.Conn> {
  private static final int BUFFER = 64 * 1024;
  private static final long CHECK_IDLE_NANOS = Duration.ofSeconds(15).toNanos();

    /** One logged-in connection and what its server offers. */
    static final class Conn {
      final FTPClient ftp;
      final boolean mlst;
      long lastUsed = System.nanoTime();
      /** Closed after the current operation instead of being reused. */
      boolean retire;

      Conn(FTPClient ftp, boolean mlst) {
        this.ftp = ftp;
        this.mlst = mlst;
      }
    }

  private final String name;
  private final FtpStore.Config config;
  private final FtpErrors errors;
  private final FtpTrust trust;
  private final X509TrustManager trustManager;
  private volatile boolean closed;
  /** Tests turn this off to see how a server treats data connections that do not resume the session. */
  volatile boolean resumeDataSessions = true;

  FtpConnector(String name, FtpStore.Config config, FtpTrust trust, FtpErrors errors) {
    this.name = name;
    this.config = config;
    this.trust = trust;
    this.trustManager = trust == null ? null : trust.manager();
    this.errors = errors;
  }

  @Override
  public Conn open() {
    if (closed) {
      throw StoreException.permanent(name + " is closed");
    }
    FTPClient ftp;
    if (config.tls()) {
      FTPSClient s = resumeDataSessions ? new ResumingFtpsClient(trustManager) : new FTPSClient("TLS", false);
      s.setTrustManager(trustManager);
      s.setEndpointCheckingEnabled(config.certificateFingerprint() == null);
      ftp = s;
    } else {
      ftp = new FTPClient();
    }
    ftp.setControlEncoding(StandardCharsets.UTF_8.name());
    ftp.setConnectTimeout(millis(config.connectTimeout()));
    ftp.setDefaultTimeout(millis(config.ioTimeout()));
    ftp.setDataTimeout(config.ioTimeout());
    ftp.setBufferSize(BUFFER);
    ftp.setListHiddenFiles(true);
    if (trust != null) {
      trust.clearRefusal();
    }
    try {
      ftp.connect(config.host(), config.port());
      ftp.setSoTimeout(millis(config.ioTimeout()));
      if (!FTPReply.isPositiveCompletion(ftp.getReplyCode())) {
        throw new ReplyException("greeting", ftp.getReplyCode(), ReplyException.reply(ftp));
      }
      if (!ftp.login(config.user(), config.password())) {
        int code = ftp.getReplyCode();
        if (code == 530 || code == 331 || code == 332 || code == 430) {
          throw StoreException.permanent("cannot connect to " + name + ": authentication failed for user "
              + config.user() + " (password refused: " + code + " " + ReplyException.reply(ftp) + ")");
        }
        throw new ReplyException("login", code, ReplyException.reply(ftp));
      }
      if (ftp instanceof FTPSClient s) {
        s.execPBSZ(0);
        s.execPROT("P");
      }
      if (!ftp.setFileType(FTP.BINARY_FILE_TYPE)) {
        throw new ReplyException("TYPE I", ftp.getReplyCode(), ReplyException.reply(ftp));
      }
      ftp.enterLocalPassiveMode();
      boolean mlst = false;
      if (ftp.features()) {
        mlst = ftp.hasFeature("MLST");
        if (ftp.hasFeature("UTF8")) {
          ftp.sendCommand("OPTS", "UTF8 ON"); // some servers need it; the answer does not matter
        }
      }
      return new Conn(ftp, mlst);
    } catch (IOException | RuntimeException e) {
      disconnect(ftp, false);
      throw errors.connectError(e);
    }
  }

  @Override
  public boolean reusable(Conn c) {
    if (!c.ftp.isConnected() || c.ftp instanceof ResumingFtpsClient t && t.spent()) {
      return false;
    }
    if (System.nanoTime() - c.lastUsed < CHECK_IDLE_NANOS) {
      return true;
    }
    try {
      return c.ftp.sendNoOp();
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public boolean keep(Conn c) {
    if (closed || c.retire || !c.ftp.isConnected()) {
      return false;
    }
    c.lastUsed = System.nanoTime();
    return true;
  }

  @Override
  public void close(Conn c) {
    disconnect(c.ftp, false);
  }

  @Override
  public boolean breaks(Exception e) {
    if (e instanceof ReplyException r) {
      return r.code == 421 || FtpErrors.refusesUnresumedSessions(r); // vsftpd ends the session after refusing
    }
    return !(e instanceof StoreException);
  }

  @Override
  public StoreException error(String op, String path, IOException e) {
    return errors.error(op, path, e);
  }

  /** No more connections: the store is closed. */
  void shut() {
    closed = true;
  }

  static int millis(Duration d) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
  }

  static void disconnect(FTPClient ftp, boolean logout) {
    try {
      if (logout && ftp.isConnected()) {
        ftp.logout();
      }
    } catch (IOException | RuntimeException ignored) {
      // leaving anyway
    }
    try {
      if (ftp.isConnected()) {
        ftp.disconnect();
      }
    } catch (IOException | RuntimeException ignored) {
      // already gone
    }
  }
}
