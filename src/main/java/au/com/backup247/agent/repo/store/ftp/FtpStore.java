package au.com.backup247.agent.repo.store.ftp;

import au.com.backup247.agent.repo.store.AsideRename;
import au.com.backup247.agent.repo.store.HostNotFound;
import au.com.backup247.agent.repo.store.NoSuchObjectException;
import au.com.backup247.agent.repo.store.Store;
import au.com.backup247.agent.repo.store.StoreException;
import au.com.backup247.agent.repo.store.StorePaths;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPConnectionClosedException;
import org.apache.commons.net.ftp.FTPFile;
import org.apache.commons.net.ftp.FTPReply;
import org.apache.commons.net.ftp.FTPSClient;

/**
 * A destination on an FTP server, in plain FTP or explicit FTPS ({@code AUTH TLS}, then
 * {@code PBSZ 0} and {@code PROT P} so that data connections are encrypted too), using Apache
 * Commons Net. Transfers are binary, in passive mode, with UTF-8 file names.
 *
 * <p><b>Put</b> uploads to {@code <name>.tmp-<random>} in the object's folder (folders are created
 * with {@code MKD} as needed and remembered), then renames it ({@code RNFR}/{@code RNTO}) to the
 * final name. Many servers (vsftpd, ProFTPD, Pure-FTPd) replace an existing file on rename, which is
 * atomic. Some refuse to rename over an existing file (Apache FtpServer does): then the old object
 * is first renamed aside ({@link AsideRename}), so that it is never missing, not even when the
 * connection drops between the two renames. A failed upload removes its temp file when the control
 * connection still works; otherwise the temp file stays and is never listed.
 *
 * <p><b>Get</b> with a range uses {@code REST offset} + {@code RETR} and reads {@code length} bytes.
 * When more data follows, up to 64 KiB is drained; beyond that the data connection is closed and the
 * transfer's final reply ({@code 426}, or {@code 226}) is read, so the control connection stays in
 * step and is reused. <b>List</b> walks the folders under the prefix with {@code MLSD} when the
 * server announces {@code MLST} in {@code FEAT}, otherwise with {@code LIST -a} (parsed by Commons
 * Net's auto-detected parser). <b>Stat</b> uses {@code MLST}, or {@code SIZE} without it.
 *
 * <p><b>Security</b>: with TLS, the server certificate must match a pinned SHA-256 fingerprint
 * ({@link Config#certificateFingerprint}, checked against the leaf certificate only, without
 * hostname check: the pin is stronger), or chain up to a configured trust store (with hostname
 * check), or, when neither is given, to the JDK's default CAs (with hostname check). A refused
 * certificate fails with a permanent error showing its fingerprint, so a user can pin it after
 * checking it. Password and trust store password never appear in {@link #name()} or
 * {@link Config#toString()}.
 *
 * <p><b>TLS session reuse</b>: data connections resume the control connection's TLS session
 * ({@link ResumingFtpsClient}), as vsftpd ({@code require_ssl_reuse=YES}, its default), ProFTPD and
 * FileZilla Server require. Over TLS 1.3 each session ticket serves one data connection; the
 * ticket the server sends after each resumed handshake is read (for uploads, by closing the TLS
 * connection properly and reading until the server closes) and serves the next one, and a
 * connection left without a ticket is replaced before its next transfer. A server that still
 * refuses a data connection for want of session reuse ({@code 522}) is a permanent error that
 * says so. Known limitation: TLS 1.2 servers that send session tickets valid for more than 7
 * days (vsftpd built with OpenSSL before 1.1.1) cannot be resumed, because the JDK discards such
 * tickets; {@code -Djdk.tls.client.enableSessionTicketExtension=false} makes them use session ids.
 *
 * <p><b>Errors</b>: {@code 530} at login → permanent (bad user or password); {@code 550} →
 * {@link NoSuchObjectException} for reads, permanent otherwise; no space or quota ({@code 552},
 * {@code 452}, and the other ways servers say it, {@link FtpNoSpace}) → permanent; {@code 553}
 * (name not allowed) and other 5xx → permanent; {@code 421}, other 4xx, timeouts, refused, reset
 * or closed connections → transient; a refused certificate → permanent. When an upload's data
 * connection fails, the server's reply on the control connection decides: servers close the data
 * connection when they cannot write the file (vsftpd and pure-ftpd on a full disk answer
 * {@code 451}), so a broken pipe is a dropped connection only when no failure reply follows.
 *
 * <p><b>Threads</b>: an FTP connection does one thing at a time, so the store keeps a small pool of
 * up to {@link Config#maxConnections} logged-in connections, opened on demand. An idle connection
 * is checked with {@code NOOP} before reuse when it was idle for more than 15 s; a connection that
 * failed with an I/O error is closed, not reused.
 */
