package au.com.backup247.agent.destination;

import au.com.backup247.agent.bandwidth.Throttle;
import au.com.backup247.agent.repo.store.HttpProxy;
import au.com.backup247.agent.repo.store.RetryingStore;
import au.com.backup247.agent.repo.store.Store;
import au.com.backup247.agent.repo.store.azure.AzureStore;
import au.com.backup247.agent.repo.store.ftp.FtpStore;
import au.com.backup247.agent.repo.store.local.LocalStore;
import au.com.backup247.agent.repo.store.s3.S3Store;
import au.com.backup247.agent.repo.store.sftp.SftpStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens the {@link Store} a {@link DestinationUrl} names, with its {@link Credentials}:
 * a folder → {@link LocalStore}; {@code sftp://} → {@link SftpStore}; {@code ftp://} and
 * {@code ftps://} → {@code FtpStore}; {@code s3://} → {@code S3Store}; {@code azure://} →
 * {@link AzureStore}. S3 and Azure go through the URL's {@code proxy} when it names one, with the
 * login from the credentials ({@code proxy-username}, {@code proxy-password}). Remote stores are wrapped in a {@link RetryingStore} (transient errors only) over
 * the {@link Throttle}'s limit, so a retried upload is paced again.
 *
 * <p>Opening checks the settings (and refuses missing credentials with a message saying what to
 * put in the credentials file) but does not connect: the first operation does.
 */
public final class Destinations {
  private Destinations() {
  }

  /** The destination with retries for remote stores, without a bandwidth limit. */
  public static Store open(DestinationUrl url, Credentials credentials) {
    return open(url, credentials, Throttle.none());
  }

  /**
   * The destination limited by {@code throttle}, with retries for remote stores.
   *
   * @throws DestinationException when the destination cannot be used as given
   */
  public static Store open(DestinationUrl url, Credentials credentials, Throttle throttle) {
    return open(url, credentials, throttle, RetryingStore.Policy.DEFAULT);
  }

  /** As {@link #open(DestinationUrl, Credentials, Throttle)}, remote stores retrying by {@code retries}. */
  public static Store open(DestinationUrl url, Credentials credentials, Throttle throttle,
      RetryingStore.Policy retries) {
    Store bare = openBare(url, credentials);
    Store limited = throttle.wrap(bare);
    return url.isLocal() ? limited : new RetryingStore(limited, retries);
  }

  /**
   * The destination's store without decorators: no retries (so a probe reports the first failure
   * as it happened) and no limit.
   */
  public static Store openBare(DestinationUrl url, Credentials credentials) {
    try {
      return switch (url.scheme()) {
        case LOCAL -> new LocalStore(url.localPath());
        case SFTP -> new SftpStore(sftpConfig(url, credentials));
        case FTP, FTPS -> ftp(url, credentials);
        case S3 -> s3(url, credentials);
        case AZURE -> azure(url, credentials);
      };
    } catch (IllegalArgumentException e) {
      // a store's own settings check (e.g. the form of a fingerprint); its message names the setting
      throw new DestinationException(url + ": " + e.getMessage(), e);
    }
  }

  // ---- SFTP ------------------------------------------------------------------------------------

  /** The SFTP settings: credentials file first, then OpenSSH's defaults (~/.ssh keys and known_hosts). */
  static SftpStore.Config sftpConfig(DestinationUrl url, Credentials c) {
    SftpStore.Config config = SftpStore.Config.of(url.host(), url.port(), url.user(), url.root());
    if (c.password().isPresent()) {
      config = config.withPassword(c.password().get());
    }
    Path identity = c.sshIdentity().orElse(null);
    if (identity != null) {
      if (!Files.isReadable(identity)) {
        throw new DestinationException(url + ": identity file " + identity + " cannot be read");
      }
      config = config.withIdentity(identity, c.identityPassphrase().orElse(null));
    }
    if (config.password() == null && config.identityFile() == null) {
      throw new DestinationException(url + ": no password and no key: put password=… or identity-file=… in a "
          + "credentials file (--credentials FILE), or create ~/.ssh/id_ed25519");
    }
    if (c.hostKeyFingerprint().isPresent()) {
      config = config.withHostKeyFingerprint(c.hostKeyFingerprint().get());
      if (c.knownHosts().isPresent()) {
        config = config.withKnownHosts(c.knownHosts().get());
      }
    } else {
      Path known = c.sshKnownHosts();
      if (!Files.isReadable(known)) {
        throw new DestinationException(url + ": cannot check the server's host key: no host-key-fingerprint in the "
            + "credentials file and " + known + " " + (Files.exists(known) ? "cannot be read" : "does not exist")
            + " (add the host with: ssh-keyscan -p " + url.port() + " " + url.host() + " >> " + known + ")");
      }
      config = config.withKnownHosts(known);
    }
    return config;
  }

  // ---- FTP / FTPS ------------------------------------------------------------------------------

  private static Store ftp(DestinationUrl url, Credentials c) {
    FtpStore.Config config = FtpStore.Config.of(url.host(), url.port(), url.user(), url.root());
    if (c.password().isPresent()) {
      config = config.withPassword(c.password().get());
    }
    if (url.scheme() == DestinationUrl.Scheme.FTPS) {
      config = c.certificateFingerprint().isPresent()
          ? config.withCertificateFingerprint(c.certificateFingerprint().get()) : config.withTls();
    } else if (c.certificateFingerprint().isPresent()) {
      throw new DestinationException(url + ": certificate-fingerprint is set but ftp:// has no TLS; use ftps://");
    }
    return new FtpStore(config);
  }

  // ---- S3 --------------------------------------------------------------------------------------
  // Written against the S3Store API expected from repo/store (S3Store.Config.of(bucket, prefix),
  // withEndpoint(URI), withRegion(String), withPathStyle(boolean), withCredentials(accessKey,
  // secretKey); new S3Store(Config)).

  private static Store s3(DestinationUrl url, Credentials c) {
    if (c.accessKey().isEmpty() || c.secretKey().isEmpty()) {
      throw new DestinationException(url + ": no access key: put access-key=… and secret-key=… in a credentials "
          + "file (--credentials FILE), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
    }
    S3Store.Config config = S3Store.Config.of(url.bucket(), url.prefix()).withPathStyle(url.pathStyle())
        .withCredentials(c.accessKey().get(), c.secretKey().get());
    if (url.endpoint() != null) {
      config = config.withEndpoint(url.endpoint());
    }
    if (url.region() != null) {
      config = config.withRegion(url.region());
    }
    return new S3Store(config.withProxy(proxy(url, c)));
  }

  // ---- Azure -----------------------------------------------------------------------------------

  private static Store azure(DestinationUrl url, Credentials c) {
    AzureStore.Config config = AzureStore.Config.of(url.account(), url.container(), url.prefix());
    if (url.endpoint() != null) {
      config = config.withEndpoint(url.endpoint()); // before the connection string: the URL's endpoint wins
    }
    if (c.accountKey().isPresent()) {
      config = config.withAccountKey(c.accountKey().get());
    } else if (c.connectionString().isPresent()) {
      config = config.withConnectionString(c.connectionString().get());
    } else {
      throw new DestinationException(url + ": no account key: put connection-string=… or account-key=… in a "
          + "credentials file (--credentials FILE), or set AZURE_STORAGE_CONNECTION_STRING");
    }
    return new AzureStore(config.withProxy(proxy(url, c)));
  }

  // ---- proxy -----------------------------------------------------------------------------------

  /** The URL's proxy with the credentials' login, or null (its toString never shows the password). */
  public static HttpProxy proxy(DestinationUrl url, Credentials c) {
    if (url.proxy() == null) {
      return null;
    }
    return url.proxy().withLogin(c.proxyUsername().orElse(null), c.proxyPassword().orElse(null));
  }
}
