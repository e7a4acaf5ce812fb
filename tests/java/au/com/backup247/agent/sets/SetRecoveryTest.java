package au.com.backup247.agent.sets;

import static au.com.backup247.agent.sets.SetFixtures.minimal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.bus.Addresses;
import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.catalog.CatalogVerticle;
import au.com.backup247.agent.repo.crypto.KeyType;
import au.com.backup247.agent.repo.crypto.RecoveryEnvelope;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** sets.create with {@code "sealForRecovery": true} (the API's flag for an account with encryption recovery). */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SetRecoveryTest {
  static KeyPair admin;

  @BeforeAll
  static void key() {
    admin = RecoveryEnvelope.generate(new SecureRandom());
  }

  private static void deploy(Vertx vertx, Path home, Path recoveryKey) {
    vertx.deployVerticle(new CatalogVerticle(), new DeploymentOptions()
        .setConfig(new JsonObject().put("file", home.resolve("catalog.db").toString()))).await();
    vertx.deployVerticle(new SetsVerticle(), new DeploymentOptions().setConfig(new JsonObject()
        .put("home", home.toString()).put("recoveryPublicKeyFile", recoveryKey == null ? null : recoveryKey.toString())))
        .await();
  }

  private static JsonObject create(Vertx vertx, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(Addresses.SETS_CREATE, body).map(Message::body).await();
  }

  @Test
  void withARecoveryKey_theNewKeyIsAlsoSealedToIt(Vertx vertx, @TempDir Path home) throws Exception {
    Path pub = Files.write(home.resolve("recovery.pem"), RecoveryEnvelope.pem(admin.getPublic()));
    deploy(vertx, home, pub);
    JsonObject set = create(vertx, minimal("Docs").put("sealForRecovery", true));
    long id = set.getLong("id");
    assertTrue(set.getBoolean("sealedForRecovery"));
    Path envelope = home.resolve("keys/" + id + ".recovery");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(envelope)));
    assertEquals(new RecoveryEnvelope.Content(Long.toString(id), KeyType.DEFAULT, set.getString("encryptionKey")),
        RecoveryEnvelope.open(admin.getPrivate(), Files.readAllBytes(envelope), "e"));

    JsonObject plain = create(vertx, minimal("Plain"));
    assertFalse(plain.containsKey("sealedForRecovery"));
    assertFalse(Files.exists(home.resolve("keys/" + plain.getLong("id") + ".recovery")));

    // deleting the set keeps the envelope with the key
    vertx.eventBus().request(Addresses.SETS_DELETE, new JsonObject().put("id", id)).await();
    assertFalse(Files.exists(envelope));
    try (var s = Files.list(home.resolve("keys/deleted"))) {
      assertTrue(s.anyMatch(p -> p.getFileName().toString().matches(id + "-[0-9]+\\.recovery")));
    }
  }

  @Test
  void throughTheApi_theAccountsProfileDecides_notTheRequest(Vertx vertx, @TempDir Path home) throws Exception {
    Path pub = Files.write(home.resolve("recovery.pem"), RecoveryEnvelope.pem(admin.getPublic()));
    deploy(vertx, home, pub);
    au.com.backup247.agent.api.ApiTesting.deployAuth(vertx, home, java.time.Clock.systemUTC(),
        new JsonObject().put("recoveryKeyConfigured", true));
    au.com.backup247.agent.api.ApiVerticle api = new au.com.backup247.agent.api.ApiVerticle();
    vertx.deployVerticle(api, new DeploymentOptions().setConfig(new JsonObject().put("port", 0))).await();
    io.vertx.ext.web.client.WebClient client = au.com.backup247.agent.api.ApiTesting.authorized(vertx, home);
    for (String login : List.of("alice", "bob")) {
      assertEquals(201, client.post(api.actualPort(), "127.0.0.1", "/api/v1/users").sendJsonObject(new JsonObject()
          .put("login", login).put("password", "a long and private passphrase").put("role", "admin")).await()
          .statusCode());
    }
    JsonObject profile = client.put(api.actualPort(), "127.0.0.1", "/api/v1/profile").putHeader("X-B247-User", "alice")
        .sendJsonObject(new JsonObject().put("encryptionRecovery", true)).await().bodyAsJsonObject();
    assertTrue(profile.getBoolean("encryptionRecovery") && profile.getBoolean("encryptionRecoveryAvailable"),
        "the profile says recovery is on and can be: " + profile.encode());
    JsonObject sealed = client.post(api.actualPort(), "127.0.0.1", "/api/v1/sets").putHeader("X-B247-User", "alice")
        .sendJsonObject(minimal("Alice").put("sealForRecovery", false)).await().bodyAsJsonObject();
    assertTrue(sealed.getBoolean("sealedForRecovery", false), sealed.encode());
    JsonObject plain = client.post(api.actualPort(), "127.0.0.1", "/api/v1/sets").putHeader("X-B247-User", "bob")
        .sendJsonObject(minimal("Bob").put("sealForRecovery", true)).await().bodyAsJsonObject();
    assertFalse(plain.getBoolean("sealedForRecovery", false), plain.encode());
  }

  @Test
  void withoutARecoveryKey_sealingIsRefused_andNothingIsCreated(Vertx vertx, @TempDir Path home) throws Exception {
    deploy(vertx, home, null);
    AgentException e = AgentException.from(assertThrows(Exception.class,
        () -> create(vertx, minimal("Docs").put("sealForRecovery", true))));
    assertEquals(Failure.CONFLICT, e.failure());
    assertTrue(e.getMessage().contains("encryptionRecovery.publicKeyFile"), e.getMessage());
    assertFalse(Files.exists(home.resolve("keys")) && Files.list(home.resolve("keys")).findAny().isPresent());
    AgentException bad = AgentException.from(assertThrows(Exception.class,
        () -> create(vertx, minimal("Docs").put("sealForRecovery", "yes"))));
    assertEquals(Failure.VALIDATION, bad.failure());
    assertTrue(create(vertx, minimal("Docs").put("sealForRecovery", false)).containsKey("encryptionKey"));
  }

  @Test
  void aRecoveryKeyThatCannotBeRead_stopsTheStart_namingTheSetting(Vertx vertx, @TempDir Path home) {
    Path missing = home.resolve("nope.pem");
    AgentException e = AgentException.from(assertThrows(Exception.class, () -> deploy(vertx, home, missing)));
    assertEquals(Failure.CONFIG_INVALID, e.failure());
    assertEquals("encryptionRecovery.publicKeyFile: recovery key file " + missing + " does not exist", e.getMessage());
  }
}
