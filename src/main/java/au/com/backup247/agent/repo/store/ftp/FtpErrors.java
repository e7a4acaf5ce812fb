package au.com.backup247.agent.repo.store.ftp;

import au.com.backup247.agent.repo.store.HostNotFound;
import au.com.backup247.agent.repo.store.NoSuchObjectException;
import au.com.backup247.agent.repo.store.StoreException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.Locale;
import javax.net.ssl.SSLException;
import org.apache.commons.net.ftp.FTPConnectionClosedException;

/**
 * How an FTP store's failures map to the contract's errors: server replies by code (and the
 * replies that mean a full disk or quota, {@link FtpNoSpace}, or a refused unresumed TLS session),
 * timeouts and dropped connections, refused certificates and unknown hosts.
 */
final class FtpErrors {
  private final String name;
  private final FtpStore.Config config;
  private final String rootDir;
  private final FtpTrust trust;

  FtpErrors(String name, FtpStore.Config config, String rootDir, FtpTrust trust) {
    this.name = name;
    this.config = config;
    this.rootDir = rootDir;
    this.trust = trust;
  }

  /** The error for a connection that could not be opened or logged in. */
  StoreException connectError(Throwable e) {
    if (e instanceof StoreException se) {
      return se;
    }
    String refusal = trust == null ? null : trust.refusal();
    if (refusal != null) {
      return StoreException.permanent("cannot connect to " + name + ": REFUSED " + refusal, e);
    }
    if (e instanceof ReplyException r) {
      if (r.code == 421 || r.code >= 400 && r.code < 500) {
        return StoreException.transientError("cannot connect to " + name + ": " + r.getMessage(), e);
      }
      return StoreException.permanent("cannot connect to " + name + ": " + r.getMessage(), e);
    }
    if (e instanceof SSLException && String.valueOf(e.getMessage()).matches("(?s)\\d{3}[ -].*")) {
      // Commons Net reports a refused AUTH TLS, PBSZ or PROT with the server's reply as the message
      return StoreException.permanent("cannot connect to " + name + ": the server refused TLS ("
          + e.getMessage().strip() + "); does it offer explicit FTPS (AUTH TLS) with encrypted data connections?", e);
    }
    StoreException unknown = HostNotFound.error("cannot connect to " + name, config.host(), e);
    if (unknown != null) {
      return unknown;
    }
    return StoreException.transientError("cannot connect to " + name + ": " + describe(e), e);
  }

  /** Maps a failure reply or an I/O failure to the contract's errors. */
  StoreException error(String op, String path, IOException e) {
    String what = StoreException.cannot(op, path, name);
    if (e instanceof ReplyException r) {
      String m = " (" + r.getMessage() + ")";
      if (refusesUnresumedSessions(r)) {
        return StoreException.permanent(what + ": the server requires TLS session reuse on data connections and "
            + "did not resume the control connection's session on this one" + m
            + "; allow data connections without session reuse on the server (vsftpd: require_ssl_reuse=NO)", e);
      }
      if (FtpNoSpace.says(r.code, r.text)) {
        return StoreException.permanent(what + ": " + FtpNoSpace.explain(r.code, r.text) + m, e);
      }
      switch (r.code) {
        case 550:
          if (op.equals("get")) {
            return new NoSuchObjectException(what + ": no such file" + m, e);
          }
          return StoreException.permanent(what + ": file unavailable (missing or permission denied)" + m, e);
        case 553:
          return StoreException.permanent(what + ": file name not allowed by the server" + m + (rootDir.startsWith("/")
              ? "; the URL names the absolute folder " + rootDir + ": for a folder in the login folder write "
              + config.url().replace("/%2F", "/") : ""), e);
        case 530, 532:
          return StoreException.permanent(what + ": not logged in or permission denied" + m, e);
        case 421:
          return StoreException.transientError(what + ": the server closed the connection" + m, e);
        default:
          if (r.code >= 400 && r.code < 500) {
            return StoreException.transientError(what + ": temporary server failure" + m, e);
          }
          return StoreException.permanent(what + ": the server refused" + m, e);
      }
    }
    if (e instanceof SocketTimeoutException) {
      return StoreException.transientError(what + ": timed out after " + config.ioTimeout().toSeconds() + " s", e);
    }
    if (e instanceof FTPConnectionClosedException) {
      return StoreException.transientError(what + ": the server closed the connection (" + e.getMessage() + ")", e);
    }
    return StoreException.transientError(what + ": " + describe(e), e);
  }

  /** vsftpd: "522 SSL connection failed: session reuse required"; others word it alike. */
  static boolean refusesUnresumedSessions(ReplyException r) {
    String m = r.getMessage().toLowerCase(Locale.ROOT);
    return (r.code == 522 || r.code == 450 || r.code == 425) && m.contains("session")
        && (m.contains("reuse") || m.contains("resum"));
  }

  private static String describe(Throwable e) {
    if (e instanceof ConnectException) {
      return "connection refused";
    }
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }
}
