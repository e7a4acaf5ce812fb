package au.com.backup247.agent.auth;

import static au.com.backup247.agent.auth.AuthHarness.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The account features answer in the reader's language over real HTTP (docs/SECURITY.md §8): the
 * caller's profile language, or before a login the browser's Accept-Language. Field names, codes
 * and statuses do not change with it.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LanguagesTest {

  private static JsonObject error(HttpResponse<Buffer> r) {
    return r.bodyAsJsonObject().getJsonObject("error");
  }

  /** The message of the one bad field of a 400 answer, after checking which field it is. */
  private static String field(HttpResponse<Buffer> r, String name) {
    assertEquals(400, r.statusCode(), r.bodyAsString());
    assertEquals("validation", error(r).getString("code"));
    JsonObject f = error(r).getJsonArray("fields").getJsonObject(0);
    assertEquals(name, f.getString("field"), r.bodyAsString());
    return f.getString("message");
  }

  private static JsonObject fr(String login, String role, Path folder) {
    return new JsonObject().put("login", login).put("password", PASSWORD).put("role", role).put("language", "fr")
        .put("folders", new JsonArray(folder == null ? List.of() : List.of(folder.toString())));
  }

  @Test
  void firstRunSetup_refusesAWeakPasswordAndABadLoginName_inTheBrowsersLanguage(Vertx vertx, @TempDir Path home)
      throws Exception {
    AuthHarness h = new AuthHarness(vertx, home);
    String code = Files.readString(home.resolve("run/setup-code")).strip();
    JsonObject body = new JsonObject().put("setupCode", code).put("login", "root").put("password", "password123");
    assertEquals("les mots de passe doivent compter au moins 10 caractères (au plus 1024), ne pas figurer dans la "
        + "liste des mots de passe courants et ne pas être le nom de connexion ; celui-ci figure dans la liste des "
        + "mots de passe courants", field(h.call(HttpMethod.POST, "auth/setup", body, "Accept-Language", "fr-FR,fr;q=0.9"),
            "password"));
    assertEquals("« system » est réservé à l'agent lui-même", field(h.call(HttpMethod.POST, "auth/setup",
        body.copy().put("login", "system"), "Accept-Language", "fr"), "login"));
    assertTrue(field(h.call(HttpMethod.POST, "auth/setup", body), "password").startsWith("passwords need at least 10 "
        + "characters"), "no Accept-Language: English");
  }

  @Test
  void accountManagement_answersInTheAdminsLanguage(Vertx vertx, @TempDir Path home) {
    AuthHarness h = new AuthHarness(vertx, home);
    assertEquals(201, h.local(HttpMethod.POST, "users", fr("root", "admin", null)).statusCode());
    String root = h.session("root");
    JsonObject weak = new JsonObject().put("login", "zqx7").put("password", "ZQX7");
    assertTrue(field(h.as(root, HttpMethod.POST, "users", weak), "password").endsWith(" ; celui-ci ne compte que "
        + "4 caractères et est le nom de connexion"));
    assertTrue(field(h.local(HttpMethod.POST, "users", weak), "password").endsWith("; this one has only 4 characters "
        + "and is the login name"), "the local token reads English");
    assertEquals("doit valoir admin ou user, reçu « boss »", field(h.as(root, HttpMethod.POST, "users",
        new JsonObject().put("login", "bob").put("password", PASSWORD).put("role", "boss")), "role"));
    assertEquals("doit être l'une des langues [en, fr], reçu « de »", field(h.as(root, HttpMethod.POST, "users",
        new JsonObject().put("login", "bob").put("password", PASSWORD).put("language", "de")), "language"));
    HttpResponse<Buffer> none = h.as(root, HttpMethod.GET, "users/nobody", null);
    assertEquals(404, none.statusCode());
    assertEquals("aucun compte ne s'appelle « nobody »", error(none).getString("message"));
    HttpResponse<Buffer> last = h.as(root, HttpMethod.DELETE, "users/root", null);
    assertEquals(409, last.statusCode(), last.bodyAsString());
    assertEquals("« root » est le seul administrateur ; nommez d'abord un autre compte administrateur",
        error(last).getString("message"));
  }

  @Test
  void profileAndSecondFactorRefusals_followTheProfilesLanguage_asItChanges(Vertx vertx, @TempDir Path home) {
    AuthHarness h = new AuthHarness(vertx, home);
    assertEquals(201, h.local(HttpMethod.POST, "users", fr("alice", "user", null)).statusCode());
    String s = h.session("alice");
    JsonObject mars = new JsonObject().put("timeZone", "Mars/Olympus");
    assertEquals("n'est pas un identifiant de fuseau horaire (p. ex. Australia/Sydney), reçu « Mars/Olympus »",
        field(h.as(s, HttpMethod.PUT, "profile", mars), "timeZone"));
    assertEquals("doit être une adresse électronique, reçu « nowhere »", field(h.as(s, HttpMethod.PUT, "profile",
        new JsonObject().put("contacts", new JsonArray().add(new JsonObject().put("email", "nowhere")))),
        "contacts[0].email"));
    assertEquals("n'est pas le mot de passe actuel", field(h.as(s, HttpMethod.POST, "profile/password",
        new JsonObject().put("current", "not it at all").put("password", "a brand new passphrase")), "current"));
    assertEquals("ajoutez et confirmez d'abord un authentificateur", field(h.as(s, HttpMethod.PUT, "profile/2fa",
        new JsonObject().put("enabled", true).put("password", PASSWORD)), "enabled"));
    assertEquals("doit compter de 1 à 64 caractères, p. ex. « Téléphone d'Alice »", field(h.as(s, HttpMethod.POST,
        "profile/2fa/totp", new JsonObject().put("name", "").put("password", PASSWORD)), "name"));
    assertEquals("n'est pas le mot de passe du compte", field(h.as(s, HttpMethod.POST, "profile/2fa/totp",
        new JsonObject().put("name", "Pixel").put("password", "not it")), "password"));

    assertEquals(200, h.as(s, HttpMethod.PUT, "profile", new JsonObject().put("language", "en")).statusCode());
    assertEquals("is not a time zone id (e.g. Australia/Sydney), got \"Mars/Olympus\"",
        field(h.as(s, HttpMethod.PUT, "profile", mars), "timeZone"), "the next request reads the new language");
  }

  @Test
  void aUsersSetAndRestore_areRefusedInFrench(Vertx vertx, @TempDir Path dir) throws Exception {
    AuthHarness h = new AuthHarness(vertx, dir.resolve("agent"));
    Path mine = Files.createDirectories(dir.resolve("home/alice"));
    Files.createDirectories(mine.resolve("docs"));
    assertEquals(201, h.local(HttpMethod.POST, "users", fr("alice", "user", mine)).statusCode());
    String alice = h.session("alice");
    JsonObject set = new JsonObject().put("name", "Docs")
        .put("source", new JsonObject().put("home", mine.resolve("docs").toString())
            .put("paths", new JsonArray().add(mine.resolve("docs").toString())))
        .put("destinations", new JsonArray().add(new JsonObject().put("name", "Local")
            .put("url", "file://" + mine.resolve("backup"))));
    HttpResponse<Buffer> cmd = h.as(alice, HttpMethod.POST, "sets", set.copy().put("preBackupCommands",
        new JsonArray().add(new JsonObject().put("name", "x").put("workingDirectory", mine.toString())
            .put("command", "id"))));
    assertEquals(403, cmd.statusCode(), cmd.bodyAsString());
    assertEquals("forbidden", error(cmd).getString("code"));
    assertEquals("seul un administrateur peut définir des commandes avant et après la sauvegarde (elles s'exécutent "
        + "sous l'utilisateur de l'agent)", error(cmd).getString("message"));
    HttpResponse<Buffer> temp = h.as(alice, HttpMethod.POST, "sets", set.copy().put("others",
        new JsonObject().put("tempDirectory", "/etc")));
    assertEquals(403, temp.statusCode(), temp.bodyAsString());
    assertEquals("le dossier temporaire /etc se trouve hors de vos dossiers [" + mine + "]",
        error(temp).getString("message"));

    HttpResponse<Buffer> created = h.as(alice, HttpMethod.POST, "sets", set);
    assertEquals(201, created.statusCode(), created.bodyAsString());
    HttpResponse<Buffer> restore = h.as(alice, HttpMethod.POST, "sets/" + created.bodyAsJsonObject().getLong("id")
        + "/restore", new JsonObject().put("destination", "Local").put("target", "/tmp"));
    assertEquals(403, restore.statusCode(), restore.bodyAsString());
    assertEquals("la restauration vers /tmp sortirait de vos dossiers [" + mine + "] ; seul un administrateur peut y "
        + "restaurer", error(restore).getString("message"));
  }

  @Test
  void smsPasscodes_areSentAndRefusedInFrench(Vertx vertx, @TempDir Path home) throws Exception {
    try (FakeTwilio twilio = new FakeTwilio(vertx)) { // Twilio cannot be reached from here: its API on loopback
      Path tokenFile = Files.createDirectories(home.resolve("config")).resolve("twilio.token");
      Files.writeString(tokenFile, "twilio-auth-token-123\n");
      Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
      JsonObject sms = new JsonObject().put("enabled", true).put("baseUrl", twilio.baseUrl())
          .put("accountSid", FakeTwilio.SID).put("authTokenFile", "config/twilio.token").put("from", "+15005550006");
      AuthHarness h = new AuthHarness(vertx, home, new JsonObject().put("sms", sms));
      assertEquals(201, h.local(HttpMethod.POST, "users", fr("alice", "user", null)).statusCode());
      String s = h.session("alice");
      assertEquals("doit être un numéro au format international, p. ex. +61412345678", field(h.as(s, HttpMethod.POST,
          "profile/2fa/sms", new JsonObject().put("name", "Mobile").put("phone", "0412").put("password", PASSWORD)),
          "phone"));
      HttpResponse<Buffer> added = h.as(s, HttpMethod.POST, "profile/2fa/sms", new JsonObject().put("name", "Mobile")
          .put("phone", "+61412345689").put("password", PASSWORD));
      assertEquals(200, added.statusCode(), added.bodyAsString());
      String text = twilio.lastBody();
      assertTrue(text.matches("Code B247 Agent : \\d{6}\\. Il expire dans 5 minutes ; ne le communiquez à personne\\."),
          "the SMS is in the account's language: " + text);
      Matcher m = Pattern.compile("\\d{6}").matcher(text);
      assertTrue(m.find(), text);
      String passcode = m.group();
      String confirm = "profile/2fa/authenticators/" + added.bodyAsJsonObject().getString("id") + "/confirm";
      assertEquals("n'est pas le code envoyé (incorrect)", field(h.as(s, HttpMethod.POST, confirm,
          new JsonObject().put("code", passcode.equals("000000") ? "111111" : "000000")), "code"));
      assertEquals(200, h.as(s, HttpMethod.POST, confirm, new JsonObject().put("code", passcode)).statusCode());

      JsonObject tf = h.login("alice", PASSWORD).bodyAsJsonObject().getJsonObject("twoFactor");
      JsonObject send = new JsonObject().put("challenge", tf.getString("challenge"))
          .put("authenticator", tf.getJsonArray("sms").getJsonObject(0).getString("id"));
      assertEquals(200, h.call(HttpMethod.POST, "auth/2fa/sms", send).statusCode());
      HttpResponse<Buffer> tooSoon = h.call(HttpMethod.POST, "auth/2fa/sms", send, "Accept-Language", "fr");
      assertEquals(429, tooSoon.statusCode(), tooSoon.bodyAsString());
      assertEquals("un nouveau code pourra être envoyé dans 30 s", error(tooSoon).getString("message"),
          "before the login completes: the browser's language");
      assertEquals("a new passcode can be sent in 30 s", error(h.call(HttpMethod.POST, "auth/2fa/sms", send))
          .getString("message"));
    }
  }
}
