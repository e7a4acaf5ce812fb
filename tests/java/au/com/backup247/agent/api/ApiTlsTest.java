package au.com.backup247.agent.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.config.ConfigException;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.interfaces.ECPublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The API over TLS: certificate generation, the files it checks, and HTTPS on a non-loopback address. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ApiTlsTest {

  private static List<String> sans(X509Certificate c) throws Exception {
    return c.getSubjectAlternativeNames().stream().map(l -> (String) l.get(1)).toList();
  }

  @Test
  void generated_isEcP256For10Years_namingTheHostAndLoopback_withItsFingerprint(@TempDir Path dir) throws Exception {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    X509Certificate c = ApiTls.generate("backup.example.com", dir.resolve("agent.crt"), dir.resolve("agent.key"), now);
    assertEquals(List.of("backup.example.com", "localhost", "127.0.0.1", "0:0:0:0:0:0:0:1"), sans(c));
    assertEquals("EC", c.getPublicKey().getAlgorithm());
    assertEquals(256, ((ECPublicKey) c.getPublicKey()).getParams().getCurve().getField().getFieldSize());
    assertEquals("SHA256withECDSA", c.getSigAlgName());
    assertTrue(c.getNotAfter().toInstant().isAfter(now.plus(Duration.ofDays(3650))));
    assertTrue(c.getNotBefore().toInstant().isBefore(now));
    c.verify(c.getPublicKey()); // self-signed
    for (String f : new String[] {"agent.crt", "agent.key"}) {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(f))), f);
    }
    assertTrue(Files.readString(dir.resolve("agent.key")).startsWith("-----BEGIN PRIVATE KEY-----\n"));
    String expected = HexFormat.ofDelimiter(":").withUpperCase()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(ApiTls.readCertificate(dir.resolve("agent.crt"))
            .getEncoded()));
    assertEquals(expected, ApiTls.fingerprint(c));
    assertEquals(95, expected.length()); // 32 bytes: AB:CD:...
  }

  @Test
  void generatedForAnAddressOrTheWildcard_namesTheAddressOrThisMachine(@TempDir Path dir) throws Exception {
    assertEquals(List.of("192.0.2.7", "localhost", "127.0.0.1", "0:0:0:0:0:0:0:1"),
        sans(ApiTls.generate("192.0.2.7", dir.resolve("a.crt"), dir.resolve("a.key"), Instant.now())));
    List<String> wildcard = ApiTls.subjectAltNames("0.0.0.0");
    assertEquals(java.net.InetAddress.getLocalHost().getHostName().toLowerCase(java.util.Locale.ROOT),
        wildcard.get(0));
    assertTrue(wildcard.containsAll(List.of("localhost", "127.0.0.1", "::1")), wildcard.toString());
    assertFalse(wildcard.contains("0.0.0.0"), wildcard.toString());
  }

  @Test
  void loopback_isRecognisedWithoutDns() {
    for (String h : new String[] {"127.0.0.1", "127.1.2.3", "::1", "localhost", "LOCALHOST"}) {
      assertTrue(ApiTls.isLoopback(h), h);
    }
    for (String h : new String[] {"0.0.0.0", "::", "192.168.1.5", "backup.example.com", "localhost.evil.example"}) {
      assertFalse(ApiTls.isLoopback(h), h);
    }
  }

  @Test
  void prepare_isPlainOnLoopback_andGeneratesOnceElsewhere(@TempDir Path dir) {
    Path tls = dir.resolve("config/tls");
    assertEquals(Optional.empty(), ApiTls.prepare("127.0.0.1", null, null, tls));
    assertFalse(Files.exists(tls));
    ApiTls.Served first = ApiTls.prepare("0.0.0.0", null, null, tls).orElseThrow();
    assertTrue(first.generated());
    assertEquals(tls.resolve("agent.crt"), first.certFile());
    ApiTls.Served again = ApiTls.prepare("0.0.0.0", null, null, tls).orElseThrow();
    assertFalse(again.generated());
    assertEquals(first.fingerprint(), again.fingerprint());
    // a configured certificate is used on loopback too
    ApiTls.Served configured = ApiTls.prepare("127.0.0.1", first.certFile(), first.keyFile(), dir.resolve("x"))
        .orElseThrow();
    assertEquals(first.fingerprint(), configured.fingerprint());
  }

  @Test
  void prepare_namesAMissingFile_orAKeyOfAnotherCertificate(@TempDir Path dir) throws Exception {
    ApiTls.generate("a.example", dir.resolve("a.crt"), dir.resolve("a.key"), Instant.now());
    ApiTls.generate("b.example", dir.resolve("b.crt"), dir.resolve("b.key"), Instant.now());
    ConfigException wrong = assertThrows(ConfigException.class,
        () -> ApiTls.prepare("0.0.0.0", dir.resolve("a.crt"), dir.resolve("b.key"), dir));
    assertEquals("api.tls.keyFile " + dir.resolve("b.key") + " is not the private key of api.tls.certFile "
        + dir.resolve("a.crt"), wrong.getMessage());
    ConfigException missing = assertThrows(ConfigException.class,
        () -> ApiTls.prepare("0.0.0.0", dir.resolve("none.crt"), dir.resolve("a.key"), dir));
    assertEquals("api.tls.certFile " + dir.resolve("none.crt") + " does not exist", missing.getMessage());
    Files.delete(dir.resolve("a.key"));
    Files.move(dir.resolve("a.crt"), dir.resolve("agent.crt"));
    ConfigException half = assertThrows(ConfigException.class, () -> ApiTls.prepare("0.0.0.0", null, null, dir));
    assertTrue(half.getMessage().startsWith("generated key " + dir.resolve("agent.key") + " does not exist"),
        half.getMessage());
  }

  @Test
  void nonLoopbackWithoutTls_isRefusedNamingApiHost(Vertx vertx) {
    Throwable e = assertThrows(Exception.class, () -> vertx.deployVerticle(new ApiVerticle(), new DeploymentOptions()
        .setConfig(new JsonObject().put("host", "0.0.0.0").put("port", 0).put("configFile", "/h/agent.json")))
        .await());
    AgentException a = AgentException.from(e);
    assertEquals(Failure.CONFIG_INVALID, a.failure());
    assertTrue(a.getMessage().startsWith("api.host 0.0.0.0 is not a loopback address: the API is served there only "
        + "over TLS (api.tls.certFile and api.tls.keyFile in /h/agent.json"), a.getMessage());
  }

  @Test
  void onTheWildcardAddress_theApiIsServedOverHttpsOnly(Vertx vertx, @TempDir Path dir) {
    ApiTls.Served tls = ApiTls.prepare("0.0.0.0", null, null, dir).orElseThrow();
    ApiVerticle api = new ApiVerticle();
    vertx.deployVerticle(api, new DeploymentOptions().setConfig(new JsonObject().put("host", "0.0.0.0")
        .put("port", 0).put("tls", tls.toJson()))).await();
    WebClient https = WebClient.create(vertx, new WebClientOptions().setSsl(true)
        .setTrustOptions(new PemTrustOptions().addCertPath(tls.certFile().toString())));
    HttpResponse<Buffer> r = https.get(api.actualPort(), "localhost", "/api/v1/openapi.json").send().await();
    assertEquals(200, r.statusCode());
    assertEquals("3.0.3", r.bodyAsJsonObject().getString("openapi"));
    WebClient plain = WebClient.create(vertx);
    assertThrows(Exception.class, () -> plain.get(api.actualPort(), "127.0.0.1", "/api/v1/openapi.json")
        .timeout(5000).send().await());
  }
}
