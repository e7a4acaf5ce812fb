package au.com.backup247.agent.repo.store.sftp;

import au.com.backup247.agent.repo.store.AsideRename;
import au.com.backup247.agent.repo.store.ConnectionPool;
import au.com.backup247.agent.repo.store.NoSuchObjectException;
import au.com.backup247.agent.repo.store.RecordCopy;
import au.com.backup247.agent.repo.store.RemoteStore;
import au.com.backup247.agent.repo.store.ServerRoot;
import au.com.backup247.agent.repo.store.StoreException;
import au.com.backup247.agent.repo.store.StorePaths;
import au.com.backup247.agent.repo.store.TempRename;
import au.com.backup247.agent.repo.store.UploadSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHFsyncExtension;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHPosixRenameExtension;
import org.apache.sshd.sftp.client.impl.AbstractSftpClient;
import org.apache.sshd.sftp.client.impl.SftpInputStreamAsync;
import org.apache.sshd.sftp.common.SftpException;

/**
 * A destination on an SFTP server (Apache MINA SSHD client).
 *
 * <p><b>Put</b> is the temp-then-rename put of {@link TempRename} ({@link SftpPut}): it uploads to
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
 * <p><b>Errors</b> ({@link SftpErrors}): no such file → {@link NoSuchObjectException}; permission denied, no space,
 * quota, generic server failure (OpenSSH reports a full disk as "Failure"), authentication failure
 * and host key refusal → permanent; timeouts, refused or dropped connections → transient.
 *
 * <p><b>Threads</b>: one SSH session, up to {@link Config#maxChannels} SFTP channels used in
 * parallel; the session is opened on first use and again after it broke ({@link SftpChannels}).
 */
public final class SftpStore extends RemoteStore<SftpStore.Config> {
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
      checkServer("SFTP", host, port, user);
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

  private final ServerRoot root;
  private final SftpErrors errors;
  private final SftpChannels channels;
  private final SftpPut upload;

  /** Checks the settings; connects on first use. */
  public SftpStore(Config config) {
    super(config, Config::url);
    if (config.password() == null && config.identityFile() == null) {
      throw new IllegalArgumentException(name + ": a password or an identity file is needed");
    }
    if (config.knownHosts() == null && config.hostKeyFingerprint() == null) {
      throw new IllegalArgumentException(name + ": host key verification needs a known_hosts file or a fingerprint");
    }
    if (config.hostKeyFingerprint() != null && !config.hostKeyFingerprint().startsWith("SHA256:")) {
      throw new IllegalArgumentException(name + ": the host key fingerprint must look like SHA256:…");
    }
    this.root = ServerRoot.of(config.root(), ".");
    this.errors = new SftpErrors(name, config);
    this.channels = new SftpChannels(name, config, errors);
    this.upload = new SftpPut(root);
    SshWarmup.start(CIPHERS.get(0));
  }

  /** The SHA-256 fingerprint of a public key as OpenSSH prints it: {@code SHA256:base64}. */
  public static String fingerprint(PublicKey key) {
    String fp = KeyUtils.getFingerPrint(BuiltinDigests.sha256, key);
    while (fp.endsWith("=")) {
      fp = fp.substring(0, fp.length() - 1);
    }
    return fp;
  }

  /** Maps an SFTP status or I/O failure to the contract's errors. */
  StoreException error(String op, String path, IOException e) {
    return errors.error(op, path, e);
  }

  private String remote(String path) {
    return root.resolve(path);
  }

  private <T> T withSftp(String op, String path, ConnectionPool.Call<SftpClient, T> call) {
    return channels.call(op, path, call);
  }

  // ---- operations ------------------------------------------------------------------------------

  @Override
  public void put(String path, InputStream data, long length) {
    StorePaths.checkPut(this, path, length, Long.MAX_VALUE);
    String target = remote(path);
    UploadSource source = new UploadSource(data, length);
    withSftp("put", path, c -> {
      upload.put(c, target, source);
      return null;
    });
  }

  @Override
  public byte[] get(String path) {
    StorePaths.check(this, path);
    return withSftp("get", path, c -> {
      try (InputStream in = c.read(remote(path))) {
        return in.readAllBytes();
      } catch (SftpException e) {
        if (!SftpErrors.missing(e) || SftpListing.regularFile(c, AsideRename.asideOf(remote(path))) == null) {
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
      if (!(c instanceof AbstractSftpClient a)) { // SftpClientFactory's clients all are
        throw StoreException.permanent("ranged get of " + path + " on " + name() + ": the SFTP client "
            + c.getClass().getName() + " cannot pipeline reads");
      }
      try (SftpClient.CloseableHandle h = c.open(remote(path), SftpClient.OpenMode.Read)) {
        byte[] out = new byte[length];
        // pipelined like OpenSSH's client: the range's read requests all in flight at once (up to
        // the channel window), instead of one round trip per request; the stream stops asking at
        // the range's end and closes the handle after draining its answers
        int done;
        try (InputStream in = new SftpInputStreamAsync(a, READ_SIZE, offset, offset + length, remote(path), h)) {
          done = in.readNBytes(out, 0, length);
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
      SftpListing.walk(c, folder.isEmpty() ? root.dir() : remote(folder), folder, prefix, found);
      return found;
    });
    out.sort((a, b) -> a.path().compareTo(b.path()));
    return out;
  }

  @Override
  public int removeTemporaryBefore(Instant before) {
    return withSftp("clean", "", c -> SftpListing.removeTemporary(c, root.dir(), before));
  }

  @Override
  public List<String> folders(String folder) {
    String dir = folder.isEmpty() ? root.dir() : remote(StorePaths.check(this, folder));
    List<String> out = withSftp("list", folder, c -> {
      List<String> found = new ArrayList<>();
      for (SftpClient.DirEntry e : SftpListing.entries(c, dir)) {
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

  @Override
  public Optional<StoredObject> stat(String path) {
    StorePaths.check(this, path);
    return withSftp("stat", path, c -> {
      SftpClient.Attributes a = SftpListing.regularFile(c, remote(path));
      if (a == null) {
        a = SftpListing.regularFile(c, AsideRename.asideOf(remote(path))); // moved aside by an interrupted replace?
      }
      return a == null ? Optional.<StoredObject>empty() : Optional.of(new StoredObject(path, a.getSize()));
    });
  }

  @Override
  public void delete(String path) {
    StorePaths.check(this, path);
    withSftp("delete", path, c -> {
      try {
        c.remove(remote(path));
      } catch (SftpException e) {
        if (!SftpErrors.missing(e)) {
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
    channels.close();
  }
}
