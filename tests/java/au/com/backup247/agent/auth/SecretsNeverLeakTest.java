package au.com.backup247.agent.auth;

import static au.com.backup247.agent.auth.AuthHarness.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.api.ApiVerticle;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * TEST-MATRIX S14 and issue 10's acceptance: after a session that handles every kind of secret
 * (passwords, the API token, session tokens, a TOTP secret, recovery codes, an SMS passcode, a
 * destination password, the SMS gateway's token), none of them is in any log line (DEBUG included),
 * in any answer of any GET route of openapi.json (as an admin and as a user), or in the catalog in
 * clear. A destination URL that smuggles an ssh option is refused.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SecretsNeverLeakTest {
  private static final String TWILIO_TOKEN = "twilio-auth-token-5up3r-53cr3t";
  private static final String DEST_PASSWORD = "destination-password-77x";
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private Level rootLevel;

  @BeforeEach
  void captureLogs() {
    rootLevel = root.getLevel();
    root.setLevel(Level.DEBUG);
    logs.start();
    root.addAppender(logs);
  }

  @AfterEach
  void releaseLogs() {
    root.detachAppender(logs);
    root.setLevel(rootLevel);
  }

  @Test
  void noSecret_inLogs_answers_orTheCatalog(Vertx vertx, @TempDir Path home) throws Exception {
    try (FakeTwilio twilio = new FakeTwilio(vertx)) {
      Path tokenFile = Files.createDirectories(home.resolve("config")).resolve("twilio.token");
      Files.writeString(tokenFile, TWILIO_TOKEN + "\n");
      Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
      JsonObject sms = new JsonObject().put("enabled", true).put("baseUrl", twilio.baseUrl())
          .put("accountSid", FakeTwilio.SID).put("authTokenFile", "config/twilio.token").put("from", "+15005550006");
      AuthHarness h = new AuthHarness(vertx, home, new JsonObject().put("sms", sms));
      List<String> secrets = new ArrayList<>(List.of(PASSWORD, TWILIO_TOKEN, DEST_PASSWORD, h.token));
      Path src = Files.createDirectories(home.resolve("src"));
      Files.writeString(src.resolve("a.txt"), "a");

      h.createUser("root1", "admin", null);
      h.createUser("alice", "user", List.of(home.toString()));
      String admin = h.session("root1");
      String alice = h.session("alice");
      secrets.add(admin);
      secrets.add(alice);
      JsonObject app = TwoFactorTest.enrol(h, alice);
      secrets.add(app.getString("secret"));
      app.getJsonArray("recoveryCodes").forEach(c -> secrets.add((String) c));
      HttpResponse<Buffer> phone = h.as(alice, HttpMethod.POST, "profile/2fa/sms", new JsonObject().put("name", "M")
          .put("phone", "+61412345689").put("password", PASSWORD));
      assertEquals(200, phone.statusCode(), phone.bodyAsString());
      String passcode = passcode(twilio.lastBody());

      JsonObject set = new JsonObject().put("name", "Alice")
          .put("source", new JsonObject().put("home", src.toString()).put("paths", new JsonArray().add(src.toString())))
          .put("destinations", new JsonArray().add(new JsonObject().put("name", "Office")
              .put("url", "sftp://backup@nas.example:22/srv/b247")));
      HttpResponse<Buffer> created = h.as(admin, HttpMethod.POST, "sets", set);
      assertEquals(201, created.statusCode(), created.bodyAsString());
      long id = created.bodyAsJsonObject().getLong("id");
      assertEquals(200, h.as(admin, HttpMethod.PUT, "sets/" + id + "/destinations/Office/credentials",
          new JsonObject().put("password", DEST_PASSWORD)).statusCode());
      HttpResponse<Buffer> smuggled = h.as(admin, HttpMethod.POST, "sets", set.copy().put("name", "Evil")
          .put("destinations", new JsonArray().add(new JsonObject().put("name", "X")
              .put("url", "sftp://-oProxyCommand=touch%20pwned@nas.example/srv"))));
      assertEquals(400, smuggled.statusCode(), smuggled.bodyAsString());

      for (String session : List.of(admin, alice)) {
        for (String path : getRoutes(id)) {
          String body = h.as(session, HttpMethod.GET, path, null).bodyAsString();
          for (String s : secrets) {
            assertFalse(body.contains(s), "GET " + path + " shows a secret: " + body);
          }
          assertFalse(body.contains("$argon2id$"), "GET " + path + " shows a password hash");
          assertFalse(body.matches("(?s).*\\D" + passcode + "\\D.*"), "GET " + path + " shows the SMS passcode");
        }
      }
      String logText = logs.list.stream().map(e -> e.getFormattedMessage()
          + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getMessage()))
          .collect(Collectors.joining("\n"));
      assertTrue(logs.list.size() > 10, "the flow was logged");
      for (String s : secrets) {
        assertFalse(logText.contains(s), "a secret in the log:\n" + logText);
      }
      assertFalse(logText.matches("(?s).*\\D" + passcode + "\\D.*"), "the SMS passcode in the log:\n" + logText);
      String catalog = new String(Files.readAllBytes(home.resolve("catalog.db")), StandardCharsets.ISO_8859_1)
          + (Files.exists(home.resolve("catalog.db-wal"))
              ? new String(Files.readAllBytes(home.resolve("catalog.db-wal")), StandardCharsets.ISO_8859_1) : "");
      for (String s : secrets) {
        assertFalse(catalog.contains(s), "a secret in clear in the catalog");
      }
    }
  }

  /**
   * Every GET route of openapi.json with its path filled in, but the agent-wide event stream
   * ({@code /events}): it stays open for the next job, so its answer never ends; its events are the
   * JobProgress of {@code GET /jobs/{id}} and {@code /jobs/{id}/events}, which are read here.
   */
  private static List<String> getRoutes(long setId) {
    List<String> out = new ArrayList<>();
    JsonObject paths = new JsonObject(ApiVerticle.openApi()).getJsonObject("paths");
    for (String p : paths.fieldNames()) {
      if (paths.getJsonObject(p).containsKey("get") && !p.endsWith("openapi.json") // a static document
          && !p.equals("/api/v1/events")) {
        out.add(p.replace("/api/v1/", "").replace("{id}", String.valueOf(setId)).replace("{login}", "alice")
            .replaceAll("\\{[A-Za-z]+}", "x") + (p.endsWith("{id}") || p.contains("/sets/{id}/") ? "?destination=Office"
            : ""));
      }
    }
    return out;
  }

  private static String passcode(String sms) {
    Matcher m = Pattern.compile("(\\d{6})").matcher(sms);
    assertTrue(m.find(), sms);
    return m.group(1);
  }
}
