package au.com.backup247.agent.repo.store.sftp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.repo.store.NoSuchObjectException;
import au.com.backup247.agent.repo.store.RetryingStore;
import au.com.backup247.agent.repo.store.SshPeers;
import au.com.backup247.agent.repo.store.Store;
import au.com.backup247.agent.repo.store.StoreException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.CopyOption;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.SftpModuleProperties;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Connection, authentication, host key and error behaviour of {@link SftpStore} against MINA SSHD. */
@Timeout(60)
class SftpStoreTest {
  @TempDir
  Path dir;
  Path served;
  KeyPair hostKey;
  KeyPair userKey;
  SshServer server;
  Path knownHosts;
  final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    served = Files.createDirectories(dir.resolve("served"));
    hostKey = SshPeers.ed25519();
    userKey = SshPeers.ed25519();
    server = SshPeers.mina(0, served, hostKey, userKey.getPublic());
    knownHosts = SshPeers.knownHosts(dir.resolve("known_hosts"), server.getPort(), hostKey.getPublic());
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
    server.stop(true);
  }

  private SftpStore.Config config() {
    return SftpStore.Config.of("127.0.0.1", server.getPort(), SshPeers.USER, "/repo")
        .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10));
  }

  private SftpStore open(SftpStore.Config c) {
    SftpStore s = new SftpStore(c);
    toClose.add(s);
    return s;
  }

  private static StoreException connectFails(SftpStore s) {
    return assertThrows(StoreException.class, () -> s.put("blocks/a.bak", new byte[] {1}));
  }

  /**
   * Issue 11, item 4, on SFTP: a server without posix-rename that refuses to rename over a file (as
   * SFTP version 3 says), and a connection that drops while the old object is no longer under its
   * name. The object is never lost: reads find the old one and the next cleanup puts it back.
   */
  @Test
  void aConnectionDroppedWhileReplacingAnObject_neverLosesIt() throws Exception {
    SftpModuleProperties.OPENSSH_EXTENSIONS.set(server, "fsync@openssh.com=1"); // no posix-rename
    AtomicBoolean armed = new AtomicBoolean();
    AtomicBoolean dropped = new AtomicBoolean();
    ((SftpSubsystemFactory) server.getSubsystemFactories().get(0)).addSftpEventListener(new SftpEventListener() {
      @Override
      public void moving(ServerSession session, Path src, Path dst, Collection<CopyOption> opts) throws IOException {
        if (Files.exists(dst)) {
          throw new FileAlreadyExistsException(dst.toString());
        }
        if (dst.toString().endsWith("jobs/j1.job") && armed.getAndSet(false)) {
          dropped.set(true);
          session.close(true);
          throw new IOException("connection dropped (test)");
        }
      }
    });
    SftpStore.Config c = config().withPassword(SshPeers.PASSWORD).withKnownHosts(knownHosts);
    try (SftpStore s = new SftpStore(c)) {
      s.put("jobs/j1.job", "first manifest".getBytes(StandardCharsets.UTF_8));
      armed.set(true);
      StoreException e = assertThrows(StoreException.class, () -> s.put("jobs/j1.job", new byte[] {1}));
      assertTrue(e.isTransient(), e.getMessage());
      assertTrue(dropped.get(), "the connection was dropped mid-replace");
    }
    try (SftpStore next = new SftpStore(c)) {
      assertEquals("first manifest", new String(next.get("jobs/j1.job"), StandardCharsets.UTF_8));
      assertEquals(List.of(new Store.StoredObject("jobs/j1.job", 14)), next.list(""));
      next.removeTemporaryBefore(Instant.now().minus(Duration.ofDays(1)));
      assertEquals("first manifest", Files.readString(served.resolve("repo/jobs/j1.job")), "put back under its name");
      next.put("jobs/j1.job", new byte[] {2});
      assertArrayEquals(new byte[] {2}, next.get("jobs/j1.job"));
    }
  }

  @Test
  void worksAndUsesAtomicRename() {
    SftpStore s = open(config().withPassword(SshPeers.PASSWORD).withKnownHosts(knownHosts));
    s.put("blocks/a.bak", new byte[] {1, 2, 3});
    assertArrayEquals(new byte[] {1, 2, 3}, s.get("blocks/a.bak"));
    assertTrue(Files.exists(served.resolve("repo/blocks/a.bak")));
    assertTrue(s.serverFeatures().contains("posix-rename"), s.serverFeatures());
  }

  @Test
  void aWrongPasswordIsPermanentAndNotShown() {
    SftpStore s = open(config().withPassword("wrong-password-123").withKnownHosts(knownHosts));
    StoreException e = connectFails(s);
    assertFalse(e.isTransient(), e.getMessage());
    assertTrue(e.getMessage().contains("authentication failed for user backup"), e.getMessage());
    assertFalse(e.getMessage().contains("wrong-password-123"), e.getMessage());
    assertTrue(e.getMessage().contains(s.name()), e.getMessage());
  }

  @Test
  void aKeyNotAuthorizedIsPermanent() throws Exception {
    Path other = SshPeers.writePrivateKey(SshPeers.ed25519(), dir.resolve("other_key"), null);
    StoreException e = connectFails(open(config().withIdentity(other, null).withKnownHosts(knownHosts)));
    assertFalse(e.isTransient());
    assertTrue(e.getMessage().contains("authentication failed"), e.getMessage());
  }

  @Test
  void aWrongKeyPassphraseIsPermanentAndNotShown() throws Exception {
    Path id = SshPeers.writePrivateKey(userKey, dir.resolve("id"), "right passphrase");
    SftpStore good = open(config().withIdentity(id, "right passphrase").withKnownHosts(knownHosts));
    good.put("x", new byte[] {1});
    StoreException e = connectFails(open(config().withIdentity(id, "bad passphrase").withKnownHosts(knownHosts)));
    assertFalse(e.isTransient(), e.getMessage());
    assertFalse(e.getMessage().contains("bad passphrase"), e.getMessage());
    StoreException missing = connectFails(open(config().withIdentity(dir.resolve("nope"), null)
        .withKnownHosts(knownHosts)));
    assertFalse(missing.isTransient());
    assertTrue(missing.getMessage().contains("not readable"), missing.getMessage());
  }

  @Test
  void anUnknownHostKeyIsRefusedShowingItsFingerprint() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty_known_hosts"), "[127.0.0.1]:1 " + SshPeers.publicKeyLine(
        SshPeers.ed25519().getPublic()) + "\n");
    StoreException e = connectFails(open(config().withPassword(SshPeers.PASSWORD).withKnownHosts(empty)));
    assertFalse(e.isTransient(), e.getMessage());
    String fp = SftpStore.fingerprint(hostKey.getPublic());
    assertTrue(e.getMessage().contains("REFUSED unknown host key") && e.getMessage().contains(fp), e.getMessage());
    assertFalse(Files.readString(empty).contains(":" + server.getPort()), "known_hosts must not be changed");
    assertEquals(List.of(), List.of(served.toFile().list()), "nothing was written");
  }

  @Test
  void aChangedHostKeyIsRefusedShowingBothFingerprints() throws Exception {
    KeyPair old = SshPeers.ed25519();
    Path stale = SshPeers.knownHosts(dir.resolve("stale_known_hosts"), server.getPort(), old.getPublic());
    StoreException e = connectFails(open(config().withPassword(SshPeers.PASSWORD).withKnownHosts(stale)));
    assertFalse(e.isTransient());
    String m = e.getMessage();
    assertTrue(m.contains("CHANGED") && m.contains(SftpStore.fingerprint(hostKey.getPublic()))
        && m.contains(SftpStore.fingerprint(old.getPublic())), m);
  }

  @Test
  void aPinnedFingerprintMustMatch() throws Exception {
    String right = SftpStore.fingerprint(hostKey.getPublic());
    open(config().withPassword(SshPeers.PASSWORD).withHostKeyFingerprint(right)).put("x", new byte[] {1});
    String wrong = SftpStore.fingerprint(SshPeers.ed25519().getPublic());
    StoreException e = connectFails(open(config().withPassword(SshPeers.PASSWORD).withHostKeyFingerprint(wrong)));
    assertFalse(e.isTransient());
    assertTrue(e.getMessage().contains(right) && e.getMessage().contains(wrong), e.getMessage());
  }

  @Test
  void settingsWithoutHostKeyCheckOrCredentialsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new SftpStore(config().withPassword("p")));
    assertThrows(IllegalArgumentException.class, () -> new SftpStore(config().withKnownHosts(knownHosts)));
    assertThrows(IllegalArgumentException.class, () -> new SftpStore(config().withPassword("p")
        .withHostKeyFingerprint("MD5:aa:bb")));
    assertThrows(IllegalArgumentException.class, () -> SftpStore.Config.of("", 22, "u", "/r"));
    assertThrows(IllegalArgumentException.class, () -> SftpStore.Config.of("h", 0, "u", "/r"));
  }

  @Test
  void secretsStayOutOfNameAndToString() throws Exception {
    Path id = SshPeers.writePrivateKey(userKey, dir.resolve("id"), "the-passphrase");
    SftpStore.Config c = config().withPassword("the-password").withIdentity(id, "the-passphrase")
        .withKnownHosts(knownHosts);
    SftpStore s = open(c);
    for (String shown : List.of(s.name(), s.toString(), c.toString())) {
      assertFalse(shown.contains("the-password") || shown.contains("the-passphrase"), shown);
    }
    assertEquals("sftp://backup@127.0.0.1:" + server.getPort() + "/repo", s.name());
  }

  @Test
  void aRefusedConnectionIsTransient() throws Exception {
    int port = SshPeers.freePort();
    SftpStore s = open(SftpStore.Config.of("127.0.0.1", port, SshPeers.USER, "/repo").withPassword("p")
        .withKnownHosts(knownHosts).withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(3)));
    StoreException e = connectFails(s);
    assertTrue(e.isTransient(), e.getMessage());
    assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
  }

  @Test
  void aServerThatNeverAnswersTimesOutTransiently() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      List<Socket> accepted = new ArrayList<>();
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            accepted.add(silent.accept()); // accepts and never says a word
          }
        } catch (IOException e) {
          // closed
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      SftpStore s = open(SftpStore.Config.of("127.0.0.1", silent.getLocalPort(), SshPeers.USER, "/repo")
          .withPassword("p").withKnownHosts(knownHosts).withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1)));
      long start = System.nanoTime();
      StoreException e = assertThrows(StoreException.class, () -> s.list(""));
      assertTrue(e.isTransient(), e.getMessage());
      assertTrue(System.nanoTime() - start < 15_000_000_000L, "the timeout fired");
    }
  }

  @Test
  void aRestartedServerIsReconnected() throws Exception {
    SftpStore s = open(config().withPassword(SshPeers.PASSWORD).withKnownHosts(knownHosts));
    s.put("blocks/a.bak", new byte[] {1});
    int port = server.getPort();
    server.stop(true);
    StoreException down = assertThrows(StoreException.class, () -> s.get("blocks/a.bak"));
    assertTrue(down.isTransient(), down.getMessage());
    server = SshPeers.mina(port, served, hostKey, userKey.getPublic());
    assertArrayEquals(new byte[] {1}, new RetryingStore(s).get("blocks/a.bak"));
  }

  @Test
  void sftpStatusesMapToTheContract() {
    SftpStore s = open(config().withPassword(SshPeers.PASSWORD).withKnownHosts(knownHosts));
    assertInstanceOf(NoSuchObjectException.class, s.error("get", "p", new SftpException(
        SftpConstants.SSH_FX_NO_SUCH_FILE, "No such file")));
    for (int status : new int[] {SftpConstants.SSH_FX_PERMISSION_DENIED, SftpConstants.SSH_FX_FAILURE,
        SftpConstants.SSH_FX_NO_SPACE_ON_FILESYSTEM, SftpConstants.SSH_FX_QUOTA_EXCEEDED,
        SftpConstants.SSH_FX_OP_UNSUPPORTED}) {
      StoreException e = s.error("put", "blocks/p.bak", new SftpException(status, "x"));
      assertFalse(e.isTransient(), "status " + status);
      assertTrue(e.getMessage().contains("put blocks/p.bak on " + s.name()), e.getMessage());
    }
    assertTrue(s.error("get", "p", new SftpException(SftpConstants.SSH_FX_CONNECTION_LOST, "x")).isTransient());
    assertTrue(s.error("get", "p", new java.net.SocketTimeoutException("Timeout expired")).isTransient());
    assertTrue(s.error("get", "p", new IOException("Connection reset")).isTransient());
  }

  @Test
  void aDeniedWriteIsPermanent() throws Exception {
    SftpStore s = open(config().withPassword(SshPeers.PASSWORD).withKnownHosts(knownHosts));
    s.put("blocks/a.bak", new byte[] {1});
    // a folder where the object's folder should be created: the server refuses, whatever the user
    Files.writeString(served.resolve("repo/file-not-folder"), "x");
    StoreException e = assertThrows(StoreException.class, () -> s.put("file-not-folder/b.bak", new byte[] {1}));
    assertFalse(e.isTransient(), e.getMessage());
  }
}
