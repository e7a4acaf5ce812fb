package au.com.backup247.agent.repo.store.sftp;

import au.com.backup247.agent.repo.store.ConnectionPool;
import au.com.backup247.agent.repo.store.StoreException;
import au.com.backup247.agent.repo.store.UploadSource;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.sftp.SftpModuleProperties;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.common.SftpException;

/**
 * The connections of an {@link SftpStore}: one SSH session, opened on first use and again after it
 * broke, with the server's host key checked against a {@code known_hosts} file or a pinned
 * fingerprint before any login, and up to {@link SftpStore.Config#maxChannels} SFTP channels on
 * it, shared through a {@link ConnectionPool}. A channel that an I/O failure broke (a timeout, a
 * reset) drops the session, so the next operation reconnects; a status the server answered, or a
 * failing upload source, leaves the channel in use.
 */
final class SftpChannels implements ConnectionPool.Connector<SftpClient> {
  private final String name;
  private final SftpStore.Config config;
  private final SftpErrors errors;
  private final SshClient client;
  private final ConnectionPool<SftpClient> pool;
  private ClientSession session; // guarded by this
  private volatile String hostKeyRefusal;
  private volatile boolean closed;

  /** Sets the SSH client up for {@code config}; connects on first use. */
  SftpChannels(String name, SftpStore.Config config, SftpErrors errors) {
    this.name = name;
    this.config = config;
    this.errors = errors;
    this.pool = new ConnectionPool<>(name, config.maxChannels(), this);
    this.client = SshClient.setUpDefaultClient();
    client.setCipherFactories(new ArrayList<>(NamedFactory.setUpBuiltinFactories(false, SftpStore.CIPHERS)));
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
  }

  private ServerKeyVerifier verifier() {
    if (config.hostKeyFingerprint() != null) {
      String want = config.hostKeyFingerprint().replaceAll("=+$", "");
      return (session, address, key) -> {
        String got = SftpStore.fingerprint(key);
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
      hostKeyRefusal = "unknown host key " + KeyUtils.getKeyType(key) + " " + SftpStore.fingerprint(key) + " of "
          + address(address) + " (not in " + file + ")";
      return false;
    }, file) {
      @Override
      protected boolean acceptIncompleteHostKeys(ClientSession session, SocketAddress address, PublicKey key,
          Throwable reason) {
        hostKeyRefusal = "cannot read known_hosts file " + file + " to check host key "
            + SftpStore.fingerprint(key) + ": " + reason.getMessage();
        return false;
      }
    };
    known.setModifiedServerKeyAcceptor((ClientSession session, SocketAddress address, KnownHostEntry entry,
        PublicKey expected, PublicKey actual) -> {
      hostKeyRefusal = "host key of " + address(address) + " has CHANGED: it is now " + KeyUtils.getKeyType(actual)
          + " " + SftpStore.fingerprint(actual) + ", " + file + " has " + SftpStore.fingerprint(expected)
          + " (if the server was reinstalled, update known_hosts)";
      return false;
    });
    return known;
  }

  private static String address(SocketAddress a) {
    String s = String.valueOf(a);
    return s.startsWith("/") ? s.substring(1) : s;
  }

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
      throw errors.connect(e, hostKeyRefusal);
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

  /** Closes {@code broken} if it is still the current session (another thread may have replaced it). */
  private synchronized void dropSession(ClientSession broken) {
    if (broken == null || broken == session) {
      dropSession();
    }
  }

  private synchronized void dropSession() {
    pool.closeIdle(SftpChannels::closeQuietly);
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

  /** Runs {@code call} (operation {@code op} on {@code path}, as errors name it) on a channel of the pool. */
  <T> T call(String op, String path, ConnectionPool.Call<SftpClient, T> call) {
    return pool.call(op, path, call);
  }

  @Override
  public SftpClient open() {
    ClientSession s;
    try {
      s = session();
    } catch (IOException e) {
      throw errors.connect(e, hostKeyRefusal);
    }
    try {
      return SftpClientFactory.instance().createSftpClient(s);
    } catch (IOException e) {
      dropSession(null);
      throw errors.connect(e, hostKeyRefusal);
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
    return errors.error(op, path, e);
  }

  @Override
  public void broke(SftpClient c) {
    dropSession(c.getClientSession()); // a timeout or reset: the next operation reconnects
  }

  /** Ends the session and the SSH client; no operation may be running or follow. */
  void close() {
    closed = true;
    dropSession();
    try {
      client.stop();
    } catch (RuntimeException ignored) {
      // stopping
    }
  }
}
