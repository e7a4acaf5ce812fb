package au.com.backup247.agent.auth;

import static au.com.backup247.agent.auth.AuthHarness.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two-factor authentication end to end over HTTP (TEST-MATRIX S8, S9, S10): an authenticator app
 * enrolled from its otpauth URI, logins with codes the test computes from the secret (RFC 6238, the
 * auth service's clock moved by the test), replay, recovery codes, SMS passcodes through a loopback
 * server speaking Twilio's Messages API, and what a half-logged-in caller can reach.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TwoFactorTest {

  /** Enrols an authenticator app for {@code login}; returns its secret (base32) and the recovery codes. */
  static JsonObject enrol(AuthHarness h, String session) {
    HttpResponse<Buffer> added = h.as(session, HttpMethod.POST, "profile/2fa/totp", new JsonObject()
        .put("name", "Pixel").put("password", PASSWORD));
    assertEquals(200, added.statusCode(), added.bodyAsString());
    JsonObject a = added.bodyAsJsonObject();
    assertTrue(a.getString("otpauthUri").startsWith("otpauth://totp/B247%20Agent:"), a.getString("otpauthUri"));
    assertTrue(a.getString("otpauthUri").contains("secret=" + a.getString("secret")));
    assertTrue(a.getString("qrSvg").startsWith("<svg"), a.getString("qrSvg"));
    HttpResponse<Buffer> confirmed = h.as(session, HttpMethod.POST, "profile/2fa/authenticators/" + a.getString("id")
        + "/confirm", new JsonObject().put("code", code(h, a.getString("secret"), 0)));
    assertEquals(200, confirmed.statusCode(), confirmed.bodyAsString());
    JsonObject c = confirmed.bodyAsJsonObject();
    assertTrue(c.getBoolean("enabled"));
    assertEquals(10, c.getJsonArray("recoveryCodes").size());
    return new JsonObject().put("secret", a.getString("secret")).put("recoveryCodes", c.getJsonArray("recoveryCodes"))
        .put("id", a.getString("id"));
  }

  /** The code of the authenticator app {@code steps} periods from the auth service's now. */
  static String code(AuthHarness h, String base32, int steps) {
    Totp t = new Totp(h.clock);
    return t.code(Totp.fromBase32(base32), t.currentStep() + steps);
  }

  private static String challenge(AuthHarness h, String login) {
    HttpResponse<Buffer> r = h.login(login, PASSWORD);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject tf = r.bodyAsJsonObject().getJsonObject("twoFactor");
    assertNotNull(tf, "2FA is on: " + r.bodyAsString());
    assertTrue(r.bodyAsJsonObject().getString("token") == null && r.cookies().isEmpty(), "no session yet");
    return tf.getString("challenge");
  }

  private static HttpResponse<Buffer> second(AuthHarness h, String challenge, String method, String code) {
    return h.call(HttpMethod.POST, "auth/2fa", new JsonObject().put("challenge", challenge).put("method", method)
        .put("code", code));
  }

  @Test
  void totp_loginNeedsTheCurrentCode_eachCodeWorksOnce(Vertx vertx, @TempDir Path home) {
    AuthHarness h = new AuthHarness(vertx, home);
    h.createUser("alice", "admin", null);
    JsonObject app = enrol(h, h.session("alice"));
    h.clock.advance(Duration.ofSeconds(30));

    String c1 = challenge(h, "alice");
    assertEquals(401, h.as(c1, HttpMethod.GET, "users", null).statusCode(), "half logged in reaches nothing");
    assertEquals(401, h.as(c1, HttpMethod.GET, "auth/me", null).statusCode());
    assertEquals(401, second(h, c1, "totp", code(h, app.getString("secret"), -3)).statusCode(), "90 s old");
    String now = code(h, app.getString("secret"), 0);
    HttpResponse<Buffer> ok = second(h, c1, "totp", now);
    assertEquals(200, ok.statusCode(), ok.bodyAsString());
    String session = ok.bodyAsJsonObject().getString("token");
    assertEquals(200, h.as(session, HttpMethod.GET, "users", null).statusCode());
    assertEquals("Pixel", h.as(session, HttpMethod.GET, "auth/me", null).bodyAsJsonObject()
        .getJsonObject("lastLogin").getString("device"));

    String c2 = challenge(h, "alice");
    assertEquals(401, second(h, c2, "totp", now).statusCode(), "the same code again (S8 replay)");
    assertEquals(401, second(h, c2, "totp", code(h, app.getString("secret"), -1)).statusCode(),
        "an older code after a newer one was used");
    h.clock.advance(Duration.ofSeconds(30));
    assertEquals(200, second(h, c2, "totp", code(h, app.getString("secret"), 0)).statusCode(), "the next code");
  }

  @Test
  void aChallenge_diesAfterFiveWrongCodes_andWrongCodesAreThrottledPerAccount(Vertx vertx, @TempDir Path home) {
    AuthHarness h = new AuthHarness(vertx, home);
    h.createUser("alice", "user", List.of());
    JsonObject app = enrol(h, h.session("alice"));
    String c = challenge(h, "alice");
    for (int i = 0; i < 5; i++) {
      HttpResponse<Buffer> r = second(h, c, "totp", "000000");
      assertTrue(r.statusCode() == 401 || r.statusCode() == 429, r.bodyAsString());
      h.clock.advance(Duration.ofSeconds(61));
    }
    HttpResponse<Buffer> dead = second(h, c, "totp", code(h, app.getString("secret"), 0));
    assertEquals(401, dead.statusCode());
    assertTrue(dead.bodyAsString().contains("log in again"), dead.bodyAsString());

    int throttled = 0;
    for (int i = 0; i < 12; i++) { // fresh challenges do not reset the count (S8: attempts limited and persisted)
      String next = challenge(h, "alice");
      throttled += second(h, next, "totp", "123456").statusCode() == 429 ? 1 : 0;
    }
    assertTrue(throttled > 5, "wrong codes are counted per account: " + throttled);
  }

  @Test
  void recoveryCodes_logInOnce_eachAndOnlyAsHashes(Vertx vertx, @TempDir Path home) throws Exception {
    AuthHarness h = new AuthHarness(vertx, home);
    h.createUser("alice", "user", List.of());
    JsonObject app = enrol(h, h.session("alice"));
    String rc = app.getJsonArray("recoveryCodes").getString(3);
    HttpResponse<Buffer> ok = second(h, challenge(h, "alice"), "recovery", rc.toLowerCase().replace("-", " "));
    assertEquals(200, ok.statusCode(), ok.bodyAsString());
    assertEquals(9, h.as(ok.bodyAsJsonObject().getString("token"), HttpMethod.GET, "profile/2fa", null)
        .bodyAsJsonObject().getInteger("recoveryCodesLeft"));
    assertEquals(401, second(h, challenge(h, "alice"), "recovery", rc).statusCode(), "used once (S9)");

    String catalog = new String(Files.readAllBytes(home.resolve("catalog.db")), StandardCharsets.ISO_8859_1)
        + (Files.exists(home.resolve("catalog.db-wal"))
            ? new String(Files.readAllBytes(home.resolve("catalog.db-wal")), StandardCharsets.ISO_8859_1) : "");
    for (Object code : app.getJsonArray("recoveryCodes")) {
      assertFalse(catalog.contains((String) code), "recovery code in clear in the catalog");
    }
    assertFalse(catalog.contains(app.getString("secret")), "TOTP secret in clear in the catalog");
    assertFalse(catalog.contains(PASSWORD), "password in clear in the catalog");
  }

  @Test
  void anAdmin_resetsALostSecondFactor(Vertx vertx, @TempDir Path home) {
    AuthHarness h = new AuthHarness(vertx, home);
    h.createUser("alice", "user", List.of());
    enrol(h, h.session("alice"));
    challenge(h, "alice");
    assertEquals(200, h.local(HttpMethod.POST, "users/alice/reset-2fa", new JsonObject()).statusCode());
    HttpResponse<Buffer> r = h.login("alice", PASSWORD);
    assertNotNull(r.bodyAsJsonObject().getString("token"), "password alone again: " + r.bodyAsString());
  }

  @Test
  void changes_needThePassword_andTwoFactorOffKeepsTheAuthenticators(Vertx vertx, @TempDir Path home) {
    AuthHarness h = new AuthHarness(vertx, home);
    h.createUser("alice", "user", List.of());
    String s = h.session("alice");
    JsonObject app = enrol(h, s);
    assertNotNull(h.login("alice", PASSWORD).bodyAsJsonObject().getJsonObject("twoFactor"),
        "after enrolment a login needs the second factor");
    HttpResponse<Buffer> noPw = h.as(s, HttpMethod.PUT, "profile/2fa", new JsonObject().put("enabled", false));
    assertEquals(400, noPw.statusCode(), noPw.bodyAsString());
    HttpResponse<Buffer> off = h.as(s, HttpMethod.PUT, "profile/2fa", new JsonObject().put("enabled", false)
        .put("password", PASSWORD));
    assertEquals(200, off.statusCode(), off.bodyAsString());
    assertEquals(1, off.bodyAsJsonObject().getJsonArray("authenticators").size(), "the guide: off keeps devices");
    assertNotNull(h.login("alice", PASSWORD).bodyAsJsonObject().getString("token"));
    assertEquals(200, h.as(s, HttpMethod.POST, "profile/2fa/authenticators/" + app.getString("id") + "/remove",
        new JsonObject().put("password", PASSWORD)).statusCode());
  }

  @Test
  void sms_passcodeThroughATwilioCompatibleGateway(Vertx vertx, @TempDir Path home) throws Exception {
    try (FakeTwilio twilio = new FakeTwilio(vertx)) {
      Path tokenFile = Files.createDirectories(home.resolve("config")).resolve("twilio.token");
      Files.writeString(tokenFile, "twilio-auth-token-123\n");
      Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
      JsonObject sms = new JsonObject().put("enabled", true).put("provider", "twilio").put("baseUrl", twilio.baseUrl())
          .put("accountSid", FakeTwilio.SID).put("authTokenFile", "config/twilio.token").put("from", "+15005550006");
      AuthHarness h = new AuthHarness(vertx, home, new JsonObject().put("sms", sms));
      h.createUser("alice", "user", List.of());
      String s = h.session("alice");
      HttpResponse<Buffer> added = h.as(s, HttpMethod.POST, "profile/2fa/sms", new JsonObject().put("name", "Mobile")
          .put("phone", "+61 412 345 689").put("password", PASSWORD));
      assertEquals(200, added.statusCode(), added.bodyAsString());
      assertEquals("+61 4•• ••• •89", added.bodyAsJsonObject().getString("phone"));
      assertEquals("+61412345689", twilio.seen.get(0).form().get("To"));
      assertEquals(30, added.bodyAsJsonObject().getInteger("resendIn"));
      assertEquals(3, added.bodyAsJsonObject().getInteger("resendsLeft"));
      String enrolment = "profile/2fa/authenticators/" + added.bodyAsJsonObject().getString("id");
      String first = passcode(twilio);
      HttpResponse<Buffer> early = h.as(s, HttpMethod.POST, enrolment + "/resend", new JsonObject());
      assertEquals(429, early.statusCode(), "a resend waits 30 s: " + early.bodyAsString());
      h.clock.advance(Duration.ofSeconds(31));
      HttpResponse<Buffer> resent = h.as(s, HttpMethod.POST, enrolment + "/resend", new JsonObject());
      assertEquals(200, resent.statusCode(), resent.bodyAsString());
      assertEquals(2, resent.bodyAsJsonObject().getInteger("resendsLeft"));
      assertEquals("+61 4•• ••• •89", resent.bodyAsJsonObject().getString("phone"));
      assertEquals(2, twilio.seen.size(), "a second message went out");
      String second = passcode(twilio);
      if (!second.equals(first)) {
        assertEquals(400, h.as(s, HttpMethod.POST, enrolment + "/confirm", new JsonObject().put("code", first))
            .statusCode(), "the first passcode died with the resend");
      }
      HttpResponse<Buffer> confirmed = h.as(s, HttpMethod.POST, enrolment + "/confirm",
          new JsonObject().put("code", second));
      assertEquals(200, confirmed.statusCode(), confirmed.bodyAsString());

      HttpResponse<Buffer> login = h.login("alice", PASSWORD);
      JsonObject tf = login.bodyAsJsonObject().getJsonObject("twoFactor");
      assertEquals(new JsonArray().add("sms").add("recovery"), tf.getJsonArray("methods"));
      JsonObject target = tf.getJsonArray("sms").getJsonObject(0);
      JsonObject send = new JsonObject().put("challenge", tf.getString("challenge")).put("authenticator",
          target.getString("id"));
      HttpResponse<Buffer> sent = h.call(HttpMethod.POST, "auth/2fa/sms", send);
      assertEquals(200, sent.statusCode(), sent.bodyAsString());
      assertEquals(300, sent.bodyAsJsonObject().getInteger("expiresIn"));
      assertEquals(30, sent.bodyAsJsonObject().getInteger("resendIn"));
      HttpResponse<Buffer> tooSoon = h.call(HttpMethod.POST, "auth/2fa/sms", send);
      assertEquals(429, tooSoon.statusCode(), tooSoon.bodyAsString());
      String code = passcode(twilio);
      assertEquals(401, second(h, tf.getString("challenge"), "sms", "000000").statusCode());
      HttpResponse<Buffer> ok = second(h, tf.getString("challenge"), "sms", code);
      assertEquals(200, ok.statusCode(), ok.bodyAsString());
      assertFalse(ok.bodyAsString().contains(code) || sent.bodyAsString().contains(code), "the passcode is not echoed");
    }
  }

  private static String passcode(FakeTwilio twilio) {
    Matcher m = Pattern.compile("(\\d{6})").matcher(twilio.lastBody());
    assertTrue(m.find(), twilio.lastBody());
    return m.group(1);
  }
}
