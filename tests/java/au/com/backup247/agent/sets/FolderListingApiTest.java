package au.com.backup247.agent.sets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.auth.AuthHarness;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** GET /api/v1/files: the folder browser of the console, with a user kept inside their folders. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FolderListingApiTest {
  private AuthHarness h;
  private Path aliceHome;
  private Path outside;
  private String alice;
  private String admin;

  @BeforeEach
  void accounts(Vertx vertx, @TempDir Path dir) throws Exception {
    h = new AuthHarness(vertx, dir.resolve("agent"));
    aliceHome = Files.createDirectories(dir.resolve("home/alice"));
    Files.createDirectories(aliceHome.resolve("Documents/sub"));
    Files.writeString(aliceHome.resolve("Documents/a.txt"), "hello");
    Files.writeString(aliceHome.resolve("<img src=x onerror=alert(1)>"), "x");
    outside = Files.createDirectories(dir.resolve("elsewhere"));
    Files.writeString(outside.resolve("secret.txt"), "not alice's");
    Files.createSymbolicLink(aliceHome.resolve("escape"), outside);
    h.createUser("alice", "user", List.of(aliceHome.toString()));
    h.createUser("root", "admin", null);
    alice = h.session("alice");
    admin = h.session("root");
  }

  private HttpResponse<Buffer> list(String session, String path) {
    return h.as(session, HttpMethod.GET, path == null ? "files"
        : "files?path=" + URLEncoder.encode(path, StandardCharsets.UTF_8), null);
  }

  @Test
  void withoutPath_aUserStartsAtTheirFolders_withTheShortcutsOfTheirHome() {
    HttpResponse<Buffer> r = list(alice, null);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject body = r.bodyAsJsonObject();
    assertEquals(aliceHome.toString(), body.getString("home"));
    assertEquals(aliceHome.toString(), body.getJsonArray("entries").getJsonObject(0).getString("path"));
    assertEquals(1, body.getJsonArray("entries").size());
    JsonObject documents = shortcut(body.getJsonArray("shortcuts"), "documents");
    assertEquals(aliceHome.resolve("Documents").toString(), documents.getString("path"));
    assertTrue(documents.getBoolean("exists"));
    assertFalse(shortcut(body.getJsonArray("shortcuts"), "pictures").getBoolean("exists"));
    assertEquals("/", list(admin, null).bodyAsJsonObject().getJsonArray("entries").getJsonObject(0).getString("path"));
  }

  private static JsonObject shortcut(JsonArray shortcuts, String name) {
    return shortcuts.stream().map(JsonObject.class::cast).filter(s -> name.equals(s.getString("shortcut")))
        .findFirst().orElseThrow();
  }

  @Test
  void aFolder_listsFoldersFirst_withKindSizeAndTime_andLinksAsLinks() {
    HttpResponse<Buffer> r = list(alice, aliceHome.resolve("Documents").toString());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonArray entries = r.bodyAsJsonObject().getJsonArray("entries");
    assertEquals("sub", entries.getJsonObject(0).getString("name"));
    assertEquals("folder", entries.getJsonObject(0).getString("kind"));
    JsonObject file = entries.getJsonObject(1);
    assertEquals("a.txt", file.getString("name"));
    assertEquals("file", file.getString("kind"));
    assertEquals(5L, file.getLong("size"));
    assertTrue(file.getLong("modified") > 0);
    JsonArray home = list(alice, aliceHome.toString()).bodyAsJsonObject().getJsonArray("entries");
    JsonObject link = home.stream().map(JsonObject.class::cast).filter(e -> "escape".equals(e.getString("name")))
        .findFirst().orElseThrow();
    assertEquals("link", link.getString("kind"));
    assertEquals(outside.toString(), link.getString("target"));
    assertTrue(home.encode().contains("<img src=x onerror=alert(1)>"), "names come back as they are");
  }

  @Test
  void aUser_isRefusedOutsideTheirFolders_alsoThroughALink_orDotDot() {
    for (String p : List.of("/etc", outside.toString(), aliceHome.resolve("escape").toString(),
        aliceHome.resolve("escape/").toString())) {
      HttpResponse<Buffer> r = list(alice, p);
      assertEquals(403, r.statusCode(), p + ": " + r.bodyAsString());
      assertTrue(r.bodyAsString().contains(p.replaceAll("/$", "")), "names the path: " + r.bodyAsString());
      assertFalse(r.bodyAsString().contains("secret.txt"), r.bodyAsString());
    }
    for (String p : List.of(aliceHome + "/../../elsewhere", aliceHome + "/./Documents", "relative/path", "~")) {
      HttpResponse<Buffer> r = list(alice, p);
      assertEquals(400, r.statusCode(), p + ": " + r.bodyAsString());
      assertTrue(r.bodyAsString().contains(p), "names the path: " + r.bodyAsString());
    }
    assertEquals(200, list(admin, outside.toString()).statusCode(), "an admin sees the machine");
    assertEquals(200, list(admin, aliceHome.resolve("escape").toString()).statusCode());
  }

  @Test
  void aMissingFolder_orAFile_isAnErrorNamingIt() {
    HttpResponse<Buffer> missing = list(alice, aliceHome.resolve("nope").toString());
    assertEquals(404, missing.statusCode(), missing.bodyAsString());
    assertTrue(missing.bodyAsString().contains(aliceHome.resolve("nope").toString()));
    HttpResponse<Buffer> file = list(alice, aliceHome.resolve("Documents/a.txt").toString());
    assertEquals(400, file.statusCode(), file.bodyAsString());
    assertTrue(file.bodyAsString().contains("a.txt"), file.bodyAsString());
  }

  @Test
  void withoutCredentials_nothingIsListed() {
    assertEquals(401, h.call(HttpMethod.GET, "files?path=%2F", null).statusCode());
  }
}
