package au.com.backup247.agent.repo.store.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.repo.store.FaultProxy;
import au.com.backup247.agent.repo.store.NoSuchObjectException;
import au.com.backup247.agent.repo.store.S3Peers;
import au.com.backup247.agent.repo.store.Store.StoredObject;
import au.com.backup247.agent.repo.store.Store;
import au.com.backup247.agent.repo.store.StoreException;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * {@link S3Store} beyond the contract, against s3proxy running in-process: multipart uploads,
 * aborting them on failure (nothing left in ListMultipartUploads), credential errors, a stopped
 * server, virtual-host addressing and settings without secrets.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class S3StoreTest {
  static final String BUCKET = "b247-tests";
  static final long MIB = 1 << 20;
  static S3Peers.Peer server;
  static final AtomicInteger N = new AtomicInteger();

  @BeforeAll
  static void startServer() throws Exception {
    server = S3Peers.start();
    server.createBucket(BUCKET);
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.stop();
  }

  static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static String prefix() {
    return "p" + N.incrementAndGet() + "/";
  }

  /** Counts UploadPart requests (every attempt) and fails part {@code failPart} {@code failures} times. */
  static final class Parts implements ExecutionInterceptor {
    final List<Integer> attempts = new CopyOnWriteArrayList<>();
    final int failPart;
    final AtomicInteger failures;

    /** The part numbers sent (a stale keep-alive connection may make the SDK send a part twice). */
    List<Integer> numbers() {
      return attempts.stream().distinct().sorted().toList();
    }

    Parts(int failPart, int failures) {
      this.failPart = failPart;
      this.failures = new AtomicInteger(failures);
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
      if (context.request() instanceof UploadPartRequest p) {
        attempts.add(p.partNumber());
        if (p.partNumber() == failPart && failures.getAndDecrement() > 0) {
          throw SdkClientException.create("injected", new IOException("connection reset (injected into part "
              + failPart + ")"));
        }
      }
    }
  }

  /** In-progress multipart uploads in the bucket, asked behind the store's back. */
  static List<String> uploadsInBucket() {
    try (S3Client c = server.client()) {
      return c.listMultipartUploads(r -> r.bucket(BUCKET)).uploads().stream().map(u -> u.key()).toList();
    }
  }

  @Test
  void s3proxyListsMultipartUploadsInProgress() {
    // the abort tests below rely on ListMultipartUploads seeing uploads that were not aborted
    try (S3Client c = server.client()) {
      String id = c.createMultipartUpload(r -> r.bucket(BUCKET).key("sanity/x")).uploadId();
      assertEquals(List.of("sanity/x"), uploadsInBucket());
      c.abortMultipartUpload(r -> r.bucket(BUCKET).key("sanity/x").uploadId(id));
      assertEquals(List.of(), uploadsInBucket());
    }
  }

  /**
   * Issue 11, item 6: a process killed mid-upload leaves an incomplete multipart upload, whose
   * parts are stored and billed but never listed. The next cleanup aborts those under the prefix
   * that are older than the grace period; younger ones and other prefixes stay.
   */
  @Test
  void incompleteMultipartUploadsOlderThanTheGracePeriodAreAborted() {
    String mine = prefix();
    try (S3Client c = server.client(); S3Store store = new S3Store(server.config(BUCKET, mine))) {
      String killed = c.createMultipartUpload(r -> r.bucket(BUCKET).key(mine + "blocks/killed.bak")).uploadId();
      c.uploadPart(r -> r.bucket(BUCKET).key(mine + "blocks/killed.bak").uploadId(killed).partNumber(1),
          RequestBody.fromBytes(bytes(1000, 1)));
      String other = c.createMultipartUpload(r -> r.bucket(BUCKET).key("elsewhere/x.bak")).uploadId();
      assertEquals(0, store.removeTemporaryBefore(java.time.Instant.now().minus(java.time.Duration.ofDays(1))),
          "younger than the grace period: kept");
      assertTrue(uploadsInBucket().contains(mine + "blocks/killed.bak"));
      assertEquals(1, store.removeTemporaryBefore(java.time.Instant.now().plusSeconds(60)));
      assertEquals(List.of("elsewhere/x.bak"), uploadsInBucket(), "only the prefix's own uploads are aborted");
      c.abortMultipartUpload(r -> r.bucket(BUCKET).key("elsewhere/x.bak").uploadId(other));
    }
  }

  @Test
  void a40MiBObjectGoesUpInEightPartsOf5MiB() {
    Parts parts = new Parts(0, 0);
    S3Store.Config c = server.config(BUCKET, prefix()).withMultipart(5 * MIB, 5 * MIB);
    try (S3Store store = new S3Store(c, List.of(parts))) {
      byte[] data = bytes((int) (40 * MIB), 1);
      store.put("blocks/big.bak", data);
      assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8), parts.numbers());
      assertEquals(Optional.of(new StoredObject("blocks/big.bak", 40 * MIB)), store.stat("blocks/big.bak"));
      assertArrayEquals(data, store.get("blocks/big.bak"));
      int across = (int) (5 * MIB) - 100; // a range across the first part boundary
      assertArrayEquals(Arrays.copyOfRange(data, across, across + 200), store.get("blocks/big.bak", across, 200));

      parts.attempts.clear();
      byte[] streamed = bytes((int) (12 * MIB + 3), 2); // 5 + 5 + 2 MiB + 3 bytes, from a stream
      store.put("blocks/streamed.bak", new ByteArrayInputStream(streamed), streamed.length);
      assertEquals(List.of(1, 2, 3), parts.numbers());
      assertArrayEquals(streamed, store.get("blocks/streamed.bak"));

      parts.attempts.clear();
      store.put("blocks/small.bak", bytes((int) (5 * MIB) - 1, 3)); // below the threshold: one PutObject
      assertEquals(List.of(), parts.attempts);
      assertEquals(List.of(), store.incompleteUploads());
    }
  }

  /** Remembers the headers each PutObject and UploadPart request was sent with. */
  static final class BodyHeaders implements ExecutionInterceptor {
    final List<SdkHttpRequest> sent = new CopyOnWriteArrayList<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
      if (context.request() instanceof PutObjectRequest || context.request() instanceof UploadPartRequest) {
        sent.add(context.httpRequest());
      }
    }
  }

  @Test
  void overHttpABodyIsHashedOnce_itsMd5IsSignedAndThePayloadIsNot() {
    BodyHeaders headers = new BodyHeaders();
    S3Store.Config c = server.config(BUCKET, prefix()).withMultipart(5 * MIB, 5 * MIB);
    try (S3Store store = new S3Store(c, List.of(headers))) {
      store.put("blocks/small.bak", bytes(1000, 1));
      store.put("blocks/parts.bak", bytes((int) (6 * MIB), 2));
      assertEquals(3, headers.sent.size());
      for (SdkHttpRequest r : headers.sent) {
        assertEquals("http", r.protocol());
        assertEquals(Optional.of("UNSIGNED-PAYLOAD"), r.firstMatchingHeader("x-amz-content-sha256"));
        assertTrue(r.firstMatchingHeader("Content-MD5").isPresent());
        String auth = r.firstMatchingHeader("Authorization").orElseThrow();
        assertTrue(auth.matches(".*SignedHeaders=[^,]*content-md5.*"), auth);
      }
      assertEquals(1000, store.get("blocks/small.bak").length);
    }
  }

  /**
   * One hash guards every byte sent (see {@link S3Store}'s Javadoc): a body damaged between the
   * store and the server, in a single put and in a part, is refused by s3proxy and nothing is
   * stored; the same proxy passes a body without the damaged byte value intact.
   */
  @Test
  void aBodyDamagedInTransitIsRefused_andNothingIsStored() throws Exception {
    try (FaultProxy proxy = new FaultProxy(server.endpoint().getPort())) {
      proxy.set(FaultProxy.Fault.damage((byte) 1, (byte) 2));
      S3Store.Config c = server.config(BUCKET, prefix()).withEndpoint(URI.create("http://127.0.0.1:" + proxy.port()))
          .withMultipart(5 * MIB, 5 * MIB);
      try (S3Store store = new S3Store(c)) {
        for (int size : new int[] {64 * 1024, (int) (6 * MIB)}) { // one PutObject; two parts
          byte[] data = bytes(size, size);
          StoreException e = assertThrows(StoreException.class, () -> store.put("blocks/damaged.bak", data));
          assertTrue(e.isTransient() && e.getMessage().contains("BadDigest"), e.getMessage());
          assertFalse(store.exists("blocks/damaged.bak"), size + " bytes damaged in transit were stored");
          byte[] clean = data.clone();
          for (int i = 0; i < clean.length; i++) {
            clean[i] = clean[i] == 1 ? 3 : clean[i];
          }
          store.put("blocks/clean.bak", clean);
          assertArrayEquals(clean, store.get("blocks/clean.bak"));
        }
        assertEquals(List.of(), store.incompleteUploads());
      }
    }
  }

  @Test
  void aFailingThirdPartAbortsTheUpload() {
    Parts parts = new Parts(3, Integer.MAX_VALUE);
    String prefix = prefix();
    try (S3Store store = new S3Store(server.config(BUCKET, prefix).withMultipart(5 * MIB, 5 * MIB), List.of(parts))) {
      byte[] old = bytes(1000, 4);
      store.put("blocks/x.bak", old);
      StoreException e = assertThrows(StoreException.class, () -> store.put("blocks/x.bak", bytes((int) (16 * MIB),
          5)));
      assertTrue(e.isTransient(), e.getMessage());
      assertTrue(e.getMessage().contains("blocks/x.bak (part 3)"), e.getMessage());
      assertEquals(S3Store.SDK_ATTEMPTS, parts.attempts.stream().filter(p -> p == 3).count(),
          "part 3 was tried by the SDK's small retry only: " + parts.attempts);
      // parts go up 4 at a time: those running with part 3 finish, then the upload is aborted
      assertEquals(List.of(), uploadsInBucket(), "the multipart upload was aborted");
      assertArrayEquals(old, store.get("blocks/x.bak"), "the old object stays whole");
      assertEquals(List.of(new StoredObject("blocks/x.bak", 1000)), store.list(""));
    }
  }

  @Test
  void aPartThatFailsOnceIsRepeatedAndTheUploadCompletes() {
    Parts parts = new Parts(2, 1);
    try (S3Store store = new S3Store(server.config(BUCKET, prefix()).withMultipart(5 * MIB, 5 * MIB),
        List.of(parts))) {
      byte[] data = bytes((int) (11 * MIB), 6);
      store.put("blocks/y.bak", data);
      assertEquals(List.of(1, 2, 3), parts.numbers());
      assertTrue(parts.attempts.stream().filter(p -> p == 2).count() >= 2, "part 2 was sent again: " + parts.attempts);
      assertArrayEquals(data, store.get("blocks/y.bak"));
      assertEquals(List.of(), uploadsInBucket());
    }
  }

  @Test
  void aFailingSourceStreamAbortsTheUpload() {
    Parts parts = new Parts(0, 0);
    try (S3Store store = new S3Store(server.config(BUCKET, prefix()).withMultipart(5 * MIB, 5 * MIB),
        List.of(parts))) {
      byte[] data = bytes((int) (16 * MIB), 7);
      InputStream failing = new FilterInputStream(new ByteArrayInputStream(data)) {
        long read;

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          if (read >= 12 * MIB) {
            throw new IOException("disk read error (injected in the third part)");
          }
          int n = super.read(b, off, (int) Math.min(len, 12 * MIB - read));
          read += Math.max(0, n);
          return n;
        }
      };
      StoreException e = assertThrows(StoreException.class, () -> store.put("blocks/z.bak", failing, data.length));
      assertTrue(e.isTransient(), e.getMessage());
      assertTrue(e.getMessage().contains("disk read error"), e.getMessage());
      assertEquals(List.of(1, 2), parts.numbers());
      assertEquals(List.of(), uploadsInBucket(), "the multipart upload was aborted");
      assertFalse(store.exists("blocks/z.bak"));
    }
  }

  @Test
  void wrongSecretIsPermanentAndNamesBucketAndEndpointButNotTheSecret() {
    String wrong = "Wrong-Secret-Key-0000";
    S3Store.Config c = server.config(BUCKET, "repo").withCredentials(S3Peers.ACCESS_KEY, wrong);
    try (S3Store store = new S3Store(c)) {
      for (Runnable op : List.<Runnable>of(() -> store.put("config", new byte[1]), () -> store.get("config"),
          () -> store.list(""), () -> store.stat("config"), () -> store.delete("config"))) {
        StoreException e = assertThrows(StoreException.class, op::run);
        assertFalse(e.isTransient(), e.getMessage());
        assertFalse(e instanceof NoSuchObjectException, e.getMessage());
        assertTrue(e.getMessage().contains("s3://" + BUCKET + "/repo/?endpoint=" + server.endpoint()), e.getMessage());
        assertFalse(e.getMessage().contains(wrong), "no secret in: " + e.getMessage());
        assertFalse(e.getMessage().contains(S3Peers.ACCESS_KEY), "the access key only masked: " + e.getMessage());
      }
      StoreException put = assertThrows(StoreException.class, () -> store.put("config", new byte[1]));
      assertTrue(put.getMessage().contains("secret key is wrong"), put.getMessage());
    }
    try (S3Store store = new S3Store(server.config(BUCKET, "").withCredentials("AKIDUNKNOWN", wrong))) {
      StoreException e = assertThrows(StoreException.class, () -> store.get("config"));
      assertFalse(e.isTransient(), e.getMessage());
    }
  }

  @Test
  void aMissingBucketIsCreatedByTheFirstWrite_readsBeforeFindNothing() {
    try (S3Store store = new S3Store(server.config("made-on-first-put", "repo"))) {
      assertEquals(Optional.empty(), store.stat("config"), "no bucket: no object");
      store.put("config", new byte[] {7});
      assertArrayEquals(new byte[] {7}, store.get("config"));
      store.connect();
    }
    try (S3Client c = server.client()) {
      c.headBucket(r -> r.bucket("made-on-first-put"));
    }
  }

  /**
   * Keys that may not create buckets. s3proxy has no permissions, so the server's answer to
   * {@code CreateBucket} is turned into AWS's {@code 403 AccessDenied} on its way back (a double of
   * the answer only; the request did reach the real server).
   */
  @Test
  void keysThatMayNotCreateTheMissingBucket_arePermanentAndSaySo() {
    ExecutionInterceptor denyCreate = new ExecutionInterceptor() {
      @Override
      public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        return context.request() instanceof CreateBucketRequest
            ? context.httpResponse().toBuilder().statusCode(403).build() : context.httpResponse();
      }

      @Override
      public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context,
          ExecutionAttributes attributes) {
        return context.request() instanceof CreateBucketRequest
            ? Optional.of(new ByteArrayInputStream(("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>"
                + "AccessDenied</Code><Message>Access Denied</Message></Error>").getBytes(StandardCharsets.UTF_8)))
            : context.responseBody();
      }
    };
    try (S3Store store = new S3Store(server.config("may-not-create", ""), List.of(denyCreate))) {
      StoreException e = assertThrows(StoreException.class, () -> store.put("config", new byte[1]));
      assertFalse(e.isTransient(), e.getMessage());
      assertTrue(e.getMessage().contains("bucket may-not-create does not exist and access key …KEY1"
          + " may not create it (HTTP 403 AccessDenied)"), e.getMessage());
    }
  }

  @Test
  void aStoppedServerIsTransient() throws Exception {
    S3Peers.Peer own = S3Peers.start();
    own.createBucket(BUCKET);
    try (S3Store store = new S3Store(own.config(BUCKET, ""))) {
      store.put("a", new byte[] {1});
      own.stop();
      StoreException e = assertThrows(StoreException.class, () -> store.get("a"));
      assertTrue(e.isTransient(), e.getMessage());
      assertTrue(e.getMessage().contains("cannot get a on s3://" + BUCKET + "/?endpoint="), e.getMessage());
      StoreException put = assertThrows(StoreException.class, () -> store.put("b", new byte[1]));
      assertTrue(put.isTransient(), put.getMessage());
    }
  }

  @Test
  void listSkipsTempNamesFolderMarkersAndOtherPrefixes() {
    String prefix = prefix();
    try (S3Client c = server.client(); S3Store store = new S3Store(server.config(BUCKET, prefix))) {
      store.put("blocks/a.bak", new byte[3]);
      for (String key : List.of(prefix + "blocks/", prefix + "blocks/b.bak" + Store.TEMP_MARKER + "12ab",
          prefix.substring(0, prefix.length() - 1) + "x/blocks/d.bak")) {
        c.putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromBytes(new byte[1]));
      }
      assertEquals(List.of(new StoredObject("blocks/a.bak", 3)), store.list(""));
      assertEquals(List.of(new StoredObject("blocks/a.bak", 3)), store.list("blocks/"));
    }
  }

  @Test
  void listFollowsPagination() {
    try (S3Store store = new S3Store(server.config(BUCKET, prefix()))) {
      for (int i = 0; i < 1_050; i++) {
        store.put(String.format("idx/%04d", i), new byte[] {(byte) i});
      }
      List<StoredObject> all = store.list("idx/");
      assertEquals(1_050, all.size(), "more than one page of 1000");
      assertEquals("idx/0000", all.get(0).path());
      assertEquals("idx/1049", all.get(1_049).path());
    }
  }

  /** Records each request's URL, and can stop it before it leaves (for AWS addresses in unit tests). */
  static final class Urls implements ExecutionInterceptor {
    final List<SdkHttpRequest> seen = new CopyOnWriteArrayList<>();
    final boolean stop;

    Urls(boolean stop) {
      this.stop = stop;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
      seen.add(context.httpRequest());
      if (stop) {
        throw SdkClientException.create("stopped before sending (test)");
      }
    }
  }

  @Test
  void virtualHostStyleAgainstS3proxy() throws Exception {
    // bucket.localhost does not resolve here, so requests go through an HTTP proxy: s3proxy itself,
    // which takes absolute-form requests and addresses the bucket by the Host header
    S3Peers.Peer vhost = S3Peers.start("localhost", 0);
    try {
      vhost.createBucket(BUCKET);
      Urls urls = new Urls(false);
      S3Store.Config c = vhost.config(BUCKET, "vh").withPathStyle(false)
          .withProxy(URI.create("http://127.0.0.1:" + vhost.endpoint().getPort()));
      assertFalse(c.usesPathStyle());
      try (S3Store store = new S3Store(c, List.of(urls))) {
        store.put("blocks/v.bak", bytes(1000, 8));
        assertArrayEquals(bytes(1000, 8), store.get("blocks/v.bak"));
        assertEquals(List.of(new StoredObject("blocks/v.bak", 1000)), store.list("blocks/"));
        SdkHttpRequest put = urls.seen.get(1); // after the HeadBucket of the first write
        assertEquals(BUCKET + ".localhost", put.host());
        assertEquals("/vh/blocks/v.bak", put.encodedPath());
      }
      try (S3Client raw = vhost.client()) {
        assertEquals(1000, raw.headObject(r -> r.bucket(BUCKET).key("vh/blocks/v.bak")).contentLength(),
            "the object is where path-style clients see it");
      }
    } finally {
      vhost.stop();
    }
  }

  @Test
  void addressesForAwsAndForEndpoints() {
    Urls aws = new Urls(true);
    S3Store.Config c = S3Store.Config.of(BUCKET, "pc1").withRegion("ap-southeast-2").withCredentials("AKIDX", "s");
    try (S3Store store = new S3Store(c, List.of(aws))) {
      assertThrows(StoreException.class, () -> store.get("config"));
      assertEquals("https://" + BUCKET + ".s3.ap-southeast-2.amazonaws.com/pc1/config", aws.seen.get(0).getUri()
          .toString(), "AWS: virtual-host style");
    }
    Urls forced = new Urls(true);
    try (S3Store store = new S3Store(c.withPathStyle(true), List.of(forced))) {
      assertThrows(StoreException.class, () -> store.get("config"));
      assertEquals("https://s3.ap-southeast-2.amazonaws.com/" + BUCKET + "/pc1/config", forced.seen.get(0).getUri()
          .toString());
    }
    Urls minio = new Urls(true);
    try (S3Store store = new S3Store(c.withEndpoint(URI.create("https://minio.example.com:9000")), List.of(minio))) {
      assertThrows(StoreException.class, () -> store.get("a b/c+d"));
      assertEquals("https://minio.example.com:9000/" + BUCKET + "/pc1/a%20b/c%2Bd", minio.seen.get(0).getUri()
          .toString(), "an endpoint: path style by default");
    }
  }

  @Test
  void settingsAndNamesHoldNoSecrets() {
    S3Store.Config c = S3Store.Config.of(BUCKET, "/a/b").withEndpoint(URI.create("http://127.0.0.1:9000"))
        .withCredentials("AKIDABCDEFGH1234", "very-secret-key");
    assertEquals("a/b/", c.prefix());
    assertTrue(c.usesPathStyle());
    assertEquals("s3://" + BUCKET + "/a/b/?endpoint=http://127.0.0.1:9000", c.url());
    assertEquals("s3://" + BUCKET + "/a/b/?endpoint=http://127.0.0.1:9000&style=virtual",
        c.withPathStyle(false).url());
    assertEquals("s3://" + BUCKET + "/", S3Store.Config.of(BUCKET, "").url());
    assertFalse(c.toString().contains("very-secret-key"), c.toString());
    assertFalse(c.toString().contains("AKIDABCDEFGH1234"), c.toString());
    assertTrue(c.toString().contains("…1234"), c.toString());
    try (S3Store s = new S3Store(c)) {
      assertEquals(c.url(), s.name());
      assertFalse(s.toString().contains("secret"));
      assertEquals(8 * MIB, s.partSizeFor(100 * MIB));
      long huge = 200L << 30; // 200 GiB: 8 MiB parts would be 25,600
      assertTrue(s.partSizeFor(huge) * S3Store.MAX_PARTS >= huge);
    }
    assertThrows(IllegalArgumentException.class, () -> new S3Store(S3Store.Config.of(BUCKET, "")),
        "credentials are needed");
    assertThrows(IllegalArgumentException.class, () -> c.withMultipart(16 * MIB, MIB), "parts of at least 5 MiB");
    assertThrows(IllegalArgumentException.class, () -> S3Store.Config.of("x", ""), "bucket name");
  }
}
