package au.com.backup247.agent.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.repo.Manifest;
import au.com.backup247.agent.repo.Props;
import au.com.backup247.agent.repo.Repository;
import au.com.backup247.agent.repo.compress.CompressionSetting;
import au.com.backup247.agent.repo.crypto.CipherSuite;
import au.com.backup247.agent.repo.crypto.KeyType;
import au.com.backup247.agent.repo.error.RepoException;
import au.com.backup247.agent.repo.store.local.LocalStore;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the agent remembers of each destination (issue 11, items 1 and 12; TEST-MATRIX S5): a set
 * opens only the repository it recorded, and a destination that shows an older state or misses its
 * newest job is reported, with retention blocked there until a user confirms.
 */
@ExtendWith(VertxExtension.class)
class DestinationStateTest {

  private static String log(JobsHarness h, long reportId) {
    JsonObject r = h.get("jobs/" + reportId).bodyAsJsonObject();
    return r.getString("status") + " " + r.getJsonArray("log").encode();
  }

  private static JsonObject newest(JsonArray reports) {
    return reports.getJsonObject(0);
  }

  private static void copyTree(Path from, Path to) throws Exception {
    assertEquals(0, new ProcessBuilder("cp", "-a", from.toString(), to.toString()).inheritIO().start().waitFor());
  }

  private static void deleteTree(Path p) throws Exception {
    assertEquals(0, new ProcessBuilder("rm", "-rf", p.toString()).inheritIO().start().waitFor());
  }

