package au.com.backup247.agent.fs;

import au.com.backup247.agent.repo.index.ExtendedAttribute;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Extended attributes through the JDK's {@link UserDefinedFileAttributeView}: on Linux the
 * {@code user.} namespace (the only one the JDK reaches; stored with the prefix), on macOS every
 * attribute, including {@code com.apple.ResourceFork} and {@code com.apple.FinderInfo}. Values
 * above {@link #MAX_VALUE} are not stored (Linux allows at most 64 KiB; a larger macOS resource
 * fork is left out with a warning). A file system without extended attributes simply has none.
 */
public final class Xattrs {
  /** The largest value stored, in bytes (Linux's own limit, XATTR_SIZE_MAX). */
  public static final int MAX_VALUE = 64 * 1024;
  private static final boolean LINUX = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
  private static final String USER = "user.";

  private Xattrs() {
  }

  /**
   * The attributes of {@code p}, by name ({@code followLinks} false: never through a symlink at the
   * last name; use true for a {@link Fds} path). What cannot be read goes to {@code problems}.
   */
  public static List<ExtendedAttribute> read(Path p, boolean followLinks, Consumer<String> problems) {
    UserDefinedFileAttributeView v = view(p, followLinks);
    if (v == null) {
      return List.of();
    }
    List<String> names;
    try {
      names = new ArrayList<>(v.list());
    } catch (IOException e) {
      if (!unsupported(e)) {
        problems.accept("the extended attributes of " + p + " cannot be read: " + reason(e));
      }
      return List.of();
    }
    names.sort(null);
    List<ExtendedAttribute> out = new ArrayList<>(names.size());
    for (String name : names) {
      String full = LINUX ? USER + name : name;
      try {
        int size = v.size(name);
        if (size > MAX_VALUE) {
          problems.accept("extended attribute " + full + " of " + p + " is " + size + " bytes, more than the "
              + MAX_VALUE + " stored; left out");
          continue;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        v.read(name, b);
        out.add(new ExtendedAttribute(full, java.util.Arrays.copyOf(b.array(), b.position())));
      } catch (IOException e) {
        problems.accept("extended attribute " + full + " of " + p + " cannot be read: " + reason(e) + "; left out");
      }
    }
    return out;
  }

  /** Sets the attributes on {@code p}; returns one line per attribute that could not be set. */
  public static List<String> write(Path p, boolean followLinks, List<ExtendedAttribute> attrs) {
    if (attrs.isEmpty()) {
      return List.of();
    }
    List<String> failed = new ArrayList<>();
    UserDefinedFileAttributeView v = view(p, followLinks);
    for (ExtendedAttribute a : attrs) {
      if (v == null) {
        failed.add(a.name() + ": this file system has no extended attributes");
      } else if (LINUX && !a.name().startsWith(USER)) {
        failed.add(a.name() + ": only user.* attributes can be set here");
      } else {
        try {
          v.write(LINUX ? a.name().substring(USER.length()) : a.name(), ByteBuffer.wrap(a.value()));
        } catch (IOException e) {
          failed.add(a.name() + ": " + reason(e));
        }
      }
    }
    return failed;
  }

  private static UserDefinedFileAttributeView view(Path p, boolean followLinks) {
    return followLinks ? Files.getFileAttributeView(p, UserDefinedFileAttributeView.class)
        : Files.getFileAttributeView(p, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
  }

  private static boolean unsupported(IOException e) {
    String m = e.getMessage();
    return m != null && (m.contains("Operation not supported") || m.contains("not supported"));
  }

  static String reason(IOException e) {
    String m = e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
        : e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m;
  }
}
