package au.com.backup247.agent.jobs;

import static au.com.backup247.agent.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.backup.RepoFixture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * TEST-MATRIX R8, issue 11 item 10: the agent home (catalog, logs) fills up while a backup runs to
 * a destination elsewhere. The backup commits its data, and its report must say so — written with
 * the disk reserve kept beside the catalog — rather than stay "In progress" and turn into "Backup
 * not yet finished" at the next start. Mounts a small tmpfs (root; CI runs as root).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FullHomeTest {

  @Test
  void aFullAgentHome_stillRecordsTheReportOfABackupThatCommitted(Vertx vertx, @TempDir Path dir) throws Exception {
    Path home = Files.createDirectories(dir.resolve("home"));
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs", home.toString())
        .redirectErrorStream(true).start();
    String out = new String(mount.getInputStream().readAllBytes());
    if (mount.waitFor() != 0) {
      assertFalse("true".equals(System.getenv("CI")), "cannot mount a small tmpfs in CI: " + out);
      Assumptions.abort("cannot mount a small tmpfs here (needs root): " + out);
    }
    try {
      JobsHarness h = new JobsHarness(vertx, home, true);
      Path src = dir.resolve("src");
      RepoFixture.makeTree(src, 3);
      long setId = h.create(JobsHarness.set("Docs", src, List.of(dir.resolve("dest"))));
      eventually(Duration.ofSeconds(20), () -> assertTrue(Files.exists(home.resolve("catalog.reserve")),
          "the reserve is made at start"));
      eventually(Duration.ofSeconds(20), () -> assertTrue(Files.exists(home.resolve("keys/" + setId + ".set.json")),
          "the set is exported"));
      fill(home.resolve("filler"));

      h.startBackup(setId);
      JsonArray reports = h.awaitReports(setId, 1);
      JsonObject r = reports.getJsonObject(0);
      assertEquals("Completed", r.getString("status"), r.encodePrettily());
      assertTrue(r.getString("jobId") != null, r.encodePrettily());
      assertFalse(Files.exists(home.resolve("catalog.reserve")), "the reserve was used");
      assertTrue(Files.isDirectory(dir.resolve("dest/" + setId + "/jobs")), "the job is committed");
    } finally {
      for (String id : List.copyOf(vertx.deploymentIDs())) {
        vertx.undeploy(id).await();
      }
      new ProcessBuilder("umount", "-l", home.toString()).inheritIO().start().waitFor();
    }
  }

  /** Writes until the file system says it is full. */
  static void fill(Path filler) throws IOException {
    byte[] chunk = new byte[64 * 1024];
    try (OutputStream o = Files.newOutputStream(filler)) {
      while (true) {
        o.write(chunk);
      }
    } catch (IOException full) {
      if (full.getMessage() == null || !full.getMessage().contains("No space left")) {
        throw full;
      }
    }
  }
}
