package au.com.backup247.agent.repo.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.cli.CliRun;
import au.com.backup247.agent.repo.store.azure.AzureStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code b247 repo test} (the "Test" button, and the proxy's "Test connection") run in-process
 * against real remote destinations on 127.0.0.1: Azurite through an {@code azure://} URL with a
 * connection string, and s3proxy through {@link LoopbackHttpProxy} with a proxy login; a wrong
 * proxy password and a proxy that is not there fail the first step, naming the proxy.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RepoTestCommandRemoteTest {
  static final String PROXY_USER = "office";
  static final String PROXY_PASSWORD = "proxy-Pa55-word";
  @TempDir
  static Path dir;
  static AzuritePeer azurite;
  static S3Peers.Peer s3;
  static LoopbackHttpProxy proxy;

  private static CliRun.Result b247(String... args) {
    return CliRun.b247(args);
  }

  static Path credentials(String name, String text) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, text);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    return f;
  }

  @BeforeAll
  static void start() throws Exception {
    s3 = S3Peers.start();
    s3.createBucket("b247-cli");
    proxy = new LoopbackHttpProxy(PROXY_USER, PROXY_PASSWORD);
    azurite = AzuritePeer.shared();
    azurite.createContainer("b247-cli");
  }

  @AfterAll
  static void stop() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
    if (s3 != null) {
      s3.stop();
    }
    if (azurite != null) {
      azurite.close();
    }
  }

  static void assertEveryStepOk(CliRun.Result t) {
    assertEquals(0, t.exit(), t.all());
    for (String step : List.of("connect", "put", "get", "list", "delete")) {
      assertTrue(t.out().lines().anyMatch(l -> l.matches(step + " +ok +[0-9.]+ ms .*")), step + ":\n" + t.out());
    }
  }

  @Test
  void azureWithAConnectionString() throws Exception {
    Path creds = credentials("azure.properties", "connection-string=" + azurite.connectionString() + "\n");
    String url = "azure://devstoreaccount1/b247-cli/pc1?endpoint=" + azurite.endpoint;
    CliRun.Result t = b247("repo", "test", "--repo", url, "--credentials", creds.toString());
    assertEveryStepOk(t);
    assertTrue(t.out().contains("ok: azure://devstoreaccount1/b247-cli/pc1/?endpoint=" + azurite.endpoint
        + " works"), t.out());
    assertFalse(t.all().contains(AzuritePeer.KEY), "no key in the output");
    assertEquals(List.of(), new AzureStore(azurite.config("b247-cli", "pc1")).list(""), "the probe is deleted");

    CliRun.Result none = b247("repo", "test", "--repo", url);
    assertEquals(2, none.exit(), none.all());
    assertTrue(none.err().contains("no account key") && none.err().contains("AZURE_STORAGE_CONNECTION_STRING"),
        none.err());
  }

  @Test
  void s3ThroughAProxyWithLogin() throws Exception {
    Path creds = credentials("s3.properties", "access-key=" + S3Peers.ACCESS_KEY + "\nsecret-key="
        + S3Peers.SECRET_KEY + "\nproxy-username=" + PROXY_USER + "\nproxy-password=" + PROXY_PASSWORD + "\n");
    int before = proxy.forwarded.get();
    String url = "s3://b247-cli/p?endpoint=" + s3.endpoint() + "&proxy=" + proxy.uri();
    CliRun.Result t = b247("repo", "test", "--repo", url, "--credentials", creds.toString());
    assertEveryStepOk(t);
    assertTrue(t.out().contains("through the HTTP proxy " + proxy.uri() + " (user " + PROXY_USER + ")"), t.out());
    assertTrue(proxy.forwarded.get() - before >= 6, "every step went through the proxy");
    assertFalse(t.all().contains(PROXY_PASSWORD) || t.all().contains(S3Peers.SECRET_KEY), t.all());
  }

  @Test
  void aWrongProxyPasswordFailsTheConnectStepNamingTheProxy() throws Exception {
    Path creds = credentials("wrong.properties", "access-key=" + S3Peers.ACCESS_KEY + "\nsecret-key="
        + S3Peers.SECRET_KEY + "\nproxy-username=" + PROXY_USER + "\nproxy-password=wrong-Pa55\n");
    String url = "s3://b247-cli/p?endpoint=" + s3.endpoint() + "&proxy=" + proxy.uri();
    CliRun.Result t = b247("repo", "test", "--repo", url, "--credentials", creds.toString());
    assertEquals(1, t.exit(), t.all());
    assertTrue(t.out().lines().anyMatch(l -> l.matches("connect +FAILED +[0-9.]+ ms +permanent error: .*HTTP proxy "
        + proxy.uri() + " refused the login.*")), t.out());
    assertTrue(t.err().contains("test failed at step connect (permanent)"), t.err());
    assertFalse(t.out().contains("put "), "stops at the failed step:\n" + t.out());
    assertFalse(t.all().contains("wrong-Pa55"), t.all());

    Path azureCreds = credentials("azure-wrong.properties", "connection-string=" + azurite.connectionString()
        + "\nproxy-username=" + PROXY_USER + "\nproxy-password=wrong-Pa55\n");
    CliRun.Result a = b247("repo", "test", "--repo", "azure://devstoreaccount1/b247-cli?endpoint=" + azurite.endpoint
        + "&proxy=" + proxy.uri(), "--credentials", azureCreds.toString());
    assertEquals(1, a.exit(), a.all());
    assertTrue(a.err().contains("test failed at step connect (permanent)") && a.err().contains("HTTP proxy "
        + proxy.uri()), a.err());
  }

  @Test
  void aProxyThatIsNotThereFailsTheConnectStepAsTransient() throws Exception {
    Path creds = credentials("gone.properties", "access-key=" + S3Peers.ACCESS_KEY + "\nsecret-key="
        + S3Peers.SECRET_KEY + "\n");
    int closed = SshPeers.freePort();
    CliRun.Result t = b247("repo", "test", "--repo", "s3://b247-cli/p?endpoint=" + s3.endpoint()
        + "&proxy=http://127.0.0.1:" + closed, "--credentials", creds.toString());
    assertEquals(1, t.exit(), t.all());
    assertTrue(t.err().contains("test failed at step connect (transient)") && t.err().contains(
        "cannot connect to the HTTP proxy http://127.0.0.1:" + closed), t.err());
  }
}
