package au.com.backup247.agent.backup;

import au.com.backup247.agent.repo.index.ExtendedAttribute;
import au.com.backup247.agent.repo.index.FileVersion;
import au.com.backup247.agent.repo.index.RawNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A path found by the scan with the metadata that decides whether it changed, its device (to check
 * that what is opened later is the same file) and, for folders, their extended attributes.
 */
record SourceEntry(Path path, String key, int kind, long size, int mode, long mtimeNanos, long ctimeNanos,
    long inode, long uid, long gid, long dev, List<ExtendedAttribute> xattrs) {

  static final int OTHER = 0;
  private static final boolean UNIX = Files.getFileAttributeView(Path.of("/"),
      java.nio.file.attribute.PosixFileAttributeView.class) != null;

  /** Reads metadata; {@code kind} OTHER for FIFOs, sockets and devices. */
  static SourceEntry of(Path p, boolean followLinks) throws IOException {
    LinkOption[] opts = followLinks ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
    if (!UNIX) {
      BasicFileAttributes b = Files.readAttributes(p, BasicFileAttributes.class, opts);
      int kind = kindOf(b.isSymbolicLink(), b.isDirectory(), b.isRegularFile());
      return new SourceEntry(p, key(p), kind, kind == FileVersion.FILE ? b.size() : 0, 0,
          nanos(b.lastModifiedTime()), 0, 0, -1, -1, 0, List.of());
    }
    // one lstat for everything
    Map<String, Object> u = Files.readAttributes(p, "unix:" + ATTRS, opts);
    int kind = kindOf((Boolean) u.get("isSymbolicLink"), (Boolean) u.get("isDirectory"),
        (Boolean) u.get("isRegularFile"));
    return new SourceEntry(p, key(p), kind, kind == FileVersion.FILE ? (Long) u.get("size") : 0,
        ((Integer) u.get("mode")) & 07777, nanos((FileTime) u.get("lastModifiedTime")),
        nanos((FileTime) u.get("ctime")), (Long) u.get("ino"), ((Integer) u.get("uid")) & 0xFFFFFFFFL,
        ((Integer) u.get("gid")) & 0xFFFFFFFFL, (Long) u.get("dev"), List.of());
  }

  /** The same entry with these extended attributes. */
  SourceEntry withXattrs(List<ExtendedAttribute> attrs) {
    return new SourceEntry(path, key, kind, size, mode, mtimeNanos, ctimeNanos, inode, uid, gid, dev, attrs);
  }

  private static final String ATTRS =
      "size,lastModifiedTime,isDirectory,isRegularFile,isSymbolicLink,mode,ino,ctime,uid,gid,dev";

  private static int kindOf(boolean link, boolean dir, boolean file) {
    return link ? FileVersion.SYMLINK : dir ? FileVersion.FOLDER : file ? FileVersion.FILE : OTHER;
  }

  static long nanos(FileTime t) {
    return Math.max(0, t.to(TimeUnit.NANOSECONDS));
  }

  /** The path as stored: absolute with '/' separators, names with their exact bytes ({@link RawNames}). */
  static String key(Path p) {
    String s = RawNames.of(p.toAbsolutePath().normalize()).replace('\\', '/');
    return s.startsWith("/") ? s : "/" + s;
  }
}
