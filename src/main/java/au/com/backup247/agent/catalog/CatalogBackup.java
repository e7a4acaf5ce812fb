package au.com.backup247.agent.catalog;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the catalog from being the only copy of what matters in it (issue 11 item 10): refuses to
 * start on a damaged catalog ({@link #requireSound}), exports every backup set beside its key and
 * again on every change ({@link SetExports}), copies the catalog once a day ({@link CatalogCopies})
 * and keeps the disk reserve that lets reports be written on a full agent home ({@link SpaceReserve}).
 * Failures of these are logged, never fatal: the catalog itself still works.
 */
final class CatalogBackup {
  private static final Logger LOG = LoggerFactory.getLogger(CatalogBackup.class);
  static final Duration COPY_EVERY = Duration.ofHours(24);
  static final long CHECK_EVERY_MS = Duration.ofHours(1).toMillis();

  private final Vertx vertx;
  private final Catalog catalog;
  private final Path file;
  private final CatalogCopies copies;
  private final SetExports exports;
  private Future<Void> exporting = Future.succeededFuture();
  private long timer = -1;

  CatalogBackup(Vertx vertx, Catalog catalog, Path file, Path home) {
    this.vertx = vertx;
    this.catalog = catalog;
    this.file = file;
    this.copies = new CatalogCopies(file);
    this.exports = new SetExports(home.resolve("keys"));
  }

  /** Fails, naming what to do, when {@code file} exists and does not pass {@code PRAGMA quick_check}. Blocking. */
  static Void requireSound(Path file, Path home) {
    String problem = CatalogCopies.check(file);
    if (problem != null) {
      throw new AgentException(Failure.UNAVAILABLE, "catalog " + file + " is damaged (quick_check: " + problem
          + "); the agent does not start on it. With the agent stopped, run `b247 catalog recover`: it keeps the "
          + "damaged file aside and rebuilds the catalog from the newest sound copy in "
          + new CatalogCopies(file).dir() + " and the backup sets exported in " + home.resolve("keys"));
    }
    return null;
  }

  /** Exports every set and starts the daily copy; never fails. */
  Future<Void> start() {
    Future<Void> ready = exportAll()
        .onFailure(err -> LOG.warn("backup sets could not be exported to {}: {}", exports.file(0).getParent(),
            err.getMessage()))
        .otherwiseEmpty();
    timer = vertx.setPeriodic(0, CHECK_EVERY_MS, id -> copyIfDue());
    return ready;
  }

  /**
   * Writes (or retires, {@code change} "deleted") the export of set {@code id} after a change the
   * catalog committed, before the change is answered, one at a time; never fails.
   */
  Future<Void> exported(long id, String change) {
    Future<Void> next = exporting.transform(x -> changed(id, change));
    exporting = next;
    return next;
  }

  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  private Future<Void> changed(long id, String change) {
    Future<?> done = "deleted".equals(change) ? blocking(() -> exports.retire(id, System.currentTimeMillis()))
        : catalog.getSet(id).compose(row -> blocking(() -> {
          exports.write(row);
          return null;
        }));
    return done.<Void>mapEmpty().recover(err -> {
      LOG.warn("the export of backup set {} ({}) could not be written: {}", id, change, err.getMessage());
      return Future.succeededFuture();
    });
  }

  private Future<Void> exportAll() {
    return exportPage(null, 0).compose(n -> blocking(() -> {
      int found = exports.readAll().rows().size();
      if (n == 0 && found > 0) {
        LOG.warn("the catalog {} holds no backup set, but {} holds {} exported set(s): if the catalog was lost, stop the "
            + "agent and run `b247 catalog recover`", file, exports.file(0).getParent(), found);
      }
      return null;
    }));
  }

  private Future<Integer> exportPage(Long after, int done) {
    return catalog.listSets(after, 100).compose(page -> blocking(() -> {
      for (SetRow r : page.items()) {
        exports.write(r);
      }
      return null;
    }).compose(v -> page.next() == null ? Future.succeededFuture(done + page.items().size())
        : exportPage(page.next(), done + page.items().size())));
  }

  private void copyIfDue() {
    blocking(() -> {
      if (!SpaceReserve.ensure(file)) {
        LOG.warn("no room for the {} KiB disk reserve beside the catalog {}: free space in its folder",
            SpaceReserve.SIZE / 1024, file);
      }
      Instant now = Instant.now();
      if (copies.newest().map(t -> t.isBefore(now.minus(COPY_EVERY))).orElse(true)) {
        Path copy = copies.copy(now);
        LOG.info("catalog copied to {}", copy);
      }
      return null;
    }).onFailure(err -> LOG.warn("the catalog could not be copied: {}", err.getMessage()));
  }

  private <T> Future<T> blocking(Callable<T> op) {
    return vertx.executeBlocking(op, true);
  }
}
