package au.com.backup247.agent.sets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.auth.AuthHarness;
import au.com.backup247.agent.repo.store.SshPeers;
import au.com.backup247.agent.repo.store.sftp.SftpStore;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.sshd.server.SshServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * POST /api/v1/destinations/test, the wizard's Test of a destination not saved yet: over real HTTP,
 * with a real local folder and a real SFTP server (MINA SSHD on loopback); the password typed for the
 * test is never answered, logged or kept.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DestinationTestApiTest {
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger root = (Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private Level rootLevel;
  private final List<String> answers = new ArrayList<>();
  private AuthHarness h;
  private Path dir;
  private Path aliceHome;
  private String alice;

  @BeforeEach
  void accounts(Vertx vertx, @TempDir Path tmp) throws Exception {
    rootLevel = root.getLevel();
    root.setLevel(Level.DEBUG);
    logs.start();
    root.addAppender(logs);
    dir = tmp;
    h = new AuthHarness(vertx, dir.resolve("agent"));
    aliceHome = Files.createDirectories(dir.resolve("home/alice"));
    Files.createDirectories(dir.resolve("elsewhere"));
    Files.createSymbolicLink(aliceHome.resolve("escape"), dir.resolve("elsewhere"));
    h.createUser("alice", "user", List.of(aliceHome.toString()));
    alice = h.session("alice");
  }

  @AfterEach
  void releaseLogs() {
    root.detachAppender(logs);
    root.setLevel(rootLevel);
  }

  private HttpResponse<Buffer> test(String session, String name, String url, JsonObject credentials) {
    JsonObject body = new JsonObject().put("destination", new JsonObject().put("name", name).put("url", url));
    if (credentials != null) {
      body.put("credentials", credentials);
    }
    HttpResponse<Buffer> r = session == null ? h.local(HttpMethod.POST, "destinations/test", body)
        : h.as(session, HttpMethod.POST, "destinations/test", body);
    answers.add(r.bodyAsString());
    return r;
  }

  @Test
  void aLocalFolder_works_andIsLeftAsItWasFound() throws Exception {
    Path dest = dir.resolve("usb/b247");
    HttpResponse<Buffer> r = test(null, "Local-1", dest.toString(), null);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject body = r.bodyAsJsonObject();
    assertTrue(body.getBoolean("ok"), body.encodePrettily());
    assertEquals(5, body.getJsonArray("steps").size(), body.encodePrettily());
    assertEquals(dest.resolve(DestinationCheck.UNSAVED_FOLDER).toString(), body.getString("testedAt"));
    assertFalse(Files.exists(dest), "the folders the test made are gone");

    Path kept = Files.createDirectories(aliceHome.resolve("Backups"));
    Files.writeString(kept.resolve("mine.txt"), "x");
    HttpResponse<Buffer> own = test(alice, "Local-1", kept.toString(), null);
    assertTrue(own.bodyAsJsonObject().getBoolean("ok"), own.bodyAsString());
    try (Stream<Path> s = Files.list(kept)) {
      assertEquals(List.of(kept.resolve("mine.txt")), s.toList(), "nothing left beside what was there");
    }
  }

  @Test
  void aUsersFolderOutsideTheirs_isRefusedNamingIt_alsoThroughALink() {
    Path outside = dir.resolve("elsewhere/b247");
    HttpResponse<Buffer> r = test(alice, "Local-1", outside.toString(), null);
    assertEquals(403, r.statusCode(), r.bodyAsString());
    assertTrue(r.bodyAsString().contains(outside.toString()), r.bodyAsString());
    Path link = aliceHome.resolve("escape");
    HttpResponse<Buffer> viaLink = test(alice, "Local-1", link.toString(), null);
    assertEquals(403, viaLink.statusCode(), viaLink.bodyAsString());
    assertTrue(viaLink.bodyAsString().contains(link.toString()), viaLink.bodyAsString());
    assertFalse(Files.exists(dir.resolve("elsewhere").resolve(DestinationCheck.UNSAVED_FOLDER)), "nothing written");
  }

  @Test
  void aBadField_isNamedAsInASet() {
    HttpResponse<Buffer> r = test(null, "Local-1", "relative/folder", null);
    assertEquals(400, r.statusCode(), r.bodyAsString());
    JsonArray fields = r.bodyAsJsonObject().getJsonObject("error").getJsonArray("fields");
    assertEquals("destination.url", fields.getJsonObject(0).getString("field"), r.bodyAsString());
    HttpResponse<Buffer> none = h.local(HttpMethod.POST, "destinations/test", new JsonObject());
    assertEquals(400, none.statusCode(), none.bodyAsString());
    assertEquals("destination", none.bodyAsJsonObject().getJsonObject("error").getJsonArray("fields")
        .getJsonObject(0).getString("field"));
    HttpResponse<Buffer> badKey = test(null, "Office", "sftp://backup@127.0.0.1:22/b247",
        new JsonObject().put("identity-file", "/etc/ssh/ssh_host_ed25519_key"));
    assertEquals(400, badKey.statusCode(), badKey.bodyAsString());
    assertTrue(badKey.bodyAsString().contains("identity-file"), badKey.bodyAsString());
  }

  @Test
  void anSftpServer_showsItsUnknownHostKey_worksWithIt_andAWrongPasswordSaysSo() throws Exception {
    KeyPair hostKey = SshPeers.ed25519();
    Path served = Files.createDirectories(dir.resolve("sftp-root"));
    SshServer sftp = SshPeers.mina(0, served, hostKey, null);
    try {
      String url = "sftp://" + SshPeers.USER + "@127.0.0.1:" + sftp.getPort() + "/b247";
      JsonObject password = new JsonObject().put("password", SshPeers.PASSWORD);
      HttpResponse<Buffer> unknown = test(alice, "Office", url, password);
      assertEquals(200, unknown.statusCode(), unknown.bodyAsString());
      JsonObject first = unknown.bodyAsJsonObject();
      assertFalse(first.getBoolean("ok"), first.encodePrettily());
      String fingerprint = SftpStore.fingerprint(hostKey.getPublic());
      assertEquals(fingerprint, first.getJsonObject("hostKey").getString("fingerprint"), first.encodePrettily());
      assertTrue(first.getString("error").contains("is not trusted yet"), first.encodePrettily());
      assertFalse(first.encode().contains(".test-"), "no word of the test's scratch folder: " + first.encodePrettily());

      HttpResponse<Buffer> trusted = test(alice, "Office", url, password.copy().put("host-key-fingerprint", fingerprint));
      JsonObject ok = trusted.bodyAsJsonObject();
      assertTrue(ok.getBoolean("ok"), ok.encodePrettily());
      assertNull(ok.getValue("hostKey"));
      assertTrue(Files.isDirectory(served.resolve("b247").resolve(DestinationCheck.UNSAVED_FOLDER)),
          "tested where the answer says: " + ok.getString("testedAt"));
      try (Stream<Path> s = Files.walk(served)) {
        assertTrue(s.noneMatch(Files::isRegularFile), "no probe left");
      }

      HttpResponse<Buffer> wrong = test(alice, "Office", url,
          new JsonObject().put("password", "not-" + SshPeers.PASSWORD).put("host-key-fingerprint", fingerprint));
      JsonObject refused = wrong.bodyAsJsonObject();
      assertFalse(refused.getBoolean("ok"), refused.encodePrettily());
      assertNotNull(refused.getString("error"));
      assertTrue(refused.getString("error").matches("(?is).*(password|authenticat|log ?in).*"),
          "says the login failed: " + refused.getString("error"));
      assertNull(refused.getValue("hostKey"), refused.encodePrettily());
    } finally {
      sftp.stop(true);
    }
    String logText = logs.list.stream().map(e -> e.getFormattedMessage()
        + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getMessage()))
        .collect(Collectors.joining("\n"));
    assertFalse(logText.contains(SshPeers.PASSWORD), "the password in the log:\n" + logText);
    for (String a : answers) {
      assertFalse(a.contains(SshPeers.PASSWORD), "the password in an answer: " + a);
      assertFalse(a.contains(".test-"), "the test's scratch folder in an answer: " + a);
    }
    try (Stream<Path> s = Files.walk(h.home)) {
      List<Path> kept = s.filter(p -> p.toString().contains(".test-")).toList();
      assertEquals(List.of(), kept, "the typed credentials are not kept");
    }
  }
}
