package au.com.backup247.agent.sets;

import static au.com.backup247.agent.sets.SetFixtures.minimal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.api.ApiTesting;
import au.com.backup247.agent.api.ApiVerticle;
import au.com.backup247.agent.bus.Addresses;
import au.com.backup247.agent.catalog.CatalogVerticle;
import au.com.backup247.agent.catalog.SetRow;
import au.com.backup247.agent.destination.Credentials;
import au.com.backup247.agent.home.PrivateFiles;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Destination credentials through {@code /api/v1/sets/{id}/destinations/{name}/credentials}, over
 * real HTTP with a real catalog and real files: stored 0600 for one set, never returned, following
 * a renamed destination, retired with the set, and moved out of the old shared credentialsRef files.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SetCredentialsApiTest {
  static final String SECRET = "correct horse battery staple";
  static final String KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n"
      + "-----END OPENSSH PRIVATE KEY-----\n";
  private WebClient client;
  private int port;
  private Path home;

  private void deploy(Vertx vertx, Path dir) {
    home = dir;
    vertx.deployVerticle(new SetsVerticle(), new DeploymentOptions().setConfig(new JsonObject()
        .put("home", dir.toString()).put("userHome", "/home/alice").put("owner", "host-1"))).await();
    ApiTesting.deployAuth(vertx, dir);
    ApiVerticle api = new ApiVerticle();
    vertx.deployVerticle(api, new DeploymentOptions().setConfig(new JsonObject().put("port", 0))).await();
    port = api.actualPort();
    client = ApiTesting.authorized(vertx, dir);
  }

  private static void catalog(Vertx vertx, Path dir) {
    vertx.deployVerticle(new CatalogVerticle(), new DeploymentOptions()
        .setConfig(new JsonObject().put("file", dir.resolve("catalog.db").toString()))).await();
  }

  private HttpResponse<Buffer> send(String method, String path, JsonObject body) {
    var req = client.request(io.vertx.core.http.HttpMethod.valueOf(method), port, "127.0.0.1", "/api/v1/" + path);
    return (body == null ? req.send() : req.sendJsonObject(body)).await();
  }

  private static JsonObject set(String name) {
    JsonObject s = minimal(name);
    s.getJsonArray("destinations").add(new JsonObject().put("name", "Office NAS")
        .put("url", "sftp://backup@nas.example:22/srv/b247"))
        .add(new JsonObject().put("name", "Cloud").put("url", "s3://bucket/b247?region=us-east-1"));
    return s;
  }

  private long create(JsonObject body) {
    HttpResponse<Buffer> r = send("POST", "sets", body);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getLong("id");
  }

  private static List<String> fields(HttpResponse<Buffer> r) {
    assertEquals(400, r.statusCode(), r.bodyAsString());
    JsonObject err = r.bodyAsJsonObject().getJsonObject("error");
    assertEquals("validation", err.getString("code"), r.bodyAsString());
    List<String> out = new ArrayList<>();
    err.getJsonArray("fields").forEach(f -> out.add(((JsonObject) f).getString("field")));
    return out;
  }

  private static JsonObject dest(JsonObject set, String name) {
    for (Object o : set.getJsonArray("destinations")) {
      if (((JsonObject) o).getString("name").equals(name)) {
        return (JsonObject) o;
      }
    }
    throw new AssertionError("no destination " + name + " in " + set.encode());
  }

  private List<Path> filesUnder(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).toList();
    }
  }

  @Test
  void put_storesThemOwnerOnlyForTheSet_andNoAnswerEverCarriesThem(Vertx vertx, @TempDir Path dir) throws Exception {
    catalog(vertx, dir);
    deploy(vertx, dir);
    long id = create(set("Docs"));
    HttpResponse<Buffer> r = send("PUT", "sets/" + id + "/destinations/office%20nas/credentials", new JsonObject()
        .put("password", SECRET).put("host-key-fingerprint", "SHA256:abc"));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(new JsonObject().put("id", id).put("destination", "Office NAS").put("credentials", "stored"),
        r.bodyAsJsonObject());

    Path file = new SetCredentials(home.resolve("credentials")).file(id, "Office NAS");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    Credentials c = new SetCredentials(home.resolve("credentials")).load(id, "Office NAS");
    assertEquals(SECRET, c.password().orElseThrow());
    assertEquals("SHA256:abc", c.hostKeyFingerprint().orElseThrow());

    JsonObject got = send("GET", "sets/" + id, null).bodyAsJsonObject();
    assertEquals("stored", dest(got, "Office NAS").getString("credentials"));
    assertNull(dest(got, "Cloud").getValue("credentials"));
    String list = send("GET", "sets", null).bodyAsString();
    assertTrue(list.contains("\"credentials\":\"stored\""), list);
    assertFalse(list.contains(SECRET) || got.encode().contains(SECRET));
    // another set naming the same destination has nothing stored
    long other = create(set("Other"));
    assertNull(dest(send("GET", "sets/" + other, null).bodyAsJsonObject(), "Office NAS").getValue("credentials"));
    assertFalse(new SetCredentials(home.resolve("credentials")).load(other, "Office NAS").password().isPresent());
    // GET's JSON can be PUT back unchanged ("credentials" is read-only)
    assertEquals(200, send("PUT", "sets/" + id, got).statusCode());
  }

  @Test
  void anIdentityKey_isStoredAsItsOwnFile_andAFileNameIsRefused(Vertx vertx, @TempDir Path dir) throws Exception {
    catalog(vertx, dir);
    deploy(vertx, dir);
    long id = create(set("Docs"));
    String path = "sets/" + id + "/destinations/Office%20NAS/credentials";
    assertEquals(List.of("identity-file"), fields(send("PUT", path, new JsonObject()
        .put("identity-file", "/root/.ssh/id_ed25519"))));
    assertEquals(200, send("PUT", path, new JsonObject().put("identity-key", KEY)
        .put("identity-passphrase", "pp")).statusCode());
    SetCredentials files = new SetCredentials(home.resolve("credentials"));
    Credentials c = files.load(id, "Office NAS");
    Path identity = c.identityFile().orElseThrow();
    assertEquals(files.file(id, "Office NAS").getParent(), identity.getParent());
    assertEquals(KEY, Files.readString(identity));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(identity)));
    // replacing them with a password removes the key file
    assertEquals(200, send("PUT", path, new JsonObject().put("password", SECRET)).statusCode());
    assertFalse(Files.exists(identity));
  }

  @Test
  void keysTheDestinationDoesNotTake_orBadValues_areRefusedOneFieldEach(Vertx vertx, @TempDir Path dir) {
    catalog(vertx, dir);
    deploy(vertx, dir);
    long id = create(set("Docs"));
    String sftp = "sets/" + id + "/destinations/Office%20NAS/credentials";
    assertEquals(List.of("access-key", "password"), fields(send("PUT", sftp, new JsonObject()
        .put("access-key", "AKIA").put("password", 42))));
    assertEquals(List.of("password"), fields(send("PUT", sftp, new JsonObject().put("password", "a\nb"))));
    assertEquals(List.of("identity-key"), fields(send("PUT", sftp, new JsonObject().put("identity-key", "not a key"))));
    assertEquals(List.of("credentials"), fields(send("PUT", sftp, new JsonObject())));
    assertEquals(List.of("credentials"), fields(send("PUT", sftp, new JsonObject().put("identity-passphrase", "x"))));
    String s3 = "sets/" + id + "/destinations/Cloud/credentials";
    HttpResponse<Buffer> half = send("PUT", s3, new JsonObject().put("access-key", "AKIA"));
    assertEquals(List.of("credentials"), fields(half));
    assertTrue(half.bodyAsString().contains("access-key but no secret-key"), half.bodyAsString());
    HttpResponse<Buffer> local = send("PUT", "sets/" + id + "/destinations/Local-1/credentials",
        new JsonObject().put("password", SECRET));
    assertTrue(fields(local).contains("credentials") && local.bodyAsString().contains("local folder"));
    assertFalse(local.bodyAsString().contains(SECRET));

    HttpResponse<Buffer> unknown = send("PUT", "sets/" + id + "/destinations/Nowhere/credentials",
        new JsonObject().put("password", SECRET));
    assertEquals(404, unknown.statusCode());
    assertTrue(unknown.bodyAsString().contains("no destination named \\\"Nowhere\\\""), unknown.bodyAsString());
    assertEquals(404, send("PUT", "sets/99/destinations/Cloud/credentials", new JsonObject()).statusCode());
    assertEquals(400, send("PUT", "sets/x/destinations/Cloud/credentials", new JsonObject()).statusCode());
  }

  @Test
  void delete_removesThem_thenIs404(Vertx vertx, @TempDir Path dir) {
    catalog(vertx, dir);
    deploy(vertx, dir);
    long id = create(set("Docs"));
    String path = "sets/" + id + "/destinations/Cloud/credentials";
    assertEquals(200, send("PUT", path, new JsonObject().put("access-key", "AKIA").put("secret-key", SECRET))
        .statusCode());
    HttpResponse<Buffer> r = send("DELETE", path, null);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertNull(dest(send("GET", "sets/" + id, null).bodyAsJsonObject(), "Cloud").getValue("credentials"));
    assertEquals(404, send("DELETE", path, null).statusCode());
  }

  @Test
  void anUpdate_movesThemWithARenamedDestination_andDropsThoseOfARemovedOne(Vertx vertx, @TempDir Path dir)
      throws Exception {
    catalog(vertx, dir);
    deploy(vertx, dir);
    long id = create(set("Docs"));
    send("PUT", "sets/" + id + "/destinations/Office%20NAS/credentials", new JsonObject().put("password", SECRET));
    send("PUT", "sets/" + id + "/destinations/Cloud/credentials", new JsonObject().put("access-key", "AKIA")
        .put("secret-key", SECRET));
    JsonObject s = send("GET", "sets/" + id, null).bodyAsJsonObject();
    JsonArray dests = new JsonArray().add(s.getJsonArray("destinations").getJsonObject(0))
        .add(dest(s, "Office NAS").copy().put("name", "Basement NAS")); // renamed; Cloud removed
    HttpResponse<Buffer> r = send("PUT", "sets/" + id, s.put("destinations", dests));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals("stored", dest(r.bodyAsJsonObject(), "Basement NAS").getString("credentials"));
    SetCredentials files = new SetCredentials(home.resolve("credentials"));
    assertEquals(SECRET, files.load(id, "Basement NAS").password().orElseThrow());
    assertEquals(List.of(files.file(id, "Basement NAS")), filesUnder(home.resolve("credentials")));
  }

  @Test
  void deletingTheSet_retiresItsCredentialsWithItsKey(Vertx vertx, @TempDir Path dir) throws Exception {
    catalog(vertx, dir);
    deploy(vertx, dir);
    long id = create(set("Docs"));
    send("PUT", "sets/" + id + "/destinations/Office%20NAS/credentials", new JsonObject().put("password", SECRET));
    assertEquals(200, send("DELETE", "sets/" + id, null).statusCode());
    assertFalse(Files.exists(home.resolve("credentials/" + id)));
    List<Path> kept = filesUnder(home.resolve("credentials/deleted"));
    assertEquals(1, kept.size(), kept.toString());
    assertTrue(kept.get(0).getParent().getFileName().toString().startsWith(id + "-"), kept.toString());
  }

  @Test
  void credentialsRef_isRefusedOnInput(Vertx vertx, @TempDir Path dir) {
    catalog(vertx, dir);
    deploy(vertx, dir);
    JsonObject s = set("Docs");
    s.getJsonArray("destinations").getJsonObject(1).put("credentialsRef", "office");
    HttpResponse<Buffer> r = send("POST", "sets", s);
    assertEquals(List.of("destinations[1].credentialsRef"), fields(r));
    assertTrue(r.bodyAsString().contains("b247 set credentials"), r.bodyAsString());
  }

  @Test
  void aSetStoredWithCredentialsRef_getsItsOwnCopyAtStart_andLosesTheRef(Vertx vertx, @TempDir Path dir)
      throws Exception {
    catalog(vertx, dir);
    PrivateFiles.write(dir.resolve("credentials/office"), ("password=" + SECRET + "\nidentity-file=keys/id\n")
        .getBytes(StandardCharsets.UTF_8));
    JsonObject settings = SetJson.encodeSettings(SetJson.decodeCreate(set("Old"), SetFixtures.DEFAULTS)
        .value().orElseThrow().settings());
    settings.remove("name");
    settings.getJsonArray("destinations").getJsonObject(1).put("credentialsRef", "office");
    settings.getJsonArray("destinations").getJsonObject(2).put("credentialsRef", "gone");
    vertx.eventBus().request(Addresses.CATALOG_SETS_INSERT, new SetRow(5, "Old", settings.encode(), 1, 2).toJson())
        .await();

    deploy(vertx, dir);
    JsonObject got = send("GET", "sets/5", null).bodyAsJsonObject();
    assertEquals("stored", dest(got, "Office NAS").getString("credentials"));
    assertNull(dest(got, "Office NAS").getValue("credentialsRef"));
    assertEquals("gone", dest(got, "Cloud").getString("credentialsRef")); // no file: left for the user, with a message
    Credentials c = new SetCredentials(dir.resolve("credentials")).load(5, "Office NAS");
    assertEquals(SECRET, c.password().orElseThrow());
    assertEquals(dir.resolve("credentials/keys/id"), c.identityFile().orElseThrow()); // relative to the old file
    assertEquals(Map.of("password", SECRET, "identity-file", "keys/id"),
        Credentials.readFile(dir.resolve("credentials/office"))); // the old file is left in place
  }
}
