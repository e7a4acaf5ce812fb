package au.com.backup247.agent.restore;

import au.com.backup247.agent.backup.JobLog;
import au.com.backup247.agent.fs.FdCalls;
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
import java.util.concurrent.TimeUnit;

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
    apply(new ByPath(p, followLinks), v, shown);
  }

  /**
   * Applies everything stored for the file {@code v} to the open file {@code fd}, whose descriptor
   * path is {@code self}: owner, mode and times through the descriptor itself ({@link FdCalls}), one
   * system call each (a file restored as root with the owner and mode it was made with costs a
   * {@code fstat} and a {@code futimens}).
   */
  void apply(int fd, Path self, FileVersion v, String shown) {
    apply(new ByDescriptor(fd, self), v, shown);
  }

  private void apply(Target t, FileVersion v, String shown) {
    for (String f : Xattrs.write(t.path(), t.followLinks(), v.xattrs())) {
      problem("extended attributes", shown + ": " + f);
    }
    FdCalls.Stat now = t.stat();
    boolean ownerChanged = owner(t, v, shown, now);
    if (v.kind() != FileVersion.SYMLINK) {
      mode(t, v, shown, ownerChanged ? null : now);
    }
    // a file made by this restore was last accessed now: giving both times spares the JDK a stat
    boolean made = v.kind() == FileVersion.FILE && t.followLinks();
    try {
      t.setTimes(v.mtimeNanos(), made ? now() : -1);
    } catch (IOException | UnsupportedOperationException e) {
      if (v.kind() != FileVersion.SYMLINK) { // some file systems cannot set a symlink's time: no news
        problem("modification time", shown + ": " + e.getMessage());
      }
    }
  }

  private static long now() {
    Instant i = Instant.now();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  /**
   * Owner and group, when stored, when they differ and when this process may set them (root; or a
   * group it is in); true when one was changed.
   */
  private boolean owner(Target t, FileVersion v, String shown, FdCalls.Stat now) {
    if (v.uid() < 0 || v.gid() < 0) {
      return false;
    }
    int uid = ROOT && (now == null || now.uid() != (int) v.uid()) ? (int) v.uid() : -1;
    int gid = now == null || now.gid() != (int) v.gid() ? (int) v.gid() : -1;
    if (uid == -1 && gid == -1) {
      return false;
    }
    try {
      t.chown(uid, gid);
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      // not a POSIX file system: the restoring user owns the file
    } catch (IOException e) {
      if (ROOT) {
        problem("owner and group", shown + ": " + e.getMessage());
      } // otherwise expected: a user may only give files to groups they are in
    }
    return true;
  }

  /** The mode; {@code now} (null: unknown, or an owner change may have cleared set-id bits) spares an equal one. */
  private void mode(Target t, FileVersion v, String shown, FdCalls.Stat now) {
    int mode = v.mode() & 07777;
    if (ROOT && !t.byDescriptor() && (mode & 06000) != 0) {
      problem("set-uid and set-gid bits", shown + ": not set as root without /proc descriptors (unsafe through "
          + "a path)");
      mode &= ~06000;
    }
    if (now != null && (now.mode() & 07777) == mode) {
      return;
    }
    try {
      t.chmod(mode);
      if ((mode & 07000) != 0) {
        FdCalls.Stat after = t.stat();
        int set = after == null ? mode : after.mode() & 07777;
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

  /** Where metadata is set: a path, or an open file's descriptor. */
  private interface Target {
    /** A path of the entry (for extended attributes). */
    Path path();

    /** True when {@link #path} designates the entry itself (a descriptor path), false when its last name is not followed. */
    boolean followLinks();

    /** True when every call acts on the object itself, immune to renames of the folders above. */
    boolean byDescriptor();

    /** Owner, group and mode as they are; null where the file system cannot tell. */
    FdCalls.Stat stat();

    /** Sets owner and group (-1: leave it). */
    void chown(int uid, int gid) throws IOException;

    void chmod(int mode) throws IOException;

    /** Sets the modification time and, unless -1, the access time (nanoseconds since the epoch). */
    void setTimes(long modifiedNanos, long accessNanos) throws IOException;
  }

  /** Through a path: a descriptor path ({@code followLinks}) or a path whose last name is not followed. */
  private record ByPath(Path path, boolean followLinks) implements Target {
    private LinkOption[] opts() {
      return followLinks ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
    }

    @Override
    public boolean byDescriptor() {
      return followLinks;
    }

    @Override
    public FdCalls.Stat stat() {
      try {
        Map<String, Object> a = Files.readAttributes(path, "unix:uid,gid,mode", opts());
        return a.get("uid") instanceof Integer u && a.get("gid") instanceof Integer g && a.get("mode") instanceof Integer m
            ? new FdCalls.Stat(u, g, m) : null;
      } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
        return null;
      }
    }

    @Override
    public void chown(int uid, int gid) throws IOException {
      if (uid != -1) {
        Files.setAttribute(path, "unix:uid", uid, opts());
      }
      if (gid != -1) {
        Files.setAttribute(path, "unix:gid", gid, opts());
      }
    }

    @Override
    public void chmod(int mode) throws IOException {
      Files.setAttribute(path, "unix:mode", mode, opts());
    }

    @Override
    public void setTimes(long modifiedNanos, long accessNanos) throws IOException {
      Files.getFileAttributeView(path, BasicFileAttributeView.class, opts()).setTimes(
          FileTime.from(modifiedNanos, TimeUnit.NANOSECONDS),
          accessNanos == -1 ? null : FileTime.from(accessNanos, TimeUnit.NANOSECONDS), null);
    }
  }

  /** Through an open file's descriptor ({@code self} is its {@code /proc/self/fd/N} path). */
  private record ByDescriptor(int fd, Path path) implements Target {
    @Override
    public boolean followLinks() {
      return true;
    }

    @Override
    public boolean byDescriptor() {
      return true;
    }

    @Override
    public FdCalls.Stat stat() {
      try {
        return FdCalls.fstat(fd);
      } catch (IOException e) {
        return null;
      }
    }

    @Override
    public void chown(int uid, int gid) throws IOException {
      FdCalls.fchown(fd, uid, gid);
    }

    @Override
    public void chmod(int mode) throws IOException {
      FdCalls.fchmod(fd, mode);
    }

    @Override
    public void setTimes(long modifiedNanos, long accessNanos) throws IOException {
      FdCalls.futimens(fd, accessNanos == -1 ? now() : accessNanos, modifiedNanos);
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
