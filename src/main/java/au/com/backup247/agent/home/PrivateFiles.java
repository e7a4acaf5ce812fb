package au.com.backup247.agent.home;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Files and folders only their owner may use: folders 0700, files 0600, created so (never readable
 * by others in between, whatever the umask). On a file system without POSIX permissions the modes
 * are skipped and nothing is refused.
 *
 * <p>Blocking file I/O: call from a worker thread. Nothing here logs, so contents never reach a log.
 */
public final class PrivateFiles {
  static final Set<PosixFilePermission> OPEN = EnumSet.of(PosixFilePermission.GROUP_READ,
      PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);
  private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private PrivateFiles() {
  }

  /** Creates {@code dir} and every missing parent, each 0700; an existing folder is left as it is. */
  public static Path createDir(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return dir;
    }
    Path parent = dir.toAbsolutePath().getParent();
    if (parent != null) {
      createDir(parent);
    }
    try {
      Files.createDirectory(dir, attr(DIR));
    } catch (FileAlreadyExistsException raced) {
      if (!Files.isDirectory(dir)) {
        throw raced;
      }
    } catch (UnsupportedOperationException noPosix) {
      Files.createDirectories(dir);
    }
    return dir;
  }

  /** Creates {@code file} empty with mode 0600 when it does not exist; an existing file is left as it is. */
  public static Path createFile(Path file) throws IOException {
    try {
      Files.createFile(file, attr(FILE));
    } catch (FileAlreadyExistsException exists) {
      // keep it (and its mode: a wrong mode is reported by the start check, not silently changed)
    } catch (UnsupportedOperationException noPosix) {
      if (!Files.exists(file)) {
        Files.createFile(file);
      }
    }
    return file;
  }

  /**
   * Writes {@code data} to {@code file} (mode 0600) atomically: a temporary file in the same folder,
   * forced to disk, then renamed over {@code file}; the folder is created 0700 when missing.
   */
  public static void write(Path file, byte[] data) throws IOException {
    writeAtomically(file, data, true);
  }

  /** Like {@link #write}, but false (and nothing written) when {@code file} already exists. */
  public static boolean writeNew(Path file, byte[] data) throws IOException {
    return writeAtomically(file, data, false);
  }

  private static boolean writeAtomically(Path file, byte[] data, boolean replace) throws IOException {
    Path dir = createDir(file.toAbsolutePath().getParent());
    if (!replace && Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    Path tmp = dir.resolve(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(tmp, attr(FILE));
    } catch (UnsupportedOperationException noPosix) {
      Files.createFile(tmp);
    }
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(data);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
    try {
      if (replace) {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } else {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, replace ? new StandardCopyOption[] {StandardCopyOption.REPLACE_EXISTING}
          : new StandardCopyOption[0]);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    syncDir(dir);
    return true;
  }

  private static void syncDir(Path d) {
    try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // not every file system can sync a folder; the rename itself is atomic
    }
  }

  /** Sets {@code path} to 0600 (a file) or 0700 (a folder) when group or others may read or write it. */
  public static void restrict(Path path) throws IOException {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
      if (!Collections.disjoint(perms, OPEN)) {
        Files.setPosixFilePermissions(path, Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? DIR : FILE);
      }
    } catch (UnsupportedOperationException | NoSuchFileException e) {
      // nothing to restrict
    }
  }

  /**
   * Why {@code path} is not private (group or others may read or write it), as
   * {@code "mode rwxr-xr-x"}; empty when it is private, missing, or the file system has no POSIX
   * permissions. Follows symbolic links (what matters is the file the agent uses).
   */
  public static Optional<String> openMode(Path path) throws IOException {
    PosixFileAttributes a;
    try {
      a = Files.readAttributes(path, PosixFileAttributes.class);
    } catch (NoSuchFileException | UnsupportedOperationException e) {
      return Optional.empty();
    }
    return Collections.disjoint(a.permissions(), OPEN) ? Optional.empty()
        : Optional.of("mode " + PosixFilePermissions.toString(a.permissions()));
  }

  private static FileAttribute<Set<PosixFilePermission>> attr(Set<PosixFilePermission> perms) {
    return PosixFilePermissions.asFileAttribute(perms);
  }
}
