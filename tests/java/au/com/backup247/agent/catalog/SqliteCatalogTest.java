package au.com.backup247.agent.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SqliteCatalogTest {

  @Test
  void open_appliesMigrations_inWalMode(Vertx vertx, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("catalog.db");
    SqliteCatalog c = SqliteCatalog.open(vertx, file).await();
    assertEquals(Migrations.load().size(), c.ping().await());
    c.close().await();
    try (Connection conn = DriverManager.getConnection("jdbc:sqlite:" + file);
         Statement st = conn.createStatement();
         ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
      rs.next();
      assertEquals("wal", rs.getString(1));
    }
  }

  @Test
  void close_emptiesTheWriteAheadLog_evenWithAnotherConnectionOpen(Vertx vertx, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("catalog.db");
    SqliteCatalog c = SqliteCatalog.open(vertx, file).await();
    long id = c.recordStart(1000, "1.0", 42, "node-a").await();
    // another connection open at close (as a catalog copy or the CLI can be): SQLite's own checkpoint
    // on the last close does not run, so the log would stay behind without the explicit one
    try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      try (Statement st = other.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM agent_runs")) {
        rs.next();
        assertEquals(1, rs.getInt(1));
      }
      assertTrue(Files.size(dir.resolve("catalog.db-wal")) > 0, "the write should be in the log before close");
      c.close().await();
      assertEquals(0, Files.size(dir.resolve("catalog.db-wal")), "write-ahead log left behind at close");
    }
    SqliteCatalog again = SqliteCatalog.open(vertx, file).await();
    assertEquals(id, again.listRuns(null, 10).await().items().get(0).id());
    again.close().await();
  }

  @Test
  void theCatalogAndItsWalFiles_areOwnerOnly(Vertx vertx, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("catalog.db");
    SqliteCatalog c = SqliteCatalog.open(vertx, file).await();
    c.recordStart(1000, "1.0", 42, "node-a").await();
    for (String name : new String[] {"catalog.db", "catalog.db-wal", "catalog.db-shm"}) {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(name))), name);
    }
    c.close().await();
  }

  @Test
  void reopening_doesNotReapplyMigrations_andKeepsData(Vertx vertx, @TempDir Path dir) {
    Path file = dir.resolve("catalog.db");
    SqliteCatalog c1 = SqliteCatalog.open(vertx, file).await();
    long id = c1.recordStart(1000, "1.0", 42, "node-a").await();
    c1.close().await();
    SqliteCatalog c2 = SqliteCatalog.open(vertx, file).await();
    Page<AgentRun> page = c2.listRuns(null, 10).await();
    assertEquals(1, page.items().size());
    assertEquals(new AgentRun(id, 1000, null, "1.0", 42, "node-a"), page.items().get(0));
    c2.close().await();
  }

  @Test
  void listRuns_keysetPaginationVisitsEveryRowOnce(Vertx vertx, @TempDir Path dir) {
    SqliteCatalog c = SqliteCatalog.open(vertx, dir.resolve("catalog.db")).await();
    for (int i = 0; i < 25; i++) {
      c.recordStart(i, "v", i, "n").await();
    }
    List<Long> seen = new ArrayList<>();
    Long after = null;
    int pages = 0;
    do {
      Page<AgentRun> p = c.listRuns(after, 10).await();
      p.items().forEach(r -> seen.add(r.startedAt()));
      after = p.next();
      pages++;
    } while (after != null);
    assertEquals(3, pages);
    assertEquals(25, seen.size());
    for (int i = 0; i < 25; i++) {
      assertEquals(i, seen.get(i));
    }
    c.close().await();
  }

  @Test
  void lastFullPage_hasNoNextKey(Vertx vertx, @TempDir Path dir) {
    SqliteCatalog c = SqliteCatalog.open(vertx, dir.resolve("catalog.db")).await();
    for (int i = 0; i < 10; i++) {
      c.recordStart(i, "v", i, "n").await();
    }
    Page<AgentRun> p = c.listRuns(null, 10).await();
    assertEquals(10, p.items().size());
    assertNull(p.next());
    c.close().await();
  }

  @Test
  void recordStop_isDurableAcrossReopen(Vertx vertx, @TempDir Path dir) {
    Path file = dir.resolve("catalog.db");
    SqliteCatalog c = SqliteCatalog.open(vertx, file).await();
    long id = c.recordStart(5, "v", 1, "n").await();
    c.recordStop(id, 9).await();
    c.close().await();
    SqliteCatalog again = SqliteCatalog.open(vertx, file).await();
    assertEquals(9L, again.listRuns(null, 1).await().items().get(0).stoppedAt());
    again.close().await();
  }

  @Test
  void twoWritersOnOneFile_bothSucceed_busyIsRetried(Vertx vertx, @TempDir Path dir) {
    // two catalogs on one file stand in for the agent and the CLI (separate connections, one lock)
    Path file = dir.resolve("catalog.db");
    SqliteCatalog a = SqliteCatalog.open(vertx, file).await();
    SqliteCatalog b = SqliteCatalog.open(vertx, file).await();
    List<Future<Long>> writes = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      writes.add((i % 2 == 0 ? a : b).recordStart(i, "v", i, "n"));
    }
    Future.all(writes).await();
    int total = 0;
    Long after = null;
    do {
      Page<AgentRun> p = a.listRuns(after, 1000).await();
      total += p.items().size();
      after = p.next();
    } while (after != null);
    assertEquals(100, total);
    a.close().await();
    b.close().await();
  }

  /** Regression: writes stayed uncommitted and held the write lock after the first transaction. */
  @Test
  void write_isCommittedAndVisibleToAnotherProcessAtOnce(Vertx vertx, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("catalog.db");
    SqliteCatalog c = SqliteCatalog.open(vertx, file).await();
    c.recordStart(7, "v", 1, "n").await();
    try (Connection conn = DriverManager.getConnection("jdbc:sqlite:" + file + "?busy_timeout=1000");
         Statement st = conn.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM agent_runs WHERE started_at = 7")) {
        rs.next();
        assertEquals(1, rs.getInt(1));
      }
      // and the agent's catalog does not keep the write lock: another connection can write now
      assertEquals(1, st.executeUpdate("INSERT INTO agent_runs (started_at, version, pid, node) VALUES (8, 'cli', 2, 'n')"));
    }
    assertEquals(2, c.listRuns(null, 10).await().items().size());
    c.close().await();
  }

  @Test
  void listRuns_refusesBadLimit(Vertx vertx, @TempDir Path dir) {
    SqliteCatalog c = SqliteCatalog.open(vertx, dir.resolve("catalog.db")).await();
    Throwable t = c.listRuns(null, 0).transform(ar -> Future.succeededFuture(ar.cause())).await();
    assertTrue(t.getMessage().contains("limit"), t.getMessage());
    c.close().await();
  }

  @Test
  void migrationScripts_splitIntoStatements() {
    List<String> s = Migrations.statements("-- c\nCREATE TABLE a (x INT);\n\nCREATE TABLE b (\n y INT\n);\n");
    assertEquals(List.of("CREATE TABLE a (x INT)", "CREATE TABLE b (\n y INT\n)"), s);
  }
}
