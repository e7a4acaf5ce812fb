package au.com.backup247.agent.catalog;

import au.com.backup247.agent.home.PrivateFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The catalog file's health and its rotating copies (issue 11 item 10): {@link #check} runs
 * {@code PRAGMA quick_check}; {@link #copy} writes a consistent copy with {@code VACUUM INTO}
 * (SQLite's online backup: other connections keep reading and writing) into
 * {@code catalog-copies/catalog-<UTC time>.db} beside the catalog (0700 folder, 0600 files), forced to disk and renamed into
 * place, keeping the {@link #KEEP} newest. {@code b247 catalog recover} starts from the newest copy
 * that passes the check.
 *
 * <p>Blocking (plain JDBC): call from a worker thread.
 */
public final class CatalogCopies {
  /** Copies kept. */
  public static final int KEEP = 3;
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
  private static final Pattern COPY = Pattern.compile("catalog-\\d{8}-\\d{6}\\.db");

  private final Path file;
  private final Path dir;

  public CatalogCopies(Path file) {
    this.file = file.toAbsolutePath();
    this.dir = this.file.resolveSibling("catalog-copies");
  }

  public Path dir() {
    return dir;
  }

  /** What {@code PRAGMA quick_check} finds wrong with {@code db}, or null when it is sound (or absent). */
  public static String check(Path db) {
    if (!Files.exists(db)) {
      return null;
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
        Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
      List<String> problems = new ArrayList<>();
      while (rs.next()) {
        String line = rs.getString(1);
        if (!"ok".equals(line)) {
          problems.add(line);
        }
      }
      return problems.isEmpty() ? null : String.join("; ", problems.subList(0, Math.min(5, problems.size())));
    } catch (SQLException e) {
      return e.getMessage();
    }
  }

  /** Writes a new copy and drops the oldest beyond {@link #KEEP}; returns the copy. */
  public Path copy(Instant now) throws IOException {
    PrivateFiles.createDir(dir);
    Path target = dir.resolve("catalog-" + STAMP.format(now) + ".db");
    Path tmp = dir.resolve(target.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
      s.execute("VACUUM INTO '" + tmp.toString().replace("'", "''") + "'");
    } catch (SQLException e) {
      Files.deleteIfExists(tmp);
      throw new IOException("cannot copy the catalog " + file + " to " + target + ": " + e.getMessage(), e);
    }
    PrivateFiles.restrict(tmp); // the catalog's data: 0600 like the catalog
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
    List<Path> all = copies();
    for (Path old : all.subList(Math.min(KEEP, all.size()), all.size())) {
      Files.deleteIfExists(old);
    }
    return target;
  }

  /** The copies, newest first. */
  public List<Path> copies() throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> COPY.matcher(p.getFileName().toString()).matches())
          .sorted((a, b) -> b.getFileName().toString().compareTo(a.getFileName().toString())).toList();
    } catch (NoSuchFileException e) {
      return List.of();
    }
  }

  /** When the newest copy was written, if there is one. */
  public Optional<Instant> newest() throws IOException {
    List<Path> all = copies();
    return all.isEmpty() ? Optional.empty() : Optional.of(Files.getLastModifiedTime(all.get(0)).toInstant());
  }

  /** The newest copy that passes {@link #check}. */
  public Optional<Path> newestSound() throws IOException {
    for (Path p : copies()) {
      if (check(p) == null) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
