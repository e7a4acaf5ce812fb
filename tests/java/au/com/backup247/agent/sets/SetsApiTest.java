package au.com.backup247.agent.sets;

import static au.com.backup247.agent.sets.SetFixtures.minimal;
import static au.com.backup247.agent.sets.SetFixtures.with;
import static au.com.backup247.agent.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.api.ApiTesting;
import au.com.backup247.agent.api.ApiVerticle;
import au.com.backup247.agent.bus.Addresses;
import au.com.backup247.agent.catalog.CatalogVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The sets service and its routes over real HTTP, with a real SQLite catalog. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SetsApiTest {
  static final long NOW = 1_700_000_000_000L;
  private WebClient client;
  private int port;
  private Path home;

  @BeforeEach
  void deploy(Vertx vertx, @TempDir Path dir) {
    home = dir;
    vertx.deployVerticle(new CatalogVerticle(), new DeploymentOptions()
        .setConfig(new JsonObject().put("file", dir.resolve("catalog.db").toString()))).await();
    // a fixed clock: every set is created "in the same millisecond"
    vertx.deployVerticle(new SetsVerticle(Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC)),
        new DeploymentOptions().setConfig(new JsonObject().put("home", dir.toString())
            .put("userHome", "/home/alice").put("owner", "host-1"))).await();
    ApiTesting.deployAuth(vertx, dir);
    ApiVerticle api = new ApiVerticle();
    vertx.deployVerticle(api, new DeploymentOptions().setConfig(new JsonObject().put("port", 0))).await();
    port = api.actualPort();
    client = ApiTesting.authorized(vertx, dir);
  }

  private HttpResponse<Buffer> get(String path) {
    return client.get(port, "127.0.0.1", "/api/v1/" + path).send().await();
  }

  private HttpResponse<Buffer> post(String path, JsonObject body) {
    return client.post(port, "127.0.0.1", "/api/v1/" + path).sendJsonObject(body).await();
  }

  private HttpResponse<Buffer> put(String path, JsonObject body) {
    return client.put(port, "127.0.0.1", "/api/v1/" + path).sendJsonObject(body).await();
  }

  private HttpResponse<Buffer> delete(String path) {
    return client.delete(port, "127.0.0.1", "/api/v1/" + path).send().await();
  }

  private JsonObject created(JsonObject body) {
    HttpResponse<Buffer> r = post("sets", body);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  private static JsonObject error(HttpResponse<Buffer> r, int status, String code) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    JsonObject err = r.bodyAsJsonObject().getJsonObject("error");
    assertEquals(code, err.getString("code"), r.bodyAsString());
    assertFalse(err.getString("message").isBlank());
    return err;
  }

  private static List<String> fields(JsonObject err) {
    List<String> out = new ArrayList<>();
    err.getJsonArray("fields").forEach(f -> out.add(((JsonObject) f).getString("field")));
    return out;
  }

  private List<Path> keyFiles() throws Exception {
    try (Stream<Path> s = Files.list(home.resolve("keys"))) {
      return s.filter(p -> p.toString().endsWith(".key")).toList();
    }
  }

  @Test
  void create_returnsTheKeyOnce_andGetAndListNever() throws Exception {
    JsonObject set = created(minimal("Docs"));
    long id = set.getLong("id");
    assertEquals(NOW, id);
    String key = set.getString("encryptionKey");
    assertEquals(44, key.length());
    assertEquals(32, Base64.getDecoder().decode(key).length);
    assertEquals("host-1", set.getString("owner"));
    assertEquals("/home/alice", set.getJsonObject("source").getString("home"));

    HttpResponse<Buffer> one = get("sets/" + id);
    assertEquals(200, one.statusCode());
    assertNull(one.bodyAsJsonObject().getValue("encryptionKey"));
    assertFalse(one.bodyAsString().contains(key));
    JsonObject expected = set.copy();
    expected.remove("encryptionKey");
    assertEquals(expected, one.bodyAsJsonObject());
    assertFalse(get("sets").bodyAsString().contains(key));
    BackupSet model = SetJson.decodeSet(one.bodyAsJsonObject(), SetFixtures.DEFAULTS).value().orElseThrow();
    assertEquals(id, model.id());
    assertEquals("Docs", model.settings().name());
    assertEquals(Encryption.DEFAULT, model.settings().encryption());

    Path keyFile = home.resolve("keys").resolve(id + ".key");
    assertEquals(key + "\n", Files.readString(keyFile));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("keys"))));
    for (String f : List.of("catalog.db", "catalog.db-wal")) {
      Path p = home.resolve(f);
      if (Files.exists(p)) {
        assertFalse(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).contains(key), f);
      }
    }
  }

  @Test
  void changes_arePublishedOnTheBus(Vertx vertx) {
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.EVENT_SET_CHANGED, m -> events.add(m.body())).completion().await();
    long id = created(minimal("Docs")).getLong("id");
    post("sets/" + id + "/rename", new JsonObject().put("name", "D2"));
    delete("sets/" + id);
    // the events reach the consumer on its own event loop: wait for three, then compare them all
    eventually(Duration.ofSeconds(10), () -> assertTrue(events.size() >= 3, "changes published: " + events));
    assertEquals(List.of("created", "renamed", "deleted"), events.stream().map(e -> e.getString("change")).toList());
    assertTrue(events.stream().allMatch(e -> e.getLong("id") == id));
  }

  @Test
  void unmask_returnsTheKeyOfTheSet() {
    JsonObject set = created(minimal("Docs"));
    HttpResponse<Buffer> r = post("sets/" + set.getLong("id") + "/key/unmask", new JsonObject());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(set.getString("encryptionKey"), r.bodyAsJsonObject().getString("encryptionKey"));
    error(post("sets/999/key/unmask", new JsonObject()), 404, "not_found");
  }

  @Test
  void customKey_isStoredAndUnmasked_asGiven() throws Exception {
    JsonObject body = with(with(minimal("Docs"), "encryption.type", "custom"), "encryption.key", "my long custom key");
    JsonObject set = created(body);
    assertEquals("my long custom key", set.getString("encryptionKey"));
    assertNull(set.getJsonObject("encryption").getValue("key"));
    assertEquals("my long custom key\n", Files.readString(home.resolve("keys").resolve(set.getLong("id") + ".key")));
  }

  @Test
  void encryptionOff_hasNoKey() {
    JsonObject set = created(with(minimal("Docs"), "encryption", new JsonObject().put("enabled", false)));
    assertNull(set.getValue("encryptionKey"));
    error(post("sets/" + set.getLong("id") + "/key/unmask", new JsonObject()), 404, "not_found");
  }

  @Test
  void setsCreatedInTheSameMillisecond_getConsecutiveIds() {
    assertEquals(NOW, created(minimal("A")).getLong("id"));
    assertEquals(NOW + 1, created(minimal("B")).getLong("id"));
  }

  @Test
  void keyFileLeftByAnUnfinishedCreate_isNeverOverwritten() throws Exception {
    Files.createDirectories(home.resolve("keys"));
    Files.writeString(home.resolve("keys").resolve(NOW + ".key"), "orphan\n");
    JsonObject set = created(minimal("Docs"));
    assertEquals(NOW + 1, set.getLong("id"));
    assertEquals("orphan\n", Files.readString(home.resolve("keys").resolve(NOW + ".key")));
  }

  @Test
  void duplicateName_ignoringCase_is409_andLeavesNoKeyBehind() throws Exception {
    created(minimal("Docs"));
    JsonObject err = error(post("sets", minimal("DOCS")), 409, "conflict");
    assertTrue(err.getString("message").contains("\"Docs\""), err.getString("message"));
    assertEquals(1, keyFiles().size());
    assertEquals(1, get("sets").bodyAsJsonObject().getJsonArray("items").size());
  }

  @Test
  void invalidSet_is400WithEveryBadField() {
    JsonObject body = with(with(minimal(""), "schedules", new JsonArray().add(new JsonObject()
        .put("name", "S").put("type", "daily").put("every", "7m"))), "encryption.mode", "ecb");
    JsonObject err = error(post("sets", body), 400, "validation");
    assertEquals(List.of("name", "schedules[0].every", "encryption.mode"), fields(err));
    assertTrue(err.getString("message").contains("3 invalid settings"), err.getString("message"));
  }

  @Test
  void bodyThatIsNotAnObject_orABadId_is400() {
    HttpResponse<Buffer> r = client.post(port, "127.0.0.1", "/api/v1/sets").putHeader("Content-Type",
        "application/json").sendBuffer(Buffer.buffer("[1,2")).await();
    error(r, 400, "bad_request");
    error(get("sets/abc"), 400, "bad_request");
    error(get("sets/0"), 400, "bad_request");
    error(get("sets?limit=0"), 400, "bad_request");
  }

  @Test
  void update_replacesSettings_butNotTheEncryption() {
    JsonObject set = created(minimal("Docs"));
    String path = "sets/" + set.getLong("id");
    JsonObject body = get(path).bodyAsJsonObject();
    JsonObject err = error(put(path, with(body, "encryption.mode", "cbc")), 400, "validation");
    assertEquals(List.of("encryption.mode"), fields(err));
    error(put(path, with(body, "encryption.key", "another key!")), 400, "validation");
    error(put(path, with(body, "id", 42)), 400, "validation");

    JsonObject changed = with(with(body, "name", "Documents"), "others.compression", "none");
    HttpResponse<Buffer> r = put(path, changed);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject now = get(path).bodyAsJsonObject();
    assertEquals("Documents", now.getString("name"));
    assertEquals("none", now.getJsonObject("others").getString("compression"));
    assertEquals(body.getJsonObject("encryption"), now.getJsonObject("encryption"));
    assertEquals(set.getLong("createdAt"), now.getLong("createdAt"));
    error(put("sets/12345", body), 404, "not_found");
  }

  @Test
  void rename_changesOnlyTheName_andKeepsNamesUnique() {
    JsonObject a = created(minimal("A"));
    created(minimal("B"));
    String path = "sets/" + a.getLong("id");
    HttpResponse<Buffer> r = post(path + "/rename", new JsonObject().put("name", "Alpha"));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject now = get(path).bodyAsJsonObject();
    assertEquals("Alpha", now.getString("name"));
    assertEquals(a.getJsonObject("source"), now.getJsonObject("source"));
    error(post(path + "/rename", new JsonObject().put("name", "b")), 409, "conflict");
    assertEquals(List.of("name"), fields(error(post(path + "/rename", new JsonObject().put("name", " ")), 400,
        "validation")));
    // renaming to its own name in another case is fine
    assertEquals(200, post(path + "/rename", new JsonObject().put("name", "ALPHA")).statusCode());
  }

  @Test
  void delete_removesTheSet_andKeepsItsKeyAside() throws Exception {
    JsonObject set = created(minimal("Docs"));
    long id = set.getLong("id");
    HttpResponse<Buffer> r = delete("sets/" + id);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    Path kept = Path.of(r.bodyAsJsonObject().getString("keyKeptAt"));
    assertEquals(set.getString("encryptionKey") + "\n", Files.readString(kept));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(kept)));
    assertFalse(Files.exists(home.resolve("keys").resolve(id + ".key")));
    error(get("sets/" + id), 404, "not_found");
    error(delete("sets/" + id), 404, "not_found");
    // the name is free again
    created(minimal("Docs"));
  }

  @Test
  void list_isKeysetPaginated_visitingEverySetOnceInIdOrder() {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(created(minimal("Set " + i)).getLong("id"));
    }
    List<Long> seen = new ArrayList<>();
    String after = null;
    int pages = 0;
    do {
      JsonObject page = get("sets?limit=2" + (after == null ? "" : "&after=" + after)).bodyAsJsonObject();
      page.getJsonArray("items").forEach(o -> {
        JsonObject s = (JsonObject) o;
        assertNotNull(s.getJsonObject("source"));
        seen.add(s.getLong("id"));
      });
      after = page.getValue("next") == null ? null : String.valueOf(page.getLong("next"));
      pages++;
    } while (after != null);
    assertEquals(ids, seen);
    assertEquals(3, pages);
  }

  @Test
  void list_byName_findsTheOneSetIgnoringCase_orNone() {
    created(minimal("Photos"));
    long id = created(minimal("My Docs")).getLong("id");
    JsonArray found = get("sets?name=my%20DOCS").bodyAsJsonObject().getJsonArray("items");
    assertEquals(1, found.size(), found.encode());
    assertEquals(id, found.getJsonObject(0).getLong("id"));
    assertEquals("My Docs", found.getJsonObject(0).getString("name"));
    assertTrue(get("sets?name=Docs").bodyAsJsonObject().getJsonArray("items").isEmpty(), "whole names only");
  }
}
