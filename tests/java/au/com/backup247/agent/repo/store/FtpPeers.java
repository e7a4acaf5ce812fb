package au.com.backup247.agent.repo.store;

import au.com.backup247.agent.repo.store.ftp.FtpStore;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ftpserver.ConnectionConfigFactory;
import org.apache.ftpserver.DataConnectionConfigurationFactory;
import org.apache.ftpserver.FtpServer;
import org.apache.ftpserver.FtpServerFactory;
import org.apache.ftpserver.command.CommandFactoryFactory;
import org.apache.ftpserver.ftplet.Authority;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.Ftplet;
import org.apache.ftpserver.ftplet.UserManager;
import org.apache.ftpserver.listener.Listener;
import org.apache.ftpserver.listener.ListenerFactory;
import org.apache.ftpserver.ssl.SslConfiguration;
import org.apache.ftpserver.ssl.SslConfigurationFactory;
import org.apache.ftpserver.usermanager.ClearTextPasswordEncryptor;
import org.apache.ftpserver.usermanager.PropertiesUserManagerFactory;
import org.apache.ftpserver.usermanager.impl.BaseUser;
import org.apache.ftpserver.usermanager.impl.ConcurrentLoginPermission;
import org.apache.ftpserver.usermanager.impl.WritePermission;
import org.slf4j.LoggerFactory;

/**
 * Real FTP servers for the FTP tests: an embedded Apache FtpServer on 127.0.0.1 (any free port,
 * passive ports chosen by the system), optionally with explicit FTPS from a self-signed key store
 * made by {@code keytool}.
 */
public final class FtpPeers {
  public static final String USER = "backup";
  public static final String PASSWORD = "Ftp-s3cret-Pa55word";
  public static final String STORE_PASSWORD = "changeit";

  private FtpPeers() {
  }

  /** A running server and the port it listens on. */
  public record Peer(FtpServer server, int port) {
    public void stop() {
      if (!server.isStopped()) {
        server.stop();
      }
    }
  }

  /** A PKCS12 key store with one self-signed certificate for 127.0.0.1, and that certificate. */
  public record KeyPairFile(Path file, X509Certificate certificate) {
    public String fingerprint() {
      return FtpStore.fingerprint(certificate);
    }
  }

  /**
   * Apache FtpServer and MINA log at DEBUG by default under logback, and with stack traces when a
   * test refuses a certificate on purpose; keep the test output readable.
   */
  public static void quiet() {
    for (String name : List.of("org.apache.ftpserver", "org.apache.mina")) {
      ((Logger) LoggerFactory.getLogger(name)).setLevel(Level.ERROR);
    }
    for (String name : List.of("org.apache.ftpserver.impl.DefaultFtpHandler",
        "org.apache.ftpserver.listener.nio.FtpLoggingFilter")) {
      ((Logger) LoggerFactory.getLogger(name)).setLevel(Level.OFF);
    }
  }