  private static boolean anyFileContains(Path root, String text) throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        if (new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1).contains(text)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Issue 11, item 1, as reproduced with the CLI: the repository's config replaced by one that says
   * cipher none, jobs/ and index/ deleted. The next backup must refuse the destination, naming the
   * mismatch, and upload nothing in clear.
   */
  @Test
  void configReplacedWithAnUnencryptedOne_theBackupRefusesIt_andNothingGoesOutInClear(Vertx vertx,
      @TempDir Path dir) throws Exception {
    JobsHarness h = new JobsHarness(vertx, dir.resolve("home"), true);
    Path src = Files.createDirectories(dir.resolve("src"));
    Files.writeString(src.resolve("a.txt"), "a");
    Path d1 = dir.resolve("d1");
    long setId = h.create(JobsHarness.set("Docs", src, List.of(d1)));
    h.startBackup(setId);
    assertEquals("Completed", newest(h.awaitReports(setId, 1)).getString("status"));
    Path repo = d1.resolve(Long.toString(setId));
    Path forged = dir.resolve("forged");
    Repository.init(new LocalStore(forged), new Repository.InitOptions(Long.toString(setId), CipherSuite.NONE,
        CompressionSetting.NONE, KeyType.DEFAULT, 0, 4 << 20, 1024, 1), null).close();
    Files.copy(forged.resolve("config"), repo.resolve("config"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    deleteTree(repo.resolve("jobs"));
    deleteTree(repo.resolve("index"));
    String marker = "PLAINTEXT-MARKER-" + System.nanoTime();
    Files.writeString(src.resolve("secret.txt"), marker);

    h.startBackup(setId);
    JsonObject r = newest(h.awaitReports(setId, 2));
    String log = log(h, r.getLong("id"));
    assertEquals("Failed", r.getString("status"), log);
    assertTrue(log.contains("cipher none, expected aes-256-gcm"), log);
    assertFalse(anyFileContains(d1, marker), "the marker went out in clear");
  }

  /**
   * S5: the destination is rolled back to an earlier copy of itself. The next backup reports it;
   * space freeing is refused there until a user confirms through the API; then it runs. Later the
   * newest manifest disappears: refused again, naming the job.
   */
  @Test
  void olderStateOrMissingNewestJob_isReported_andRetentionWaitsForAConfirmation(Vertx vertx, @TempDir Path dir)
      throws Exception {
    JobsHarness h = new JobsHarness(vertx, dir.resolve("home"), true);
    Path src = Files.createDirectories(dir.resolve("src"));
    Files.writeString(src.resolve("a.txt"), "a1");
    Path d1 = dir.resolve("d1");
    long setId = h.create(JobsHarness.set("Docs", src, List.of(d1)).put("retention",
        new JsonObject().put("type", "simple").put("keepJobs", 1)));
    h.startBackup(setId);
    h.awaitReports(setId, 1);
    Path repo = d1.resolve(Long.toString(setId));
    copyTree(repo, dir.resolve("older"));
    Files.writeString(src.resolve("a.txt"), "a2");
    h.startBackup(setId);
    h.awaitReports(setId, 2);
    deleteTree(repo);
    copyTree(dir.resolve("older"), repo); // replayed: the state after the first backup

    Files.writeString(src.resolve("a.txt"), "a3");
    h.startBackup(setId);
    JsonObject third = newest(h.awaitReports(setId, 3));
    String log = log(h, third.getLong("id"));
    assertEquals("Completed with warning(s)", third.getString("status"), log);
    assertTrue(log.contains("shows an older state than the agent has seen") && log.contains("retention (space "
        + "freeing) is blocked"), log);

    HttpResponse<Buffer> f = h.post("sets/" + setId + "/space-freeing", new JsonObject());
    assertEquals(202, f.statusCode(), f.bodyAsString());
    long freeing = f.bodyAsJsonObject().getJsonArray("runs").getJsonObject(0).getJsonArray("jobs").getJsonObject(0)
        .getLong("id");
    String refused = log(h, h.awaitStatus(freeing, "Failed").getLong("id"));
    assertTrue(refused.contains("retention is blocked") && refused.contains("older state"), refused);

    HttpResponse<Buffer> c = h.post("sets/" + setId + "/confirm-state", new JsonObject());
    assertEquals(200, c.statusCode(), c.bodyAsString());
    JsonObject confirmed = c.bodyAsJsonObject().getJsonArray("destinations").getJsonObject(0);
    assertTrue(confirmed.getString("cleared").contains("older state"), confirmed.encode());
    f = h.post("sets/" + setId + "/space-freeing", new JsonObject());
    h.awaitStatus(f.bodyAsJsonObject().getJsonArray("runs").getJsonObject(0).getJsonArray("jobs").getJsonObject(0)
        .getLong("id"), "Completed");

    String newestJob = confirmed.getString("newestJob");
    Files.delete(repo.resolve("jobs/" + newestJob + ".job"));
    f = h.post("sets/" + setId + "/space-freeing", new JsonObject());
    freeing = f.bodyAsJsonObject().getJsonArray("runs").getJsonObject(0).getJsonArray("jobs").getJsonObject(0)
        .getLong("id");
    refused = log(h, h.awaitStatus(freeing, "Failed").getLong("id"));
    assertTrue(refused.contains("the agent has seen job " + newestJob + " there"), refused);
  }

  /** A restore to the original location writes only under the job's source folders (issue 11, item 1). */
  @Test
  void restoreToOriginal_onlyUnderTheManifestsSources() {
    Manifest m = new Manifest("2026-11-26-10-00-00", new Props().put("sources", "/home/u|/srv/data"));
    assertEquals(List.of("/home/u", "/srv/data"), RestoreService.underSources(m, List.of()));
    assertEquals(List.of("/home/u/docs"), RestoreService.underSources(m, List.of("/home/u/docs")));
    RepoException e = assertThrows(RepoException.class, () -> RestoreService.underSources(m,
        List.of("/etc/cron.d")));
    assertTrue(e.getMessage().contains("/etc/cron.d is not under the source folders"), e.getMessage());
    assertThrows(RepoException.class, () -> RestoreService.underSources(m, List.of("/home/user")));
    assertThrows(RepoException.class, () -> RestoreService.underSources(new Manifest("j", new Props()), List.of()));
  }
}
