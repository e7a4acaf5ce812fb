package au.com.backup247.agent.catalog;

import au.com.backup247.agent.bus.AgentException;
import au.com.backup247.agent.bus.Failure;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code b247 catalog recover} (issue 11 item 10), with the agent stopped:
 *
 * <ol>
 *   <li>a catalog that fails {@code PRAGMA quick_check} (or cannot be opened) is moved aside, with
 *       its WAL files, to {@code <file>.damaged-<UTC time>}; a missing or damaged one is replaced by
 *       the newest copy that passes the check ({@link CatalogCopies}), or else a new empty one;
 *   <li>every backup set exported in {@code keys/} ({@link SetExports}) that the catalog lacks is
 *       added, and one whose export is newer than its row is updated; the others are left alone.
 * </ol>
 * Each step is a line of the result. Keys are never touched: they stay where they are.
 */
public final class CatalogRecovery {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
  private final Path file;
  private final Path home;

  /** What was done, one line each, and whether every exported set is in the catalog now. */
  public record Result(List<String> lines, boolean ok) {
  }

  public CatalogRecovery(Path file, Path home) {
    this.file = file.toAbsolutePath();
    this.home = home;
  }

  public Result run(Instant now) throws IOException {
    List<String> lines = new ArrayList<>();
    replaceIfDamaged(now, lines);
    SetExports exports = new SetExports(home.resolve("keys"));
    SetExports.Found found = exports.readAll();
    boolean ok = found.problems().isEmpty();
    found.problems().forEach(p -> lines.add("export not used: " + p));
    int added = 0;
    int updated = 0;
    int present = 0;
    Vertx vertx = Vertx.vertx();
    try {
      SqliteCatalog c = SqliteCatalog.open(vertx, file).await();
      try {
        for (SetRow row : found.rows()) {
          Optional<SetRow> have = existing(c, row.id());
          try {
            if (have.isEmpty()) {
              c.insertSet(row).await();
              added++;
              lines.add("set " + row.id() + " \"" + row.name() + "\" restored from " + exports.file(row.id()));
            } else if (have.get().updatedAt() < row.updatedAt()) {
              c.updateSet(row.id(), row.name(), row.json(), row.updatedAt()).await();
              updated++;
              lines.add("set " + row.id() + " \"" + row.name() + "\" updated from its newer export");
            } else {
              present++;
            }
          } catch (AgentException e) {
            ok = false;
            lines.add("set " + row.id() + " \"" + row.name() + "\" NOT restored: " + e.getMessage());
          }
        }
      } finally {
        c.close().await();
      }
    } finally {
      vertx.close().await();
    }
    lines.add("backup sets: " + added + " restored, " + updated + " updated, " + present + " already in the catalog"
        + " (" + file + ")");
    return new Result(lines, ok);
  }

  private static Optional<SetRow> existing(SqliteCatalog c, long id) {
    try {
      return Optional.of(c.getSet(id).await());
    } catch (AgentException e) {
      if (e.failure() == Failure.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private void replaceIfDamaged(Instant now, List<String> lines) throws IOException {
    boolean exists = Files.exists(file);
    String problem = exists ? CatalogCopies.check(file) : null;
    if (exists && problem == null) {
      lines.add("catalog " + file + " passes its check (PRAGMA quick_check)");
      return;
    }
    if (exists) {
      Path aside = file.resolveSibling(file.getFileName() + ".damaged-" + STAMP.format(now));
      for (String suffix : List.of("", "-wal", "-shm")) {
        Path p = file.resolveSibling(file.getFileName() + suffix);
        if (Files.exists(p)) {
          Files.move(p, aside.resolveSibling(aside.getFileName() + suffix));
        }
      }
      lines.add("catalog " + file + " is damaged (" + problem + "): kept as " + aside);
    } else {
      lines.add("catalog " + file + " does not exist");
    }
    CatalogCopies copies = new CatalogCopies(file);
    Optional<Path> copy = copies.newestSound();
    if (copy.isPresent()) {
      Files.copy(copy.get(), file, StandardCopyOption.COPY_ATTRIBUTES);
      lines.add("started again from the copy " + copy.get() + " (its reports and settings as of "
          + Files.getLastModifiedTime(copy.get()).toInstant() + ")");
    } else {
      lines.add("no sound copy in " + copies.dir() + ": a new, empty catalog is made");
    }
  }
}
