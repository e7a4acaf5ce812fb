package au.com.backup247.agent.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Opens a file the scan found, for reading, as the same file (TEST-MATRIX S1; issue 11 item 8): a
 * local user may swap it, between the scan and the open, for a symlink to a file only root may
 * read, or for a FIFO whose open would block the job forever.
 *
 * <ul>
 *   <li>the last name is opened with {@code NOFOLLOW_LINKS} (a symlink fails the open);
 *   <li>the open runs on the caller's thread, watched by a watchdog thread: while it has not
 *       returned after {@link #STALL_MS}, the path is looked at again (every half of it): once it
 *       is no longer the scanned regular file (a FIFO, a device, anything else), a FIFO is opened
 *       read-write (which never blocks) to release the waiting open, and the file is given up with
 *       {@link ReplacedException} when the open returns (the job goes on). Watching costs a set
 *       insert and removal per file, not a hand-over to another thread and back;
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
  /** Opens in progress; the watchdog looks at them every half {@link #STALL_MS}. */
  private static final Set<Opening> OPENING = ConcurrentHashMap.newKeySet();
  private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "b247-open");
    t.setDaemon(true);
    return t;
  });

  static {
    WATCHDOG.scheduleWithFixedDelay(ScannedOpen::watch, STALL_MS / 2, STALL_MS / 2, TimeUnit.MILLISECONDS);
  }

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
    Opening o = new Opening(p, dev, ino, how);
    OPENING.add(o);
    FileChannel ch;
    try {
      ch = followLinks ? FileChannel.open(p, StandardOpenOption.READ)
          : FileChannel.open(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().contains("Too many levels of symbolic links")) {
        // ELOOP: NOFOLLOW met a link
        throw new ReplacedException("file " + p + " was replaced by a symlink after it was scanned; not followed, "
            + "skipped");
      }
      throw e;
    } finally {
      OPENING.remove(o);
    }
    try {
      if (o.replacedBy != null) {
        throw new ReplacedException("file " + p + " was replaced by " + o.replacedBy + " after it was scanned and "
            + "its open did not return; skipped");
      }
      check(ch, p, dev, ino);
      return ch;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** An open in progress, as the watchdog sees it. */
  private static final class Opening {
    final Path path;
    final long dev;
    final long ino;
    final LinkOption[] how;
    final long started = System.nanoTime();
    volatile String replacedBy;

    Opening(Path path, long dev, long ino, LinkOption[] how) {
      this.path = path;
      this.dev = dev;
      this.ino = ino;
      this.how = how;
    }
  }

  /**
   * The watchdog's round: each open that has not returned after {@link #STALL_MS} is looked at
   * again; once its path is no longer the scanned regular file, the open is released (a FIFO) and
   * given up when it returns.
   */
  private static void watch() {
    long now = System.nanoTime();
    for (Opening o : OPENING) {
      if (o.replacedBy == null && now - o.started >= TimeUnit.MILLISECONDS.toNanos(STALL_MS)) {
        String what = changed(o.path, o.dev, o.ino, o.how);
        if (what != null) {
          o.replacedBy = what;
          release(o.path);
        }
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
    WATCHDOG.execute(() -> {
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
}
