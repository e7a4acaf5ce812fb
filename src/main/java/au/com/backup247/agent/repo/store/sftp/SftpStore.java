package au.com.backup247.agent.repo.store.sftp;

import au.com.backup247.agent.repo.store.AsideRename;
import au.com.backup247.agent.repo.store.ConnectionPool;
import au.com.backup247.agent.repo.store.HostNotFound;
import au.com.backup247.agent.repo.store.NoSuchObjectException;
import au.com.backup247.agent.repo.store.RecordCopy;
import au.com.backup247.agent.repo.store.Store;
import au.com.backup247.agent.repo.store.StoreException;
import au.com.backup247.agent.repo.store.StorePaths;
import au.com.backup247.agent.repo.store.TempRename;
import au.com.backup247.agent.repo.store.UploadSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.sftp.SftpModuleProperties;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHFsyncExtension;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHLimitsExtension;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHPosixRenameExtension;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHStatExtensionInfo;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHStatPathExtension;
import org.apache.sshd.sftp.client.impl.AbstractSftpClient;
import org.apache.sshd.sftp.client.impl.SftpInputStreamAsync;
import org.apache.sshd.sftp.client.impl.SftpOutputStreamAsync;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * A destination on an SFTP server (Apache MINA SSHD client).
 *
 * <p><b>Put</b> is the temp-then-rename put of {@link TempRename}: it uploads to
 * {@code <name>.tmp-<16 hex>} in the object's folder (created as needed), fsyncs it when the server
 * offers {@code fsync@openssh.com}, then renames it over the final name with
 * {@code posix-rename@openssh.com} (atomic replace). Without that extension it falls back to a plain
 * SFTP rename, and when that fails because the object exists, moves the old object aside first
 * ({@link AsideRename}): it is never missing, not even when the connection drops in between. A
 * failed upload removes its temp file when the channel still works; otherwise the temp file stays
 * and is never listed.
 *
 * <p><b>Security</b>: the server's host key must match a {@code known_hosts} file (OpenSSH
 * format, hashed names allowed) or a configured {@code SHA256:…} fingerprint; an unknown or
 * changed key is refused with a permanent error that shows the key's fingerprint. Neither
 * {@code ~/.ssh/config} nor default identities are read. Password and private key stay out of
 * {@link #name()} and {@link Config#toString()}.
 *
 * <p><b>Errors</b>: no such file → {@link NoSuchObjectException}; permission denied, no space,
 * quota, generic server failure (OpenSSH reports a full disk as "Failure"), authentication failure
 * and host key refusal → permanent; timeouts, refused or dropped connections → transient.
 *
 * <p><b>Threads</b>: one SSH session, up to {@link Config#maxChannels} SFTP channels used in
 * parallel; the session is opened on first use and again after it broke.
 */
public final class SftpStore implements Store {
  /** SFTP's guaranteed write size (draft-ietf-secsh-filexfer: servers must take 32 KiB). */
  private static final int SAFE_WRITE = 32 * 1024;
  /**
   * The largest write asked for when the server says it takes more ({@code limits@openssh.com};
   * OpenSSH: 255 KiB). Fewer, larger requests doubled the upload rate to OpenSSH on loopback.
   */
  private static final int MAX_WRITE = 255 * 1024;
  /** The size of each read request of a ranged get: what OpenSSH's client asks, and every server answers whole. */
  private static final int READ_SIZE = 32 * 1024;
  /**
   * Ciphers offered, in order of preference: AES-GCM and AES-CTR run on the JDK's AES (and GHASH)
   * CPU intrinsics; MINA's ChaCha20-Poly1305, its default first choice, is plain Java and limited
   * SFTP uploads to 40 % of OpenSSH's own client on loopback (JFR: most samples in its key stream).
   * GCM before CTR: once compiled (see {@link SshWarmup}), uploading a backup's files to OpenSSH on
   * loopback took 0.73-1.01 s with AES-128-GCM against 1.03-1.30 s with AES-128-CTR and
   * HMAC-SHA-256 (Java 17, a CPU with AES, carry-less multiply and SHA extensions), and GCM spares
   * the server the separate MAC too.
   */
  static final List<BuiltinCiphers> CIPHERS = List.of(BuiltinCiphers.aes128gcm, BuiltinCiphers.aes256gcm,
      BuiltinCiphers.aes128ctr, BuiltinCiphers.aes192ctr, BuiltinCiphers.aes256ctr, BuiltinCiphers.cc20p1305_openssh);

  /**
   * Where and how to connect. Build with {@link #of} and the {@code with…} methods.
   *
   * @param root folder on the server for the repository (absolute, or relative to the login folder)
   * @param password password, or null for key authentication
   * @param identityFile OpenSSH or PEM private key file, or null
   * @param identityPassphrase passphrase of the identity file, or null
   * @param knownHosts OpenSSH known_hosts file to check the host key against, or null
   * @param hostKeyFingerprint expected host key fingerprint {@code SHA256:…}, or null
   * @param connectTimeout for TCP connect, key exchange and authentication
   * @param ioTimeout for each SFTP request
   * @param maxChannels SFTP channels used in parallel
   */
  public record Config(String host, int port, String user, String root, String password, Path identityFile,
      String identityPassphrase, Path knownHosts, String hostKeyFingerprint, Duration connectTimeout,
      Duration ioTimeout, int maxChannels) {

    public Config {
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("SFTP host is missing");
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("SFTP port " + port + " is out of range");
      }
      if (user == null || user.isBlank()) {
        throw new IllegalArgumentException("SFTP user is missing");
      }
      root = root == null ? "" : root;
      Objects.requireNonNull(connectTimeout, "connectTimeout");
      Objects.requireNonNull(ioTimeout, "ioTimeout");
      if (maxChannels < 1) {
        throw new IllegalArgumentException("maxChannels must be at least 1");
      }
    }

    /** Port 22-style settings without credentials or host key (add them with the with… methods). */
    public static Config of(String host, int port, String user, String root) {
      return new Config(host, port, user, root, null, null, null, null, null, Duration.ofSeconds(30),
          Duration.ofSeconds(60), 4);
    }

    public Config withPassword(String password) {
      return RecordCopy.of(this).set("password", password).build();
    }

    public Config withIdentity(Path identityFile, String passphrase) {
      return RecordCopy.of(this).set("identityFile", identityFile).set("identityPassphrase", passphrase).build();
    }

    public Config withKnownHosts(Path knownHosts) {
      return RecordCopy.of(this).set("knownHosts", knownHosts).build();
    }

    public Config withHostKeyFingerprint(String fingerprint) {
      return RecordCopy.of(this).set("hostKeyFingerprint", fingerprint).build();
    }

    public Config withTimeouts(Duration connect, Duration io) {
      return RecordCopy.of(this).set("connectTimeout", connect).set("ioTimeout", io).build();
    }

    public Config withMaxChannels(int channels) {
      return RecordCopy.of(this).set("maxChannels", channels).build();
    }

    /** {@code sftp://user@host:port/root}, without secrets. */
    public String url() {
      String h = host.contains(":") ? "[" + host + "]" : host;
      String r = root.startsWith("/") ? root : root.isEmpty() ? "/~" : "/~/" + root;
      return "sftp://" + user + "@" + h + ":" + port + r;
    }

    @Override
    public String toString() {
      return "SftpStore.Config[" + url() + ", auth=" + (password != null ? "password" : "")
          + (identityFile != null ? (password != null ? "+" : "") + "key " + identityFile : "") + ", hostKey="
          + (hostKeyFingerprint != null ? hostKeyFingerprint : "known_hosts " + knownHosts) + ", connectTimeout="
          + connectTimeout + ", ioTimeout=" + ioTimeout + ", maxChannels=" + maxChannels + "]";
    }
  }

  private final Config config;
  private final String name;
  private final String rootDir;
  private final SshClient client;
  private final ConnectionPool<SftpClient> pool;
  private ClientSession session; // guarded by this
  private volatile String hostKeyRefusal;
  private volatile boolean closed;
  private volatile int writeSize; // 0: not asked yet

  /** Checks the settings; connects on first use. */
  public SftpStore(Config config) {
    this.config = Objects.requireNonNull(config, "config");
    this.name = config.url();
    if (config.password() == null && config.identityFile() == null) {
      throw new IllegalArgumentException(name + ": a password or an identity file is needed");
    }
    if (config.knownHosts() == null && config.hostKeyFingerprint() == null) {
      throw new IllegalArgumentException(name + ": host key verification needs a known_hosts file or a fingerprint");
    }
    if (config.hostKeyFingerprint() != null && !config.hostKeyFingerprint().startsWith("SHA256:")) {
      throw new IllegalArgumentException(name + ": the host key fingerprint must look like SHA256:…");
    }
    String r = config.root();
    while (r.length() > 1 && r.endsWith("/")) {
      r = r.substring(0, r.length() - 1);
    }
    this.rootDir = r.isEmpty() ? "." : r;
    this.pool = new ConnectionPool<>(name, config.maxChannels(), new Channels());
    this.client = SshClient.setUpDefaultClient();
    client.setCipherFactories(new ArrayList<>(NamedFactory.setUpBuiltinFactories(false, CIPHERS)));
    client.setServerKeyVerifier(verifier());
    client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
    client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
    // requests are small and answered one by one: without TCP_NODELAY, Nagle plus the peer's delayed ACK
    // hold each small write for ~40 ms (a ranged read of a chunk took that long per request on loopback)
    CoreModuleProperties.TCP_NODELAY.set(client, true);
    CoreModuleProperties.IDLE_TIMEOUT.set(client, config.ioTimeout());
    CoreModuleProperties.AUTH_TIMEOUT.set(client, config.connectTimeout());
    CoreModuleProperties.CHANNEL_OPEN_TIMEOUT.set(client, config.ioTimeout());
    CoreModuleProperties.WAIT_FOR_SPACE_TIMEOUT.set(client, config.ioTimeout());
    SftpModuleProperties.SFTP_CHANNEL_OPEN_TIMEOUT.set(client, config.ioTimeout());
    client.start();
    SshWarmup.start(CIPHERS.get(0));
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
    return "SftpStore[" + name + "]";
  }

  // ---- host keys -------------------------------------------------------------------------------

  /** The SHA-256 fingerprint of a public key as OpenSSH prints it: {@code SHA256:base64}. */
  public static String fingerprint(PublicKey key) {
    String fp = KeyUtils.getFingerPrint(BuiltinDigests.sha256, key);
    while (fp.endsWith("=")) {
      fp = fp.substring(0, fp.length() - 1);
    }
    return fp;
  }

  private ServerKeyVerifier verifier() {
    if (config.hostKeyFingerprint() != null) {
      String want = config.hostKeyFingerprint().replaceAll("=+$", "");
      return (session, address, key) -> {
        String got = fingerprint(key);
        if (got.equals(want)) {
          return true;
        }
        hostKeyRefusal = "host key " + KeyUtils.getKeyType(key) + " " + got + " of " + address(address)
            + " does not match the configured fingerprint " + want;
        return false;
      };
    }
    Path file = config.knownHosts();
    KnownHostsServerKeyVerifier known = new KnownHostsServerKeyVerifier((session, address, key) -> {
      hostKeyRefusal = "unknown host key " + KeyUtils.getKeyType(key) + " " + fingerprint(key) + " of "
          + address(address) + " (not in " + file + ")";
      return false;
    }, file) {
      @Override
      protected boolean acceptIncompleteHostKeys(ClientSession session, SocketAddress address, PublicKey key,
          Throwable reason) {
        hostKeyRefusal = "cannot read known_hosts file " + file + " to check host key " + fingerprint(key) + ": "
            + reason.getMessage();
        return false;
      }
    };
    known.setModifiedServerKeyAcceptor((ClientSession session, SocketAddress address, KnownHostEntry entry,
        PublicKey expected, PublicKey actual) -> {
      hostKeyRefusal = "host key of " + address(address) + " has CHANGED: it is now " + KeyUtils.getKeyType(actual)
          + " " + fingerprint(actual) + ", " + file + " has " + fingerprint(expected)
          + " (if the server was reinstalled, update known_hosts)";
      return false;
    });
    return known;
  }

  private static String address(SocketAddress a) {
    String s = String.valueOf(a);
    return s.startsWith("/") ? s.substring(1) : s;
  }

  // ---- connections -----------------------------------------------------------------------------

  private synchronized ClientSession session() throws IOException {
    if (closed) {
      throw StoreException.permanent(name + " is closed");
    }
    if (session != null && session.isOpen() && !session.isClosing()) {
      return session;
    }
    dropSession();
    hostKeyRefusal = null;
    ClientSession s = null;
    try {
      SshWarmup.kexCompileRuleSet(1000); // before the key exchange asks for its compilation
      ConnectFuture f = client.connect(config.user(), config.host(), config.port());
      f.verify(config.connectTimeout());
      s = f.getSession();
      if (config.password() != null) {
        s.addPasswordIdentity(config.password());
      }
      if (config.identityFile() != null) {
        for (KeyPair kp : loadIdentity(s)) {
          s.addPublicKeyIdentity(kp);
        }
      }
      s.auth().verify(config.connectTimeout());
      session = s;
      return s;
    } catch (IOException | RuntimeException e) {
      if (s != null) {
        s.close(true);
      }
      throw connectError(e);
    }
  }

  private List<KeyPair> loadIdentity(ClientSession s) {
    Path file = config.identityFile();
    if (!Files.isReadable(file)) {
      throw StoreException.permanent("cannot connect to " + name + ": identity file " + file + " is not readable");
    }
    FileKeyPairProvider provider = new FileKeyPairProvider(file);
    if (config.identityPassphrase() != null) {
      provider.setPasswordFinder(FilePasswordProvider.of(config.identityPassphrase()));
    }
    try {
      List<KeyPair> keys = new ArrayList<>();
      provider.loadKeys(s).forEach(keys::add);
      if (keys.isEmpty()) {
        throw StoreException.permanent("cannot connect to " + name + ": no key in identity file " + file);
      }
      return keys;
    } catch (StoreException e) {
      throw e;
    } catch (Exception e) {
      throw StoreException.permanent("cannot connect to " + name + ": cannot load identity file " + file + " ("
          + e.getClass().getSimpleName() + ")", e);
    }
  }

  private StoreException connectError(Throwable e) {
    if (e instanceof StoreException se) {
      return se;
    }
    String refusal = hostKeyRefusal;
    if (refusal != null) {
      return StoreException.permanent("cannot connect to " + name + ": REFUSED " + refusal, e);
    }
    if (e instanceof SshException ssh) {
      int code = ssh.getDisconnectCode();
      String msg = String.valueOf(ssh.getMessage());
      if (code == SshConstants.SSH2_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE
          || code == SshConstants.SSH2_DISCONNECT_ILLEGAL_USER_NAME
          || code == SshConstants.SSH2_DISCONNECT_AUTH_CANCELLED_BY_USER
          || msg.contains("No more authentication methods")) {
        return StoreException.permanent("cannot connect to " + name + ": authentication failed for user "
            + config.user() + " (" + (config.password() != null ? "password" : "key " + config.identityFile())
            + " refused)", e);
      }
      if (code == SshConstants.SSH2_DISCONNECT_HOST_KEY_NOT_VERIFIABLE) {
        return StoreException.permanent("cannot connect to " + name + ": REFUSED the server's host key", e);
      }
    }
    StoreException unknown = HostNotFound.error("cannot connect to " + name, config.host(), e);
    if (unknown != null) {
      return unknown;
    }
    return StoreException.transientError("cannot connect to " + name + ": " + describe(e), e);
  }

  /** Closes {@code broken} if it is still the current session (another thread may have replaced it). */
  private synchronized void dropSession(ClientSession broken) {
    if (broken == null || broken == session) {
      dropSession();
    }
  }

  private synchronized void dropSession() {
    pool.closeIdle(SftpStore::closeQuietly);
    if (session != null) {
      session.close(true);
      session = null;
    }
  }

  private static void closeQuietly(SftpClient c) {
    try {
      c.close();
    } catch (IOException | RuntimeException ignored) {
      // the channel or its session is already gone
    }
  }

  private <T> T withSftp(String op, String path, ConnectionPool.Call<SftpClient, T> call) {
    return pool.call(op, path, call);
  }

  /**
   * The SFTP channels of the pool, all on the one SSH session: a channel that an I/O failure broke
   * (a timeout, a reset) drops the session, so the next operation reconnects; a status the server
   * answered, or a failing upload source, leaves the channel in use.
   */
  private final class Channels implements ConnectionPool.Connector<SftpClient> {
    @Override
    public SftpClient open() {
      ClientSession s;
      try {
        s = session();
      } catch (IOException e) {
        throw connectError(e);
      }
      try {
        return SftpClientFactory.instance().createSftpClient(s);
      } catch (IOException e) {
        dropSession(null);
        throw connectError(e);
      }
    }

    @Override
    public boolean reusable(SftpClient c) {
      return c.isOpen();
    }

    @Override
    public boolean keep(SftpClient c) {
      return c.isOpen() && !closed;
    }

    @Override
    public void close(SftpClient c) {
      closeQuietly(c);
    }

    @Override
    public boolean breaks(Exception e) {
      return e instanceof IOException && !(e instanceof SftpException || e instanceof UploadSource.Failure);
    }

    @Override
    public StoreException error(String op, String path, IOException e) {
      return SftpStore.this.error(op, path, e);
    }

    @Override
    public void broke(SftpClient c) {
      dropSession(c.getClientSession()); // a timeout or reset: the next operation reconnects
    }
  }

  /** Maps an SFTP status or I/O failure to the contract's errors. */
  StoreException error(String op, String path, IOException e) {
    String what = StoreException.cannot(op, path, name);
    if (e instanceof SftpException s) {
      String m = s.getMessage() == null ? "" : " (" + s.getMessage() + ")";
      switch (s.getStatus()) {
        case SftpConstants.SSH_FX_NO_SUCH_FILE, SftpConstants.SSH_FX_NO_SUCH_PATH, SftpConstants.SSH_FX_NOT_A_DIRECTORY:
          return new NoSuchObjectException(what + ": no such file" + m, e);
        case SftpConstants.SSH_FX_PERMISSION_DENIED, SftpConstants.SSH_FX_WRITE_PROTECT:
          return StoreException.permanent(what + ": permission denied" + m, e);
        case SftpConstants.SSH_FX_NO_SPACE_ON_FILESYSTEM:
          return StoreException.permanent(what + ": no space left on the server" + m, e);
        case SftpConstants.SSH_FX_QUOTA_EXCEEDED:
          return StoreException.permanent(what + ": quota exceeded" + m, e);
        case SftpConstants.SSH_FX_FAILURE:
          return StoreException.permanent(what + ": the server reports a failure" + m
              + "; SFTP servers report a full disk or an exceeded quota this way", e);
        case SftpConstants.SSH_FX_NO_CONNECTION, SftpConstants.SSH_FX_CONNECTION_LOST:
          return StoreException.transientError(what + ": connection lost" + m, e);
        default:
          return StoreException.permanent(what + ": SFTP status " + s.getStatus() + m, e);
      }
    }
    if (e instanceof SocketTimeoutException || String.valueOf(e.getMessage()).contains("Timeout")) {
      return StoreException.transientError(what + ": timed out after " + config.ioTimeout().toSeconds() + " s ("
          + describe(e) + ")", e);
    }
    return StoreException.transientError(what + ": " + describe(e), e);
  }

  /** Words for a person: the root cause of a connection failure rather than the SSH library's wrapping. */
  static String describe(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return "connection refused";
      }
      if (t instanceof java.net.UnknownHostException || t instanceof java.nio.channels.UnresolvedAddressException) {
        return "host not found";
      }
      if (t instanceof java.net.NoRouteToHostException) {
        return "no route to host";
      }
      if (t.getCause() == t) {
        break;
      }
    }
    String m = e.getMessage();
    String kind = e.getClass().getSimpleName().replace("Exception", "").replace("Ssh", "SSH");
    return (kind.isEmpty() ? "error" : kind + " error") + (m == null ? "" : ": " + m);
  }

  private static boolean status(IOException e, int... codes) {
    if (e instanceof SftpException s) {
      for (int c : codes) {
        if (s.getStatus() == c) {
          return true;
        }
      }
    }
    return false;
  }

  /** No such file, or a path through something that is not a folder. */
  private static boolean missing(IOException e) {
    return status(e, SftpConstants.SSH_FX_NO_SUCH_FILE, SftpConstants.SSH_FX_NO_SUCH_PATH,
        SftpConstants.SSH_FX_NOT_A_DIRECTORY);
  }

  private String remote(String path) {
    return rootDir.equals(".") ? path : rootDir.equals("/") ? "/" + path : rootDir + "/" + path;
  }

  private static String parent(String remotePath) {
    int slash = remotePath.lastIndexOf('/');
    return slash < 0 ? "." : slash == 0 ? "/" : remotePath.substring(0, slash);
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
    StorePaths.checkPut(this, path, length, Long.MAX_VALUE);
    String target = remote(path);
    UploadSource source = new UploadSource(data, length);
    withSftp("put", path, c -> {
      try {
        TempRename.put(new Upload(c, source), target);
      } catch (SftpException e) {
        throw explainFailure(c, parent(target), length, e);
      }
      return null;
    });
  }

  /** One put's steps on one SFTP channel ({@link TempRename}). */
  private final class Upload implements TempRename.Files {
    private final SftpClient c;
    private final UploadSource data;

    Upload(SftpClient c, UploadSource data) {
      this.c = c;
      this.data = data;
    }

    @Override
    public void write(String tmp) throws IOException {
      SftpClient.CloseableHandle h;
      try {
        h = c.open(tmp, SftpClient.OpenMode.Write, SftpClient.OpenMode.Create, SftpClient.OpenMode.Exclusive);
      } catch (SftpException e) {
        if (!missing(e)) {
          throw e;
        }
        mkdirs(c, parent(tmp));
        h = c.open(tmp, SftpClient.OpenMode.Write, SftpClient.OpenMode.Create, SftpClient.OpenMode.Exclusive);
      }
      try (SftpClient.CloseableHandle handle = h) {
        upload(c, handle, tmp, data, writeSize(c));
        OpenSSHFsyncExtension fsync = c.getExtension(OpenSSHFsyncExtension.class);
        if (fsync != null && fsync.isSupported()) {
          fsync.fsync(handle);
        }
      }
    }

    @Override
    public void replace(String tmp, String target) throws IOException {
      rename(c, tmp, target);
    }

    @Override
    public void discard(String tmp) {
      if (c.isOpen()) {
        try {
          c.remove(tmp);
        } catch (IOException ignored) {
          // a left-over temp file is never listed
        }
      }
    }
  }

  /**
   * SFTP version 3 servers (OpenSSH's among them) answer a full disk or an exceeded quota with a bare
   * "failure". When the server tells how much space is left ({@code statvfs@openssh.com}) and that is less
   * than the object needs, the failure is reported as what it is: no space left.
   */
  private SftpException explainFailure(SftpClient c, String folder, long needed, SftpException e) {
    if (e.getStatus() != SftpConstants.SSH_FX_FAILURE || !c.isOpen()) {
      return e;
    }
    try {
      OpenSSHStatPathExtension statvfs = c.getExtension(OpenSSHStatPathExtension.class);
      if (statvfs == null || !statvfs.isSupported()) {
        return e;
      }
      OpenSSHStatExtensionInfo fs = statvfs.stat(folder);
      long free = fs.f_bavail * (fs.f_frsize > 0 ? fs.f_frsize : fs.f_bsize);
      if (free < needed) {
        return new SftpException(SftpConstants.SSH_FX_NO_SPACE_ON_FILESYSTEM, free + " bytes free, " + needed
            + " needed");
      }
    } catch (IOException ignored) {
      // the server cannot tell: keep its own answer
    }
    return e;
  }

  /** The size of each write request: what the server says it takes, at most {@link #MAX_WRITE}, else 32 KiB. */
  private int writeSize(SftpClient c) {
    int size = writeSize;
    if (size == 0) {
      size = SAFE_WRITE;
      try {
        OpenSSHLimitsExtension limits = c.getExtension(OpenSSHLimitsExtension.class);
        if (limits != null && limits.isSupported()) {
          long max = limits.limits().maxWriteLength;
          size = max > 0 ? (int) Math.min(MAX_WRITE, Math.max(SAFE_WRITE, max)) : SAFE_WRITE;
        }
      } catch (IOException | RuntimeException ignored) {
        // keep the size every server takes
      }
      writeSize = size;
    }
    return size;
  }

  /** Writes {@code data} to the open handle; writes are pipelined when possible. */
  private static void upload(SftpClient c, SftpClient.CloseableHandle h, String remote, UploadSource data, int chunk)
      throws IOException {
    OutputStream pipelined = c instanceof AbstractSftpClient a
        ? new SftpOutputStreamAsync(a, chunk, remote, h, false) : null;
    data.copyTo((buf, off, n) -> {
      if (pipelined != null) {
        pipelined.write(buf, off, n);
      } else {
        c.write(h, data.done(), buf, off, n);
      }
    }, chunk);
    if (pipelined != null) {
      pipelined.close(); // waits for every write's answer; leaves the handle open
    }
  }

  /**
   * Renames the upload into place: atomically with {@code posix-rename@openssh.com}, else with a
   * plain rename asking to overwrite, and on servers that refuse to without a gap in which the
   * object has no name ({@link AsideRename}).
   */
  private void rename(SftpClient c, String tmp, String target) throws IOException {
    OpenSSHPosixRenameExtension posix = c.getExtension(OpenSSHPosixRenameExtension.class);
    if (posix != null && posix.isSupported()) {
      posix.posixRename(tmp, target);
      return;
    }
    SftpException[] refusal = new SftpException[1];
    AsideRename.replace(new AsideRename.Server() {
      @Override
      public boolean rename(String from, String to) throws IOException {
        try {
          c.rename(from, to, SftpClient.CopyMode.Overwrite, SftpClient.CopyMode.Atomic);
          return true;
        } catch (SftpException e) {
          if (status(e, SftpConstants.SSH_FX_NO_SUCH_FILE, SftpConstants.SSH_FX_PERMISSION_DENIED)) {
            throw e;
          }
          refusal[0] = e; // SFTP version 3 servers refuse to replace, with a bare "failure"
          return false;
        }
      }

      @Override
      public boolean exists(String path) throws IOException {
        return regularFile(c, path) != null;
      }

      @Override
      public void delete(String path) throws IOException {
        try {
          c.remove(path);
        } catch (SftpException e) {
          if (!missing(e)) {
            throw e;
          }
        }
      }
    }, tmp, target, () -> refusal[0]);
  }

  /** The attributes of the regular file at {@code path}, or null when there is none. */
  private static SftpClient.Attributes regularFile(SftpClient c, String path) throws IOException {
    try {
      SftpClient.Attributes a = c.stat(path);
      return a.isRegularFile() ? a : null;
    } catch (SftpException e) {
      if (missing(e)) {
        return null;
      }
      throw e;
    }
  }

  private static void mkdirs(SftpClient c, String dir) throws IOException {
    if (dir.equals(".") || dir.equals("/") || dir.isEmpty()) {
      return;
    }
    try {
      if (c.stat(dir).isDirectory()) {
        return;
      }
    } catch (SftpException e) {
      if (!missing(e)) {
        throw e;
      }
    }
    mkdirs(c, parent(dir));
    try {
      c.mkdir(dir);
    } catch (SftpException e) {
      // created by another thread meanwhile? (OpenSSH answers "Failure" for an existing folder)
      try {
        if (c.stat(dir).isDirectory()) {
          return;
        }
      } catch (SftpException ignored) {
        // report the mkdir failure
      }
      throw e;
    }
  }

  @Override
  public byte[] get(String path) {
    StorePaths.check(this, path);
    return withSftp("get", path, c -> {
      try (InputStream in = c.read(remote(path))) {
        return in.readAllBytes();
      } catch (SftpException e) {
        if (!missing(e) || regularFile(c, AsideRename.asideOf(remote(path))) == null) {
          throw e;
        }
        try (InputStream in = c.read(AsideRename.asideOf(remote(path)))) { // moved aside by an interrupted replace
          return in.readAllBytes();
        }
      }
    });
  }

  @Override
  public byte[] get(String path, long offset, int length) {
    StorePaths.check(this, path);
    StorePaths.checkRange(this, path, offset, length);
    return withSftp("get", path, c -> {
      try (SftpClient.CloseableHandle h = c.open(remote(path), SftpClient.OpenMode.Read)) {
        byte[] out = new byte[length];
        int done = 0;
        if (c instanceof AbstractSftpClient a) {
          // pipelined like OpenSSH's client: the range's read requests all in flight at once (up to
          // the channel window), instead of one round trip per request; the stream stops asking at
          // the range's end and closes the handle after draining its answers
          try (InputStream in = new SftpInputStreamAsync(a, READ_SIZE, offset, offset + length, remote(path), h)) {
            done = in.readNBytes(out, 0, length);
          }
        } else {
          while (done < length) {
            int n = c.read(h, offset + done, out, done, length - done);
            if (n < 0) {
              break;
            }
            done += n;
          }
        }
        if (done < length) {
          throw StorePaths.outOfRange(this, path, offset, length, c.stat(remote(path)).getSize());
        }
        return out;
      }
    });
  }

  @Override
  public List<StoredObject> list(String prefix) {
    StorePaths.checkPrefix(this, prefix);
    String folder = StorePaths.folderOf(prefix);
    List<StoredObject> out = withSftp("list", prefix, c -> {
      List<StoredObject> found = new ArrayList<>();
      walk(c, folder.isEmpty() ? rootDir : remote(folder), folder, prefix, found);
      return found;
    });
    out.sort((a, b) -> a.path().compareTo(b.path()));
    return out;
  }

  @Override
  public int removeTemporaryBefore(java.time.Instant before) {
    return withSftp("clean", "", c -> removeTemporary(c, rootDir, before));
  }

  /** Removes temporary uploads older than {@code before} in {@code dir} and the folders below it. */
  private int removeTemporary(SftpClient c, String dir, java.time.Instant before) throws IOException {
    List<SftpClient.DirEntry> all = entries(c, dir);
    int removed = 0;
    java.util.Set<String> files = fileNames(all);
    for (SftpClient.DirEntry e : all) {
      String n = e.getFilename();
      if (n.equals(".") || n.equals("..")) {
        continue;
      }
      SftpClient.Attributes a = e.getAttributes();
      if (a.isDirectory()) {
        removed += removeTemporary(c, dir + "/" + n, before);
        continue;
      }
      java.time.Instant modified = a.getModifyTime() == null ? null : a.getModifyTime().toInstant();
      switch (a.isRegularFile() ? TempRename.leftover(n, modified, files, before) : TempRename.Leftover.KEEP) {
        case PUT_BACK -> {
          try {
            c.rename(dir + "/" + n, dir + "/" + AsideRename.targetOf(n)); // put back what a replace moved aside
          } catch (SftpException ignored) {
            // put back meanwhile
          }
        }
        case REMOVE -> {
          try {
            c.remove(dir + "/" + n);
            removed++;
          } catch (SftpException ex) {
            if (!missing(ex)) {
              throw ex;
            }
          }
        }
        case KEEP -> {
          // an object, or a temporary upload that may still be running
        }
      }
    }
    return removed;
  }

  /** The names of the regular files in a folder listing. */
  private static java.util.Set<String> fileNames(List<SftpClient.DirEntry> entries) {
    java.util.Set<String> names = new java.util.HashSet<>();
    for (SftpClient.DirEntry e : entries) {
      if (e.getAttributes().isRegularFile()) {
        names.add(e.getFilename());
      }
    }
    return names;
  }

  @Override
  public List<String> folders(String folder) {
    String dir = folder.isEmpty() ? rootDir : remote(StorePaths.check(this, folder));
    List<String> out = withSftp("list", folder, c -> {
      List<String> found = new ArrayList<>();
      for (SftpClient.DirEntry e : entries(c, dir)) {
        String n = e.getFilename();
        if (e.getAttributes().isDirectory() && StorePaths.valid(n)) { // not ".", "..", a temporary upload
          found.add(n);
        }
      }
      return found;
    });
    out.sort(null);
    return out;
  }

  /** The entries of folder {@code dir}; none when it does not exist (yet) or was removed while listing. */
  private static List<SftpClient.DirEntry> entries(SftpClient c, String dir) throws IOException {
    List<SftpClient.DirEntry> all = new ArrayList<>();
    try (SftpClient.CloseableHandle h = c.openDir(dir)) {
      for (List<SftpClient.DirEntry> batch = c.readDir(h); batch != null; batch = c.readDir(h)) {
        all.addAll(batch);
      }
    } catch (SftpException e) {
      if (missing(e)) {
        return List.of();
      }
      throw e;
    }
    return all;
  }

  private void walk(SftpClient c, String dir, String rel, String prefix, List<StoredObject> out) throws IOException {
    List<SftpClient.DirEntry> all = entries(c, dir);
    java.util.Set<String> files = fileNames(all);
    for (SftpClient.DirEntry e : all) {
      String n = e.getFilename();
      if (AsideRename.isAside(n) && e.getAttributes().isRegularFile() && !files.contains(AsideRename.targetOf(n))) {
        n = AsideRename.targetOf(n); // an object moved aside by an interrupted replace: still the object
      }
      if (n.equals(".") || n.equals("..") || StorePaths.isTemp(n)) {
        continue;
      }
      String p = rel.isEmpty() ? n : rel + "/" + n;
      SftpClient.Attributes a = e.getAttributes();
      if (a.isDirectory()) {
        String asFolder = p + "/";
        if (asFolder.startsWith(prefix) || prefix.startsWith(asFolder)) {
          walk(c, dir + "/" + n, p, prefix, out);
        }
      } else if (a.isRegularFile() && p.startsWith(prefix)) {
        out.add(new StoredObject(p, a.getSize()));
      }
    }
  }

  @Override
  public Optional<StoredObject> stat(String path) {
    StorePaths.check(this, path);
    return withSftp("stat", path, c -> {
      SftpClient.Attributes a = regularFile(c, remote(path));
      if (a == null) {
        a = regularFile(c, AsideRename.asideOf(remote(path))); // moved aside by an interrupted replace?
      }
      return a == null ? Optional.<StoredObject>empty() : Optional.of(new StoredObject(path, a.getSize()));
    });
  }

  @Override
  public boolean exists(String path) {
    return stat(path).isPresent();
  }

  @Override
  public void delete(String path) {
    StorePaths.check(this, path);
    withSftp("delete", path, c -> {
      try {
        c.remove(remote(path));
      } catch (SftpException e) {
        if (!missing(e)) {
          throw e;
        }
      }
      return null;
    });
  }

  /** Which OpenSSH extensions put uses on this server: "posix-rename", "fsync" (for tests and diagnostics). */
  String serverFeatures() {
    return withSftp("connect", "", c -> {
      OpenSSHPosixRenameExtension posix = c.getExtension(OpenSSHPosixRenameExtension.class);
      OpenSSHFsyncExtension fsync = c.getExtension(OpenSSHFsyncExtension.class);
      return ((posix != null && posix.isSupported() ? "posix-rename " : "")
          + (fsync != null && fsync.isSupported() ? "fsync" : "")).trim();
    });
  }

  /** The cipher the current session encrypts with, as SSH names it (for tests and diagnostics). */
  String transportCipher() {
    return withSftp("connect", "", c -> c.getClientSession().getNegotiatedKexParameter(KexProposalOption.C2SENC));
  }

  /** Opens the connection now (normally opened on first use), to report bad settings early. */
  public void connect() {
    withSftp("connect", "", c -> null);
  }

  @Override
  public void close() {
    closed = true;
    dropSession();
    try {
      client.stop();
    } catch (RuntimeException ignored) {
      // stopping
    }
  }
}
