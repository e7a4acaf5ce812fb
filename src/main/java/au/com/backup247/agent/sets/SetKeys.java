package au.com.backup247.agent.sets;

import au.com.backup247.agent.home.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The sets' encryption keys: one file per set, {@code <keys>/<setId>.key}, holding the key on one
 * line — the format {@code b247 repo --key-file} reads, so the file alone is enough to restore
 * offline. The folder is 0700 and every file 0600, created so (never readable in between); a key
 * is written to a temporary file, forced to disk and renamed into place. A deleted set's key is
 * moved to {@code deleted/<setId>-<time>.key}, never destroyed: its backups may still need it.
 *
 * <p>Blocking file I/O: call from a worker thread. Keys never appear in messages or logs.
 */
public final class SetKeys {
  private final Path dir;

  public SetKeys(Path dir) {
    this.dir = dir;
  }

  public Path file(long setId) {
    return dir.resolve(setId + ".key");
  }

  /** Writes a new key; false (and nothing written) when the set already has a key file. */
  boolean tryWrite(long setId, String key) throws IOException {
    ensureDir(dir);
    return PrivateFiles.writeNew(file(setId), (key + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** The key of a set, if its file exists. */
  public Optional<String> read(long setId) throws IOException {
    try {
      String s = Files.readString(file(setId), StandardCharsets.UTF_8);
      int nl = s.indexOf('\n');
      return Optional.of(nl >= 0 ? s.substring(0, nl) : s);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** Removes a key written for a set that was then not stored. */
  void discard(long setId) throws IOException {
    Files.deleteIfExists(file(setId));
  }

  /** Moves a deleted set's key aside; returns where it went, or empty when there was none. */
  Optional<Path> retire(long setId, long now) throws IOException {
    Path from = file(setId);
    if (!Files.exists(from)) {
      return Optional.empty();
    }
    Path deleted = dir.resolve("deleted");
    ensureDir(deleted);
    Path to = deleted.resolve(setId + "-" + now + ".key");
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    return Optional.of(to);
  }

  private static void ensureDir(Path d) throws IOException {
    PrivateFiles.createDir(d);
    PrivateFiles.restrict(d);
  }
}
