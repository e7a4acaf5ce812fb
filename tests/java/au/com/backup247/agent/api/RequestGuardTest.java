package au.com.backup247.agent.api;

import static au.com.backup247.agent.auth.AuthHarness.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.auth.AuthHarness;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attacks of issue 10 from outside: DNS rebinding (a foreign Host), a cross-site POST riding a
 * cookie session, a {@code text/plain} body parsed as JSON, and a set with a pre-backup command from
 * a web page (TEST-MATRIX S11 with authentication on).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RequestGuardTest {

  @Test
  void dnsRebinding_aForeignHostIsRefused_evenWithTheToken(Vertx vertx, @TempDir Path home) {
    AuthHarness h = new AuthHarness(vertx, home);
    HttpResponse<Buffer> r = h.call(HttpMethod.GET, "sets", null, "Host", "attacker.example:7070",
        "Authorization", "Bearer " + h.token);
    assertEquals(403, r.statusCode(), r.bodyAsString());
    assertTrue(r.bodyAsString().contains("attacker.example"), r.bodyAsString());
    assertEquals(403, h.call(HttpMethod.GET, "/", null, "Host", "attacker.example").statusCode(), "console too");
    assertEquals(403, h.call(HttpMethod.GET, "health", null, "Host", "rebind.attacker.example").statusCode());
    for (String ok : List.of("localhost:7070", "127.0.0.1", "[::1]:7070", "192.168.1.20:7070")) {
      assertEquals(200, h.call(HttpMethod.GET, "sets", null, "Host", ok, "Authorization", "Bearer " + h.token)
          .statusCode(), ok);
    }
  }

  @Test
  void allowedHosts_nameTheAgentsOtherNames(Vertx vertx, @TempDir Path home) {
    AuthHarness h = new AuthHarness(vertx, home, new JsonObject(), new JsonObject()
        .put("allowedHosts", new JsonArray().add("backup.example.com")));
    assertEquals(200, h.call(HttpMethod.GET, "health", null, "Host", "backup.example.com:7070").statusCode());
    assertEquals(403, h.call(HttpMethod.GET, "health", null, "Host", "other.example.com").statusCode());
  }

  @Test
  void crossSitePost_withACookieSession_isRefused_andCreatesNothing(Vertx vertx, @TempDir Path home) throws Exception {
    AuthHarness h = new AuthHarness(vertx, home);
    h.createUser("admin1", "admin", null);
    HttpResponse<Buffer> login = h.login("admin1", PASSWORD);
    String cookie = "b247_session=" + AuthHarness.cookie(login, "b247_session");
    String csrf = login.bodyAsJsonObject().getString("csrfToken");
    Path marker = home.resolve("pwned");
    JsonObject set = evilSet(home, marker);

    HttpResponse<Buffer> foreign = h.call(HttpMethod.POST, "sets", set, "Cookie", cookie, "X-CSRF-Token", csrf,
        "Origin", "http://attacker.example");
    assertEquals(403, foreign.statusCode(), foreign.bodyAsString());
    HttpResponse<Buffer> crossSite = h.call(HttpMethod.POST, "sets", set, "Cookie", cookie, "Sec-Fetch-Site",
        "cross-site");
    assertEquals(403, crossSite.statusCode(), crossSite.bodyAsString());
    HttpResponse<Buffer> plain = h.call(HttpMethod.POST, "sets", set, "Cookie", cookie, "Content-Type", "text/plain",
        "Origin", "http://attacker.example");
    assertEquals(403, plain.statusCode(), plain.bodyAsString());
    HttpResponse<Buffer> noCsrf = h.call(HttpMethod.POST, "sets", set, "Cookie", cookie);
    assertEquals(403, noCsrf.statusCode(), noCsrf.bodyAsString());

    assertEquals(0, h.local(HttpMethod.GET, "sets", null).bodyAsJsonObject().getJsonArray("items").size());
    assertTrue(!Files.exists(marker));
    HttpResponse<Buffer> own = h.call(HttpMethod.POST, "sets", set, "Cookie", cookie, "X-CSRF-Token", csrf,
        "Origin", "http://127.0.0.1:" + h.port);
    assertEquals(201, own.statusCode(), "the console's own origin works: " + own.bodyAsString());
  }

  @Test
  void textPlainBody_isNeverParsedAsJson(Vertx vertx, @TempDir Path home) {
    AuthHarness h = new AuthHarness(vertx, home);
    HttpResponse<Buffer> r = h.call(HttpMethod.POST, "sets", evilSet(home, home.resolve("x")),
        "Authorization", "Bearer " + h.token, "Content-Type", "text/plain");
    assertEquals(415, r.statusCode(), r.bodyAsString());
    assertEquals(415, h.call(HttpMethod.POST, "auth/login", new JsonObject().put("login", "a").put("password", "b"),
        "Content-Type", "application/x-www-form-urlencoded").statusCode());
  }

  @Test
  void allowedOrigins_getCorsHeaders_othersNone(Vertx vertx, @TempDir Path home) {
    AuthHarness h = new AuthHarness(vertx, home, new JsonObject(), new JsonObject()
        .put("allowedOrigins", new JsonArray().add("https://console.example.com")));
    HttpResponse<Buffer> pre = h.call(HttpMethod.OPTIONS, "sets", null, "Origin", "https://console.example.com",
        "Access-Control-Request-Method", "POST");
    assertEquals(204, pre.statusCode());
    assertEquals("https://console.example.com", pre.getHeader("Access-Control-Allow-Origin"));
    HttpResponse<Buffer> other = h.call(HttpMethod.GET, "health", null, "Origin", "https://evil.example.com");
    assertEquals(403, other.statusCode());
    assertNull(other.getHeader("Access-Control-Allow-Origin"));
  }

  /** The set of the reported attack: its pre-backup command would create {@code marker}. */
  static JsonObject evilSet(Path home, Path marker) {
    return new JsonObject().put("name", "Innocent")
        .put("source", new JsonObject().put("home", home.toString()).put("paths", new JsonArray().add(home.toString())))
        .put("destinations", new JsonArray().add(new JsonObject().put("name", "L").put("url", "file://" + home
            .resolve("dest"))))
        .put("preBackupCommands", new JsonArray().add(new JsonObject().put("name", "x")
            .put("workingDirectory", home.toString()).put("command", "touch " + marker)));
  }
}
