package au.com.backup247.agent.repo.store;

import au.com.backup247.agent.testing.Eventually;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/** Real SSH servers for the SFTP tests: embedded Apache MINA SSHD, and Debian's OpenSSH sshd. */
public final class SshPeers {
  public static final String USER = "backup";
  public static final String PASSWORD = "s3cret-Pa55word";

  private SshPeers() {
  }

  /** Made by MINA's own security provider choice (Bouncy Castle when present), as it reads them. */
  public static KeyPair ed25519() throws GeneralSecurityException {
    return KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
  }

  public static KeyPair ecdsa256() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  /** Writes an OpenSSH private key file, encrypted when {@code passphrase} is not null. */
  public static Path writePrivateKey(KeyPair kp, Path file, String passphrase) throws Exception {
    OpenSSHKeyEncryptionContext enc = null;
    if (passphrase != null) {
      enc = new OpenSSHKeyEncryptionContext();
      enc.setCipherName("AES");
      enc.setCipherMode("CTR");
      enc.setCipherType("256");
      enc.setPassword(passphrase);
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(kp, "test", enc, out);
    }
    return file;
  }

  /** {@code ssh-ed25519 AAAA…}. */
  public static String publicKeyLine(PublicKey key) {
    return PublicKeyEntry.toString(key);
  }

  /** A known_hosts file with one line for {@code [127.0.0.1]:port}. */
  public static Path knownHosts(Path file, int port, PublicKey key) throws IOException {
    Files.writeString(file, "[127.0.0.1]:" + port + " " + publicKeyLine(key) + "\n");
    return file;
  }

  /**
   * An embedded MINA SSHD server on 127.0.0.1 (port 0 = any free port) serving SFTP from
   * {@code root}; accepts {@link #USER} with {@link #PASSWORD} and, when given, {@code userKey}.
   */
  public static SshServer mina(int port, Path root, KeyPair hostKey, PublicKey userKey) throws IOException {
    return mina(port, root, hostKey, USER, PASSWORD, userKey);
  }

  /** The same for another login: {@code user} with {@code password} and, when given, {@code userKey}. */
  public static SshServer mina(int port, Path root, KeyPair hostKey, String user, String password,
      PublicKey userKey) throws IOException {
    SshServer server = SshServer.setUpDefaultServer();
    server.setHost("127.0.0.1");
    server.setPort(port);
    server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
    server.setPasswordAuthenticator((u, p, session) -> user.equals(u) && password.equals(p));
    server.setPublickeyAuthenticator((u, key, session) -> user.equals(u) && userKey != null
        && KeyUtils.compareKeys(userKey, key));
    // answer small requests at once: with MINA's default (Nagle on) each of the client's one-at-a-time
    // ranged reads waited for a delayed ACK, and a 48 MB restore took 28 s instead of 6 s
    CoreModuleProperties.TCP_NODELAY.set(server, true);
    server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
    server.setFileSystemFactory(new VirtualFileSystemFactory(root));
    server.start();
    return server;
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Waits until something on {@code port} sends an SSH banner. */
  public static void awaitBanner(int port, Process process, Path log, Duration max) {
    awaitGreeting("sshd", port, "SSH-", process, log, max);
  }

  /**
   * Waits until the server {@code process} (null: one in this JVM) accepts a connection on
   * {@code port} and sends {@code greeting} first (empty: accepting is enough); fails at once when the
   * process ends, and with its {@code log} either way.
   */
  public static void awaitGreeting(String server, int port, String greeting, Process process, Path log,
      Duration max) {
    try {
      Eventually.eventually(max, () -> {
        if (process != null && !process.isAlive()) {
          throw new Eventually.Hopeless(server + " exited with " + process.exitValue());
        }
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress("127.0.0.1", port), 500);
          s.setSoTimeout(2000);
          byte[] seen = s.getInputStream().readNBytes(greeting.length());
          String text = new String(seen, StandardCharsets.US_ASCII);
          if (!text.equals(greeting)) {
            throw new AssertionError(server + " on port " + port + " sent \"" + text + "\", not \"" + greeting + "\"");
          }
        }
      });
    } catch (AssertionError e) {
      throw new IllegalStateException(server + " did not start on port " + port + ": " + e.getMessage() + "\n"
          + read(log), e);
    }
  }

  public static String read(Path log) {
    try {
      return log == null ? "" : Files.readString(log);
    } catch (IOException e) {
      return "(no log)";
    }
  }
}
