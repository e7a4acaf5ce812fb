package au.com.backup247.agent.repo.store;

import au.com.backup247.agent.repo.store.ftp.FtpStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * FTP servers as Debian ships them, started by the tests on a free loopback port with a generated
 * configuration and a self-signed certificate, logging in the real {@link SystemUser}:
 * <ul>
 *   <li><b>vsftpd</b> ({@code /usr/sbin/vsftpd}, the Debian package {@code vsftpd}) with Debian's
 *   {@code /etc/vsftpd.conf} settings plus {@code ssl_enable=YES}: explicit TLS required for login
 *   and data, and {@code require_ssl_reuse=YES} (vsftpd's default) — every data connection must
 *   resume the control connection's TLS session; with its default {@code ssl_ciphers} only TLS 1.3
 *   can be negotiated.</li>
 *   <li><b>pure-ftpd</b> ({@code -Y 2}: TLS required on the control connection) from the Debian
 *   package {@code pure-ftpd}. Debian's FTP servers conflict with each other, so {@code .ci/run}
 *   installs vsftpd and unpacks pure-ftpd's package into {@value #PURE_FTPD_UNPACKED} without
 *   installing it; the binary is looked up in {@code PURE_FTPD_BIN}, {@code /usr/sbin/pure-ftpd}
 *   and there.</li>
 * </ul>
 * Both need root (to log a system user in). When a server or root is missing the tests are
 * skipped with a message saying what to install, except under {@code CI=true}, where they fail.
 */
public final class DebianFtpServers {
  public static final Path VSFTPD = Path.of("/usr/sbin/vsftpd");
  public static final String PURE_FTPD_UNPACKED = "/opt/b247-ci/pure-ftpd";
  /** The virtual user of {@link #pureFtpdWithQuota}. */
  public static final String QUOTA_USER = "b247quota";

  private DebianFtpServers() {
  }

  /** A running server, the account it logs in and the pinned fingerprint of its certificate. */
  public record Server(String name, Process process, int port, Path log, SystemUser user, String fingerprint)
      implements AutoCloseable {

    /** Explicit FTPS to {@code root} (absolute) as {@link SystemUser}, with the certificate pinned. */
    public FtpStore.Config config(String root) {
      return config(user.name(), root);
    }

    /** As {@link #config(String)}, logging in {@code login}: a virtual user with the same password. */
    public FtpStore.Config config(String login, String root) {
      return FtpStore.Config.of("127.0.0.1", port, login, root).withPassword(user.password())
          .withCertificateFingerprint(fingerprint).withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(30));
    }

    /** What the server logged (for failure messages). */
    public String logText() {
      try {
        return Files.readString(log);
      } catch (IOException e) {
        return "(no log)";
      }
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  /** vsftpd with Debian's settings and {@code ssl_enable=YES}; {@code etc} holds its config, key and log. */
  public static Server vsftpd(Path etc) throws Exception {
    requireProgram(VSFTPD, "vsftpd", "vsftpd");
    Assumptions.assumeTrue(Files.exists(Path.of("/etc/pam.d/vsftpd")), "/etc/pam.d/vsftpd missing: reinstall vsftpd");
    SystemUser user = SystemUser.get();
    Pem pem = pem(etc);
    int port = SshPeers.freePort();
    Files.createDirectories(Path.of("/var/run/vsftpd/empty")); // Debian's secure_chroot_dir, made by its init script
    Path conf = etc.resolve("vsftpd.conf");
    Files.writeString(conf, String.join("\n",
        // Debian's /etc/vsftpd.conf, as shipped
        "anonymous_enable=NO", "local_enable=YES", "dirmessage_enable=YES", "use_localtime=YES",
        "xferlog_enable=YES", "connect_from_port_20=YES", "secure_chroot_dir=/var/run/vsftpd/empty",
        "pam_service_name=vsftpd",
        // what a backup destination needs: uploads, and TLS (everything else at vsftpd's defaults)
        "write_enable=YES", "ssl_enable=YES", "rsa_cert_file=" + pem.cert, "rsa_private_key_file=" + pem.key,
        // a test server: on a free loopback port in the foreground, logging to the test's folder
        "listen=YES", "listen_ipv6=NO", "listen_address=127.0.0.1", "listen_port=" + port, "background=NO",
        "xferlog_file=" + etc.resolve("xfer.log"), ""));
    Path log = etc.resolve("vsftpd.out");
    Process p = new ProcessBuilder(VSFTPD.toString(), conf.toString()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    awaitGreeting(port, p, log);
    return new Server("vsftpd", p, port, log, user, pem.fingerprint);
  }

  /** pure-ftpd with TLS required on the control connection, system users ({@code -l unix}). */
  public static Server pureFtpd(Path etc) throws Exception {
    return pureFtpd(etc, List.of());
  }

  /**
   * pure-ftpd as {@link #pureFtpd}, with quotas of 1000 files and {@code megabytes} MB per account
   * ({@code --quota}), that also logs in the virtual user {@value #QUOTA_USER} (pure-ftpd's own user
   * database, made with {@code pure-pw}) as the {@link SystemUser}, with its password, chrooted to
   * {@code home}, which holds the account's usage ({@code .ftpquota}): a hosting provider's customer.
   */
  public static Server pureFtpdWithQuota(Path etc, Path home, int megabytes) throws Exception {
    Path pw = pureFtpdBinary().getParent().resolveSibling("bin/pure-pw");
    requireProgram(pw, "pure-pw", "pure-ftpd (unpacked, see .ci/run)");
    SystemUser user = SystemUser.get();
    Path db = etc.resolve("pureftpd.pdb");
    Process add = new ProcessBuilder(pw.toString(), "useradd", QUOTA_USER, "-u", user.name(), "-d",
        home.toString(), "-f", etc.resolve("pureftpd.passwd").toString(), "-m", "-F", db.toString())
        .redirectErrorStream(true).start();
    try (var in = add.getOutputStream()) {
      in.write((user.password() + "\n" + user.password() + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // pure-pw ended before reading the password: its output says why
    }
    String out = new String(add.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!add.waitFor(30, TimeUnit.SECONDS) || add.exitValue() != 0) {
      throw new IllegalStateException("pure-pw useradd " + QUOTA_USER + " failed: " + out);
    }
    return pureFtpd(etc, List.of("--login", "puredb:" + db, "--quota", "1000:" + megabytes));
  }

  private static Server pureFtpd(Path etc, List<String> options) throws Exception {
    Path bin = pureFtpdBinary();
    requireProgram(bin, "pure-ftpd", "pure-ftpd (unpacked, see .ci/run)");
    SystemUser user = SystemUser.get();
    Pem pem = pem(etc);
    Path both = etc.resolve("pure-ftpd.pem");
    Files.writeString(both, Files.readString(pem.cert) + Files.readString(pem.key));
    int port = SshPeers.freePort();
    List<String> cmd = new ArrayList<>(List.of(bin.toString(), "--bind", "127.0.0.1," + port, "--login", "unix",
        "--noanonymous", "--dontresolve", "--minuid", "1", "--tls", "2", "--certfile", both.toString()));
    cmd.addAll(options);
    Path log = etc.resolve("pure-ftpd.out");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    awaitGreeting(port, p, log);
    return new Server("pure-ftpd", p, port, log, user, pem.fingerprint);
  }

  public static Path pureFtpdBinary() {
    String env = System.getenv("PURE_FTPD_BIN");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    Path installed = Path.of("/usr/sbin/pure-ftpd");
    return Files.isExecutable(installed) ? installed : Path.of(PURE_FTPD_UNPACKED, "usr/sbin/pure-ftpd");
  }

  private static void requireProgram(Path bin, String what, String pkg) {
    String missing = what + " (" + bin + ") missing: install the Debian package " + pkg + " to run this test";
    Assertions.assertFalse(!Files.isExecutable(bin) && "true".equals(System.getenv("CI")),
        missing + " (.ci/run installs it)");
    Assumptions.assumeTrue(Files.isExecutable(bin), missing);
  }

  private record Pem(Path cert, Path key, String fingerprint) {
  }

  /** A self-signed certificate for 127.0.0.1 as PEM files (made with keytool, as the embedded FTPS tests do). */
  private static Pem pem(Path etc) throws Exception {
    FtpPeers.KeyPairFile kp = FtpPeers.selfSigned(etc.resolve("server.p12"), "127.0.0.1");
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(kp.file())) {
      ks.load(in, FtpPeers.STORE_PASSWORD.toCharArray());
    }
    PrivateKey key = (PrivateKey) ks.getKey("ftp", FtpPeers.STORE_PASSWORD.toCharArray());
    Path cert = Files.writeString(etc.resolve("cert.pem"), pem("CERTIFICATE", kp.certificate().getEncoded()));
    Path keyFile = Files.writeString(etc.resolve("key.pem"), pem("PRIVATE KEY", key.getEncoded()));
    return new Pem(cert, keyFile, kp.fingerprint());
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der) + "\n-----END " + type + "-----\n";
  }

  /** Waits until the server on {@code port} sends its {@code 220} greeting. */
  private static void awaitGreeting(int port, Process process, Path log) {
    try {
      SshPeers.awaitGreeting("the FTP server", port, "220", process, log, Duration.ofSeconds(20));
    } catch (IllegalStateException e) {
      process.destroyForcibly();
      throw e;
    }
  }
}
