package au.com.backup247.agent.jobs;

import static au.com.backup247.agent.cli.CliRun.b247;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.backup.RepoFixture;
import au.com.backup247.agent.bus.Addresses;
import au.com.backup247.agent.cli.CliRun;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline {@code repo} commands given a destination root, as the agent writes it (one folder
 * per set, {@code <root>/<setId>/}, with the set's name recorded, FORMAT.md §12): what a user who
 * lost the agent sees. Two sets are backed up by the real jobs verticle to the same local
 * destination; the CLI runs in this JVM through {@link CliRun}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DestinationRootTest {
  private static long backedUp(Vertx vertx, JobsHarness h, String name, Path src, Path dest) throws Exception {
    JsonObject created = vertx.eventBus().<JsonObject>request(Addresses.SETS_CREATE,
        JobsHarness.set(name, src, List.of(dest))).map(Message::body).await();
    long id = created.getLong("id");
    h.startBackup(id);
    assertEquals("Completed", h.awaitReports(id, 1).getJsonObject(0).getString("status"));
    return id;
  }

  @Test
  void theRepoCommands_listAndPickTheSetsOfADestinationRoot(Vertx vertx, @TempDir Path dir) throws Exception {
    Path home = Files.createDirectory(dir.resolve("home"));
    JobsHarness h = new JobsHarness(vertx, home, true);
    Path docs = Files.createDirectories(dir.resolve("src/docs"));
    Files.writeString(docs.resolve("a.txt"), "first file");
    Path photos = Files.createDirectories(dir.resolve("src/photos"));
    Files.write(photos.resolve("p.jpg"), RepoFixture.bytes(new Random(7), 300_000));
    Path dest = dir.resolve("usb");
    long docsId = backedUp(vertx, h, "Documents", docs, dest);
    long photosId = backedUp(vertx, h, "Photos", photos, dest);
    assertNotEquals(docsId, photosId);
    String root = dest.toString();
    String docsKey = home.resolve("keys/" + docsId + ".key").toString();
    String photosKey = home.resolve("keys/" + photosId + ".key").toString();

    // no key needed to see what is there
    CliRun.Result list = b247("repo", "jobs", "--repo", root);
    assertEquals(0, list.exit(), list.all());
    assertTrue(list.out().startsWith(root + " is a destination root with 2 backup sets:"), list.out());
    assertTrue(list.out().matches("(?s).*\\s" + docsId + "\\s+Documents\\s+1\\s+\\d{4}-\\d\\d-\\d\\d-\\d\\d-\\d\\d-\\d\\d"
        + ".*"), list.out());
    assertTrue(list.out().matches("(?s).*\\s" + photosId + "\\s+Photos\\s+1\\s+\\d{4}-.*"), list.out());
    assertTrue(list.out().contains("--set ID or --set NAME"), list.out());

    CliRun.Result test = b247("repo", "test", "--repo", root);
    assertEquals(0, test.exit(), test.all());
    assertTrue(test.out().contains("found: " + root + " is a destination root with 2 backup sets"), test.out());
    assertTrue(test.out().contains("Documents") && test.out().contains("Photos"), test.out());
    CliRun.Result testOne = b247("repo", "test", "--repo", dest.resolve(Long.toString(docsId)).toString());
    assertTrue(testOne.out().contains("found: a repository, backup set " + docsId + " \"Documents\" with one job"),
        testOne.out());
    CliRun.Result testEmpty = b247("repo", "test", "--repo", dir.resolve("empty").toString());
    assertTrue(testEmpty.out().contains("found: no repository and no backup sets: an empty location"),
        testEmpty.out());

    // a set by its name (any case) and by its id
    CliRun.Result jobs = b247("repo", "jobs", "--repo", root, "--set", "documents", "--key-file", docsKey);
    assertEquals(0, jobs.exit(), jobs.all());
    assertTrue(jobs.out().startsWith("job "), jobs.out());
    assertEquals(2, jobs.out().strip().lines().count(), jobs.out());
    assertTrue(jobs.err().contains("using backup set " + docsId + " \"Documents\" in " + root), jobs.err());
    CliRun.Result jobsNoKey = b247("repo", "jobs", "--repo", root, "--set", "Documents");
    assertEquals(0, jobsNoKey.exit(), jobsNoKey.all());
    assertTrue(jobsNoKey.out().contains("Add --key-file FILE"), jobsNoKey.out());

    CliRun.Result ls = b247("repo", "ls", "--repo", root, "--set", Long.toString(photosId), "--key-file", photosKey);
    assertEquals(0, ls.exit(), ls.all());
    assertTrue(ls.out().contains(photos.resolve("p.jpg").toString()), ls.out());
    assertFalse(ls.out().contains("a.txt"), ls.out());

    CliRun.Result check = b247("repo", "check", "--repo", root, "--set", "Photos", "--key-file", photosKey, "--read-data");
    assertEquals(0, check.exit(), check.all());
    assertTrue(check.out().contains("no problems"), check.out());

    Path target = dir.resolve("restored");
    CliRun.Result restore = b247("repo", "restore", "--repo", root, "--set", "Photos", "--key-file", photosKey, "--target",
        target.toString());
    assertEquals(0, restore.exit(), restore.all());
    RepoFixture.assertSameTree(photos, target.resolve(photos.toString().substring(1)));

    Path plain = dir.resolve("plain");
    CliRun.Result decrypt = b247("repo", "decrypt", "--repo", root, "--set", "Documents", "--key-file", docsKey, "--target",
        plain.toString());
    assertEquals(0, decrypt.exit(), decrypt.all());
    assertEquals("first file", Files.readString(plain.resolve(docs.toString().substring(1)).resolve("a.txt")));

    CliRun.Result prune = b247("repo", "prune", "--repo", root, "--set", "Documents", "--key-file", docsKey, "--keep-jobs",
        "1", "--dry-run");
    assertEquals(0, prune.exit(), prune.all());

    // errors that say what there is
    CliRun.Result unknown = b247("repo", "ls", "--repo", root, "--set", "Music", "--key-file", docsKey);
    assertEquals(1, unknown.exit(), unknown.all());
    assertTrue(unknown.err().contains("no backup set \"Music\" in " + root + ". It holds:"), unknown.err());
    assertTrue(unknown.err().contains(Long.toString(docsId)) && unknown.err().contains("Documents")
        && unknown.err().contains(Long.toString(photosId)) && unknown.err().contains("Photos"), unknown.err());
    CliRun.Result noSet = b247("repo", "ls", "--repo", root, "--key-file", docsKey);
    assertNotEquals(0, noSet.exit(), noSet.all());
    assertTrue(noSet.err().contains(root + " is a destination root with 2 backup sets; choose one with --set ID or "
        + "--set NAME"), noSet.err());
    assertTrue(noSet.err().contains("Documents") && noSet.err().contains("Photos"), noSet.err());
    CliRun.Result wrongKey = b247("repo", "ls", "--repo", root, "--set", "Photos", "--key-file", docsKey);
    assertEquals(1, wrongKey.exit(), wrongKey.all());
    CliRun.Result nothing = b247("repo", "jobs", "--repo", dir.resolve("src").toString());
    assertNotEquals(0, nothing.exit(), nothing.all());
    assertTrue(nothing.err().contains("no repository and no backup sets at " + dir.resolve("src")), nothing.err());
    assertFalse(nothing.all().contains("repo init"), nothing.all());

    // a renamed set's record follows at its next backup
    vertx.eventBus().request(Addresses.SETS_RENAME, new JsonObject().put("id", photosId).put("name", "Holidays"))
        .await();
    h.startBackup(photosId);
    assertEquals("Completed", h.awaitReports(photosId, 2).getJsonObject(0).getString("status"));
    CliRun.Result renamed = b247("repo", "jobs", "--repo", root);
    assertTrue(renamed.out().matches("(?s).*\\s" + photosId + "\\s+Holidays\\s+2\\s.*"), renamed.out());
    assertEquals(0, b247("repo", "ls", "--repo", root, "--set", "holidays", "--key-file", photosKey).exit());

    // a name record changed by someone with access to the storage is refused once the key opens the set
    Path record = dest.resolve(docsId + "/name");
    Files.writeString(record, Files.readString(record).replace("name=Documents", "name=Music"));
    CliRun.Result forged = b247("repo", "ls", "--repo", root, "--set", "Music", "--key-file", docsKey);
    assertEquals(1, forged.exit(), forged.all());
    assertTrue(forged.err().contains("cannot be trusted; choose the set by its id"), forged.err());
    assertEquals(0, b247("repo", "ls", "--repo", root, "--set", Long.toString(docsId), "--key-file", docsKey).exit());
  }
}