public final class FtpStore implements Store {
  /** Drained instead of aborting the transfer when at most this much follows a range. */
  private static final int DRAIN_LIMIT = 64 * 1024;
  private static final int BUFFER = 64 * 1024;
  private static final long CHECK_IDLE_NANOS = Duration.ofSeconds(15).toNanos();
  private static final int RENAME_ATTEMPTS = 8;
  /** How long a failed data connection waits for the server's reason on the control connection. */
  private static final int REFUSAL_WAIT_MILLIS = 2000;

  /**
   * Where and how to connect. Build with {@link #of} and the {@code with…} methods.
   *
   * @param host server name or address
   * @param port control port (21 for plain FTP and explicit FTPS)
   * @param user login name
   * @param password login password (may be empty, never null)
   * @param root folder on the server for the repository: absolute ({@code /backups/pc1}), or
   *     relative to the login folder ({@code backups/pc1}, or empty for the login folder itself)
   * @param tls explicit FTPS: {@code AUTH TLS} on the control connection and {@code PROT P}
   * @param certificateFingerprint SHA-256 fingerprint of the server's certificate to pin, as hex
   *     (colons, case and a {@code SHA256:} prefix are ignored), or null
   * @param trustStore trust store file (PKCS12 or JKS) to check the certificate chain against, or null
   * @param trustStorePassword trust store password, or null
   * @param connectTimeout for TCP connect and login
   * @param ioTimeout for each reply and for data connections
   * @param maxConnections connections used in parallel
   */
  public record Config(String host, int port, String user, String password, String root, boolean tls,
      String certificateFingerprint, Path trustStore, String trustStorePassword, Duration connectTimeout,
      Duration ioTimeout, int maxConnections) {

    public Config {
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("FTP host is missing");
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("FTP port " + port + " is out of range");
      }
      if (user == null || user.isBlank()) {
        throw new IllegalArgumentException("FTP user is missing");
      }
      password = password == null ? "" : password;
      root = root == null ? "" : root;
      Objects.requireNonNull(connectTimeout, "connectTimeout");
      Objects.requireNonNull(ioTimeout, "ioTimeout");
      if (maxConnections < 1) {
        throw new IllegalArgumentException("maxConnections must be at least 1");
      }
      if (certificateFingerprint != null) {
        certificateFingerprint = normalizeFingerprint(certificateFingerprint);
      }
      if (!tls && (certificateFingerprint != null || trustStore != null)) {
        throw new IllegalArgumentException("a certificate fingerprint or trust store needs TLS (FTPS)");
      }
      if (certificateFingerprint != null && trustStore != null) {
        throw new IllegalArgumentException("give either a certificate fingerprint or a trust store, not both");
      }
    }

    /** Plain FTP, no password yet, 30 s connect and 60 s I/O timeouts, 4 connections. */
    public static Config of(String host, int port, String user, String root) {
      return new Config(host, port, user, "", root, false, null, null, null, Duration.ofSeconds(30),
          Duration.ofSeconds(60), 4);
    }

    public Config withPassword(String password) {
      return new Config(host, port, user, password, root, tls, certificateFingerprint, trustStore,
          trustStorePassword, connectTimeout, ioTimeout, maxConnections);
    }

    /** Explicit FTPS; the certificate is checked against the JDK's CAs unless pinned or a trust store is set. */
    public Config withTls() {
      return new Config(host, port, user, password, root, true, certificateFingerprint, trustStore,
          trustStorePassword, connectTimeout, ioTimeout, maxConnections);
    }

    /** Explicit FTPS, accepting only the certificate with this SHA-256 fingerprint. */
    public Config withCertificateFingerprint(String sha256) {
      return new Config(host, port, user, password, root, true, sha256, null, null, connectTimeout, ioTimeout,
          maxConnections);
    }

    /** Explicit FTPS, accepting certificates that chain up to this trust store (with hostname check). */
    public Config withTrustStore(Path file, String storePassword) {
      return new Config(host, port, user, password, root, true, null, file, storePassword, connectTimeout,
          ioTimeout, maxConnections);
    }

    public Config withTimeouts(Duration connect, Duration io) {
      return new Config(host, port, user, password, root, tls, certificateFingerprint, trustStore,
          trustStorePassword, connect, io, maxConnections);
    }

    public Config withMaxConnections(int connections) {
      return new Config(host, port, user, password, root, tls, certificateFingerprint, trustStore,
          trustStorePassword, connectTimeout, ioTimeout, connections);
    }

