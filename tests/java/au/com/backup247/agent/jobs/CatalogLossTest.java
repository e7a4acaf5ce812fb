package au.com.backup247.agent.jobs;

import static au.com.backup247.agent.testing.Eventually.eventually;
import static au.com.backup247.agent.testing.Eventually.eventuallyGet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.backup.RepoFixture;
import au.com.backup247.agent.catalog.CatalogCopies;
import au.com.backup247.agent.catalog.CatalogRecovery;
import au.com.backup247.agent.catalog.CatalogVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import io.vertx.junit5.VertxExtension;

/**
 * Issue 11 item 10: the catalog is no longer the only copy of the backup sets. Each set is exported
 * beside its key; the catalog is checked at start and copied; {@code b247 catalog recover} rebuilds
 * it from a copy and the exports.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CatalogLossTest {

  private static void undeployAll(Vertx vertx) {
    for (String id : List.copyOf(vertx.deploymentIDs())) {
      vertx.undeploy(id).await();
    }
  }

  private static JsonObject awaitExport(Path file, String name) {
    return eventuallyGet(Duration.ofSeconds(20), () -> {
      JsonObject o = Files.exists(file) ? new JsonObject(Files.readString(file)) : new JsonObject();
      assertEquals(name, o.getString("name"), file + " does not hold the set named " + name);
      return o;
    });
  }

  @Test
  void setsAreExportedBesideTheirKeys_andRecoverBringsThemBackAfterTheCatalogIsLost(Vertx vertx, @TempDir Path dir)
      throws Exception {
    Path home = dir.resolve("home");
    JobsHarness h = new JobsHarness(vertx, home, false);
    long docs = h.create(JobsHarness.set("Docs", dir.resolve("src"), List.of(dir.resolve("d1"))));
    long photos = h.create(JobsHarness.set("Photos", dir.resolve("pics"), List.of(dir.resolve("d2"))));
    long gone = h.create(JobsHarness.set("Old", dir.resolve("old"), List.of(dir.resolve("d3"))));
    assertEquals(200, h.post("sets/" + docs + "/rename", new JsonObject().put("name", "Documents")).statusCode());
    assertEquals(200, h.client.delete(h.port, "127.0.0.1", "/api/v1/sets/" + gone).send().await().statusCode());
    JsonObject before = h.get("sets/" + docs).bodyAsJsonObject();
    JsonObject export = awaitExport(home.resolve("keys/" + docs + ".set.json"), "Documents");
    assertEquals("b247-set-export/1", export.getString("format"));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
        home.resolve("keys/" + docs + ".set.json"))));
    awaitExport(home.resolve("keys/" + photos + ".set.json"), "Photos");
    eventually(Duration.ofSeconds(20), () -> assertFalse(Files.exists(home.resolve("keys/" + gone + ".set.json")),
        "a deleted set's export is moved aside"));
    undeployAll(vertx);

    // the catalog and its copies are lost; the keys folder is not
    for (String f : List.of("catalog.db", "catalog.db-wal", "catalog.db-shm")) {
      Files.deleteIfExists(home.resolve(f));
    }
    deleteTree(home.resolve("catalog-copies"));
    CatalogRecovery.Result r = new CatalogRecovery(home.resolve("catalog.db"), home).run(Instant.now());
    assertTrue(r.ok(), r.lines().toString());
    assertTrue(r.lines().contains("backup sets: 2 restored, 0 updated, 0 already in the catalog (" + home.resolve(
        "catalog.db") + ")"), r.lines().toString());

    JobsHarness again = new JobsHarness(vertx, home, false);
    JsonObject after = again.get("sets/" + docs).bodyAsJsonObject();
    assertEquals(before, after);
    assertEquals("Photos", again.get("sets/" + photos).bodyAsJsonObject().getString("name"));
    assertEquals(404, again.get("sets/" + gone).statusCode());
  }

  @Test
  void damagedCatalog_isRefusedAtStart_andRecoverStartsFromTheNewestSoundCopy(Vertx vertx, @TempDir Path dir)
      throws Exception {
    Path home = dir.resolve("home");
    JobsHarness h = new JobsHarness(vertx, home, false);
    long docs = h.create(JobsHarness.set("Docs", dir.resolve("src"), List.of(dir.resolve("d1"))));
    awaitExport(home.resolve("keys/" + docs + ".set.json"), "Docs");
    Path catalog = home.resolve("catalog.db");
    CatalogCopies copies = new CatalogCopies(catalog);
    eventually(Duration.ofSeconds(20), () -> assertFalse(copies.copies().isEmpty(), "the catalog is copied at start"));
    undeployAll(vertx);

    corrupt(catalog);
    assertTrue(CatalogCopies.check(catalog) != null, "the corruption is one quick_check sees");
    Throwable refused = null;
    try {
      vertx.deployVerticle(new CatalogVerticle(), new DeploymentOptions()
          .setConfig(new JsonObject().put("file", catalog.toString()))).await();
    } catch (Exception e) {
      refused = e;
    }
    assertTrue(refused != null && refused.getMessage().contains("catalog " + catalog + " is damaged")
        && refused.getMessage().contains("b247 catalog recover"), String.valueOf(refused));

    CatalogRecovery.Result r = new CatalogRecovery(catalog, home).run(Instant.now());
    assertTrue(r.ok(), r.lines().toString());
    assertTrue(r.lines().get(0).startsWith("catalog " + catalog + " is damaged"), r.lines().toString());
    assertTrue(r.lines().get(1).startsWith("started again from the copy " + copies.dir()), r.lines().toString());
    assertNull(CatalogCopies.check(catalog));
    try (Stream<Path> s = Files.list(home)) {
      assertTrue(s.anyMatch(p -> p.getFileName().toString().startsWith("catalog.db.damaged-")), "kept aside");
    }
    JobsHarness again = new JobsHarness(vertx, home, false);
    assertEquals("Docs", again.get("sets/" + docs).bodyAsJsonObject().getString("name"));
  }

  @Test
  void copies_rotate_keepingTheNewest(@TempDir Path dir) throws Exception {
    Path db = dir.resolve("catalog.db");
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db); var s = c.createStatement()) {
      s.execute("CREATE TABLE t (x INTEGER)");
      s.execute("INSERT INTO t VALUES (42)");
    }
    CatalogCopies copies = new CatalogCopies(db);
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < 5; i++) {
      copies.copy(t.plusSeconds(86_400L * i));
    }
    List<Path> kept = copies.copies();
    assertEquals(List.of("catalog-20260105-000000.db", "catalog-20260104-000000.db", "catalog-20260103-000000.db"),
        kept.stream().map(p -> p.getFileName().toString()).toList());
    assertNull(CatalogCopies.check(kept.get(0)));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(kept.get(0))));
  }

  /** Overwrites the pages after the first two with garbage (the schema page stays readable). */
  static void corrupt(Path db) throws IOException {
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
         java.sql.Statement st = c.createStatement()) {
      st.execute("PRAGMA wal_checkpoint(TRUNCATE)"); // every page in the main file, none left in the WAL
    } catch (java.sql.SQLException e) {
      throw new IOException(e);
    }
    try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
      byte[] junk = RepoFixture.bytes(new java.util.Random(1), 4096);
      for (long off = 2 * 4096; off + 4096 <= f.length(); off += 4096) {
        f.seek(off);
        f.write(junk);
      }
    }
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }
}
