package au.com.backup247.agent.repo.store.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.cli.B247;
import au.com.backup247.agent.repo.store.AzuritePeer;
import au.com.backup247.agent.repo.store.LoopbackHttpProxy;
import au.com.backup247.agent.repo.store.S3Peers;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.TrustManagerFactory;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3 over HTTPS through an HTTP proxy with a Basic login: s3proxy serves HTTPS only, with a
 * self-signed certificate for 127.0.0.1, and {@code b247 repo test} runs as a separate JVM that
 * trusts it ({@code javax.net.ssl.trustStore}); every request goes through a {@code CONNECT} tunnel
 * of {@link LoopbackHttpProxy}. A wrong proxy password fails the connect step naming the proxy.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class S3HttpsProxyTest {
  static final String USER = "office";
  static final String PASSWORD = "tunnel-S3-Pa55";
  @TempDir
  static Path dir;
  static Path trust;
  static S3Proxy server;
  static URI endpoint;
  static LoopbackHttpProxy proxy;

  @BeforeAll
  static void start() throws Exception {
    S3Peers.quiet();
    trust = dir.resolve("trust.p12");
    AzuritePeer.selfSignedPem(dir, trust);
    Properties p = new Properties();
    p.setProperty("jclouds.identity", S3Peers.ACCESS_KEY);
    p.setProperty("jclouds.credential", S3Peers.SECRET_KEY);
    server = S3Proxy.builder().blobStore(BlobStores.create("transient-nio2", p))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, S3Peers.ACCESS_KEY, S3Peers.SECRET_KEY)
        .secureEndpoint(URI.create("https://127.0.0.1:0"))
        .keyStore(dir.resolve("azurite-key.p12").toString(), AzuritePeer.TRUST_PASSWORD)
        .ignoreUnknownHeaders(true).stopTimeout(1000).build();
    server.start();
    S3Peers.awaitStarted(server);
    endpoint = URI.create("https://127.0.0.1:" + server.getSecurePort());
    proxy = new LoopbackHttpProxy(USER, PASSWORD);
    // the bucket is made directly, by a client that trusts the certificate
    KeyStore ts = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(trust)) {
      ts.load(in, AzuritePeer.TRUST_PASSWORD.toCharArray());
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ts);
    try (S3Client c = S3Client.builder().httpClient(Apache5HttpClient.builder()
        .tlsTrustManagersProvider(tmf::getTrustManagers).build()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(S3Peers.ACCESS_KEY,
            S3Peers.SECRET_KEY))).endpointOverride(endpoint).forcePathStyle(true).build()) {
      c.createBucket(b -> b.bucket("b247-tls"));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
    if (server != null) {
      try {
        server.stop();
      } catch (TimeoutException e) {
        // connections were closed anyway
      }
    }
  }

  record Run(int exit, String out) {
  }

  static Run repoTest(String url, String proxyPassword) throws Exception {
    Path creds = dir.resolve("creds-" + proxyPassword.length());
    Files.writeString(creds, "access-key=" + S3Peers.ACCESS_KEY + "\nsecret-key=" + S3Peers.SECRET_KEY
        + "\nproxy-username=" + USER + "\nproxy-password=" + proxyPassword + "\n");
    Files.setPosixFilePermissions(creds, PosixFilePermissions.fromString("rw-------"));
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djavax.net.ssl.trustStore=" + trust, "-Djavax.net.ssl.trustStorePassword=" + AzuritePeer.TRUST_PASSWORD,
        "-Djavax.net.ssl.trustStoreType=PKCS12", "-cp", System.getProperty("java.class.path"), B247.class.getName(),
        "repo", "test", "--repo", url, "--credentials", creds.toString()));
    Path out = Files.createTempFile(dir, "out", ".txt");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("b247 repo test did not finish: " + Files.readString(out));
    }
    return new Run(p.exitValue(), Files.readString(out));
  }

  String url() {
    return "s3://b247-tls/pc?endpoint=" + endpoint + "&proxy=" + proxy.uri();
  }

  @Test
  void everyStepGoesThroughTheTunnelWithTheLogin() throws Exception {
    int tunnels = proxy.tunnels.get();
    int forwarded = proxy.forwarded.get();
    Run t = repoTest(url(), PASSWORD);
    assertEquals(0, t.exit(), t.out());
    for (String step : List.of("connect", "put", "get", "list", "delete")) {
      assertTrue(t.out().lines().anyMatch(l -> l.matches(step + " +ok +[0-9.]+ ms .*")), step + ":\n" + t.out());
    }
    assertTrue(proxy.tunnels.get() > tunnels, "HTTPS went through CONNECT tunnels");
    assertEquals(forwarded, proxy.forwarded.get(), "nothing went as plain HTTP");
    assertFalse(t.out().contains(PASSWORD) || t.out().contains(S3Peers.SECRET_KEY), t.out());
  }

  @Test
  void aWrongPasswordFailsTheConnectStepNamingTheProxy() throws Exception {
    Run t = repoTest(url(), "wrong-" + PASSWORD);
    assertEquals(1, t.exit(), t.out());
    assertTrue(t.out().contains("test failed at step connect (permanent)"), t.out());
    assertTrue(t.out().contains("HTTP proxy " + proxy.uri() + " refused the login"), t.out());
    assertFalse(t.out().contains("wrong-" + PASSWORD), t.out());
  }
}
