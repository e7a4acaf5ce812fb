package au.com.backup247.agent.fs;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.channels.FileChannel;
import java.util.OptionalInt;

/**
 * {@code fstat}, {@code fchown}, {@code fchmod} and {@code futimens} on the descriptor of an open
 * file: one system call each, where the JDK's attribute views, given a path (even {@code
 * /proc/self/fd/N}), look the path up again and, to set times, open the file, set them and close it
 * (three calls). A restore gives every file it writes its metadata this way before closing it.
 *
 * <p>The calls are the JDK's own ({@code sun.nio.fs.UnixNativeDispatcher}, {@code
 * UnixFileAttributes}), reached by reflection through the {@code Add-Opens} of the agent's jar, as
 * {@link Fds} reaches descriptor numbers. Without them (another platform, a JVM started without the
 * opens, a JDK whose private methods differ) {@link #available} is false and callers use paths.
 */
public final class FdCalls {
  private static final Method FSTAT = Fds.method("sun.nio.fs.UnixFileAttributes", "get", int.class);
  private static final Method MODE = Fds.method("sun.nio.fs.UnixFileAttributes", "mode");
  private static final Method UID = Fds.method("sun.nio.fs.UnixFileAttributes", "uid");
  private static final Method GID = Fds.method("sun.nio.fs.UnixFileAttributes", "gid");
  private static final Method FCHOWN = Fds.method("sun.nio.fs.UnixNativeDispatcher", "fchown", int.class, int.class,
      int.class);
  private static final Method FCHMOD = Fds.method("sun.nio.fs.UnixNativeDispatcher", "fchmod", int.class, int.class);
  /** futimens(fd, access time, modification time), both in nanoseconds since the epoch (JDK 15 and later). */
  private static final Method FUTIMENS = Fds.method("sun.nio.fs.UnixNativeDispatcher", "futimens", int.class, long.class,
      long.class);
  private static final boolean AVAILABLE = FSTAT != null && MODE != null
      && UID != null && GID != null && FCHOWN != null && FCHMOD != null && FUTIMENS != null;

  private FdCalls() {
  }

  /** Owner, group and mode (with the file type bits) of an open file. */
  public record Stat(int uid, int gid, int mode) {
  }

  /** True when the calls below can be made here. */
  public static boolean available() {
    return AVAILABLE;
  }

  /** The descriptor number of an open file, when {@link #available}. */
  public static OptionalInt of(FileChannel ch) {
    return AVAILABLE ? Fds.number(ch) : OptionalInt.empty();
  }

  public static Stat fstat(int fd) throws IOException {
    Object a = call(FSTAT, fd);
    return new Stat((Integer) attribute(a, UID), (Integer) attribute(a, GID), (Integer) attribute(a, MODE));
  }

  /** Changes owner and group; -1 leaves one as it is. */
  public static void fchown(int fd, int uid, int gid) throws IOException {
    call(FCHOWN, fd, uid, gid);
  }

  public static void fchmod(int fd, int mode) throws IOException {
    call(FCHMOD, fd, mode);
  }

  /** Sets the access and modification times, in nanoseconds since the epoch. */
  public static void futimens(int fd, long accessNanos, long modifiedNanos) throws IOException {
    call(FUTIMENS, fd, accessNanos, modifiedNanos);
  }

  private static Object attribute(Object attributes, Method m) throws IOException {
    try {
      return m.invoke(attributes);
    } catch (ReflectiveOperationException e) {
      throw new IOException(m.getName() + ": " + e.getMessage(), e);
    }
  }

  private static Object call(Method m, Object... args) throws IOException {
    if (!AVAILABLE) {
      throw new UnsupportedOperationException("descriptor calls are not available in this JVM");
    }
    try {
      return m.invoke(null, args);
    } catch (InvocationTargetException e) {
      // sun.nio.fs.UnixException: its message is the system's error text
      Throwable cause = e.getCause();
      throw new IOException(m.getName() + ": " + (cause == null ? e : cause.getMessage()), cause);
    } catch (IllegalAccessException e) {
      throw new IOException(m.getName() + ": " + e.getMessage(), e);
    }
  }
}
