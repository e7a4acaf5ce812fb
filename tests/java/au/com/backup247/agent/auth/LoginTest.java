package au.com.backup247.agent.auth;

import static au.com.backup247.agent.auth.AuthHarness.PASSWORD;
import static au.com.backup247.agent.testing.Eventually.eventuallyGet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Logins, sessions and the first start over real HTTP (TEST-MATRIX S10). */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LoginTest {

  @Test
  void firstStart_setupCodeCreatesTheFirstAdmin_once(Vertx vertx, @TempDir Path home) throws Exception {
    AuthHarness h = new AuthHarness(vertx, home);
    Path file = home.resolve("run/setup-code");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("run/api-token"))));
    assertTrue(h.call(HttpMethod.GET, "auth/setup", null).bodyAsJsonObject().getBoolean("needed"));
    String code = Files.readString(file).strip();
    JsonObject body = new JsonObject().put("login", "root-admin").put("password", PASSWORD);

    HttpResponse<Buffer> wrong = h.call(HttpMethod.POST, "auth/setup", body.copy().put("setupCode", "AAAA-BBBB"));
    assertEquals(401, wrong.statusCode(), wrong.bodyAsString());
    HttpResponse<Buffer> weak = h.call(HttpMethod.POST, "auth/setup", body.copy().put("setupCode", code)
        .put("password", "password123"));
    assertEquals(400, weak.statusCode(), weak.bodyAsString());
    assertEquals("password", weak.bodyAsJsonObject().getJsonObject("error").getJsonArray("fields").getJsonObject(0)
        .getString("field"));

    HttpResponse<Buffer> ok = h.call(HttpMethod.POST, "auth/setup", body.copy().put("setupCode", code.toLowerCase()));
    assertEquals(200, ok.statusCode(), ok.bodyAsString());
    assertEquals("admin", ok.bodyAsJsonObject().getJsonObject("user").getString("role"));
    assertEquals(200, h.as(ok.bodyAsJsonObject().getString("token"), HttpMethod.GET, "auth/me", null).statusCode());
    assertFalse(Files.exists(file));
    assertFalse(h.call(HttpMethod.GET, "auth/setup", null).bodyAsJsonObject().getBoolean("needed"));
    assertEquals(409, h.call(HttpMethod.POST, "auth/setup", body.copy().put("setupCode", code)).statusCode());
  }

  @Test
  void login_givesANewSessionEachTime_asBearerAndAsAStrictHttpOnlyCookie(Vertx vertx, @TempDir Path home) {
    AuthHarness h = new AuthHarness(vertx, home);
    h.createUser("alice", "admin", null);
    HttpResponse<Buffer> first = h.login("alice", PASSWORD);
    HttpResponse<Buffer> second = h.login("alice", PASSWORD);
    assertEquals(200, first.statusCode(), first.bodyAsString());
    String t1 = first.bodyAsJsonObject().getString("token");
    String t2 = second.bodyAsJsonObject().getString("token");
    assertNotEquals(t1, t2);
    assertEquals(t1, AuthHarness.cookie(first, "b247_session"));
    String cookie = AuthHarness.setCookie(first, "b247_session");
    assertTrue(cookie.toLowerCase().contains("httponly"), cookie);
    assertTrue(cookie.contains("SameSite=Strict"), cookie);
    assertTrue(cookie.contains("Path=/"), cookie);
    assertFalse(cookie.contains("Secure"), "plain HTTP on loopback: " + cookie);
    assertNull(first.bodyAsJsonObject().getJsonObject("user").getValue("passwordHash"));
    JsonObject me = h.as(t1, HttpMethod.GET, "auth/me", null).bodyAsJsonObject();
    assertEquals("alice", me.getString("login"));
    assertNotNull(me.getJsonObject("lastLogin").getString("ip"));
    assertEquals(200, h.as(t2, HttpMethod.GET, "sets", null).statusCode());
  }

  @Test
  void cookieSession_needsTheCsrfTokenForUnsafeMethods(Vertx vertx, @TempDir Path home) {
    AuthHarness h = new AuthHarness(vertx, home);
    h.createUser("alice", "admin", null);
    HttpResponse<Buffer> login = h.login("alice", PASSWORD);
    String cookie = "b247_session=" + AuthHarness.cookie(login, "b247_session");
    String csrf = login.bodyAsJsonObject().getString("csrfToken");
    assertEquals(200, h.call(HttpMethod.GET, "profile", null, "Cookie", cookie).statusCode());
    JsonObject change = new JsonObject().put("displayName", "Alice A.");
    HttpResponse<Buffer> without = h.call(HttpMethod.PUT, "profile", change, "Cookie", cookie);
    assertEquals(403, without.statusCode(), without.bodyAsString());
    assertTrue(without.bodyAsString().contains("CSRF"), without.bodyAsString());
    assertEquals(403, h.call(HttpMethod.PUT, "profile", change, "Cookie", cookie, "X-CSRF-Token", "guess").statusCode());
    HttpResponse<Buffer> with = h.call(HttpMethod.PUT, "profile", change, "Cookie", cookie, "X-CSRF-Token", csrf);
    assertEquals(200, with.statusCode(), with.bodyAsString());
    assertEquals(csrf, h.call(HttpMethod.GET, "auth/me", null, "Cookie", cookie).bodyAsJsonObject()
        .getString("csrfToken"));
  }

  @Test
  void logout_endsTheSession_andEverywhereEndsTheOthers(Vertx vertx, @TempDir Path home) {
    AuthHarness h = new AuthHarness(vertx, home);
    h.createUser("alice", "user", List.of());
    String a = h.session("alice");
    String b = h.session("alice");
    String c = h.session("alice");
    assertEquals(200, h.as(a, HttpMethod.POST, "auth/logout", new JsonObject()).statusCode());
    assertEquals(401, h.as(a, HttpMethod.GET, "auth/me", null).statusCode());
    assertEquals(200, h.as(b, HttpMethod.GET, "auth/me", null).statusCode());
    assertEquals(200, h.as(b, HttpMethod.POST, "auth/logout", new JsonObject().put("everywhere", true)).statusCode());
    assertEquals(401, h.as(b, HttpMethod.GET, "auth/me", null).statusCode());
    assertEquals(401, h.as(c, HttpMethod.GET, "auth/me", null).statusCode());
  }

  @Test
  void sessions_endWhenIdle_andAfterTheirAbsoluteLifetime(Vertx vertx, @TempDir Path home) {
    AuthHarness h = new AuthHarness(vertx, home, new JsonObject().put("sessionIdleMinutes", 30)
        .put("sessionMaxHours", 2));
    h.createUser("alice", "user", List.of());
    String idle = h.session("alice");
    h.clock.advance(Duration.ofMinutes(29));
    assertEquals(200, h.as(idle, HttpMethod.GET, "auth/me", null).statusCode());
    h.clock.advance(Duration.ofMinutes(31));
    HttpResponse<Buffer> gone = h.as(idle, HttpMethod.GET, "auth/me", null);
    assertEquals(401, gone.statusCode());
    assertTrue(gone.bodyAsString().contains("idle"), gone.bodyAsString());

    String busy = h.session("alice");
    for (int i = 0; i < 4; i++) { // used every 25 minutes: never idle, but 2 hours is the limit
      h.clock.advance(Duration.ofMinutes(25));
      assertEquals(200, h.as(busy, HttpMethod.GET, "auth/me", null).statusCode(), "after " + (i + 1) * 25 + " min");
    }
    h.clock.advance(Duration.ofMinutes(25));
    assertEquals(401, h.as(busy, HttpMethod.GET, "auth/me", null).statusCode(), "after 125 min");
  }

  @Test
  void passwordChange_needsTheCurrentOne_andEndsTheOtherSessions(Vertx vertx, @TempDir Path home) {
    AuthHarness h = new AuthHarness(vertx, home);
    h.createUser("alice", "user", List.of());
    String mine = h.session("alice");
    String other = h.session("alice");
    JsonObject change = new JsonObject().put("current", "not my password").put("password", "a brand new passphrase");
    HttpResponse<Buffer> wrong = h.as(mine, HttpMethod.POST, "profile/password", change);
    assertEquals(400, wrong.statusCode(), wrong.bodyAsString());
    assertEquals(200, h.as(other, HttpMethod.GET, "auth/me", null).statusCode());
    HttpResponse<Buffer> ok = h.as(mine, HttpMethod.POST, "profile/password", change.put("current", PASSWORD));
    assertEquals(200, ok.statusCode(), ok.bodyAsString());
    assertEquals(200, h.as(mine, HttpMethod.GET, "auth/me", null).statusCode());
    assertEquals(401, h.as(other, HttpMethod.GET, "auth/me", null).statusCode());
    assertEquals(401, h.login("alice", PASSWORD).statusCode());
    assertEquals(200, h.login("alice", "a brand new passphrase").statusCode());
  }

  @Test
  void unknownAndKnownLogins_failAlike(Vertx vertx, @TempDir Path home) {
    AuthHarness h = new AuthHarness(vertx, home);
    h.createUser("alice", "user", List.of());
    HttpResponse<Buffer> known = h.login("alice", "wrong password 1");
    HttpResponse<Buffer> unknown = h.login("mallory", "wrong password 1");
    assertEquals(401, known.statusCode());
    assertEquals(known.statusCode(), unknown.statusCode());
    assertEquals(known.bodyAsString(), unknown.bodyAsString());
    assertEquals(AuthHarness.setCookie(known, "b247_session"), AuthHarness.setCookie(unknown, "b247_session"));
  }

  @Test
  void savePassword_isOffUnlessTheAdminAllowsIt(Vertx vertx, @TempDir Path home) {
    AuthHarness off = new AuthHarness(vertx, home);
    off.createUser("alice", "user", List.of());
    HttpResponse<Buffer> r = off.call(HttpMethod.POST, "auth/login", new JsonObject().put("login", "alice")
        .put("password", PASSWORD).put("remember", true));
    assertEquals(403, r.statusCode(), r.bodyAsString());
    assertTrue(r.bodyAsString().contains("auth.allowRememberDevice"), r.bodyAsString());
  }

  @Test
  void aRememberedDevice_replacesThePasswordStep_untilThePasswordChanges(Vertx vertx, @TempDir Path home) {
    AuthHarness h = new AuthHarness(vertx, home, new JsonObject().put("allowRememberDevice", true));
    h.createUser("alice", "user", List.of());
    h.createUser("bob", "user", List.of());
    HttpResponse<Buffer> r = h.call(HttpMethod.POST, "auth/login", new JsonObject().put("login", "bob")
        .put("password", PASSWORD).put("remember", true));
    String remember = r.bodyAsJsonObject().getString("rememberToken");
    assertNotNull(remember, r.bodyAsString());
    assertEquals(401, h.as(remember, HttpMethod.GET, "auth/me", null).statusCode(), "not a session token");
    HttpResponse<Buffer> again = h.call(HttpMethod.POST, "auth/login", new JsonObject().put("login", "bob")
        .put("rememberToken", remember));
    assertEquals(200, again.statusCode(), again.bodyAsString());
    assertEquals(401, h.call(HttpMethod.POST, "auth/login", new JsonObject().put("login", "alice")
        .put("rememberToken", remember)).statusCode(), "bound to its account");
    String s = again.bodyAsJsonObject().getString("token");
    assertEquals(1, h.as(s, HttpMethod.GET, "profile/sessions", null).bodyAsJsonObject().getJsonArray("items").stream()
        .filter(o -> ((JsonObject) o).getString("kind").equals("remembered")).count());
    assertEquals(200, h.as(s, HttpMethod.POST, "profile/password", new JsonObject().put("current", PASSWORD)
        .put("password", "another long passphrase").put("endOtherSessions", false)).statusCode());
    assertEquals(401, h.call(HttpMethod.POST, "auth/login", new JsonObject().put("login", "bob")
        .put("rememberToken", remember)).statusCode(), "a password change forgets remembered devices");
  }

  @Test
  void savePasswordInABrowser_keepsTheTokenInAnHttpOnlyCookie_andTheSetupStateSaysWhetherItIsAllowed(Vertx vertx,
      @TempDir Path home) {
    AuthHarness h = new AuthHarness(vertx, home, new JsonObject().put("allowRememberDevice", true));
    assertEquals(true, h.call(HttpMethod.GET, "auth/setup", null).bodyAsJsonObject().getBoolean("rememberAllowed"));
    h.createUser("bob", "user", List.of());
    HttpResponse<Buffer> r = h.call(HttpMethod.POST, "auth/login", new JsonObject().put("login", "bob")
        .put("password", PASSWORD).put("remember", true).put("cookieOnly", true));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertNull(r.bodyAsJsonObject().getString("rememberToken"), "no token a script could read");
    assertNotNull(r.bodyAsJsonObject().getLong("rememberExpiresAt"));
    String cookie = AuthHarness.cookie(r, "b247_remember");
    assertNotNull(cookie, r.cookies().toString());
    assertTrue(AuthHarness.setCookie(r, "b247_remember").toLowerCase(java.util.Locale.ROOT).contains("httponly"),
        AuthHarness.setCookie(r, "b247_remember"));
    HttpResponse<Buffer> again = h.call(HttpMethod.POST, "auth/login", new JsonObject().put("login", "bob")
        .put("cookieOnly", true), "Cookie", "b247_remember=" + cookie);
    assertEquals(200, again.statusCode(), "the cookie replaces the password: " + again.bodyAsString());
    assertEquals(401, h.call(HttpMethod.POST, "auth/login", new JsonObject().put("login", "bob"), "Cookie",
        "b247_remember=not-the-token").statusCode());
    assertEquals(400, h.call(HttpMethod.POST, "auth/login", new JsonObject().put("login", "bob")).statusCode(),
        "neither a password nor a saved one");

    HttpResponse<Buffer> forget = h.call(HttpMethod.POST, "auth/forget-device", new JsonObject(), "Cookie",
        "b247_remember=" + cookie);
    assertEquals(200, forget.statusCode(), forget.bodyAsString());
    assertEquals(true, forget.bodyAsJsonObject().getBoolean("forgotten"));
    assertTrue(AuthHarness.setCookie(forget, "b247_remember").contains("Max-Age=0"),
        AuthHarness.setCookie(forget, "b247_remember"));
    assertEquals(401, h.call(HttpMethod.POST, "auth/login", new JsonObject().put("login", "bob"), "Cookie",
        "b247_remember=" + cookie).statusCode(), "a forgotten saved password no longer logs in");
    assertEquals(false, h.call(HttpMethod.POST, "auth/forget-device", new JsonObject(), "Cookie",
        "b247_remember=" + cookie).bodyAsJsonObject().getBoolean("forgotten"));
  }

  @Test
  void setupState_saysSavePasswordIsOff_byDefault(Vertx vertx, @TempDir Path home) {
    AuthHarness h = new AuthHarness(vertx, home);
    assertEquals(false, h.call(HttpMethod.GET, "auth/setup", null).bodyAsJsonObject().getBoolean("rememberAllowed"));
  }

  @Test
  void agentJsonContacts_moveToTheFirstAccountsProfile(Vertx vertx, @TempDir Path home) throws Exception {
    Path agentJson = Files.createDirectories(home.resolve("config")).resolve("agent.json");
    JsonObject config = new JsonObject().put("contacts", new io.vertx.core.json.JsonArray()
        .add(new JsonObject().put("name", "Ops").put("email", "ops@example.com")))
        .put("api", new JsonObject().put("port", 7070));
    Files.writeString(agentJson, config.encodePrettily());
    AuthHarness h = new AuthHarness(vertx, home, new JsonObject().put("configFile", agentJson.toString())
        .put("contacts", config.getJsonArray("contacts")));
    JsonObject first = h.createUser("alice", "admin", null);
    assertEquals("ops@example.com", first.getJsonArray("contacts").getJsonObject(0).getString("email"));
    JsonObject after = eventuallyGet(Duration.ofSeconds(20), () -> { // returns once it is seen
      JsonObject now = new JsonObject(Files.readString(agentJson));
      assertFalse(now.containsKey("contacts"), now.encode());
      return now;
    });
    assertEquals(7070, after.getJsonObject("api").getInteger("port"), "the rest of agent.json is kept");
    assertEquals(0, h.createUser("bob", "user", List.of()).getJsonArray("contacts").size(), "only the first");
  }

  @Test
  void messages_comeInTheBrowsersLanguage_thenInTheProfilesLanguage(Vertx vertx, @TempDir Path home) {
    AuthHarness h = new AuthHarness(vertx, home);
    h.createUser("alice", "user", List.of());
    HttpResponse<Buffer> wrong = h.login("alice", "not the password", "Accept-Language", "fr-CA,fr;q=0.9,en;q=0.5");
    assertEquals("nom de connexion ou mot de passe incorrect", wrong.bodyAsJsonObject().getJsonObject("error")
        .getString("message"));
    String s = h.session("alice");
    assertEquals(200, h.as(s, HttpMethod.PUT, "profile", new JsonObject().put("language", "fr")).statusCode());
    HttpResponse<Buffer> refused = h.as(s, HttpMethod.GET, "users", null);
    assertEquals(403, refused.statusCode());
    assertEquals("la gestion des comptes est réservé aux administrateurs ; alice est un utilisateur",
        refused.bodyAsJsonObject().getJsonObject("error").getString("message"));
    assertTrue(h.as(s, HttpMethod.GET, "nothing-here", null).bodyAsJsonObject().getJsonObject("error")
        .getString("message").startsWith("ressource inexistante"));
  }
}
