package au.com.backup247.agent.repo.store.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.cli.B247;
import au.com.backup247.agent.repo.store.AzuritePeer;
import au.com.backup247.agent.repo.store.LoopbackHttpProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Azure over HTTPS through an HTTP proxy with a Basic login, as with the real service: Azurite
 * serves HTTPS with a self-signed certificate for 127.0.0.1, and {@code b247 repo test} runs as a
 * separate JVM (so that, as in the agent, nothing has used the JDK's HTTP client before the Azure
 * store; the JVM trusts the certificate through {@code javax.net.ssl.trustStore}). Every request
 * then goes through a {@code CONNECT} tunnel of {@link LoopbackHttpProxy}, whose login the store
 * must send on the {@code CONNECT}; a wrong password fails the connect step naming the proxy.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AzureHttpsProxyTest {
  static final String USER = "office";
  static final String PASSWORD = "tunnel-Pa55";
  @TempDir
  static Path dir;
  static AzuritePeer azurite;
  static LoopbackHttpProxy proxy;

  @BeforeAll
  static void start() throws Exception {
    azurite = AzuritePeer.startHttps(dir);
    azurite.createContainer("b247-tls");
    proxy = new LoopbackHttpProxy(USER, PASSWORD);
  }

  @AfterAll
  static void stop() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
    if (azurite != null) {
      azurite.close();
    }
  }

  record Run(int exit, String out) {
  }

  /** {@code b247 repo test} in its own JVM, trusting Azurite's certificate. */
  static Run repoTest(String url, Path credentials) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djavax.net.ssl.trustStore=" + azurite.trustStore, "-Djavax.net.ssl.trustStorePassword="
            + AzuritePeer.TRUST_PASSWORD, "-Djavax.net.ssl.trustStoreType=PKCS12",
        "-cp", System.getProperty("java.class.path"), B247.class.getName(),
        "repo", "test", "--repo", url, "--credentials", credentials.toString()));
    Path out = Files.createTempFile(dir, "out", ".txt");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("b247 repo test did not finish: " + Files.readString(out));
    }
    return new Run(p.exitValue(), Files.readString(out));
  }

  static Path credentials(String name, String proxyPassword) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, "connection-string=DefaultEndpointsProtocol=https;AccountName=" + AzuritePeer.ACCOUNT
        + ";AccountKey=" + AzuritePeer.KEY + "\nproxy-username=" + USER + "\nproxy-password=" + proxyPassword + "\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    return f;
  }

  String url() {
    return "azure://devstoreaccount1/b247-tls/pc?endpoint=" + azurite.endpoint + "&proxy=" + proxy.uri();
  }

  @Test
  void everyStepGoesThroughTheTunnelWithTheLogin() throws Exception {
    int tunnels = proxy.tunnels.get();
    int forwarded = proxy.forwarded.get();
    Run t = repoTest(url(), credentials("ok.properties", PASSWORD));
    assertEquals(0, t.exit(), t.out());
    for (String step : List.of("connect", "put", "get", "list", "delete")) {
      assertTrue(t.out().lines().anyMatch(l -> l.matches(step + " +ok +[0-9.]+ ms .*")), step + ":\n" + t.out());
    }
    assertTrue(t.out().contains("through the HTTP proxy " + proxy.uri() + " (user " + USER + ")"), t.out());
    assertTrue(proxy.tunnels.get() > tunnels, "HTTPS went through CONNECT tunnels");
    assertEquals(forwarded, proxy.forwarded.get(), "nothing went as plain HTTP");
    assertFalse(t.out().contains(PASSWORD) || t.out().contains(AzuritePeer.KEY), t.out());
  }

  @Test
  void aWrongPasswordFailsTheConnectStepNamingTheProxy() throws Exception {
    Run t = repoTest(url(), credentials("wrong.properties", "wrong-" + PASSWORD));
    assertEquals(1, t.exit(), t.out());
    assertTrue(t.out().contains("test failed at step connect (permanent)"), t.out());
    assertTrue(t.out().contains("HTTP proxy " + proxy.uri() + " refused the login"), t.out());
    assertFalse(t.out().contains("wrong-" + PASSWORD), t.out());
    assertFalse(t.out().contains("Exception") || t.out().contains("ERROR"), "one clear line, no SDK noise:\n"
        + t.out());
  }
}
