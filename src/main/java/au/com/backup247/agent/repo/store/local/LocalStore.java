package au.com.backup247.agent.repo.store.local;

import au.com.backup247.agent.repo.error.RepoException;
import au.com.backup247.agent.repo.store.ChannelIo;
import au.com.backup247.agent.repo.store.NoSuchObjectException;
import au.com.backup247.agent.repo.store.Store;
import au.com.backup247.agent.repo.store.StoreException;
import au.com.backup247.agent.repo.store.StorePaths;
import au.com.backup247.agent.repo.store.TempRename;
import au.com.backup247.agent.repo.store.UploadSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.FileVisitResult;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A repository in a local folder (FORMAT.md §9): every put is temp file → write → fsync → rename →
 * fsync folder ({@link TempRename}), so a crash leaves either no object or a whole one. A folder the store creates
 * ({@code blocks/<job>/}, {@code index/}, ...) is made one level at a time, each followed by an
 * fsync of its parent, before anything is renamed into it; a folder fsync that fails is an error
 * (only "not supported" answers of a file system that cannot sync folders are ignored). Reads of block ranges use
 * positional reads on cached channels (dropped when the object is replaced or deleted).
 *
 * <p>Errors: a missing object is {@link NoSuchObjectException}; all other I/O failures of a local
 * file system (no space, permission, I/O error) are {@link StoreException.Kind#PERMANENT}, since
 * repeating them at once rarely helps; only a failing upload source is transient.
 */
public final class LocalStore implements Store {
  private static final int COPY_BUFFER = 64 * 1024;
  private final Path root;
  private final ConcurrentHashMap<String, FileChannel> readers = new ConcurrentHashMap<>();
  /** Folders whose entry in their parent this store has made durable (created or found, then synced). */
  private final java.util.Set<Path> durableDirs = ConcurrentHashMap.newKeySet();

  public LocalStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  @Override
  public String name() {
    return root.toString();
  }

  Path resolve(String path) {
    return root.resolve(StorePaths.check(this, path));
  }

  @Override
  public void put(String path, byte[] data) {
    put(path, data, data.length);
  }

  @Override
  public void put(String path, byte[] data, int length) {
    write(path, ch -> ChannelIo.write(ch, data, 0, length));
  }

  @Override
  public void put(String path, InputStream data, long length) {
    StorePaths.checkPut(this, path, length, Long.MAX_VALUE);
    write(path, ch -> new UploadSource(data, length).copyTo((buf, off, n) -> ChannelIo.write(ch, buf, off, n),
        COPY_BUFFER));
  }

  /** Writes the temp file's content. */
  private interface Writer {
    void write(FileChannel ch) throws IOException;
  }

  private void write(String path, Writer writer) {
    Path target = resolve(path);
    Path dir = target.getParent();
    try {
      TempRename.put(new TempRename.Files() {
        @Override
        public void write(String tmp) throws IOException {
          createFolders(dir);
          try (FileChannel ch = FileChannel.open(Path.of(tmp), StandardOpenOption.CREATE_NEW,
              StandardOpenOption.WRITE)) {
            writer.write(ch);
            ch.force(true);
          }
        }

        @Override
        public void replace(String tmp, String to) throws IOException {
          try {
            Files.move(Path.of(tmp), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          } catch (AtomicMoveNotSupportedException e) {
            Files.move(Path.of(tmp), target, StandardCopyOption.REPLACE_EXISTING);
          }
          dropReader(path);
          fsyncDir(dir);
        }

        @Override
        public void discard(String tmp) {
          deleteQuietly(Path.of(tmp));
        }
      }, target.toString());
    } catch (UploadSource.Failure e) {
      throw e.error(path, name());
    } catch (IOException e) {
      throw error("cannot write " + path + " to " + root, e);
    }
  }

  private static void deleteQuietly(Path tmp) {
    try {
      Files.deleteIfExists(tmp);
    } catch (IOException ignored) {
      // best effort: a left-over temp file is never listed
    }
  }

  /**
   * Creates {@code dir} and any missing folder above it, one level at a time, each followed by an
   * fsync of its parent. A folder inside the repository that exists but was not made durable by
   * this store gets its parent synced once too (another thread may just have created it); folders
   * above the repository that exist are not the store's to sync.
   */
  private void createFolders(Path dir) throws IOException {
    if (durableDirs.contains(dir)) {
      return;
    }
    boolean exists = Files.isDirectory(dir);
    if (exists && !dir.startsWith(root)) {
      durableDirs.add(dir);
      return;
    }
    Path parent = dir.getParent();
    if (parent != null) {
      createFolders(parent);
    }
    if (!exists) {
      try {
        Files.createDirectory(dir);
      } catch (FileAlreadyExistsException e) {
        if (!Files.isDirectory(dir)) {
          // a file where a folder belongs: say so (the JDK's answer reads "it already exists", and a
          // lock taken through createExclusive would take it for another process's lock)
          throw new FileSystemException(dir.toString(), null,
              (dir.startsWith(root) ? root.relativize(dir) : dir) + " is a file, not a folder");
        }
      }
    }
    if (parent != null && !(exists && dir.equals(root))) {
      fsyncDir(parent);
    }
    durableDirs.add(dir);
  }

  /**
   * Forces a folder's entries to disk. Fails on any error except the answers of a file system that
   * cannot sync folders at all (EINVAL, ENOTSUP; ENOTTY on macOS), as restic's {@code fsyncDir}.
   */
  static void fsyncDir(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      if (!cannotSyncFolders(e)) {
        throw new IOException("cannot sync folder " + dir + ": " + describe(e), e);
      }
    }
  }

  static boolean cannotSyncFolders(IOException e) {
    String m = e.getMessage();
    return m != null && (m.contains("Invalid argument") || m.contains("Operation not supported")
        || m.contains("Inappropriate ioctl for device"));
  }

  @Override
  public byte[] get(String path) {
    try (FileChannel ch = FileChannel.open(resolve(path), StandardOpenOption.READ)) {
      long size = ch.size();
      if (size > Integer.MAX_VALUE - 8) {
        throw StoreException.permanent("cannot read " + path + " in " + root + ": " + size
            + " bytes do not fit in an array");
      }
      byte[] out = new byte[(int) size];
      int n = ChannelIo.read(ch, out, 0, out.length); // objects do not change once written
      return n == out.length ? out : Arrays.copyOf(out, n);
    } catch (NoSuchFileException e) {
      throw new NoSuchObjectException(path + " does not exist in " + root);
    } catch (IOException e) {
      throw error("cannot read " + path + " in " + root, e);
    }
  }

  @Override
  public byte[] get(String path, long offset, int length) {
    StorePaths.checkRange(this, path, offset, length);
    for (int attempt = 0;; attempt++) {
      FileChannel ch = channel(path);
      try {
        return read(ch, path, offset, length);
      } catch (ClosedChannelException e) {
        // replaced or deleted by another thread while reading: open the current file once more
        readers.remove(path, ch);
        if (attempt > 0) {
          throw error("cannot read " + path + " in " + root, e);
        }
      } catch (IOException e) {
        throw error("cannot read " + path + " in " + root, e);
      }
    }
  }

  private byte[] read(FileChannel ch, String path, long offset, int length) throws IOException {
    byte[] out = new byte[length];
    if (ChannelIo.read(ch, offset, out, 0, length) < length) {
      throw StorePaths.outOfRange(this, path, offset, length, ch.size());
    }
    return out;
  }

  private FileChannel channel(String path) {
    FileChannel ch = readers.get(path);
    if (ch != null && ch.isOpen()) {
      return ch;
    }
    try {
      FileChannel opened = FileChannel.open(resolve(path), StandardOpenOption.READ);
      FileChannel prev = readers.putIfAbsent(path, opened);
      if (prev != null) {
        if (prev.isOpen()) {
          opened.close();
          return prev;
        }
        readers.replace(path, prev, opened);
      }
      return opened;
    } catch (NoSuchFileException e) {
      throw new NoSuchObjectException(path + " does not exist in " + root);
    } catch (IOException e) {
      throw error("cannot open " + path + " in " + root, e);
    }
  }

  private void dropReader(String path) {
    FileChannel ch = readers.remove(path);
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // closing a read channel
      }
    }
  }

  @Override
  public List<StoredObject> list(String prefix) {
    StorePaths.checkPrefix(this, prefix);
    String folder = StorePaths.folderOf(prefix);
    Path start = folder.isEmpty() ? root : root.resolve(folder);
    if (!Files.isDirectory(start)) {
      return List.of();
    }
    List<StoredObject> out = new ArrayList<>();
    try {
      // a file that vanishes while listing (a put's temporary file renamed, a delete) is skipped:
      // Files.walk would fail the whole listing on it
      Files.walkFileTree(start, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path p, BasicFileAttributes link) {
          String rel = root.relativize(p).toString().replace('\\', '/');
          if (StorePaths.isTemp(p.getFileName().toString()) || !rel.startsWith(prefix)) {
            return FileVisitResult.CONTINUE;
          }
          try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            if (a.isRegularFile()) {
              out.add(new StoredObject(rel, a.size()));
            }
          } catch (IOException e) {
            // vanished while listing
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path p, IOException e) throws IOException {
          if (e instanceof NoSuchFileException) {
            return FileVisitResult.CONTINUE;
          }
          throw e;
        }
      });
    } catch (IOException e) {
      throw error("cannot list " + prefix + " in " + root, e);
    }
    out.sort((a, b) -> a.path().compareTo(b.path()));
    return out;
  }

  @Override
  public List<String> folders(String folder) {
    Path dir = folder.isEmpty() ? root : resolve(folder);
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.forEach(p -> {
        String n = p.getFileName().toString();
        if (StorePaths.valid(n) && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) { // not a temporary upload
          out.add(n);
        }
      });
    } catch (NoSuchFileException | NotDirectoryException e) {
      return List.of();
    } catch (IOException | UncheckedIOException e) {
      throw error("cannot list the folders in " + dir, e instanceof UncheckedIOException u ? u.getCause()
          : (IOException) e);
    }
    out.sort(null);
    return out;
  }

  @Override
  public Optional<StoredObject> stat(String path) {
    try {
      BasicFileAttributes a = Files.readAttributes(resolve(path), BasicFileAttributes.class);
      return a.isRegularFile() ? Optional.of(new StoredObject(path, a.size())) : Optional.empty();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw error("cannot check whether " + path + " exists in " + root, e);
    }
  }

  @Override
  public void delete(String path) {
    Path p = resolve(path);
    dropReader(path);
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      throw error("cannot delete " + path + " in " + root, e);
    }
  }

  @Override
  public int removeTemporaryBefore(java.time.Instant before) {
    if (!Files.isDirectory(root)) {
      return 0;
    }
    int[] removed = {0};
    try (Stream<Path> s = Files.walk(root)) {
      s.filter(p -> StorePaths.isTemp(p.getFileName().toString())).forEach(p -> {
        try {
          BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
          if (a.isRegularFile() && a.lastModifiedTime().toInstant().isBefore(before) && Files.deleteIfExists(p)) {
            removed[0]++;
          }
        } catch (IOException e) {
          // vanished meanwhile, or not removable: left for the next time
        }
      });
    } catch (IOException | UncheckedIOException e) {
      IOException io = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
      throw error("cannot look for leftover temporary files in " + root, io);
    }
    return removed[0];
  }

  /** Creates {@code path} only if it does not exist yet (for lock files); false when it exists. */
  public boolean createExclusive(String path, byte[] data) {
    Path target = resolve(path);
    try {
      createFolders(target.getParent());
      Files.write(target, data, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
      fsyncDir(target.getParent());
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      throw error("cannot create " + path + " in " + root, e);
    }
  }

  @Override
  public void close() {
    for (FileChannel ch : readers.values()) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // closing read channels
      }
    }
    readers.clear();
  }

  /** A permanent error for a local I/O failure, worded for a person ("no space left", ...). */
  static RepoException error(String what, IOException e) {
    if (e instanceof AccessDeniedException) {
      return StoreException.permanent(what + ": permission denied", e);
    }
    String reason = e instanceof FileSystemException f ? f.getReason() : e.getMessage();
    if (reason != null && (reason.contains("No space left") || reason.contains("Disk quota exceeded"))) {
      return StoreException.permanent(what + ": no space left (" + reason + ")", e);
    }
    return StoreException.permanent(what + ": " + describe(e), e);
  }

  static String describe(IOException e) {
    return au.com.backup247.agent.fs.IoReason.of(e);
  }
}
