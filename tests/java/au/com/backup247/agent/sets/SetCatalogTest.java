package au.com.backup247.agent.sets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import au.com.backup247.agent.catalog.SetRow;
import au.com.backup247.agent.catalog.SqliteCatalog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The catalog's backup_sets table (migration V002) as the sets service uses it. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SetCatalogTest {

  private static Failure failure(Future<?> f) {
    Throwable t = assertThrows(Throwable.class, f::await);
    return AgentException.from(t).failure();
  }

  @Test
  void namesClash_ignoringCase_alsoBeyondAscii(Vertx vertx, @TempDir Path dir) {
    SqliteCatalog c = SqliteCatalog.open(vertx, dir.resolve("catalog.db")).await();
    c.insertSet(new SetRow(1, "Straße", "{}", 1, 1)).await();
    assertEquals(Failure.CONFLICT, failure(c.insertSet(new SetRow(2, "STRASSE", "{}", 2, 2))));
    c.insertSet(new SetRow(3, "été", "{}", 3, 3)).await();
    assertEquals(Failure.CONFLICT, failure(c.insertSet(new SetRow(4, "ÉTÉ", "{}", 4, 4))));
    assertEquals(2, c.listSets(null, 10).await().items().size());
    c.close().await();
  }

  @Test
  void takenId_isAConflict_andNothingIsHalfWritten(Vertx vertx, @TempDir Path dir) {
    SqliteCatalog c = SqliteCatalog.open(vertx, dir.resolve("catalog.db")).await();
    c.insertSet(new SetRow(5, "A", "{\"x\":1}", 1, 1)).await();
    assertEquals(Failure.CONFLICT, failure(c.insertSet(new SetRow(5, "B", "{}", 1, 1))));
    assertEquals(1, c.listSets(null, 10).await().items().size());
    assertEquals(new SetRow(5, "A", "{\"x\":1}", 1, 1), c.getSet(5).await());
    assertEquals(5L, c.maxSetId().await());
    c.close().await();
  }

  @Test
  void updateAndRename_checkTheIdAndTheName(Vertx vertx, @TempDir Path dir) {
    SqliteCatalog c = SqliteCatalog.open(vertx, dir.resolve("catalog.db")).await();
    c.insertSet(new SetRow(1, "A", "{\"v\":1}", 1, 1)).await();
    c.insertSet(new SetRow(2, "B", "{}", 1, 1)).await();
    assertEquals(Failure.NOT_FOUND, failure(c.updateSet(9, "Z", "{}", 2)));
    assertEquals(Failure.CONFLICT, failure(c.updateSet(1, "b", null, 2)));
    c.updateSet(1, "a", null, 3).await(); // its own name in another case
    assertEquals(new SetRow(1, "a", "{\"v\":1}", 1, 3), c.getSet(1).await());
    c.updateSet(1, "Alpha", "{\"v\":2}", 4).await();
    assertEquals(new SetRow(1, "Alpha", "{\"v\":2}", 1, 4), c.getSet(1).await());
    c.deleteSet(1).await();
    assertEquals(Failure.NOT_FOUND, failure(c.getSet(1)));
    assertEquals(Failure.NOT_FOUND, failure(c.deleteSet(1)));
    assertTrue(c.listSets(null, 10).await().items().stream().allMatch(r -> r.id() == 2));
    c.close().await();
  }
}
