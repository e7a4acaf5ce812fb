package au.com.backup247.agent.restore;

import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.fs.Xattrs;
import au.com.backup247.agent.repo.index.FileVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Gives a restored entry its stored metadata (issue 11 item 7), in an order that keeps each step
 * from undoing the one before: extended attributes (while the owner may still write the file),
 * owner and group (a change of owner clears set-id bits), the mode with its set-uid, set-gid and
 * sticky bits, then the modification time.
 *
 * <p>Each is applied when the restoring user may: the owner only as root, the group when the user
 * is in it, set-gid only when the kernel keeps it (it clears it for a group the user is not in),
 * {@code user.*} attributes where the file system has them. What could not be applied is counted by
 * kind and said once per kind in the log ({@link #report}), with the first entry as an example.
 *
 * <p>The entry is designated by a descriptor path ({@code followLinks} true: the object itself) or
 * by a path whose last name is not followed. Set-id bits are set as root only through a descriptor:
 * through a path, a local user who swapped a folder above could have them set on a file of theirs.
 */
final class MetadataWriter {
  static final boolean ROOT = "root".equals(System.getProperty("user.name"));

  private final JobLog log;
  private final Map<String, int[]> counts = new TreeMap<>();
  private final Map<String, String> examples = new TreeMap<>();

  MetadataWriter(JobLog log) {
    this.log = log;
  }

  /**
   * Applies everything stored for {@code v} to {@code p}; {@code shown} names the entry in messages.
   * Owner, group and mode are read first and set only where they differ (a file just made by root
   * for a root-owned 0644 file needs neither): three system calls fewer per restored file.
   */
  void apply(Path p, boolean followLinks, FileVersion v, String shown) {
    LinkOption[] opts = followLinks ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
    for (String f : Xattrs.write(p, followLinks, v.xattrs())) {
      problem("extended attributes", shown + ": " + f);
    }
    Map<String, Object> now = current(p, opts);
    boolean ownerChanged = owner(p, opts, v, shown, now);
    if (v.kind() != FileVersion.SYMLINK) {
      mode(p, opts, followLinks, v, shown, ownerChanged ? null : now);
    }
    FileTime mtime = FileTime.from(Instant.EPOCH.plusNanos(v.mtimeNanos()));
    // a file made by this restore was last accessed now: giving both times spares the JDK a stat
    FileTime atime = v.kind() == FileVersion.FILE && followLinks ? FileTime.from(Instant.now()) : null;
    try {
      Files.getFileAttributeView(p, BasicFileAttributeView.class, opts).setTimes(mtime, atime, null);
    } catch (IOException | UnsupportedOperationException e) {
      if (v.kind() != FileVersion.SYMLINK) { // some file systems cannot set a symlink's time: no news
        problem("modification time", shown + ": " + e.getMessage());
      }
    }
  }

  /** Owner, group and mode as they are (null where the file system cannot tell). */
  private static Map<String, Object> current(Path p, LinkOption[] opts) {
    try {
      return Files.readAttributes(p, "unix:uid,gid,mode", opts);
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return null;
    }
  }

  private static boolean differs(Map<String, Object> now, String attr, int wanted) {
    return now == null || !(now.get(attr) instanceof Integer i) || i != wanted;
  }

  /**
   * Owner and group, when stored, when they differ and when this process may set them (root; or a
   * group it is in); true when one was changed.
   */
  private boolean owner(Path p, LinkOption[] opts, FileVersion v, String shown, Map<String, Object> now) {
    if (v.uid() < 0 || v.gid() < 0) {
      return false;
    }
    boolean changed = false;
    try {
      if (ROOT && differs(now, "uid", (int) v.uid())) {
        changed = true;
        Files.setAttribute(p, "unix:uid", (int) v.uid(), opts);
      }
      if (differs(now, "gid", (int) v.gid())) {
        changed = true;
        Files.setAttribute(p, "unix:gid", (int) v.gid(), opts);
      }
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      // not a POSIX file system: the restoring user owns the file
    } catch (IOException e) {
      if (ROOT) {
        problem("owner and group", shown + ": " + e.getMessage());
      } // otherwise expected: a user may only give files to groups they are in
    }
    return changed;
  }

  /** The mode; {@code now} (null: unknown, or an owner change may have cleared set-id bits) spares an equal one. */
  private void mode(Path p, LinkOption[] opts, boolean byDescriptor, FileVersion v, String shown,
      Map<String, Object> now) {
    int mode = v.mode() & 07777;
    if (ROOT && !byDescriptor && (mode & 06000) != 0) {
      problem("set-uid and set-gid bits", shown + ": not set as root without /proc descriptors (unsafe through "
          + "a path)");
      mode &= ~06000;
    }
    if (now != null && now.get("mode") instanceof Integer m && (m & 07777) == mode) {
      return;
    }
    try {
      Files.setAttribute(p, "unix:mode", mode, opts);
      if ((mode & 07000) != 0) {
        int set = (Integer) Files.getAttribute(p, "unix:mode", opts) & 07777;
        if (set != mode) {
          problem("set-uid, set-gid and sticky bits", shown + ": stored " + Integer.toOctalString(mode) + ", the file "
              + "system kept " + Integer.toOctalString(set));
        }
      }
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: keep default permissions
    } catch (IOException e) {
      problem("permissions", shown + ": " + e.getMessage());
    }
  }

  synchronized void problem(String kind, String example) {
    counts.computeIfAbsent(kind, k -> new int[1])[0]++;
    examples.putIfAbsent(kind, example);
  }

  /** One warning per kind of metadata that could not be applied, with a count and the first case. */
  synchronized void report() {
    for (Map.Entry<String, int[]> e : counts.entrySet()) {
      int n = e.getValue()[0];
      log.warn(e.getKey() + " could not be restored on " + n + (n == 1 ? " entry: " : " entries, e.g. ")
          + examples.get(e.getKey()));
    }
  }
}
