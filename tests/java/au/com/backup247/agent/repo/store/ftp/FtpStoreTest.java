package au.com.backup247.agent.repo.store.ftp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.repo.store.FtpPeers;
import au.com.backup247.agent.repo.store.RetryingStore;
import au.com.backup247.agent.repo.store.Store;
import au.com.backup247.agent.repo.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ftpserver.ftplet.DefaultFtplet;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.ftplet.FtpSession;
import org.apache.ftpserver.ftplet.FtpletResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FtpStore} beyond the contract, against embedded Apache FtpServers: credentials and
 * certificate refusals are permanent with clear messages (and no secrets), a stopped server is a
 * transient failure, a trust store works, and settings are printed without secrets.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FtpStoreTest {
  @TempDir
  static Path keys;
  static FtpPeers.KeyPairFile serverKey;
  static FtpPeers.KeyPairFile otherKey;

  @TempDir
  Path home;
  FtpPeers.Peer peer;

  @BeforeAll
  static void makeKeys() throws Exception {
    serverKey = FtpPeers.selfSigned(keys.resolve("server.p12"), "127.0.0.1");
    otherKey = FtpPeers.selfSigned(keys.resolve("other.p12"), "127.0.0.1");
  }

  @AfterEach
  void stopServer() {
    if (peer != null) {
      peer.stop();
    }
  }

  private FtpStore.Config config(String password) {
    return FtpStore.Config.of("127.0.0.1", peer.port(), FtpPeers.USER, "/repo").withPassword(password)
        .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Drops the connection at the first {@code RNTO} to {@code watched} while no file has that name:
   * the moment a replace that deletes first would have lost the object.
   */
  static final class DropWhileMissing extends DefaultFtplet {
    final Path home;
    final String watched;
    volatile boolean armed;
    volatile boolean dropped;

    DropWhileMissing(Path home, String watched) {
      this.home = home;
      this.watched = watched;
    }

    @Override
    public FtpletResult beforeCommand(FtpSession session, FtpRequest request) {
      String arg = request.getArgument();
      if (armed && "RNTO".equalsIgnoreCase(request.getCommand()) && arg != null && arg.endsWith("/" + watched)
          && !Files.exists(home.resolve(arg.substring(1)))) {
        armed = false;
        dropped = true;
        return FtpletResult.DISCONNECT;
      }
      return FtpletResult.DEFAULT;
    }
  }

  /**
   * Issue 11, item 4: a prune rewrites a manifest in place; Apache FtpServer does not rename over
   * a file. The connection drops between taking the old manifest away and renaming the new one into
   * place. The object must never be lost: reads find the old one, a listing shows it, and the next
   * cleanup puts it back under its name.
   */
  @Test
  void aConnectionDroppedWhileReplacingAnObject_neverLosesIt() throws Exception {
    DropWhileMissing drop = new DropWhileMissing(home, "repo/jobs/j1.job");
    peer = FtpPeers.start(home, null, 0, true, drop);
    try (FtpStore store = new FtpStore(config(FtpPeers.PASSWORD))) {
      store.put("jobs/j1.job", utf8("first manifest"));
      drop.armed = true;
      StoreException e = assertThrows(StoreException.class, () -> store.put("jobs/j1.job", utf8("rewritten")));
      assertTrue(e.isTransient(), e.getMessage());
      assertTrue(drop.dropped, "the connection was dropped mid-replace");
    }
    try (FtpStore next = new FtpStore(config(FtpPeers.PASSWORD))) {
      assertArrayEquals(utf8("first manifest"), next.get("jobs/j1.job"));
      assertEquals(java.util.Optional.of(new Store.StoredObject("jobs/j1.job", 14)), next.stat("jobs/j1.job"));
      assertEquals(List.of(new Store.StoredObject("jobs/j1.job", 14)), next.list("jobs/"));
      next.removeTemporaryBefore(java.time.Instant.now().minus(Duration.ofDays(1)));
      assertEquals("first manifest", Files.readString(home.resolve("repo/jobs/j1.job")), "put back under its name");
      next.put("jobs/j1.job", utf8("rewritten again"));
      assertArrayEquals(utf8("rewritten again"), next.get("jobs/j1.job"));
      try (var files = Files.list(home.resolve("repo/jobs"))) {
        assertEquals(List.of("j1.job"), files.map(f -> f.getFileName().toString())
            .filter(n -> !n.contains(Store.TEMP_MARKER) || n.endsWith("aside")).toList(), "no aside left");
      }
    }
  }

  @Test
  void wrongPasswordIsPermanentWithAClearMessageWithoutThePassword() throws Exception {
    peer = FtpPeers.start(home, null);
    String wrong = "Wrong-Pa55word-xyz";
    try (FtpStore store = new FtpStore(config(wrong))) {
      StoreException e = assertThrows(StoreException.class, () -> store.put("config", utf8("x")));
      assertFalse(e.isTransient(), e.getMessage());
      assertTrue(e.getMessage().contains("authentication failed for user " + FtpPeers.USER), e.getMessage());
      assertTrue(e.getMessage().contains("ftp://backup@127.0.0.1:" + peer.port() + "/%2Frepo"), e.getMessage());
      assertFalse(e.getMessage().contains(wrong), "no password in the message: " + e.getMessage());
      assertFalse(e.getMessage().contains(FtpPeers.PASSWORD));
      StoreException again = assertThrows(StoreException.class, () -> store.list(""));
      assertFalse(again.isTransient());
    }
  }

  @Test
  void unknownCertificateIsRefusedWithItsFingerprint() throws Exception {
    peer = FtpPeers.start(home, serverKey);
    FtpStore.Config pinnedOther = config(FtpPeers.PASSWORD).withCertificateFingerprint(otherKey.fingerprint());
    try (FtpStore store = new FtpStore(pinnedOther)) {
      StoreException e = assertThrows(StoreException.class, () -> store.put("config", utf8("x")));
      assertFalse(e.isTransient(), e.getMessage());
      assertTrue(e.getMessage().contains("REFUSED"), e.getMessage());
      assertTrue(e.getMessage().contains(serverKey.fingerprint()), "shows the server's fingerprint: " + e.getMessage());
      assertTrue(e.getMessage().contains(otherKey.fingerprint()), "and the pinned one: " + e.getMessage());
      assertFalse(e.getMessage().contains(FtpPeers.PASSWORD));
    }
    // without a pin or trust store the JDK's CAs decide: a self-signed certificate is refused too
    try (FtpStore store = new FtpStore(config(FtpPeers.PASSWORD).withTls())) {
      StoreException e = assertThrows(StoreException.class, () -> store.get("config"));
      assertFalse(e.isTransient(), e.getMessage());
      assertTrue(e.getMessage().contains(serverKey.fingerprint()), e.getMessage());
    }
    assertEquals(List.of(), Files.list(home).toList(), "nothing was written");
  }

  @Test
  void pinnedFingerprintInOtherSpellingsAndATrustStoreAreAccepted() throws Exception {
    peer = FtpPeers.start(home, serverKey);
    String lowerNoColons = "SHA256:" + serverKey.fingerprint().replace(":", "").toLowerCase();
    try (FtpStore store = new FtpStore(config(FtpPeers.PASSWORD).withCertificateFingerprint(lowerNoColons))) {
      store.put("a/b.bin", utf8("pinned"));
      assertArrayEquals(utf8("pinned"), store.get("a/b.bin"));
    }
    Path trust = FtpPeers.trustStore(keys.resolve("trust-" + System.nanoTime() + ".p12"), serverKey.certificate());
    try (FtpStore store = new FtpStore(config(FtpPeers.PASSWORD).withTrustStore(trust, FtpPeers.STORE_PASSWORD))) {
      assertArrayEquals(utf8("pinned"), store.get("a/b.bin"));
      assertArrayEquals(utf8("inn"), store.get("a/b.bin", 1, 3));
    }
    assertArrayEquals(utf8("pinned"), Files.readAllBytes(home.resolve("repo/a/b.bin")));
  }

  @Test
  void tlsToAServerWithoutFtpsIsAPermanentFailure() throws Exception {
    peer = FtpPeers.start(home, null);
    try (FtpStore store = new FtpStore(config(FtpPeers.PASSWORD).withCertificateFingerprint(serverKey.fingerprint()))) {
      StoreException e = assertThrows(StoreException.class, () -> store.get("config"));
      assertFalse(e.isTransient(), e.getMessage());
      assertTrue(e.getMessage().contains("cannot connect to ftps://backup@127.0.0.1:" + peer.port()), e.getMessage());
      assertTrue(e.getMessage().contains("refused TLS"), e.getMessage());
    }
  }

  @Test
  void aStoppedServerIsATransientFailure() throws Exception {
    peer = FtpPeers.start(home, null);
    int port = peer.port();
    try (FtpStore store = new FtpStore(config(FtpPeers.PASSWORD))) {
      store.put("blocks/a.bak", utf8("data")); // leaves a pooled connection
      peer.stop();
      StoreException dropped = assertThrows(StoreException.class, () -> store.get("blocks/a.bak"));
      assertTrue(dropped.isTransient(), "a dropped connection is transient: " + dropped.getMessage());
      assertTrue(dropped.getMessage().contains("blocks/a.bak"), dropped.getMessage());
      StoreException refused = assertThrows(StoreException.class, () -> store.list("blocks/"));
      assertTrue(refused.isTransient(), "a refused connection is transient: " + refused.getMessage());
      assertTrue(refused.getMessage().contains("connection refused"), refused.getMessage());

      peer = FtpPeers.start(home, null, port); // back on the same port: the store reconnects
      assertArrayEquals(utf8("data"), store.get("blocks/a.bak"));
    }
  }

  @Test
  void retryingStoreRidesOutARestartedServer() throws Exception {
    peer = FtpPeers.start(home, null);
    int port = peer.port();
    try (FtpStore ftp = new FtpStore(config(FtpPeers.PASSWORD));
        RetryingStore store = new RetryingStore(ftp, new RetryingStore.Policy(3, Duration.ZERO, Duration.ZERO,
            Duration.ofMinutes(1)))) {
      store.put("x", utf8("1"));
      peer.stop();
      peer = FtpPeers.start(home, null, port); // the pooled connection is dead, the next one works
      assertArrayEquals(utf8("1"), store.get("x"));
    }
  }

  @Test
  void configAndNameHoldNoSecrets() {
    FtpStore.Config c = FtpStore.Config.of("ftp.example.com", 21, "bob", "/backups/pc1").withPassword("hunter2-pw")
        .withCertificateFingerprint("sha256:" + "ab".repeat(32));
    assertEquals("ftps://bob@ftp.example.com:21/%2Fbackups/pc1", c.url());
    assertEquals("AB:".repeat(31) + "AB", c.certificateFingerprint());
    assertFalse(c.toString().contains("hunter2"), c.toString());
    assertTrue(c.toString().contains("pinned SHA-256 AB:AB"), c.toString());
    Path ts = Path.of("/etc/trust.p12");
    FtpStore.Config t = c.withTrustStore(ts, "store-secret");
    assertFalse(t.toString().contains("store-secret"), t.toString());
    assertFalse(t.toString().contains("hunter2"), t.toString());
    assertEquals("ftp://bob@ftp.example.com:2121/rel", FtpStore.Config.of("ftp.example.com", 2121, "bob", "rel")
        .url());
    assertEquals("ftp://bob@ftp.example.com:21/", FtpStore.Config.of("ftp.example.com", 21, "bob", "").url());
    assertThrows(IllegalArgumentException.class, () -> c.withCertificateFingerprint("abc"));
    assertThrows(IllegalArgumentException.class, () -> new FtpStore.Config("h", 21, "u", "p", "", false,
        "ab".repeat(32), null, null, Duration.ofSeconds(1), Duration.ofSeconds(1), 1), "a pin needs TLS");
    FtpStore s = new FtpStore(c);
    assertEquals("ftps://bob@ftp.example.com:21/%2Fbackups/pc1", s.name());
    assertFalse(s.toString().contains("hunter2"));
    s.close();
  }
}
