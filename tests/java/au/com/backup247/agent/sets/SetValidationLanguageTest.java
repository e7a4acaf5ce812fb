package au.com.backup247.agent.sets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.auth.AuthHarness;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup set's field errors come in the language of whoever reads them: the account's profile
 * language (French here), English for the local token; the field paths stay as they are.
 */
@ExtendWith(VertxExtension.class)
class SetValidationLanguageTest {

  @Test
  void fieldErrorsOfABadSet_areInTheReadersLanguage(Vertx vertx, @TempDir Path home) {
    AuthHarness h = new AuthHarness(vertx, home);
    String session = frenchAdmin(h);
    JsonObject bad = new JsonObject().put("name", " ").put("destinations", new JsonArray())
        .put("schedules", new JsonArray().add(new JsonObject().put("name", "nightly").put("type", "daily")
            .put("at", "25:00")))
        .put("retention", new JsonObject().put("type", "simple").put("keepDays", 0));

    HttpResponse<Buffer> fr = h.as(session, HttpMethod.POST, "sets", bad);
    assertEquals(400, fr.statusCode(), fr.bodyAsString());
    Map<String, String> frFields = fields(fr);
    assertEquals("ne doit pas être vide", frFields.get("name"), frFields.toString());
    assertEquals("ajoutez au moins une destination", frFields.get("destinations"), frFields.toString());
    assertEquals("doit être HH:MM (00:00..23:59), reçu 25:00", frFields.get("schedules[0].at"), frFields.toString());
    assertEquals("doit être de 1..365 jours, reçu 0", frFields.get("retention.keepDays"), frFields.toString());
    String summary = fr.bodyAsJsonObject().getJsonObject("error").getString("message");
    assertTrue(summary.startsWith("les réglages comptent " + frFields.size() + " réglages invalides : "), summary);
    assertTrue(!fr.bodyAsString().contains("\"key\""), "the bundle keys stay inside: " + fr.bodyAsString());

    HttpResponse<Buffer> en = h.local(HttpMethod.POST, "sets", bad);
    Map<String, String> enFields = fields(en);
    assertEquals("must not be blank", enFields.get("name"));
    assertEquals("must be HH:MM (00:00..23:59), got 25:00", enFields.get("schedules[0].at"));
    assertEquals("must be 1..365 days, got 0", enFields.get("retention.keepDays"));
    assertEquals(frFields.keySet(), enFields.keySet(), "the same fields, whatever the language");
  }

  @Test
  void refusalsOfTheSetsAndQueries_areInTheReadersLanguage_acrossTheBus(Vertx vertx, @TempDir Path home) {
    AuthHarness h = new AuthHarness(vertx, home);
    String session = frenchAdmin(h);

    HttpResponse<Buffer> missing = h.as(session, HttpMethod.GET, "sets/424242", null);
    assertEquals(404, missing.statusCode(), missing.bodyAsString());
    assertEquals("aucun jeu de sauvegarde avec l'id 424242", message(missing));
    HttpResponse<Buffer> badKind = h.as(session, HttpMethod.GET, "jobs?kind=holiday", null);
    assertEquals(400, badKind.statusCode(), badKind.bodyAsString());
    assertEquals("le paramètre kind doit être backup, restore ou space-freeing, reçu « holiday »", message(badKind));
    HttpResponse<Buffer> badLimit = h.as(session, HttpMethod.GET, "sets?limit=0", null);
    assertEquals("le paramètre limit doit être entre 1 et 1000, reçu 0", message(badLimit));

    assertEquals("no backup set with id 424242", message(h.local(HttpMethod.GET, "sets/424242", null)));
  }

  @Test
  void refusalsOfBackupsAndRestores_areInTheReadersLanguage(Vertx vertx, @TempDir Path home) throws Exception {
    AuthHarness h = new AuthHarness(vertx, home);
    String session = frenchAdmin(h);
    java.nio.file.Path src = java.nio.file.Files.createDirectories(home.resolve("src"));
    java.nio.file.Path dest = java.nio.file.Files.createDirectories(home.resolve("dest"));
    JsonObject set = new JsonObject().put("name", "Docs")
        .put("source", new JsonObject().put("home", src.toString()).put("paths", new JsonArray().add(src.toString())))
        .put("destinations", new JsonArray().add(new JsonObject().put("name", "Local-1").put("url", "file://" + dest)));
    HttpResponse<Buffer> created = h.local(HttpMethod.POST, "sets", set);
    assertEquals(201, created.statusCode(), created.bodyAsString());
    long id = created.bodyAsJsonObject().getLong("id");

    HttpResponse<Buffer> cancel = h.as(session, HttpMethod.POST, "sets/" + id + "/backup/cancel", new JsonObject());
    assertEquals(409, cancel.statusCode(), cancel.bodyAsString());
    assertEquals("le jeu de sauvegarde " + id + " n'a pas de sauvegarde en cours", message(cancel));
    HttpResponse<Buffer> restore = h.as(session, HttpMethod.POST, "sets/" + id + "/restore",
        new JsonObject().put("destination", "Nowhere").put("target", "original"));
    assertEquals(400, restore.statusCode(), restore.bodyAsString());
    assertEquals("« Nowhere » n'est pas une destination du jeu de sauvegarde " + id + " (il a : [Local-1])",
        message(restore));
    assertEquals("backup set " + id + " has no backup running",
        message(h.local(HttpMethod.POST, "sets/" + id + "/backup/cancel", new JsonObject())));
  }

  /** A session of an admin whose profile language is French. */
  private static String frenchAdmin(AuthHarness h) {
    h.createUser("marie", "admin", null);
    String session = h.session("marie");
    assertEquals(200, h.as(session, HttpMethod.PUT, "profile", new JsonObject().put("language", "fr")).statusCode());
    return session;
  }

  private static String message(HttpResponse<Buffer> r) {
    return r.bodyAsJsonObject().getJsonObject("error").getString("message");
  }

  private static Map<String, String> fields(HttpResponse<Buffer> r) {
    return r.bodyAsJsonObject().getJsonObject("error").getJsonArray("fields").stream().map(JsonObject.class::cast)
        .collect(Collectors.toMap(f -> f.getString("field"), f -> f.getString("message")));
  }
}
