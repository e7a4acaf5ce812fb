package au.com.backup247.agent.repo.store.azure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.repo.store.AzuritePeer;
import au.com.backup247.agent.repo.store.HttpProxy;
import au.com.backup247.agent.repo.store.LoopbackHttpProxy;
import au.com.backup247.agent.repo.store.NoSuchObjectException;
import au.com.backup247.agent.repo.store.SshPeers;
import au.com.backup247.agent.repo.store.Store.StoredObject;
import au.com.backup247.agent.repo.store.StoreContract;
import au.com.backup247.agent.repo.store.StoreException;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlockList;
import com.azure.storage.blob.models.BlockListType;
import com.azure.storage.common.sas.AccountSasPermission;
import com.azure.storage.common.sas.AccountSasResourceType;
import com.azure.storage.common.sas.AccountSasService;
import com.azure.storage.common.sas.AccountSasSignatureValues;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link AzureStore} beyond the contract, against Azurite: uploads as staged blocks (checked in the
 * blob's committed block list), an aborted staged upload that leaves nothing visible, concurrent
 * staged uploads of the same bytes, connection strings, errors (wrong key, a missing container it may not create,
 * nothing listening) and an HTTP proxy with Basic login ({@link LoopbackHttpProxy}).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AzureStoreTest {
  static final String CONTAINER = "b247-store-test";
  static final long MIB = 1L << 20;
  static AzuritePeer server;
  static BlobContainerClient raw;

  @BeforeAll
  static void startServer() throws Exception {
    server = AzuritePeer.shared(); // the JVM's: stopped when it ends
    raw = server.createContainer(CONTAINER);
  }

  static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** Staged uploads from 2 MiB on, in 1 MiB blocks. */
  static AzureStore.Config small(String prefix) {
    return server.config(CONTAINER, prefix).withBlocks(2 * MIB, MIB);
  }

  @Test
  void largeObjectsGoUpAsStagedBlocksAndReadBackWhole() {
    int size = (int) (5 * MIB + 12345);
    byte[] data = bytes(size, 1);
    try (AzureStore store = new AzureStore(small("blocks-a"))) {
      store.put("blocks/big.bak", data);
      assertArrayEquals(data, store.get("blocks/big.bak"));
      assertArrayEquals(Arrays.copyOfRange(data, size - 100_000, size), store.get("blocks/big.bak", size - 100_000,
          100_000));
      BlockList blocks = raw.getBlobClient("blocks-a/blocks/big.bak").getBlockBlobClient()
          .listBlocks(BlockListType.ALL);
      assertEquals(6, blocks.getCommittedBlocks().size(), "5 whole 1 MiB blocks and the rest");
      assertEquals(0, blocks.getUncommittedBlocks().size());

      byte[] streamed = bytes(size, 2);
      store.put("blocks/streamed.bak", new ByteArrayInputStream(streamed), size);
      assertArrayEquals(streamed, store.get("blocks/streamed.bak"));
      assertEquals(List.of(new StoredObject("blocks/big.bak", size), new StoredObject("blocks/streamed.bak", size)),
          store.list("blocks/"));

      byte[] under = bytes((int) (2 * MIB - 1), 3);
      store.put("blocks/under.bak", under);
      assertArrayEquals(under, store.get("blocks/under.bak"));
      assertEquals(0, raw.getBlobClient("blocks-a/blocks/under.bak").getBlockBlobClient()
          .listBlocks(BlockListType.COMMITTED).getCommittedBlocks().size(), "below the threshold: one Put Blob");
    }
  }

  @Test
  void anAbortedStagedUploadLeavesNothingVisible() {
    int size = (int) (6 * MIB);
    byte[] data = bytes(size, 4);
    try (AzureStore store = new AzureStore(small("blocks-b"))) {
      byte[] old = bytes(1000, 5);
      store.put("blocks/kept.bak", old);
      // the source fails after three and a half blocks, as when the job is stopped or a disk read fails
      InputStream failing = new InputStream() {
        int pos;

        @Override
        public int read() throws IOException {
          byte[] one = new byte[1];
          return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          if (pos >= 3.5 * MIB) {
            throw new IOException("disk read failed (test)");
          }
          int n = (int) Math.min(len, 3.5 * MIB - pos);
          System.arraycopy(data, pos, b, off, n);
          pos += n;
          return n;
        }
      };
      StoreException e = assertThrows(StoreException.class, () -> store.put("blocks/new.bak", failing, size));
      assertTrue(e.isTransient(), e.getMessage());
      assertTrue(e.getMessage().contains("blocks/new.bak") && e.getMessage().contains("disk read failed"),
          e.getMessage());
      assertEquals(Optional.empty(), store.stat("blocks/new.bak"));
      assertThrows(NoSuchObjectException.class, () -> store.get("blocks/new.bak"));
      assertEquals(List.of(new StoredObject("blocks/kept.bak", 1000)), store.list(""));
      BlockList staged = raw.getBlobClient("blocks-b/blocks/new.bak").getBlockBlobClient()
          .listBlocks(BlockListType.ALL);
      assertEquals(3, staged.getUncommittedBlocks().size(), "the staged blocks exist, uncommitted and invisible");

      // a failed replacement keeps the old object whole
      InputStream shortStream = new ByteArrayInputStream(data, 0, (int) (4 * MIB));
      assertThrows(StoreException.class, () -> store.put("blocks/kept.bak", shortStream, size));
      assertArrayEquals(old, store.get("blocks/kept.bak"));

      store.put("blocks/new.bak", new ByteArrayInputStream(data), size); // the repeat succeeds
      assertArrayEquals(data, store.get("blocks/new.bak"));
    }
  }

  @Test
  void concurrentStagedUploadsOfTheSameBytesAllSucceed() throws Exception {
    byte[] data = bytes((int) (4 * MIB + 7), 6);
    try (AzureStore store = new AzureStore(small("blocks-c"))) {
      StoreContract.runInThreads(4, t -> store.put("blocks/same.bak", data));
      assertArrayEquals(data, store.get("blocks/same.bak"));
      assertEquals(List.of(new StoredObject("blocks/same.bak", data.length)), store.list(""));
    }
  }

  @Test
  void aConnectionStringGivesKeyAndEndpoint() {
    AzureStore.Config c = AzureStore.Config.of(AzuritePeer.ACCOUNT, CONTAINER, "cs")
        .withConnectionString(server.connectionString());
    assertEquals(server.endpoint, c.endpoint());
    assertEquals(AzuritePeer.KEY, c.accountKey());
    assertFalse(c.toString().contains(AzuritePeer.KEY), c.toString());
    try (AzureStore store = new AzureStore(c)) {
      store.put("config", bytes(10, 7));
      assertArrayEquals(bytes(10, 7), store.get("config"));
    }
    IllegalArgumentException other = assertThrows(IllegalArgumentException.class, () -> AzureStore.Config
        .of("otheraccount", CONTAINER, "").withConnectionString(server.connectionString()));
    assertTrue(other.getMessage().contains("devstoreaccount1") && other.getMessage().contains("otheraccount"),
        other.getMessage());
    assertFalse(other.getMessage().contains(AzuritePeer.KEY));
    AzureStore.Config aws = AzureStore.Config.of("myaccount", CONTAINER, "")
        .withConnectionString("DefaultEndpointsProtocol=https;AccountName=myaccount;AccountKey=a2V5;"
            + "EndpointSuffix=core.windows.net");
    assertEquals(URI.create("https://myaccount.blob.core.windows.net"), aws.serviceEndpoint());
    IllegalArgumentException noKey = assertThrows(IllegalArgumentException.class, () -> AzureStore.Config
        .of("myaccount", CONTAINER, "").withConnectionString("AccountName=myaccount;EndpointSuffix=x"));
    assertTrue(noKey.getMessage().contains("neither AccountKey nor SharedAccessSignature"), noKey.getMessage());
  }

  @Test
  void aWrongKeyIsPermanentAndNamesTheAccountNotTheKey() {
    String wrong = java.util.Base64.getEncoder().encodeToString(bytes(64, 8));
    try (AzureStore store = new AzureStore(server.config(CONTAINER, "wk").withAccountKey(wrong))) {
      StoreException e = assertThrows(StoreException.class, () -> store.put("blocks/x.bak", bytes(10, 9)));
      assertFalse(e.isTransient(), e.getMessage());
      assertTrue(e.getMessage().contains("devstoreaccount1") && e.getMessage().contains("blocks/x.bak"),
          e.getMessage());
      assertFalse(e.getMessage().contains(wrong));
      assertThrows(StoreException.class, () -> store.list(""));
    }
  }

  @Test
  void aMissingContainerIsCreatedPrivateByTheFirstWrite_readsBeforeFindNothing() {
    try (AzureStore store = new AzureStore(server.config("made-on-first-put", "p"))) {
      assertEquals(Optional.empty(), store.stat("config"), "no container: no object");
      store.put("config", bytes(10, 10));
      assertArrayEquals(bytes(10, 10), store.get("config"));
      store.connect();
    }
    BlobContainerClient made = server.client().getBlobContainerClient("made-on-first-put");
    assertNull(made.getProperties().getBlobPublicAccess(), "private: no public access");
  }

  /** A real account SAS of Azurite that may read and list but not create containers. */
  @Test
  void credentialsThatMayNotCreateTheMissingContainer_arePermanentAndSaySo() {
    String sas = server.client().generateAccountSas(new AccountSasSignatureValues(
        OffsetDateTime.now().plusHours(1), AccountSasPermission.parse("rl"), AccountSasService.parse("b"),
        AccountSasResourceType.parse("co")));
    AzureStore.Config config = AzureStore.Config.of(AzuritePeer.ACCOUNT, "may-not-create", "p")
        .withEndpoint(server.endpoint).withSasToken(sas);
    try (AzureStore store = new AzureStore(config)) {
      StoreException e = assertThrows(StoreException.class, () -> store.put("config", bytes(10, 10)));
      assertFalse(e.isTransient(), e.getMessage());
      assertTrue(e.getMessage().contains("container may-not-create does not exist in account devstoreaccount1 and"
          + " these credentials may not create it (HTTP 403"), e.getMessage());
      assertFalse(e.getMessage().contains(sas), "the SAS is a secret");
    }
  }

  @Test
  void nothingListeningIsTransient() throws Exception {
    int port = SshPeers.freePort();
    AzureStore.Config c = server.config(CONTAINER, "nl").withEndpoint(URI.create("http://127.0.0.1:" + port + "/"
        + AzuritePeer.ACCOUNT)).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5));
    try (AzureStore store = new AzureStore(c)) {
      StoreException e = assertThrows(StoreException.class, () -> store.get("config"));
      assertTrue(e.isTransient(), e.getMessage());
      assertTrue(e.getMessage().contains("connection refused"), e.getMessage());
    }
  }

  @Test
  void throughAnHttpProxyWithLogin() throws Exception {
    try (LoopbackHttpProxy proxy = new LoopbackHttpProxy("proxyuser", "proxy-Pa55")) {
      HttpProxy login = HttpProxy.parse(proxy.uri().toString()).withLogin("proxyuser", "proxy-Pa55");
      try (AzureStore store = new AzureStore(small("px").withProxy(login))) {
        byte[] data = bytes((int) (3 * MIB), 11);
        store.put("blocks/p.bak", data);
        assertArrayEquals(data, store.get("blocks/p.bak"));
        assertEquals(List.of(new StoredObject("blocks/p.bak", data.length)), store.list(""));
      }
      assertTrue(proxy.forwarded.get() >= 6, "the requests went through the proxy: " + proxy.forwarded.get());

      HttpProxy wrong = login.withLogin("proxyuser", "not-the-Password");
      try (AzureStore store = new AzureStore(small("px").withProxy(wrong))) {
        StoreException e = assertThrows(StoreException.class, () -> store.get("blocks/p.bak"));
        assertFalse(e.isTransient(), e.getMessage());
        assertTrue(e.getMessage().contains("HTTP proxy " + proxy.uri()) && e.getMessage().contains("407"),
            e.getMessage());
        assertFalse(e.getMessage().contains("not-the-Password"));
      }
      try (AzureStore store = new AzureStore(small("px").withProxy(HttpProxy.parse(proxy.uri().toString())))) {
        StoreException e = assertThrows(StoreException.class, () -> store.stat("blocks/p.bak"));
        assertTrue(e.getMessage().contains("needs proxy-username"), e.getMessage());
      }
    }
    int closed = SshPeers.freePort();
    try (AzureStore store = new AzureStore(small("px").withProxy(new HttpProxy("127.0.0.1", closed, null, null))
        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5)))) {
      StoreException e = assertThrows(StoreException.class, () -> store.get("blocks/p.bak"));
      assertTrue(e.isTransient(), e.getMessage());
      assertTrue(e.getMessage().contains("cannot connect to the HTTP proxy http://127.0.0.1:" + closed),
          e.getMessage());
    }
  }

  @Test
  void blockIdsHaveOneLengthAndNameTheBytes() {
    String a = AzureStore.blockId(0, AzureStore.md5(bytes(10, 12), 0, 10));
    String b = AzureStore.blockId(49_999, AzureStore.md5(bytes(10, 13), 0, 10));
    assertEquals(a.length(), b.length());
    assertEquals(a, AzureStore.blockId(0, AzureStore.md5(bytes(10, 12), 0, 10)));
    try (AzureStore store = new AzureStore(small("ids"))) {
      assertEquals(MIB, store.blockSizeFor(10 * MIB));
      assertEquals(200L * 1024 * 1024 * 1024 / 50_000 + 1, store.blockSizeFor(200L * 1024 * 1024 * 1024),
          "grown to stay within 50,000 blocks");
    }
    assertNull(new HttpProxy("h", 1, "", null).username());
  }
}