    /**
     * {@code ftp://user@host:port/root} ({@code ftps://} for explicit FTPS; a root relative to the
     * login folder shows as {@code /~/root}), without secrets.
     */
    public String url() {
      String h = host.contains(":") ? "[" + host + "]" : host;
      return (tls ? "ftps" : "ftp") + "://" + user + "@" + h + ":" + port
          + urlPath(root);
    }

    @Override
    public String toString() {
      String trust = !tls ? "none (plain FTP)"
          : certificateFingerprint != null ? "pinned SHA-256 " + certificateFingerprint
          : trustStore != null ? "trust store " + trustStore : "JDK default CAs";
      return "FtpStore.Config[" + url() + (tls ? ", explicit TLS" : "") + ", certificate=" + trust
          + ", connectTimeout=" + connectTimeout + ", ioTimeout=" + ioTimeout + ", maxConnections="
          + maxConnections + "]";
    }
  }

  /** One logged-in connection and what its server offers. */
  private static final class Conn {
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

  /** A command the server answered with a failure reply; the connection is still usable. */
  private static final class ReplyException extends IOException {
    private static final long serialVersionUID = 1L;
    final int code;
    final String text;

    ReplyException(String command, int code, String text) {
      super(command + " answered " + code + " " + text);
      this.code = code;
      this.text = text;
    }
  }

  /** The upload's source failed (not the server). */
  private static final class SourceFailure extends IOException {
    private static final long serialVersionUID = 1L;

    SourceFailure(String message, IOException cause) {
      super(message, cause);
    }
  }

  private final Config config;
  private final String name;
  private final String rootDir;
  private final Semaphore permits;
  private final LinkedBlockingDeque<Conn> idle = new LinkedBlockingDeque<>();
  private final Set<String> knownDirs = ConcurrentHashMap.newKeySet();
  private final X509TrustManager trust;
  private volatile String certificateRefusal;
  private volatile boolean closed;
  /** Tests turn this off to see how a server treats data connections that do not resume the session. */
  volatile boolean resumeDataSessions = true;

  /** Checks the settings (and loads the trust store); connects on first use. */
  public FtpStore(Config config) {
    this.config = Objects.requireNonNull(config, "config");
    this.name = config.url();
    String r = config.root();
    while (r.length() > 1 && r.endsWith("/")) {
      r = r.substring(0, r.length() - 1);
    }
    this.rootDir = r;
    this.permits = new Semaphore(config.maxConnections());
    this.trust = config.tls() ? trustManager() : null;
  }

  /**
   * An FTP folder in a URL (RFC 1738, as curl reads it): "/backups" is relative to the login folder,
   * "/%2Fsrv/backups" absolute, "/" the login folder itself; '%', '?', '#' and spaces escaped.
   */
  public static String urlPath(String root) {
    return root.startsWith("/") ? "/%2F" + escape(root.substring(1)) : "/" + escape(root);
  }

  private static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      b.append(c == '%' || c == '?' || c == '#' || c == ' ' ? String.format("%%%02X", (int) c) : String.valueOf(c));
    }
    return b.toString();
  }

  public Config config() {
    return config;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return "FtpStore[" + name + "]";
  }

  // ---- certificates ----------------------------------------------------------------------------

  /** The SHA-256 fingerprint of a certificate as upper-case hex pairs joined by colons (as OpenSSL prints it). */
  public static String fingerprint(X509Certificate cert) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException("cannot fingerprint certificate", e);
    }
  }

  /** {@code "SHA256:ab:cd…"}, {@code "abcd…"} → {@code "AB:CD:…"}; refuses anything but 32 hex bytes. */
  static String normalizeFingerprint(String fp) {
    String hex = fp.trim();
    if (hex.regionMatches(true, 0, "SHA256:", 0, 7) || hex.regionMatches(true, 0, "SHA-256:", 0, 8)) {
      hex = hex.substring(hex.indexOf(':') + 1);
    }
    hex = hex.replace(":", "").replace(" ", "");
    if (!hex.matches("[0-9a-fA-F]{64}")) {
      throw new IllegalArgumentException("the certificate fingerprint must be a SHA-256 digest: 64 hex digits,"
          + " optionally with colons");
    }
    return HexFormat.ofDelimiter(":").withUpperCase().formatHex(HexFormat.of().parseHex(hex));
  }

  private X509TrustManager trustManager() {
    X509TrustManager chainCheck = null;
    if (config.certificateFingerprint() == null) {
      try {
        KeyStore ks = null;
        if (config.trustStore() != null) {
          if (!Files.isReadable(config.trustStore())) {
            throw new IllegalArgumentException(name + ": trust store " + config.trustStore() + " is not readable");
          }
          char[] pw = config.trustStorePassword() == null ? null : config.trustStorePassword().toCharArray();
          ks = KeyStore.getInstance(config.trustStore().toFile(), pw);
        }
        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init(ks);
        for (TrustManager tm : f.getTrustManagers()) {
          if (tm instanceof X509TrustManager x) {
            chainCheck = x;
          }
        }
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalArgumentException(name + ": cannot load trust store " + config.trustStore() + " ("
            + e.getClass().getSimpleName() + ")", e);
      }
      if (chainCheck == null) {
        throw new IllegalStateException("no X509 trust manager");
      }
    }
    X509TrustManager chain = chainCheck;
    String pin = config.certificateFingerprint();
    return new X509TrustManager() {
      @Override
      public void checkServerTrusted(X509Certificate[] certs, String authType) throws CertificateException {
        if (certs == null || certs.length == 0) {
          certificateRefusal = "the server sent no certificate";
          throw new CertificateException(certificateRefusal);
        }
        String got = fingerprint(certs[0]);
        String who = "certificate \"" + certs[0].getSubjectX500Principal().getName() + "\" (SHA-256 " + got + ")";
        if (pin != null) {
          if (!pin.equals(got)) {
            certificateRefusal = "unknown server " + who + " does not match the pinned fingerprint " + pin;
            throw new CertificateException(certificateRefusal);
          }
          return;
        }
        try {
          chain.checkServerTrusted(certs, authType);
        } catch (CertificateException e) {
          certificateRefusal = "untrusted server " + who + ": " + e.getMessage()
              + (config.trustStore() != null ? " (trust store " + config.trustStore() + ")" : " (JDK default CAs)")
              + "; pin the fingerprint after checking it with the server's administrator";
          throw e;
        }
      }

      @Override
      public void checkClientTrusted(X509Certificate[] certs, String authType) throws CertificateException {
        throw new CertificateException("not a server");
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return chain == null ? new X509Certificate[0] : chain.getAcceptedIssuers();
      }
    };
  }

  // ---- connections -----------------------------------------------------------------------------

  private Conn open() throws IOException {
    if (closed) {
      throw StoreException.permanent(name + " is closed");
    }
    FTPClient ftp;
    if (config.tls()) {
      FTPSClient s = resumeDataSessions ? new ResumingFtpsClient(trust) : new FTPSClient("TLS", false);
      s.setTrustManager(trust);
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
    certificateRefusal = null;
    try {
      ftp.connect(config.host(), config.port());
      ftp.setSoTimeout(millis(config.ioTimeout()));
      if (!FTPReply.isPositiveCompletion(ftp.getReplyCode())) {
        throw new ReplyException("greeting", ftp.getReplyCode(), reply(ftp));
      }
      if (!ftp.login(config.user(), config.password())) {
        int code = ftp.getReplyCode();
        if (code == 530 || code == 331 || code == 332 || code == 430) {
          throw StoreException.permanent("cannot connect to " + name + ": authentication failed for user "
              + config.user() + " (password refused: " + code + " " + reply(ftp) + ")");
        }
        throw new ReplyException("login", code, reply(ftp));
      }
      if (ftp instanceof FTPSClient s) {
        s.execPBSZ(0);
        s.execPROT("P");
      }
      if (!ftp.setFileType(FTP.BINARY_FILE_TYPE)) {
        throw new ReplyException("TYPE I", ftp.getReplyCode(), reply(ftp));
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
      throw connectError(e);
    }
  }

  private StoreException connectError(Throwable e) {
    if (e instanceof StoreException se) {
      return se;
    }
    String refusal = certificateRefusal;
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

  private static String reply(FTPClient ftp) {
    String s = ftp.getReplyString();
    if (s == null) {
      return "";
    }
    s = s.strip();
    if (s.length() > 4 && Character.isDigit(s.charAt(0)) && s.length() > 3) {
      s = s.substring(4).strip(); // the code is shown separately
    }
    return s.replaceAll("\\s*[\\r\\n]+(\\d{3}[ -])?\\s*", "; "); // the lines of a multi-line reply, without their codes
  }

  private static int millis(Duration d) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
  }

  private static void disconnect(FTPClient ftp, boolean logout) {
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

  /** FTP commands on one connection. */
  private interface Call<T> {
    T run(Conn c) throws IOException;
  }

  private <T> T withFtp(String op, String path, Call<T> call) {
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw StoreException.permanent("interrupted before " + op + " " + path + " on " + name);
    }
    Conn c = null;
    boolean broken = false;
    try {
      c = idle.pollFirst();
      while (c != null && !usable(c)) {
        disconnect(c.ftp, false);
        c = idle.pollFirst();
      }
      if (c == null) {
        c = open();
      }
      return call.run(c);
    } catch (ReplyException e) {
      broken = e.code == 421 || refusesUnresumedSessions(e); // vsftpd ends the session after refusing
      throw error(op, path, e);
    } catch (IOException e) {
      broken = true;
      throw error(op, path, e);
    } catch (RuntimeException e) {
      broken = !(e instanceof StoreException);
      throw e;
    } finally {
      if (c != null) {
        if (broken || closed || c.retire || !c.ftp.isConnected()) {
          disconnect(c.ftp, false);
        } else {
          c.lastUsed = System.nanoTime();
          idle.offerFirst(c);
        }
      }
      permits.release();
    }
  }

  private static boolean usable(Conn c) {
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

  /** Maps a failure reply or an I/O failure to the contract's errors. */
  private StoreException error(String op, String path, IOException e) {
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
  private static boolean refusesUnresumedSessions(ReplyException r) {
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

  private static ReplyException failed(FTPClient ftp, String command) {
    return new ReplyException(command, ftp.getReplyCode(), reply(ftp));
  }

  private String remote(String path) {
    return rootDir.isEmpty() ? path : rootDir.equals("/") ? "/" + path : rootDir + "/" + path;
  }

  /** The folder of a remote path, "" for the login folder. */
  private static String parent(String remotePath) {
    int slash = remotePath.lastIndexOf('/');
    return slash < 0 ? "" : slash == 0 ? "/" : remotePath.substring(0, slash);
  }

  // ---- operations ------------------------------------------------------------------------------

  @Override
  public void put(String path, byte[] data) {
    put(path, data, data.length);
  }

  @Override
  public void put(String path, byte[] data, int length) {
    put(path, new ByteArrayInputStream(data, 0, length), length);
  }

  @Override
  public void put(String path, InputStream data, long length) {
    StorePaths.check(this, path);
    if (length < 0) {
      throw StoreException.permanent("cannot put " + path + " on " + name + ": invalid length " + length);
    }
    String target = remote(path);
    String tmp = target + TEMP_MARKER + Long.toHexString(ThreadLocalRandom.current().nextLong());
    try {
      withFtp("put", path, c -> {
        mkdirs(c.ftp, parent(target));
        upload(c, tmp, data, length, parent(target));
        try {
          rename(c, tmp, target);
        } catch (ReplyException e) {
          removeQuietly(c.ftp, tmp);
          throw e;
        }
        return null;
      });
    } catch (StoreException e) {
      if (e.getCause() instanceof SourceFailure f) {
        throw StoreException.transientError("cannot put " + path + " on " + name + ": " + f.getMessage(),
            f.getCause());
      }
      throw e;
    }
  }

  /**
   * Sends {@code length} bytes of {@code data} to {@code tmp} with {@code STOR}. On failure the
   * temp file is removed when the control connection still works; a source that fails is a
   * {@link SourceFailure}.
   */
  private void upload(Conn c, String tmp, InputStream data, long length, String folder) throws IOException {
    OutputStream out = c.ftp.storeFileStream(tmp);
    if (out == null) {
      ReplyException r = failed(c.ftp, "STOR");
      knownDirs.remove(folder); // removed behind our back? the next attempt creates it again
      removeQuietly(c.ftp, tmp);
      throw r;
    }
    try {
      copy(data, length, out);
      if (c.ftp instanceof ResumingFtpsClient tls) {
        tls.endUpload(out);
      } else {
        out.close();
      }
    } catch (SourceFailure f) {
      out.close(); // the data connection ends early; the server ends the transfer with a reply
      c.ftp.completePendingCommand();
      removeQuietly(c.ftp, tmp);
      throw f;
    } catch (IOException e) {
      closeQuietly(out);
      c.retire = c.ftp instanceof FTPSClient; // vsftpd resumes no TLS session whose data connection broke (522)
      IOException why = e;
      int code = finalReply(c);
      if (code > 0) { // the control connection is in step: the server's word decides, the temp file can go
        why = FTPReply.isPositiveCompletion(code) ? e : failed(c.ftp, "STOR");
        removeQuietly(c.ftp, tmp);
      }
      throw why;
    }
    if (!c.ftp.completePendingCommand()) {
      ReplyException r = failed(c.ftp, "STOR");
      removeQuietly(c.ftp, tmp);
      throw r;
    }
  }

  /** Copies exactly {@code length} bytes; a failing or short source is a {@link SourceFailure}. */
  private static void copy(InputStream data, long length, OutputStream out) throws IOException {
    byte[] buf = new byte[(int) Math.max(1, Math.min(BUFFER, length))];
    long done = 0;
    while (done < length) {
      int n;
      try {
        n = data.read(buf, 0, (int) Math.min(buf.length, length - done));
        if (n < 0) {
          throw new IOException("source ended early");
        }
      } catch (IOException e) {
        throw new SourceFailure("upload failed after " + done + " of " + length + " bytes: " + e.getMessage(), e);
      }
      out.write(buf, 0, n);
      done += n;
    }
  }

  /**
   * An upload's data connection failed: the code of the transfer's final reply on the control
   * connection, which says why (servers close the data connection when they cannot write the file:
   * vsftpd and pure-ftpd answer {@code 451} on a full disk; vsftpd answers {@code 522} to a data
   * connection that does not resume the TLS session), or -1 when none comes: the connection failed.
   */
  private int finalReply(Conn c) {
    try {
      c.ftp.setSoTimeout(REFUSAL_WAIT_MILLIS);
      int code = c.ftp.getReply();
      c.ftp.setSoTimeout(millis(config.ioTimeout()));
      return code;
    } catch (IOException e) {
      return -1;
    }
  }

  private static void closeQuietly(OutputStream out) {
    try {
      out.close();
    } catch (IOException ignored) {
      // the data connection failed already
    }
  }

  private static void removeQuietly(FTPClient ftp, String remote) {
    try {
      ftp.deleteFile(remote);
    } catch (IOException ignored) {
      // a left-over temp file is never listed
    }
  }

  /** Renames the upload into place, replacing an existing object without a gap ({@link AsideRename}). */
  private void rename(Conn c, String tmp, String target) throws IOException {
    FTPClient ftp = c.ftp;
    ReplyException[] refusal = new ReplyException[1];
    AsideRename.replace(new AsideRename.Server() {
      @Override
      public boolean rename(String from, String to) throws IOException {
        if (ftp.rename(from, to)) {
          return true;
        }
        refusal[0] = failed(ftp, "rename to " + to);
        if (refusal[0].code == 421) {
          throw refusal[0];
        }
        return false;
      }

      @Override
      public boolean exists(String path) throws IOException {
        return statRemote(ftp, path, c.mlst) != null;
      }

      @Override
      public void delete(String path) throws IOException {
        if (!ftp.deleteFile(path)) {
          ReplyException d = failed(ftp, "DELE " + path);
          if (d.code != 550 && d.code != 450) {
            throw d;
          }
        }
      }
    }, tmp, target, () -> refusal[0]);
  }

  private void mkdirs(FTPClient ftp, String dir) throws IOException {
    if (dir.isEmpty() || dir.equals("/") || knownDirs.contains(dir)) {
      return;
    }
    String parent = parent(dir);
    mkdirs(ftp, parent);
    if (!ftp.makeDirectory(dir)) {
      int code = ftp.getReplyCode();
      if (code == 421 || code >= 400 && code < 500) {
        throw failed(ftp, "MKD " + dir);
      }
      // 550/521: usually "exists" (maybe made by another thread); if not, STOR reports the problem
    }
    knownDirs.add(dir);
  }

  @Override
  public byte[] get(String path) {
    StorePaths.check(this, path);
    return withFtp("get", path, c -> {
      InputStream found = c.ftp.retrieveFileStream(remote(path));
      if (found == null) {
        ReplyException r = failed(c.ftp, "RETR");
        found = r.code == 550 ? c.ftp.retrieveFileStream(AsideRename.asideOf(remote(path))) : null; // mid-replace?
        if (found == null) {
          throw r;
        }
      }
      byte[] out;
      try (InputStream in = found) {
        out = in.readAllBytes();
      }
      if (!c.ftp.completePendingCommand()) {
        throw failed(c.ftp, "RETR");
      }
      return out;
    });
  }

  @Override
  public byte[] get(String path, long offset, int length) {
    StorePaths.check(this, path);
    StorePaths.checkRange(this, path, offset, length);
    return withFtp("get", path, c -> {
      String remote = remote(path);
      if (length == 0) {
        FTPFile f = statRemote(c.ftp, remote, c.mlst);
        if (f == null) {
          throw new ReplyException("stat", 550, "no such file");
        }
        if (offset > f.getSize()) {
          throw StorePaths.outOfRange(this, path, offset, length, f.getSize());
        }
        return new byte[0];
      }
      c.ftp.setRestartOffset(offset);
      InputStream in = c.ftp.retrieveFileStream(remote);
      c.ftp.setRestartOffset(0);
      if (in == null) {
        ReplyException r = failed(c.ftp, "RETR");
        FTPFile f = r.code == 550 || r.code == 554 ? statRemote(c.ftp, remote, c.mlst) : null;
        if (f != null && f.isFile()) {
          throw StorePaths.outOfRange(this, path, offset, length, f.getSize()); // REST past the end
        }
        throw r;
      }
      byte[] out = new byte[length];
      int done = 0;
      boolean complete;
      try (in) {
        while (done < length) {
          int n = in.read(out, done, length - done);
          if (n < 0) {
            break;
          }
          done += n;
        }
        complete = done < length || drained(in);
      }
      boolean ok = c.ftp.completePendingCommand();
      if (!ok && complete) {
        throw failed(c.ftp, "RETR");
      }
      if (done < length) {
        FTPFile f = statRemote(c.ftp, remote, c.mlst);
        throw StorePaths.outOfRange(this, path, offset, length, f == null ? offset + done : f.getSize());
      }
      return out;
    });
  }

  /** Reads the rest of a transfer when it is short; false when more than {@link #DRAIN_LIMIT} follows. */
  private static boolean drained(InputStream in) throws IOException {
    byte[] skip = new byte[8192];
    long left = DRAIN_LIMIT;
    while (left > 0) {
      int n = in.read(skip, 0, (int) Math.min(skip.length, left));
      if (n < 0) {
        return true;
      }
      left -= n;
    }
    return false;
  }

  @Override
  public List<StoredObject> list(String prefix) {
    StorePaths.checkPrefix(this, prefix);
    String folder = StorePaths.folderOf(prefix);
    List<StoredObject> out = withFtp("list", prefix, c -> {
      List<StoredObject> found = new ArrayList<>();
      String dir = folder.isEmpty() ? rootDir : remote(folder);
      walk(c, dir, folder, prefix, found, !folder.isEmpty());
      return found;
    });
    out.sort((a, b) -> a.path().compareTo(b.path()));
    return out;
  }

  /**
   * Lists {@code dir} (whose objects' paths start with {@code rel}) and the folders in it that can
   * hold objects under {@code prefix}. {@code unchecked}: {@code dir} was not seen as a folder in a
   * listing; it may be a file, which servers list as itself.
   */
  private void walk(Conn c, String dir, String rel, String prefix, List<StoredObject> out, boolean unchecked)
      throws IOException {
    FTPFile[] entries = entries(c, dir);
    if (unchecked && entries.length == 1 && entries[0] != null && entries[0].isFile()) {
      String only = String.valueOf(entries[0].getName());
      String base = rel.substring(rel.lastIndexOf('/') + 1);
      if ((only.equals(base) || only.endsWith("/" + base)) && statRemote(c.ftp, dir, c.mlst) != null) {
        return; // dir is a file, listed as itself: there are no objects under it
      }
    }
    Set<String> files = fileNames(entries);
    for (FTPFile e : entries) {
      if (e == null) {
        continue;
      }
      String n = e.getName();
      if (n != null && AsideRename.isAside(n) && e.isFile() && !files.contains(AsideRename.targetOf(n))) {
        n = AsideRename.targetOf(n); // an object moved aside by an interrupted replace: still the object
      }
      if (n == null || n.isEmpty() || n.equals(".") || n.equals("..") || n.contains("/")
          || StorePaths.isTemp(n) || isCurrentOrParent(e)) {
        continue;
      }
      String p = rel.isEmpty() ? n : rel + "/" + n;
      if (e.isDirectory()) {
        String asFolder = p + "/";
        if (asFolder.startsWith(prefix) || prefix.startsWith(asFolder)) {
          walk(c, dir.isEmpty() ? n : dir.equals("/") ? "/" + n : dir + "/" + n, p, prefix, out, false);
        }
      } else if (e.isFile() && p.startsWith(prefix) && StorePaths.valid(p)) {
        out.add(new StoredObject(p, e.getSize()));
      }
    }
  }

  @Override
  public List<String> folders(String folder) {
    String dir = folder.isEmpty() ? rootDir : remote(StorePaths.check(this, folder));
    List<String> out = withFtp("list", folder, c -> {
      List<String> found = new ArrayList<>();
      for (FTPFile e : entries(c, dir)) {
        String n = e == null ? null : e.getName();
        if (n != null && e.isDirectory() && !n.contains("/") && !isCurrentOrParent(e) && StorePaths.valid(n)) {
          found.add(n);
        }
      }
      return found;
    });
    out.sort(null);
    return out;
  }

  /** The entries of folder {@code dir} (MLSD or LIST); none when it does not exist (yet) or was removed. */
  private FTPFile[] entries(Conn c, String dir) throws IOException {
    FTPFile[] entries = c.mlst ? c.ftp.mlistDir(dir.isEmpty() ? null : dir)
        : c.ftp.listFiles(dir.isEmpty() ? null : dir);
    int code = c.ftp.getReplyCode();
    if (!FTPReply.isPositiveCompletion(code)) {
      if (code == 550 || code == 450) {
        return new FTPFile[0];
      }
      throw failed(c.ftp, c.mlst ? "MLSD" : "LIST");
    }
    return entries;
  }

  /** The names of the files in a listing. */
  private static Set<String> fileNames(FTPFile[] entries) {
    Set<String> names = new java.util.HashSet<>();
    for (FTPFile e : entries) {
      if (e != null && e.isFile() && e.getName() != null) {
        names.add(e.getName());
      }
    }
    return names;
  }

  @Override
  public int removeTemporaryBefore(java.time.Instant before) {
    return withFtp("clean", "", c -> removeTemporary(c, rootDir, before));
  }

  /**
   * Removes temporary uploads older than {@code before} in {@code dir} and the folders below it;
   * entries without a time (some LIST formats) are left alone.
   */
  private int removeTemporary(Conn c, String dir, java.time.Instant before) throws IOException {
    FTPFile[] entries = entries(c, dir);
    Set<String> files = fileNames(entries);
    int removed = 0;
    for (FTPFile e : entries) {
      if (e == null) {
        continue;
      }
      String n = e.getName();
      if (n == null || n.isEmpty() || n.equals(".") || n.equals("..") || n.contains("/") || isCurrentOrParent(e)) {
        continue;
      }
      String p = dir.isEmpty() ? n : dir.equals("/") ? "/" + n : dir + "/" + n;
      if (e.isDirectory()) {
        removed += removeTemporary(c, p, before);
      } else if (e.isFile() && AsideRename.isAside(n) && !files.contains(AsideRename.targetOf(n))) {
        String target = dir.isEmpty() ? AsideRename.targetOf(n) : p.substring(0, p.length() - AsideRename.SUFFIX.length());
        c.ftp.rename(p, target); // put back what an interrupted replace moved aside (refused: someone did already)
      } else if (e.isFile() && StorePaths.isTemp(n) && e.getTimestamp() != null
          && e.getTimestamp().toInstant().isBefore(before)) {
        if (c.ftp.deleteFile(p)) {
          removed++;
        } else {
          ReplyException r = failed(c.ftp, "DELE");
          if (r.code != 550 && r.code != 450) {
            throw r;
          }
        }
      }
    }
    return removed;
  }

  /** MLSD's {@code type=cdir} and {@code type=pdir} entries name the folder itself and its parent. */
  private static boolean isCurrentOrParent(FTPFile e) {
    String raw = e.getRawListing();
    if (raw == null) {
      return false;
    }
    String facts = raw.toLowerCase(Locale.ROOT);
    return facts.contains("type=cdir;") || facts.contains("type=pdir;");
  }

  /** The file at {@code remote}, or null when there is none or it is not a file. */
  private FTPFile statRemote(FTPClient ftp, String remote, boolean mlst) throws IOException {
    if (mlst) {
      FTPFile f = ftp.mlistFile(remote);
      if (f == null) {
        int code = ftp.getReplyCode();
        if (code == 550 || code == 450 || code == 501) {
          return null;
        }
        throw failed(ftp, "MLST");
      }
      return f.isFile() ? f : null;
    }
    String size = ftp.getSize(remote);
    if (size == null) {
      int code = ftp.getReplyCode();
      if (code == 550 || code == 450 || code == 501) {
        return null; // missing, or a folder
      }
      throw failed(ftp, "SIZE");
    }
    FTPFile f = new FTPFile();
    f.setType(FTPFile.FILE_TYPE);
    f.setSize(Long.parseLong(size.trim()));
    return f;
  }

  @Override
  public Optional<StoredObject> stat(String path) {
    StorePaths.check(this, path);
    return withFtp("stat", path, c -> {
      FTPFile f = statRemote(c.ftp, remote(path), c.mlst);
      if (f == null) {
        f = statRemote(c.ftp, AsideRename.asideOf(remote(path)), c.mlst); // mid-replace?
      }
      return f == null ? Optional.<StoredObject>empty() : Optional.of(new StoredObject(path, f.getSize()));
    });
  }

  @Override
  public boolean exists(String path) {
    return stat(path).isPresent();
  }

  @Override
  public void delete(String path) {
    StorePaths.check(this, path);
    withFtp("delete", path, c -> {
      String remote = remote(path);
      if (!c.ftp.deleteFile(remote)) {
        ReplyException r = failed(c.ftp, "DELE");
        if (r.code != 550 && r.code != 450 || statRemote(c.ftp, remote, c.mlst) != null) {
          throw r;
        }
      }
      return null;
    });
  }

  /** Opens a connection now (normally opened on first use), to report bad settings early. */
  public void connect() {
    withFtp("connect", "", c -> null);
  }

  /** Whether the server lists with MLSD/MLST (else LIST/SIZE), for tests and diagnostics. */
  boolean usesMlsd() {
    return withFtp("connect", "", c -> c.mlst);
  }

  @Override
  public void close() {
    closed = true;
    Conn c;
    while ((c = idle.pollFirst()) != null) {
      disconnect(c.ftp, true);
    }
  }
}