  /** Makes a self-signed EC key pair with {@code keytool} (SAN ip:127.0.0.1), valid for 2 days. */
  public static KeyPairFile selfSigned(Path file, String cn) throws Exception {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-keystore", file.toString(), "-storetype",
        "PKCS12", "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD, "-alias", "ftp", "-keyalg", "EC",
        "-groupname", "secp256r1", "-dname", "CN=" + cn, "-ext", "SAN=ip:127.0.0.1", "-validity", "2")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + out);
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      ks.load(in, STORE_PASSWORD.toCharArray());
    }
    return new KeyPairFile(file, (X509Certificate) ks.getCertificate("ftp"));
  }

  /** A PKCS12 trust store holding {@code cert}. */
  public static Path trustStore(Path file, X509Certificate cert) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setCertificateEntry("server", cert);
    try (var out = Files.newOutputStream(file)) {
      ks.store(out, STORE_PASSWORD.toCharArray());
    }
    return file;
  }

  /** A plain FTP server on 127.0.0.1 whose user {@link #USER} / {@link #PASSWORD} has {@code home} as its root. */
  public static Peer start(Path home) throws Exception {
    return start(home, null);
  }

  /**
   * Starts an FtpServer on 127.0.0.1 whose user {@link #USER} / {@link #PASSWORD} has {@code home}
   * as its root; explicit FTPS (AUTH TLS) when {@code tls} is not null.
   */
  public static Peer start(Path home, KeyPairFile tls) throws Exception {
    return start(home, tls, 0);
  }

  public static Peer start(Path home, KeyPairFile tls, int port) throws Exception {
    return start(home, tls, port, true);
  }

  /**
   * {@code mlst == false}: the server's FEAT answer leaves out MLST (MLSD still works, but a client
   * that follows FEAT lists with LIST and asks sizes with SIZE, as with servers that lack MLSD).
   */
  public static Peer start(Path home, KeyPairFile tls, int port, boolean mlst) throws Exception {
    return start(home, tls, port, mlst, null);
  }

  /** With {@code ftplet} (when not null) seeing every command before the server runs it. */
  public static Peer start(Path home, KeyPairFile tls, int port, boolean mlst, Ftplet ftplet) throws Exception {
    quiet();
    FtpServerFactory serverFactory = new FtpServerFactory();
    if (ftplet != null) {
      serverFactory.setFtplets(new java.util.HashMap<>(java.util.Map.of("test", ftplet)));
    }
    if (!mlst) {
      CommandFactoryFactory commands = new CommandFactoryFactory();
      commands.addCommand("FEAT", (session, context, request) -> {
        session.resetState();
        session.write(new DefaultFtpReply(211, new String[] {"Extensions supported", " SIZE", " MDTM",
            " REST STREAM", " UTF8", " AUTH TLS", " PBSZ", " PROT", "End"}));
      });
      serverFactory.setCommandFactory(commands.createCommandFactory());
    }
    SslConfiguration ssl = null;
    if (tls != null) {
      SslConfigurationFactory s = new SslConfigurationFactory();
      s.setKeystoreFile(tls.file().toFile());
      s.setKeystorePassword(STORE_PASSWORD);
      s.setKeystoreType("PKCS12");
      s.setKeyPassword(STORE_PASSWORD);
      ssl = s.createSslConfiguration();
    }
    DataConnectionConfigurationFactory data = new DataConnectionConfigurationFactory();
    data.setPassivePorts("0");
    data.setPassiveAddress("127.0.0.1");
    if (ssl != null) {
      data.setSslConfiguration(ssl);
    }
    ListenerFactory lf = new ListenerFactory();
    lf.setServerAddress("127.0.0.1");
    lf.setPort(port);
    lf.setIdleTimeout(120);
    lf.setDataConnectionConfiguration(data.createDataConnectionConfiguration());
    if (ssl != null) {
      lf.setSslConfiguration(ssl);
      lf.setImplicitSsl(false);
    }
    Listener listener = lf.createListener();
    serverFactory.addListener("default", listener);

    ConnectionConfigFactory cc = new ConnectionConfigFactory();
    cc.setMaxLogins(200);
    cc.setAnonymousLoginEnabled(false);
    cc.setLoginFailureDelay(50);
    serverFactory.setConnectionConfig(cc.createConnectionConfig());

    PropertiesUserManagerFactory umf = new PropertiesUserManagerFactory();
    umf.setPasswordEncryptor(new ClearTextPasswordEncryptor());
    UserManager users = umf.createUserManager();
    BaseUser user = new BaseUser();
    user.setName(USER);
    user.setPassword(PASSWORD);
    user.setHomeDirectory(home.toAbsolutePath().toString());
    user.setMaxIdleTime(0);
    List<Authority> authorities = List.of(new WritePermission(), new ConcurrentLoginPermission(0, 0));
    user.setAuthorities(authorities);
    users.save(user);
    serverFactory.setUserManager(users);

    FtpServer server = serverFactory.createServer();
    server.start();
    return new Peer(server, listener.getPort());
  }
}
