package au.com.backup247.agent.repo.store;

import static au.com.backup247.agent.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

import au.com.backup247.agent.repo.store.s3.S3Store;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeoutException;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Real S3 servers for the S3 tests: s3proxy 4.1.0 in-process on 127.0.0.1 (any free port) over
 * an in-memory blob store ({@code transient-nio2}), with AWS v2/v4 signatures checked.
 */
public final class S3Peers {
  public static final String ACCESS_KEY = "AKIDB247TESTKEY1";
  public static final String SECRET_KEY = "s3-Secret/Key+For-Tests-0123456789";

  private S3Peers() {
  }

  /** A running s3proxy and the endpoint clients use. */
  public record Peer(S3Proxy proxy, URI endpoint) {
    /** Stops the server; Jetty's graceful stop may time out on idle keep-alive connections, which is fine. */
    public void stop() throws Exception {
      try {
        proxy.stop();
      } catch (TimeoutException e) {
        // connections were closed anyway
      }
    }

    /** A plain SDK client (path style) for setting up and checking behind the store's back. */
    public S3Client client() {
      return S3Client.builder().httpClient(Apache5HttpClient.builder().build()).region(Region.US_EAST_1)
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
          .endpointOverride(endpoint).forcePathStyle(true)
          .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED).build();
    }

    public void createBucket(String bucket) {
      try (S3Client c = client()) {
        c.createBucket(b -> b.bucket(bucket));
      }
    }

    /** Store settings for {@code bucket}/{@code prefix} on this server (path style). */
    public S3Store.Config config(String bucket, String prefix) {
      return S3Store.Config.of(bucket, prefix).withEndpoint(endpoint).withCredentials(ACCESS_KEY, SECRET_KEY)
          .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30));
    }
  }

  /** s3proxy and its Jetty, and the AWS SDK, log at DEBUG under logback; keep the test output readable. */
  public static void quiet() {
    for (String name : List.of("org.gaul", "org.eclipse.jetty", "software.amazon.awssdk", "org.apache.http",
        "org.apache.hc")) {
      ((Logger) LoggerFactory.getLogger(name)).setLevel(Level.WARN);
    }
  }

  /** Starts s3proxy on 127.0.0.1; clients reach it at {@code http://127.0.0.1:port}. */
  public static Peer start() throws Exception {
    return start(null, 0);
  }

  /**
   * Starts s3proxy on 127.0.0.1 ({@code port} 0 = any free port). With {@code virtualHost} (such as
   * {@code localhost}), requests for {@code bucket.<virtualHost>} address the bucket by host name,
   * and clients must reach the server as {@code http://<virtualHost>:port}.
   */
  public static Peer start(String virtualHost, int port) throws Exception {
    quiet();
    Properties p = new Properties();
    p.setProperty("jclouds.identity", ACCESS_KEY);
    p.setProperty("jclouds.credential", SECRET_KEY);
    S3Proxy.Builder b = S3Proxy.builder().blobStore(BlobStores.create("transient-nio2", p))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        .endpoint(URI.create("http://127.0.0.1:" + port)).ignoreUnknownHeaders(true).stopTimeout(1000);
    if (virtualHost != null) {
      b.virtualHost(virtualHost);
    }
    S3Proxy proxy = b.build();
    proxy.start();
    awaitStarted(proxy);
    String host = virtualHost != null ? virtualHost : "127.0.0.1";
    return new Peer(proxy, URI.create("http://" + host + ":" + proxy.getPort()));
  }

  /** Waits until {@code proxy} (just started) serves requests. */
  public static void awaitStarted(S3Proxy proxy) {
    eventually(Duration.ofSeconds(30), () -> assertEquals("STARTED", proxy.getState(), "s3proxy state"));
  }
}
