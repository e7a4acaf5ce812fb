package au.com.backup247.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code b247 catalog recover} from the command line (issue 11 item 10). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CatalogRecoverIT {

  @Test
  void recover_bringsBackAnExportedSet_once(@TempDir Path dir) throws Exception {
    Path home = dir.resolve("home");
    Files.createDirectories(home.resolve("keys"));
    JsonObject settings = new JsonObject().put("name", "Docs").put("source", new JsonObject().put("home", "/home/a"));
    Files.writeString(home.resolve("keys/1700000000000.set.json"), new JsonObject().put("format", "b247-set-export/1")
        .put("id", 1700000000000L).put("name", "Docs").put("createdAt", 1L).put("updatedAt", 2L)
        .put("settings", settings).encode());
    AgentProcess.Result first = AgentProcess.exec(home, 60, "catalog", "recover");
    assertEquals(0, first.exit(), first.all());
    assertTrue(first.out().contains("set 1700000000000 \"Docs\" restored from"), first.all());
    assertTrue(first.out().contains("backup sets: 1 restored, 0 updated, 0 already in the catalog"), first.all());
    AgentProcess.Result again = AgentProcess.exec(home, 60, "catalog", "recover");
    assertEquals(0, again.exit(), again.all());
    assertTrue(again.out().contains("passes its check"), again.all());
    assertTrue(again.out().contains("backup sets: 0 restored, 0 updated, 1 already in the catalog"), again.all());
  }
}
