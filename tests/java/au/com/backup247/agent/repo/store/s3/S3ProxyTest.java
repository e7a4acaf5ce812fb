package au.com.backup247.agent.repo.store.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.repo.store.HttpProxy;
import au.com.backup247.agent.repo.store.LoopbackHttpProxy;
import au.com.backup247.agent.repo.store.S3Peers;
import au.com.backup247.agent.repo.store.SshPeers;
import au.com.backup247.agent.repo.store.Store.StoredObject;
import au.com.backup247.agent.repo.store.StoreException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link S3Store} through an HTTP proxy that needs a Basic login ({@link LoopbackHttpProxy} in
 * front of s3proxy, both on 127.0.0.1): the right login works for single and multipart uploads, a
 * wrong password or a missing login is a permanent error naming the proxy (never the password),
 * and a proxy that does not answer is a transient error naming the proxy.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class S3ProxyTest {
  static final String BUCKET = "b247-proxy";
  static final String USER = "proxy-user";
  static final String PASSWORD = "proxy-Secret-77";
  static S3Peers.Peer server;
  static LoopbackHttpProxy proxy;

  @BeforeAll
  static void start() throws Exception {
    server = S3Peers.start();
    server.createBucket(BUCKET);
    proxy = new LoopbackHttpProxy(USER, PASSWORD);
  }

  @AfterAll
  static void stop() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
    if (server != null) {
      server.stop();
    }
  }

  static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static HttpProxy proxyAt() {
    return HttpProxy.parse(proxy.uri().toString());
  }

  @Test
  void theRightLoginGoesThrough() {
    int before = proxy.forwarded.get();
    S3Store.Config c = server.config(BUCKET, "ok").withProxy(proxyAt().withLogin(USER, PASSWORD))
        .withMultipart(S3Store.MIN_PART, S3Store.MIN_PART);
    assertFalse(c.toString().contains(PASSWORD), c.toString());
    try (S3Store store = new S3Store(c)) {
      store.put("blocks/small.bak", bytes(1000, 1));
      byte[] big = bytes((int) (S3Store.MIN_PART * 2 + 10), 2);
      store.put("blocks/big.bak", big);
      assertArrayEquals(big, store.get("blocks/big.bak"));
      assertEquals(List.of(new StoredObject("blocks/big.bak", big.length), new StoredObject("blocks/small.bak", 1000)),
          store.list("blocks/"));
    }
    assertTrue(proxy.forwarded.get() - before >= 7, "create, 3 parts, complete, put, get, list went through the "
        + "proxy: " + (proxy.forwarded.get() - before));
  }

  @Test
  void aWrongPasswordIsPermanentAndNamesTheProxy() {
    S3Store.Config c = server.config(BUCKET, "wrong").withProxy(proxyAt().withLogin(USER, "not-" + PASSWORD));
    try (S3Store store = new S3Store(c)) {
      StoreException e = assertThrows(StoreException.class, () -> store.put("blocks/x.bak", bytes(10, 3)));
      assertFalse(e.isTransient(), e.getMessage());
      assertTrue(e.getMessage().contains("HTTP proxy " + proxy.uri() + " refused the login")
          && e.getMessage().contains("407") && e.getMessage().contains(USER), e.getMessage());
      assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
    }
    S3Store.Config none = server.config(BUCKET, "none").withProxy(proxyAt());
    try (S3Store store = new S3Store(none)) {
      StoreException e = assertThrows(StoreException.class, () -> store.get("config"));
      assertFalse(e.isTransient(), e.getMessage());
      assertTrue(e.getMessage().contains("needs proxy-username and proxy-password"), e.getMessage());
    }
  }

  @Test
  void aProxyThatIsNotThereIsTransientAndNamed() throws Exception {
    int closed = SshPeers.freePort();
    S3Store.Config c = server.config(BUCKET, "gone").withProxy(new HttpProxy("127.0.0.1", closed, USER, PASSWORD))
        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5));
    try (S3Store store = new S3Store(c)) {
      StoreException e = assertThrows(StoreException.class, () -> store.get("config"));
      assertTrue(e.isTransient(), e.getMessage());
      assertTrue(e.getMessage().contains("cannot connect to the HTTP proxy http://127.0.0.1:" + closed),
          e.getMessage());
    }
  }

  @Test
  void proxyUrlsAreChecked() {
    assertEquals("http://proxy.example:3128", HttpProxy.parse("http://proxy.example:3128/").url());
    assertEquals(80, HttpProxy.parse("http://proxy.example").port());
    IllegalArgumentException login = assertThrows(IllegalArgumentException.class,
        () -> HttpProxy.parse("http://u:secret@proxy:3128"));
    assertFalse(login.getMessage().contains("secret"), login.getMessage());
    assertThrows(IllegalArgumentException.class, () -> HttpProxy.parse("socks5://proxy:1080"));
    assertThrows(IllegalArgumentException.class, () -> HttpProxy.parse("http://proxy:3128/path"));
    assertEquals("http://p:1 (user u)", new HttpProxy("p", 1, "u", "pw").toString());
  }
}
