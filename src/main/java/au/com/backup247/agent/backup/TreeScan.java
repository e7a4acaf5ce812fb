package au.com.backup247.agent.backup;

import au.com.backup247.agent.fs.Fds;
import au.com.backup247.agent.fs.Xattrs;
import au.com.backup247.agent.repo.index.FileVersion;
import au.com.backup247.agent.repo.index.PathOrder;
import au.com.backup247.agent.repo.index.RawNames;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The scan stage: walks the sources depth first in {@link PathOrder} order (each folder's entries
 * sorted by name), pulled one entry at a time so a driver can pace it. Folders above each source
 * come first (so a restore can recreate their modes and times). FIFOs, sockets and devices are
 * skipped with a warning; unreadable folders and files are warnings, never failures.
 */
final class TreeScan {
  private enum Role { PARENT, SOURCE, CHILD }

  private record Item(Path path, Role role) {
  }

  /** A folder entry and its name as stored (exact bytes, {@link RawNames}), which orders the walk. */
  private record Named(String name, Path path) {
  }

  private final BackupOptions options;
  private final JobLog log;
  private final JobStats stats;
  private final Iterator<Path> sources;
  private final Deque<Item> pending = new ArrayDeque<>();
  private final Deque<Iterator<Path>> stack = new ArrayDeque<>();
  private String lastKey;

  TreeScan(BackupOptions options, JobLog log, JobStats stats) {
    this.options = options;
    this.log = log;
    this.stats = stats;
    this.sources = orderedSources(options.sources()).iterator();
    String charset = System.getProperty("sun.jnu.encoding", "UTF-8");
    if (!charset.equalsIgnoreCase("UTF-8")) {
      log.info("the locale's charset is " + charset + ", not UTF-8: file names are stored exactly all the same, but "
          + "non-ASCII characters in this log show as '?'; run with LC_ALL=C.UTF-8 (launch/b247 and the service do)");
    }
  }

  /** The sources in path order, without any that lies inside another. */
  static List<Path> orderedSources(List<Path> sources) {
    List<Path> abs = new ArrayList<>();
    for (Path p : sources) {
      abs.add(p.toAbsolutePath().normalize());
    }
    abs.sort(Comparator.comparing(SourceEntry::key, PathOrder.COMPARATOR));
    List<Path> out = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    outer:
    for (Path p : abs) {
      String k = SourceEntry.key(p);
      for (String o : keys) {
        if (k.equals(o) || k.startsWith(o.endsWith("/") ? o : o + "/")) {
          continue outer;
        }
      }
      keys.add(k);
      out.add(p);
    }
    return out;
  }

  /** The sources (absolute) that do not exist. */
  static List<Path> missing(List<Path> sources) {
    return sources.stream().filter(p -> !Files.exists(p, LinkOption.NOFOLLOW_LINKS)).toList();
  }

  /** The next entry in path order, or null when the walk is over. */
  SourceEntry next() {
    while (true) {
      Item item = nextItem();
      if (item == null) {
        return null;
      }
      SourceEntry e = visit(item);
      if (e != null) {
        return e;
      }
    }
  }

  private Item nextItem() {
    while (true) {
      if (!pending.isEmpty()) {
        return pending.poll();
      }
      if (!stack.isEmpty()) {
        Iterator<Path> top = stack.peek();
        if (top.hasNext()) {
          return new Item(top.next(), Role.CHILD);
        }
        stack.pop();
        continue;
      }
      if (!sources.hasNext()) {
        return null;
      }
      Path src = sources.next();
      if (!Files.exists(src, LinkOption.NOFOLLOW_LINKS)) {
        stats.sourceErrors.incrementAndGet();
        log.error("the source folder " + src + " does not exist: nothing was backed up from it (is the disk or share "
            + "mounted?)");
        continue;
      }
      List<Path> parents = new ArrayList<>();
      for (Path p = src.getParent(); p != null && p.getParent() != null; p = p.getParent()) {
        parents.add(0, p);
      }
      for (Path p : parents) {
        pending.add(new Item(p, Role.PARENT));
      }
      pending.add(new Item(src, Role.SOURCE));
    }
  }

  private SourceEntry visit(Item item) {
    Path p = item.path();
    boolean parent = item.role() == Role.PARENT;
    if (parent && lastKey != null && PathOrder.compare(lastKey, SourceEntry.key(p)) >= 0) {
      return null; // recorded for an earlier source
    }
    SourceEntry e;
    try {
      e = SourceEntry.of(p, parent || options.followLinks());
    } catch (NoSuchFileException ex) {
      return null; // vanished during the scan
    } catch (IOException ex) {
      log.warn((parent ? "cannot read " : "cannot read the metadata of ") + p + ": " + ex.getMessage() + "; skipped");
      return null;
    }
    if (e.kind() == SourceEntry.OTHER) {
      if (!parent) {
        log.warn(p + " is not a file, folder or symlink (FIFO, socket or device); skipped");
      }
      return null;
    }
    if (!parent && !options.filters().isEmpty() && !Filter.included(options.filters(),
        e.path().toAbsolutePath().normalize(), e.kind() == FileVersion.FOLDER)) {
      return null; // filtered out (a folder with everything below it)
    }
    if (lastKey != null && PathOrder.compare(lastKey, e.key()) >= 0) {
      if (item.role() == Role.CHILD) {
        log.warn(p + " comes out of order after " + lastKey + " (it changed while the folder was read?); skipped");
      }
      return null;
    }
    lastKey = e.key();
    if (!parent && e.kind() == FileVersion.FOLDER) {
      e = openFolder(e);
    }
    return e;
  }

  /**
   * Lists a folder's entries onto the stack and reads its extended attributes, through the opened
   * folder itself; a folder that is no longer the one scanned (swapped for a symlink or another
   * folder meanwhile) is kept with its scanned metadata and without contents.
   */
  private SourceEntry openFolder(SourceEntry e) {
    Path p = e.path();
    List<Named> children = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
      Optional<Path> fd = ds instanceof SecureDirectoryStream<Path> s ? Fds.of(s) : Optional.empty();
      if (!sameObject(fd, e, options.followLinks())) {
        log.warn("folder " + p + " was replaced after it was scanned; its contents were skipped");
        return e;
      }
      e = e.withXattrs(Xattrs.read(fd.orElse(p), fd.isPresent(), log::warn));
      for (Path c : ds) {
        children.add(new Named(RawNames.of(c.getFileName()), c));
      }
      children.sort(Comparator.comparing(Named::name));
      stack.push(children.stream().map(Named::path).iterator());
    } catch (AccessDeniedException ex) {
      log.warn("folder " + p + " cannot be read (permission denied); its contents were skipped");
    } catch (IOException ex) {
      log.warn("folder " + p + " cannot be read: " + ex.getMessage() + "; its contents were skipped");
    }
    return e;
  }

  /** Whether the opened folder (its descriptor when available, else the path) is the scanned one. */
  private static boolean sameObject(Optional<Path> fd, SourceEntry e, boolean followLinks) throws IOException {
    if (e.inode() == 0) {
      return true;
    }
    try {
      Map<String, Object> a = fd.isPresent() ? Files.readAttributes(fd.get(), "unix:dev,ino")
          : followLinks ? Files.readAttributes(e.path(), "unix:dev,ino")
          : Files.readAttributes(e.path(), "unix:dev,ino", LinkOption.NOFOLLOW_LINKS);
      return (Long) a.get("ino") == e.inode() && (Long) a.get("dev") == e.dev();
    } catch (UnsupportedOperationException ex) {
      return true;
    }
  }
}
