package au.com.backup247.agent.restore;

import au.com.backup247.agent.fs.Fds;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One folder of the restore target, held open (TEST-MATRIX S3; issue 11 item 8). Everything done
 * in it — creating a temporary file, renaming it into place, making a subfolder or a symlink,
 * deleting — is relative to the open folder ({@link SecureDirectoryStream}, the {@code *at} system
 * calls) with symlinks never followed, so a local user who swaps the folder or one above it for a
 * symlink meanwhile cannot redirect a write: the restore keeps writing into the folder it checked.
 * Folders are reached from the target one name at a time, each opened with {@code NOFOLLOW_LINKS}.
 *
 * <p>Making a folder or a symlink goes through {@code /proc/self/fd/N/name} ({@link Fds}); without
 * it (macOS, or a JVM without the agent's {@code Add-Opens}) through the folder's path.
 */
final class TargetDir implements AutoCloseable {
  private static final Set<OpenOption> CREATE = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
      LinkOption.NOFOLLOW_LINKS);
  private static final Set<OpenOption> READ = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);

  private final SecureDirectoryStream<Path> dir;
  private final Path path;
  private final Optional<Path> fd;
  private final boolean made;

  private TargetDir(SecureDirectoryStream<Path> dir, Path path, boolean made) {
    this.dir = dir;
    this.path = path;
    this.fd = Fds.of(dir);
    this.made = made;
  }

  /** True when the {@link #child} call that opened this folder made it (it was new, so empty). */
  boolean made() {
    return made;
  }

  /** Opens the target folder itself (it must exist and is the caller's choice, so it may be reached through links). */
  static TargetDir open(Path target) throws IOException {
    DirectoryStream<Path> ds = Files.newDirectoryStream(target);
    if (!(ds instanceof SecureDirectoryStream<Path> s)) {
      ds.close();
      throw new IOException("this platform cannot restore safely into " + target + ": it offers no SecureDirectoryStream");
    }
    return new TargetDir(s, target, false);
  }

  /** The folder's path (for messages). */
  Path path() {
    return path;
  }

  /** A path that designates this folder itself: its descriptor, or (without one) its path. */
  Path self() {
    return fd.orElse(path);
  }

  /** True when {@link #self} and {@link #entry} are descriptors, immune to renames of the folders above. */
  boolean byDescriptor() {
    return fd.isPresent();
  }

  /** A path that designates {@code name} inside this folder (its last name must not be followed). */
  Path entry(Path name) {
    return fd.orElse(path).resolve(name);
  }

  /** The attributes of {@code name} (a symlink's own), or null when there is nothing of that name. */
  BasicFileAttributes lstat(Path name) throws IOException {
    try {
      return dir.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes();
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /**
   * The subfolder {@code name}, made when missing and {@code create}; refused with an error naming
   * it when it is a symlink or not a folder.
   */
  TargetDir child(Path name, boolean create) throws IOException {
    Path shown = path.resolve(name);
    boolean madeNow = false;
    if (create) {
      // mkdir first: a new folder costs one call; what was there already is looked at before it is
      // opened (opening a FIFO would block)
      try {
        Files.createDirectory(entry(name));
        madeNow = true;
      } catch (FileAlreadyExistsException exists) {
        checkFolder(shown, lstat(name));
      }
    } else {
      BasicFileAttributes a = lstat(name);
      if (a == null) {
        throw new NoSuchFileException(shown.toString());
      }
      checkFolder(shown, a);
    }
    try {
      return new TargetDir(dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS), shown, madeNow);
    } catch (NotDirectoryException e) {
      throw new RefusedException("cannot restore into " + shown + ": it exists and is not a folder");
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().contains("symbolic link")) { // ELOOP: swapped since the lstat
        throw new RefusedException("refused to restore into " + shown + ": it is a symlink in the target");
      }
      throw e;
    }
  }

  private static void checkFolder(Path shown, BasicFileAttributes a) throws IOException {
    if (a == null) {
      return; // removed since the mkdir: the open below fails or finds what replaced it
    }
    if (a.isSymbolicLink()) {
      throw new RefusedException("refused to restore into " + shown + ": it is a symlink in the target");
    }
    if (!a.isDirectory()) {
      throw new RefusedException("cannot restore into " + shown + ": it exists and is not a folder");
    }
  }

  /** A new file {@code name} for writing; fails when anything of that name exists. */
  FileChannel create(Path name) throws IOException {
    return (FileChannel) dir.newByteChannel(name, CREATE);
  }

  /** {@code name} for reading, never through a symlink. */
  FileChannel read(Path name) throws IOException {
    return (FileChannel) dir.newByteChannel(name, READ);
  }

  /** Renames {@code from} to {@code to} inside this folder, replacing a file {@code to}. */
  void rename(Path from, Path to) throws IOException {
    dir.move(from, dir, to);
  }

  /** Makes the symlink {@code name} → {@code target}. */
  void symlink(Path name, Path target) throws IOException {
    Files.createSymbolicLink(entry(name), target);
  }

  /** Deletes the file or symlink {@code name}, quietly when it is gone. */
  void deleteFile(Path name) throws IOException {
    try {
      dir.deleteFile(name);
    } catch (NoSuchFileException gone) {
      // nothing to delete
    }
  }

  /** The names in this folder (read through a stream of its own, so any number of times). */
  List<Path> names() throws IOException {
    List<Path> out = new ArrayList<>();
    try (SecureDirectoryStream<Path> self = dir.newDirectoryStream(Path.of("."), LinkOption.NOFOLLOW_LINKS)) {
      for (Path p : self) {
        out.add(p.getFileName());
      }
    }
    return out;
  }

  /**
   * Deletes {@code name} and, for a folder, everything below it, never through a symlink; counts
   * every entry deleted and reports folders that could not be emptied.
   */
  void deleteTree(Path name, Runnable deleted, Consumer<String> problems) throws IOException {
    BasicFileAttributes a = lstat(name);
    if (a == null) {
      return;
    }
    if (a.isDirectory() && !a.isSymbolicLink()) {
      try (TargetDir sub = child(name, false)) {
        for (Path n : sub.names()) {
          sub.deleteTree(n, deleted, problems);
        }
      }
      try {
        dir.deleteDirectory(name);
        deleted.run();
      } catch (DirectoryNotEmptyException e) {
        problems.accept("could not remove " + path.resolve(name) + ": not empty");
      }
      return;
    }
    deleteFile(name);
    deleted.run();
  }

  @Override
  public void close() {
    try {
      dir.close();
    } catch (IOException ignored) {
      // closing a directory stream
    }
  }

  /** A folder of the target that must not be restored into (a symlink, or not a folder). */
  static final class RefusedException extends IOException {
    private static final long serialVersionUID = 1L;

    RefusedException(String message) {
      super(message);
    }
  }
}
