package au.com.backup247.agent.repo.store.ftp;

import au.com.backup247.agent.repo.store.AsideRename;
import au.com.backup247.agent.repo.store.ConnectionPool;
import au.com.backup247.agent.repo.store.NoSuchObjectException;
import au.com.backup247.agent.repo.store.RecordCopy;
import au.com.backup247.agent.repo.store.RemoteStore;
import au.com.backup247.agent.repo.store.ServerRoot;
import au.com.backup247.agent.repo.store.StorePaths;
import au.com.backup247.agent.repo.store.TempRename;
import au.com.backup247.agent.repo.store.UploadSource;
import au.com.backup247.agent.repo.store.ftp.FtpConnector.Conn;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPFile;

/**
 * A destination on an FTP server, in plain FTP or explicit FTPS ({@code AUTH TLS}, then
 * {@code PBSZ 0} and {@code PROT P} so that data connections are encrypted too), using Apache
 * Commons Net. Transfers are binary, in passive mode, with UTF-8 file names.
 *
 * <p><b>Put</b> ({@link TempRename}, {@link FtpPut}) uploads to {@code <name>.tmp-<16 hex>} in the object's folder (folders are created
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
public final class FtpStore extends RemoteStore<FtpStore.Config> {
  /** Drained instead of aborting the transfer when at most this much follows a range. */
  private static final int DRAIN_LIMIT = 64 * 1024;

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
      checkServer("FTP", host, port, user);
      password = password == null ? "" : password;
      root = root == null ? "" : root;
      Objects.requireNonNull(connectTimeout, "connectTimeout");
      Objects.requireNonNull(ioTimeout, "ioTimeout");
      if (maxConnections < 1) {
        throw new IllegalArgumentException("maxConnections must be at least 1");
      }
      if (certificateFingerprint != null) {
        certificateFingerprint = FtpTrust.normalizeFingerprint(certificateFingerprint);
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
      return RecordCopy.of(this).set("password", password).build();
    }

    /** Explicit FTPS; the certificate is checked against the JDK's CAs unless pinned or a trust store is set. */
    public Config withTls() {
      return RecordCopy.of(this).set("tls", true).build();
    }

    /** Explicit FTPS, accepting only the certificate with this SHA-256 fingerprint. */
    public Config withCertificateFingerprint(String sha256) {
      return RecordCopy.of(this).set("tls", true).set("certificateFingerprint", sha256).set("trustStore", null)
          .set("trustStorePassword", null).build();
    }

    /** Explicit FTPS, accepting certificates that chain up to this trust store (with hostname check). */
    public Config withTrustStore(Path file, String storePassword) {
      return RecordCopy.of(this).set("tls", true).set("certificateFingerprint", null).set("trustStore", file)
          .set("trustStorePassword", storePassword).build();
    }

    public Config withTimeouts(Duration connect, Duration io) {
      return RecordCopy.of(this).set("connectTimeout", connect).set("ioTimeout", io).build();
    }

    public Config withMaxConnections(int connections) {
      return RecordCopy.of(this).set("maxConnections", connections).build();
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

  private final ServerRoot root;
  final FtpConnector connector;
  private final ConnectionPool<Conn> pool;
  private final FtpPut upload;

  /** Checks the settings (and loads the trust store); connects on first use. */
  public FtpStore(Config config) {
    super(config, Config::url);
    this.root = ServerRoot.of(config.root(), "");
    FtpTrust trust = config.tls() ? new FtpTrust(name, config) : null;
    this.connector = new FtpConnector(name, config, trust, new FtpErrors(name, config, root.dir(), trust));
    this.pool = new ConnectionPool<>(name, config.maxConnections(), connector);
    this.upload = new FtpPut(root, config.ioTimeout());
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

  /** The SHA-256 fingerprint of a certificate as upper-case hex pairs joined by colons (as OpenSSL prints it). */
  public static String fingerprint(X509Certificate cert) {
    return FtpTrust.fingerprint(cert);
  }

  private String remote(String path) {
    return root.resolve(path);
  }

  // ---- operations ------------------------------------------------------------------------------

  @Override
  public void put(String path, InputStream data, long length) {
    StorePaths.checkPut(this, path, length, Long.MAX_VALUE);
    String target = remote(path);
    UploadSource source = new UploadSource(data, length);
    pool.call("put", path, c -> {
      upload.put(c, target, source);
      return null;
    });
  }

  @Override
  public byte[] get(String path) {
    StorePaths.check(this, path);
    return pool.call("get", path, c -> {
      InputStream found = c.ftp.retrieveFileStream(remote(path));
      if (found == null) {
        ReplyException r = ReplyException.failed(c.ftp, "RETR");
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
        throw ReplyException.failed(c.ftp, "RETR");
      }
      return out;
    });
  }

  @Override
  public byte[] get(String path, long offset, int length) {
    StorePaths.check(this, path);
    StorePaths.checkRange(this, path, offset, length);
    return pool.call("get", path, c -> {
      String remote = remote(path);
      if (length == 0) {
        FTPFile f = FtpListing.statRemote(c.ftp, remote, c.mlst);
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
        ReplyException r = ReplyException.failed(c.ftp, "RETR");
        FTPFile f = r.code == 550 || r.code == 554 ? FtpListing.statRemote(c.ftp, remote, c.mlst) : null;
        if (f != null && f.isFile()) {
          throw StorePaths.outOfRange(this, path, offset, length, f.getSize()); // REST past the end
        }
        throw r;
      }
      byte[] out = new byte[length];
      int done;
      boolean complete;
      try (in) {
        done = in.readNBytes(out, 0, length);
        complete = done < length || drained(in);
      }
      boolean ok = c.ftp.completePendingCommand();
      if (!ok && complete) {
        throw ReplyException.failed(c.ftp, "RETR");
      }
      if (done < length) {
        FTPFile f = FtpListing.statRemote(c.ftp, remote, c.mlst);
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
    List<StoredObject> out = pool.call("list", prefix, c -> {
      List<StoredObject> found = new ArrayList<>();
      String dir = folder.isEmpty() ? root.dir() : remote(folder);
      FtpListing.walk(c, dir, folder, prefix, found, !folder.isEmpty());
      return found;
    });
    out.sort((a, b) -> a.path().compareTo(b.path()));
    return out;
  }


  @Override
  public List<String> folders(String folder) {
    String dir = folder.isEmpty() ? root.dir() : remote(StorePaths.check(this, folder));
    List<String> out = pool.call("list", folder, c -> {
      List<String> found = new ArrayList<>();
      for (FTPFile e : FtpListing.entries(c, dir)) {
        String n = e == null ? null : e.getName();
        if (n != null && e.isDirectory() && !n.contains("/") && !FtpListing.isCurrentOrParent(e) && StorePaths.valid(n)) {
          found.add(n);
        }
      }
      return found;
    });
    out.sort(null);
    return out;
  }


  @Override
  public int removeTemporaryBefore(Instant before) {
    return pool.call("clean", "", c -> FtpListing.removeTemporary(c, root.dir(), before));
  }


  @Override
  public Optional<StoredObject> stat(String path) {
    StorePaths.check(this, path);
    return pool.call("stat", path, c -> {
      FTPFile f = FtpListing.statRemote(c.ftp, remote(path), c.mlst);
      if (f == null) {
        f = FtpListing.statRemote(c.ftp, AsideRename.asideOf(remote(path)), c.mlst); // mid-replace?
      }
      return f == null ? Optional.<StoredObject>empty() : Optional.of(new StoredObject(path, f.getSize()));
    });
  }

  @Override
  public void delete(String path) {
    StorePaths.check(this, path);
    pool.call("delete", path, c -> {
      String remote = remote(path);
      if (!c.ftp.deleteFile(remote)) {
        ReplyException r = ReplyException.failed(c.ftp, "DELE");
        if (r.code != 550 && r.code != 450 || FtpListing.statRemote(c.ftp, remote, c.mlst) != null) {
          throw r;
        }
      }
      return null;
    });
  }

  /** Opens a connection now (normally opened on first use), to report bad settings early. */
  public void connect() {
    pool.call("connect", "", c -> null);
  }

  /** Whether the server lists with MLSD/MLST (else LIST/SIZE), for tests and diagnostics. */
  boolean usesMlsd() {
    return pool.call("connect", "", c -> c.mlst);
  }

  @Override
  public void close() {
    connector.shut();
    pool.closeIdle(c -> FtpConnector.disconnect(c.ftp, true));
  }
}
