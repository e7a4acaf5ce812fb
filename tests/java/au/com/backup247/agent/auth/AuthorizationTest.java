package au.com.backup247.agent.auth;

import static au.com.backup247.agent.testing.Eventually.eventuallyGet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Who may see and do what: users their own sets, reports and folders; admins everything. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AuthorizationTest {
  private AuthHarness h;
  private Path aliceHome;
  private String alice;
  private String bob;
  private String admin;

  @BeforeEach
  void accounts(Vertx vertx, @TempDir Path dir) throws Exception {
    h = new AuthHarness(vertx, dir.resolve("agent"));
    aliceHome = Files.createDirectories(dir.resolve("home/alice"));
    Files.writeString(Files.createDirectories(aliceHome.resolve("docs")).resolve("a.txt"), "alice's file");
    h.createUser("alice", "user", List.of(aliceHome.toString()));
    h.createUser("bob", "user", List.of(dir.resolve("home/bob").toString()));
    h.createUser("root", "admin", null);
    alice = h.session("alice");
    bob = h.session("bob");
    admin = h.session("root");
  }

  private JsonObject set(String name, Path source, Path dest) {
    return new JsonObject().put("name", name)
        .put("source", new JsonObject().put("home", source.toString()).put("paths", new JsonArray().add(source.toString())))
        .put("destinations", new JsonArray().add(new JsonObject().put("name", "Local").put("url", "file://" + dest)));
  }

  private long create(String session, JsonObject set) {
    HttpResponse<Buffer> r = h.as(session, HttpMethod.POST, "sets", set);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getLong("id");
  }

  @Test
  void aUsersSet_isTheirs_andInvisibleToOtherUsers_butNotToAdmins() {
    long id = create(alice, set("Alice docs", aliceHome.resolve("docs"), aliceHome.resolve("backup")));
    assertEquals(1, h.as(alice, HttpMethod.GET, "sets", null).bodyAsJsonObject().getJsonArray("items").size());
    assertEquals(0, h.as(bob, HttpMethod.GET, "sets", null).bodyAsJsonObject().getJsonArray("items").size());
    assertEquals(1, h.as(admin, HttpMethod.GET, "sets", null).bodyAsJsonObject().getJsonArray("items").size());
    String byName = "sets?name=alice%20DOCS";
    assertEquals(1, h.as(alice, HttpMethod.GET, byName, null).bodyAsJsonObject().getJsonArray("items").size());
    assertEquals(0, h.as(bob, HttpMethod.GET, byName, null).bodyAsJsonObject().getJsonArray("items").size());
    for (var req : List.of(List.of("GET", "sets/" + id), List.of("POST", "sets/" + id + "/key/unmask"),
        List.of("POST", "sets/" + id + "/backup"), List.of("GET", "sets/" + id + "/restore-points?destination=Local"),
        List.of("DELETE", "sets/" + id), List.of("POST", "sets/" + id + "/rename"))) {
      HttpMethod m = HttpMethod.valueOf(req.get(0));
      HttpResponse<Buffer> r = h.as(bob, m, req.get(1), m == HttpMethod.POST ? new JsonObject().put("name", "x") : null);
      assertEquals(404, r.statusCode(), "bob: " + req + " " + r.bodyAsString());
    }
    assertEquals(200, h.as(admin, HttpMethod.POST, "sets/" + id + "/key/unmask", new JsonObject()).statusCode());
    assertEquals(200, h.as(alice, HttpMethod.POST, "sets/" + id + "/key/unmask", new JsonObject()).statusCode());
  }

  @Test
  void aUser_mayNotSetCommands_norSourcesOrDestinationsOutsideTheirFolders() throws Exception {
    JsonObject withCommand = set("Cmd", aliceHome.resolve("docs"), aliceHome.resolve("backup"))
        .put("preBackupCommands", new JsonArray().add(new JsonObject().put("name", "x")
            .put("workingDirectory", aliceHome.toString()).put("command", "id")));
    HttpResponse<Buffer> cmd = h.as(alice, HttpMethod.POST, "sets", withCommand);
    assertEquals(403, cmd.statusCode(), cmd.bodyAsString());
    assertTrue(cmd.bodyAsString().contains("pre-backup and post-backup commands"), cmd.bodyAsString());
    HttpResponse<Buffer> etc = h.as(alice, HttpMethod.POST, "sets", set("Etc", Path.of("/etc"),
        aliceHome.resolve("backup")));
    assertEquals(403, etc.statusCode(), etc.bodyAsString());
    assertTrue(etc.bodyAsString().contains("/etc"), etc.bodyAsString());
    HttpResponse<Buffer> escape = h.as(alice, HttpMethod.POST, "sets", set("Up", aliceHome.resolve("../bob"),
        aliceHome.resolve("backup")));
    assertEquals(400, escape.statusCode(), "no .. parts: " + escape.bodyAsString());
    Files.createSymbolicLink(aliceHome.resolve("etc"), Path.of("/etc"));
    HttpResponse<Buffer> link = h.as(alice, HttpMethod.POST, "sets", set("Link", aliceHome.resolve("etc"),
        aliceHome.resolve("backup")));
    assertEquals(403, link.statusCode(), "a link out of the folder: " + link.bodyAsString());
    HttpResponse<Buffer> follow = h.as(alice, HttpMethod.POST, "sets", set("Follow", aliceHome.resolve("docs"),
        aliceHome.resolve("backup")).put("others", new JsonObject().put("followLinks", true)));
    assertEquals(403, follow.statusCode(), follow.bodyAsString());
    HttpResponse<Buffer> temp = h.as(alice, HttpMethod.POST, "sets", set("Temp", aliceHome.resolve("docs"),
        aliceHome.resolve("backup")).put("others", new JsonObject().put("tempDirectory", "/etc")));
    assertEquals(403, temp.statusCode(), temp.bodyAsString());
    HttpResponse<Buffer> dest = h.as(alice, HttpMethod.POST, "sets", set("Dest", aliceHome.resolve("docs"),
        Path.of("/root/b247")));
    assertEquals(403, dest.statusCode(), dest.bodyAsString());
    assertEquals(201, h.as(admin, HttpMethod.POST, "sets", withCommand).statusCode(), "admins may");
  }

  @Test
  void aUser_seesOnlyTheirReports_andRestoresOnlyIntoTheirFolders() throws Exception {
    long id = create(alice, set("Alice docs", aliceHome.resolve("docs"), aliceHome.resolve("backup")));
    assertEquals(202, h.as(alice, HttpMethod.POST, "sets/" + id + "/backup", new JsonObject()).statusCode());
    JsonArray reports = h.awaitReports(alice, id, 1);
    assertEquals("Completed", reports.getJsonObject(0).getString("status"), reports.encodePrettily());
    long report = reports.getJsonObject(0).getLong("id");
    assertEquals(0, h.as(bob, HttpMethod.GET, "jobs", null).bodyAsJsonObject().getJsonArray("items").size());
    assertEquals(404, h.as(bob, HttpMethod.GET, "jobs/" + report, null).statusCode());
    assertEquals(200, h.as(admin, HttpMethod.GET, "jobs/" + report, null).statusCode());

    JsonObject outside = new JsonObject().put("destination", "Local").put("target", "/tmp");
    HttpResponse<Buffer> refused = h.as(alice, HttpMethod.POST, "sets/" + id + "/restore", outside);
    assertEquals(403, refused.statusCode(), refused.bodyAsString());
    assertTrue(refused.bodyAsString().contains("/tmp"), refused.bodyAsString());
    JsonObject inside = new JsonObject().put("destination", "Local").put("target", aliceHome.resolve("restored")
        .toString());
    HttpResponse<Buffer> started = h.as(alice, HttpMethod.POST, "sets/" + id + "/restore", inside);
    assertEquals(202, started.statusCode(), started.bodyAsString());
    long restore = started.bodyAsJsonObject().getLong("reportId");
    // a whole restore job runs meanwhile: as long as RestoreApiTest gives one
    String status = eventuallyGet(Duration.ofSeconds(60), () -> {
      String now = h.as(alice, HttpMethod.GET, "jobs/" + restore, null).bodyAsJsonObject().getString("status");
      assertNotEquals("In progress", now, "the restore did not end");
      return now;
    });
    assertEquals("Completed", status);
    assertEquals("alice's file", Files.readString(aliceHome.resolve("restored").resolve(aliceHome.resolve("docs/a.txt")
        .toString().substring(1))));
  }

  @Test
  void adminOnlyRoutes_refuseUsers_namingWhat() {
    for (var req : List.of(List.of("GET", "users"), List.of("GET", "runs"), List.of("POST", "mail/test"),
        List.of("POST", "space-freeing"), List.of("POST", "users/bob/reset-2fa"), List.of("DELETE", "users/bob"))) {
      HttpMethod m = HttpMethod.valueOf(req.get(0));
      HttpResponse<Buffer> r = h.as(alice, m, req.get(1), m == HttpMethod.POST ? new JsonObject() : null);
      assertEquals(403, r.statusCode(), req + " " + r.bodyAsString());
      assertTrue(r.bodyAsString().contains("admins"), r.bodyAsString());
    }
    assertEquals(200, h.as(admin, HttpMethod.GET, "users", null).statusCode());
  }

  @Test
  void accounts_neverShowPasswordHashes() {
    String all = h.as(admin, HttpMethod.GET, "users", null).bodyAsString();
    assertTrue(!all.contains("argon2") && !all.contains(AuthHarness.PASSWORD), all);
  }
}
