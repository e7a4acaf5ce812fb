package au.com.backup247.agent.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.backup.RepoFixture;
import au.com.backup247.agent.bus.Addresses;
import au.com.backup247.agent.cli.B247;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encryption recovery end to end (guide ch. 9.1.4): an administrator's recovery key pair from
 * {@code b247 recovery keygen}; a set created for an account with recovery (the API's
 * {@code sealForRecovery} flag on sets.create) and backed up; its key file lost; the key recovered
 * offline from the destination root with the private key ({@code b247 repo recover-key --set NAME})
 * and a restore with it byte-identical. The CLI commands run in this JVM through {@link B247#execute}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RecoveryFlowTest {

  @Test
  void aLostSetKey_isRecoveredOfflineWithTheRecoveryPrivateKey_andRestores(Vertx vertx, @TempDir Path dir)
      throws Exception {
    Path keys = dir.resolve("recovery-keys");
    assertEquals(0, B247.execute("recovery", "keygen", "--out", keys.toString()));
    Path home = Files.createDirectory(dir.resolve("home"));
    JobsHarness h = new JobsHarness(vertx, home, true, new JsonObject()
        .put("recoveryPublicKeyFile", keys.resolve("recovery-public.pem").toString()));

    Path src = Files.createDirectories(dir.resolve("src/docs"));
    Files.writeString(src.resolve("a.txt"), "first file");
    Files.write(src.resolve("b.bin"), RepoFixture.bytes(new Random(5), 1 << 20));
    Path dest = dir.resolve("dest");
    JsonObject created = vertx.eventBus().<JsonObject>request(Addresses.SETS_CREATE,
        JobsHarness.set("Recoverable", src, List.of(dest)).put("sealForRecovery", true)).map(Message::body).await();
    long id = created.getLong("id");
    assertTrue(created.getBoolean("sealedForRecovery"), created.encode());
    h.startBackup(id);
    assertEquals("Completed", h.awaitReports(id, 1).getJsonObject(0).getString("status"));
    Path repo = dest.resolve(Long.toString(id));
    try (Stream<Path> s = Files.list(repo.resolve("recovery"))) {
      assertEquals(1, s.count(), "one recovery envelope in the repository");
    }

    Files.delete(home.resolve("keys/" + id + ".key")); // the key is lost
    Path wrongKeys = dir.resolve("other-keys");
    assertEquals(0, B247.execute("recovery", "keygen", "--out", wrongKeys.toString()));
    Path recovered = dir.resolve("recovered.key");
    assertEquals(1, B247.execute("repo", "recover-key", "--repo", repo.toString(), "--private-key",
        wrongKeys.resolve("recovery-private.pem").toString(), "--out", recovered.toString()));
    assertEquals(0, B247.execute("repo", "recover-key", "--repo", dest.toString(), "--set", "recoverable",
        "--private-key", keys.resolve("recovery-private.pem").toString(), "--out", recovered.toString()));
    assertEquals(created.getString("encryptionKey"), Files.readString(recovered).strip());

    Path target = dir.resolve("restored");
    assertEquals(0, B247.execute("repo", "restore", "--repo", dest.toString(), "--set", Long.toString(id),
        "--key-file", recovered.toString(), "--target", target.toString()));
    RepoFixture.assertSameTree(src, target.resolve(src.toString().substring(1)));
  }
}
