package au.com.backup247.agent.fs;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The descriptor of an open file or folder as a path, {@code /proc/self/fd/N} (Linux): the kernel
 * resolves it to the object itself, so {@code chmod}, {@code chown}, extended attributes and times
 * set through it (and {@code mkdir}, {@code symlink} through {@code /proc/self/fd/N/name}) act on
 * exactly what was opened, whatever happens to its path meanwhile — the {@code fchmod}/{@code
 * mkdirat} family the JDK does not offer. Valid only while the channel or stream stays open.
 *
 * <p>The descriptor number is private JDK state ({@code sun.nio.ch.FileChannelImpl.fd},
 * {@code java.io.FileDescriptor.fd}, {@code sun.nio.fs.UnixSecureDirectoryStream.dfd}), opened to
 * the agent by the {@code Add-Opens} entries of its jar's manifest (and {@code --add-opens} in the
 * tests). Without them, or without {@code /proc}, {@link #available} is false and callers use paths.
 */
public final class Fds {
  private static final Path PROC = Path.of("/proc/self/fd");
  private static final Field CHANNEL_FD = field("sun.nio.ch.FileChannelImpl", "fd");
  private static final Field FD = field("java.io.FileDescriptor", "fd");
  private static final Field DIR_FD = field("sun.nio.fs.UnixSecureDirectoryStream", "dfd");
  private static final boolean AVAILABLE = CHANNEL_FD != null && FD != null && DIR_FD != null
      && Files.isDirectory(PROC);

  private Fds() {
  }

  /** A private field of the JDK made accessible, or null (not this JDK's layout, or not opened to us). */
  static Field field(String cls, String name) {
    try {
      Field f = Class.forName(cls).getDeclaredField(name);
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** A private method of the JDK made accessible, or null (as {@link #field}). */
  static Method method(String cls, String name, Class<?>... params) {
    try {
      Method m = Class.forName(cls).getDeclaredMethod(name, params);
      m.setAccessible(true);
      return m;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** True when descriptors can be reached as paths here. */
  public static boolean available() {
    return AVAILABLE;
  }

  /** Why {@link #available} is false (for the one log line that says so). */
  public static String unavailableReason() {
    if (!Files.isDirectory(PROC)) {
      return "this system has no /proc/self/fd";
    }
    return "the JVM does not open java.base/sun.nio.ch, java.io and sun.nio.fs to the agent (run the agent's jar, "
        + "or add --add-opens for them)";
  }

  /** The path of an open file's descriptor, when available. */
  public static Optional<Path> of(FileChannel ch) {
    if (!AVAILABLE) {
      return Optional.empty();
    }
    OptionalInt n = number(ch);
    return n.isPresent() ? Optional.of(PROC.resolve(Integer.toString(n.getAsInt()))) : Optional.empty();
  }

  /** The descriptor number of an open file, when the JDK's private fields can be read (no /proc needed). */
  public static OptionalInt number(FileChannel ch) {
    if (CHANNEL_FD == null || FD == null || !CHANNEL_FD.getDeclaringClass().isInstance(ch)) {
      return OptionalInt.empty();
    }
    try {
      return OptionalInt.of(FD.getInt(CHANNEL_FD.get(ch)));
    } catch (IllegalAccessException e) {
      return OptionalInt.empty();
    }
  }

  /** The path of an open folder's descriptor, when available. */
  public static Optional<Path> of(SecureDirectoryStream<?> dir) {
    if (!AVAILABLE || !DIR_FD.getDeclaringClass().isInstance(dir)) {
      return Optional.empty();
    }
    try {
      return Optional.of(PROC.resolve(Integer.toString(DIR_FD.getInt(dir))));
    } catch (IllegalAccessException e) {
      return Optional.empty();
    }
  }
}
