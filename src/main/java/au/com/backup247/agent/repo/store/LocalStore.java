package au.com.backup247.agent.repo.store;

import au.com.backup247.agent.repo.RepoException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * A repository in a local folder (FORMAT.md §9): every put is temp file → write → fsync → rename →
 * fsync folder, so a crash leaves either no object or a whole one. Reads of block ranges use
 * positional reads on cached channels.
 */
public final class LocalStore implements Store {
  static final String TMP = ".tmp-";
  private final Path root;
  private final ConcurrentHashMap<String, FileChannel> readers = new ConcurrentHashMap<>();

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
    if (path.isEmpty() || path.startsWith("/") || path.contains("\\") || path.contains("\0")) {
      throw new RepoException("invalid object path \"" + path + "\"");
    }
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        throw new RepoException("invalid object path \"" + path + "\"");
      }
    }
    return root.resolve(path);
  }

  @Override
  public void put(String path, byte[] data) {
    put(path, data, data.length);
  }

  @Override
  public void put(String path, byte[] data, int length) {
    Path target = resolve(path);
    Path dir = target.getParent();
    Path tmp = dir.resolve(target.getFileName() + TMP + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    try {
      Files.createDirectories(dir);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer b = ByteBuffer.wrap(data, 0, length);
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      fsyncDir(dir);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // best effort
      }
      throw new RepoException("cannot write " + path + " to " + root + ": " + describe(e), e);
    }
  }

  static void fsyncDir(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // some platforms cannot open folders for fsync; the rename is still atomic
    }
  }

  @Override
  public byte[] get(String path) {
    try {
      return Files.readAllBytes(resolve(path));
    } catch (NoSuchFileException e) {
      throw new NoSuchObjectException(path + " does not exist in " + root);
    } catch (IOException e) {
      throw new RepoException("cannot read " + path + " in " + root + ": " + describe(e), e);
    }
  }

  @Override
  public byte[] get(String path, long offset, int length) {
    FileChannel ch = channel(path);
    byte[] out = new byte[length];
    ByteBuffer b = ByteBuffer.wrap(out);
    try {
      long pos = offset;
      while (b.hasRemaining()) {
        int n = ch.read(b, pos);
        if (n < 0) {
          throw new RepoException(path + " in " + root + " is shorter than expected (wanted " + length + " bytes at "
              + offset + ")");
        }
        pos += n;
      }
      return out;
    } catch (IOException e) {
      throw new RepoException("cannot read " + path + " in " + root + ": " + describe(e), e);
    }
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
        opened.close();
        return prev;
      }
      return opened;
    } catch (NoSuchFileException e) {
      throw new NoSuchObjectException(path + " does not exist in " + root);
    } catch (IOException e) {
      throw new RepoException("cannot open " + path + " in " + root + ": " + describe(e), e);
    }
  }

  @Override
  public List<StoredObject> list(String prefix) {
    Path start = prefix.isEmpty() ? root : resolve(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1)
        : prefix);
    if (!Files.isDirectory(start)) {
      return List.of();
    }
    List<StoredObject> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(start)) {
      s.filter(Files::isRegularFile).forEach(p -> {
        String name = p.getFileName().toString();
        if (name.contains(TMP)) {
          return;
        }
        try {
          out.add(new StoredObject(root.relativize(p).toString().replace('\\', '/'), Files.size(p)));
        } catch (IOException e) {
          // vanished while listing
        }
      });
    } catch (IOException e) {
      throw new RepoException("cannot list " + prefix + " in " + root + ": " + describe(e), e);
    }
    out.sort((a, b) -> a.path().compareTo(b.path()));
    return out;
  }

  @Override
  public boolean exists(String path) {
    return Files.exists(resolve(path));
  }

  @Override
  public void delete(String path) {
    FileChannel ch = readers.remove(path);
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // closing a read channel
      }
    }
    try {
      Files.deleteIfExists(resolve(path));
    } catch (IOException e) {
      throw new RepoException("cannot delete " + path + " in " + root + ": " + describe(e), e);
    }
  }

  /** Creates {@code path} only if it does not exist yet (for lock files); false when it exists. */
  public boolean createExclusive(String path, byte[] data) {
    Path target = resolve(path);
    try {
      Files.createDirectories(target.getParent());
      Files.write(target, data, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      throw new RepoException("cannot create " + path + " in " + root + ": " + describe(e), e);
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

  static String describe(IOException e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName().replace("Exception", "") + (m == null ? "" : " " + m);
  }
}
