package au.com.backup247.agent.backup;

import au.com.backup247.agent.repo.index.FileVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A path found by the scan with the metadata that decides whether it changed. */
record SourceEntry(Path path, String key, int kind, long size, int mode, long mtimeNanos, long ctimeNanos,
    long inode) {

  static final int OTHER = 0;
  private static final boolean UNIX = Files.getFileAttributeView(Path.of("/"),
      java.nio.file.attribute.PosixFileAttributeView.class) != null;

  /** Reads metadata; {@code kind} OTHER for FIFOs, sockets and devices. */
  static SourceEntry of(Path p, boolean followLinks) throws IOException {
    LinkOption[] opts = followLinks ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
    BasicFileAttributes b = Files.readAttributes(p, BasicFileAttributes.class, opts);
    int kind = b.isSymbolicLink() ? FileVersion.SYMLINK : b.isDirectory() ? FileVersion.FOLDER
        : b.isRegularFile() ? FileVersion.FILE : OTHER;
    int mode = 0;
    long ctime = 0;
    long inode = 0;
    if (UNIX) {
      Map<String, Object> u = Files.readAttributes(p, "unix:mode,ctime,ino", opts);
      mode = ((Integer) u.get("mode")) & 07777;
      ctime = nanos((FileTime) u.get("ctime"));
      inode = ((Long) u.get("ino"));
    }
    return new SourceEntry(p, key(p), kind, kind == FileVersion.FILE ? b.size() : 0, mode,
        nanos(b.lastModifiedTime()), ctime, inode);
  }

  static long nanos(FileTime t) {
    return Math.max(0, t.to(TimeUnit.NANOSECONDS));
  }

  /** The path as stored: absolute with '/' separators. */
  static String key(Path p) {
    String s = p.toAbsolutePath().normalize().toString().replace('\\', '/');
    return s.startsWith("/") ? s : "/" + s;
  }
}
