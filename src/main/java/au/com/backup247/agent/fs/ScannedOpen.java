package au.com.backup247.agent.fs;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Opens a file the scan found, for reading, as the same file (TEST-MATRIX S1; issue 11 item 8): a
 * local user may swap it, between the scan and the open, for a symlink to a file only root may
 * read, or for a FIFO whose open would block the job forever.
 *
 * <ul>
 *   <li>the last name is opened with {@code NOFOLLOW_LINKS} (a symlink fails the open);
 *   <li>the open runs on a helper thread; while it has not returned after {@link #STALL_MS}, the
 *       path is looked at again: once it is no longer the scanned regular file (a FIFO, a device,
 *       anything else), the file is given up with {@link ReplacedException} and the job goes on; a
 *       FIFO is then opened read-write (which never blocks) to release the waiting open, whose
 *       channel is closed when it returns;
 *   <li>the opened file's device and inode (read through its descriptor, {@link Fds}) must be the
 *       scanned ones, and it must be a regular file; otherwise {@link ReplacedException}.
 * </ul>
 * A slow file system (the path still shows the scanned file) is waited for as long as it takes.
 */
public final class ScannedOpen {
  /** How long an open may take before the path is looked at again. */
  static final long STALL_MS = 1000;
  private static final int S_IFMT = 0170000;
  private static final int S_IFREG = 0100000;
  private static final int S_IFIFO = 0010000;
  private static final int S_IFLNK = 0120000;
  private static final ExecutorService OPENER = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "b247-open");
    t.setDaemon(true);
    return t;
  });

  private ScannedOpen() {
  }

  /** The file at {@code p} is not (any more) the one the scan saw. */
  public static final class ReplacedException extends IOException {
    private static final long serialVersionUID = 1L;

    ReplacedException(String message) {
      super(message);
    }
  }

  /**
   * Opens {@code p} for reading and checks it is the regular file with device {@code dev} and inode
   * {@code ino} (both 0: unknown, not compared).
   */
  public static FileChannel open(Path p, long dev, long ino) throws IOException {
    return open(p, dev, ino, false);
  }

  /**
   * As {@link #open(Path, long, long)}; with {@code followLinks} (a set that backs up what its links
   * point to), a symlink at {@code p} is followed and {@code dev}/{@code ino} are its target's.
   */
  public static FileChannel open(Path p, long dev, long ino, boolean followLinks) throws IOException {
    LinkOption[] how = followLinks ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
    CompletableFuture<FileChannel> f = CompletableFuture.supplyAsync(() -> {
      try {
        return followLinks ? FileChannel.open(p, StandardOpenOption.READ)
            : FileChannel.open(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
      } catch (IOException e) {
        throw new CompletionException(e);
      }
    }, OPENER);
    FileChannel ch = await(f, p, dev, ino, how);
    try {
      check(ch, p, dev, ino);
      return ch;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  private static FileChannel await(CompletableFuture<FileChannel> f, Path p, long dev, long ino, LinkOption... how)
      throws IOException {
    while (true) {
      try {
        return f.get(STALL_MS, TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        Throwable c = e.getCause();
        if (c instanceof IOException && c.getMessage() != null
            && c.getMessage().contains("Too many levels of symbolic links")) { // ELOOP: NOFOLLOW met a link
          throw new ReplacedException("file " + p + " was replaced by a symlink after it was scanned; not followed, "
              + "skipped");
        }
        if (c instanceof IOException io) {
          throw io;
        }
        throw c instanceof RuntimeException r ? r : new IllegalStateException(c);
      } catch (TimeoutException e) {
        String now = changed(p, dev, ino, how);
        if (now != null) {
          f.thenAccept(ScannedOpen::closeQuietly);
          release(p);
          throw new ReplacedException("file " + p + " was replaced by " + now + " after it was scanned and its open "
              + "did not return; skipped");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        f.thenAccept(ScannedOpen::closeQuietly);
        throw new InterruptedIOException("interrupted while opening " + p);
      }
    }
  }

  /** What is at {@code p} now when it is not the scanned regular file; null when it still is. */
  private static String changed(Path p, long dev, long ino, LinkOption... how) {
    try {
      Map<String, Object> a = Files.readAttributes(p, "unix:mode,dev,ino", how);
      int type = (Integer) a.get("mode") & S_IFMT;
      if (type == S_IFIFO) {
        return "a FIFO";
      }
      if (type == S_IFLNK) {
        return "a symlink";
      }
      if (type != S_IFREG) {
        return "a device or socket";
      }
      return ino != 0 && ((Long) a.get("ino") != ino || (Long) a.get("dev") != dev) ? "another file" : null;
    } catch (NoSuchFileException e) {
      return "nothing (it was deleted)";
    } catch (IOException | UnsupportedOperationException e) {
      return null; // cannot tell: keep waiting
    }
  }

  /** Releases an open waiting on the FIFO at {@code p}: a read-write open of a FIFO never blocks. */
  private static void release(Path p) {
    OPENER.execute(() -> {
      try (FileChannel w = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE,
          LinkOption.NOFOLLOW_LINKS)) {
        // opened and closed: the waiting reader's open returns
      } catch (IOException | RuntimeException e) {
        // not a FIFO any more, or not ours to open: that open stays waiting (one thread)
      }
    });
  }

  private static void check(FileChannel ch, Path p, long dev, long ino) throws IOException {
    Optional<Path> fd = Fds.of(ch);
    Map<String, Object> a;
    try {
      a = fd.isPresent() ? Files.readAttributes(fd.get(), "unix:mode,dev,ino")
          : Files.readAttributes(p, "unix:mode,dev,ino", LinkOption.NOFOLLOW_LINKS);
    } catch (UnsupportedOperationException e) {
      return; // not a Unix file system: nothing to compare
    }
    if (((Integer) a.get("mode") & S_IFMT) != S_IFREG) {
      throw new ReplacedException("file " + p + " is no longer a regular file; skipped");
    }
    if (ino != 0 && ((Long) a.get("ino") != ino || (Long) a.get("dev") != dev)) {
      throw new ReplacedException("file " + p + " was replaced by another file after it was scanned (inode " + ino
          + ", now " + a.get("ino") + "); skipped");
    }
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException ignored) {
      // a channel nobody read from
    }
  }
}
