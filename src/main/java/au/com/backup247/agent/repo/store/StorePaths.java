package au.com.backup247.agent.repo.store;

import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Checks object paths and listing prefixes against the rules of the {@link Store} contract, so
 * that every destination refuses the same paths with the same (permanent) error.
 */
public final class StorePaths {
  private StorePaths() {
  }

  /**
   * Returns {@code path} when it is a valid object path: relative, '/'-separated, no empty,
   * {@code .} or {@code ..} segment, no backslash, NUL or other control character, and no segment
   * containing {@link Store#TEMP_MARKER}. Otherwise throws a permanent {@link StoreException}.
   */
  public static String check(Store store, String path) {
    if (!valid(path)) {
      throw StoreException.permanent("invalid object path \"" + printable(path) + "\" for " + store.name());
    }
    return path;
  }

  /**
   * Checks a put: {@code path} is a valid object path ({@link #check}) and {@code 0 <= length <= max}
   * (for a put of an array, its size); otherwise a permanent {@link StoreException}.
   */
  public static String checkPut(Store store, String path, long length, long max) {
    check(store, path);
    if (length < 0 || length > max) {
      throw StoreException.permanent("cannot put " + path + " on " + store.name() + ": invalid length " + length);
    }
    return path;
  }

  /**
   * Returns {@code prefix} when it is a valid listing prefix: empty, or a valid object path
   * optionally followed by one '/'.
   */
  public static String checkPrefix(Store store, String prefix) {
    if (prefix.isEmpty()) {
      return prefix;
    }
    String p = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    if (!valid(p)) {
      throw StoreException.permanent("invalid listing prefix \"" + printable(prefix) + "\" for " + store.name());
    }
    return prefix;
  }

  /** Checks a range request: {@code offset >= 0} and {@code length >= 0}. */
  public static void checkRange(Store store, String path, long offset, int length) {
    if (offset < 0 || length < 0) {
      throw StoreException.permanent("invalid range " + offset + "+" + length + " of " + path + " in " + store.name());
    }
  }

  /** The error for a range that ends after the object. */
  public static StoreException outOfRange(Store store, String path, long offset, int length, long size) {
    return StoreException.permanent(path + " in " + store.name() + " is shorter than expected (wanted " + length
        + " bytes at " + offset + ", object has " + size + ")");
  }

  /**
   * A configured key prefix made canonical: no leading '/', one trailing '/' unless empty ("" for
   * null). Throws {@link IllegalArgumentException} naming {@code what} (e.g. "S3 prefix") when the
   * rest is not a valid object path.
   */
  public static String keyPrefix(String prefix, String what) {
    prefix = prefix == null ? "" : prefix;
    while (prefix.startsWith("/")) {
      prefix = prefix.substring(1);
    }
    if (!prefix.isEmpty() && !prefix.endsWith("/")) {
      prefix = prefix + "/";
    }
    if (!prefix.isEmpty() && !valid(prefix.substring(0, prefix.length() - 1))) {
      throw new IllegalArgumentException(what + " \"" + prefix + "\" is not valid");
    }
    return prefix;
  }

  /**
   * A range read of {@code length} bytes at {@code offset} done by {@code fetch}, with the checks and
   * errors of the contract: a range of 0 bytes is answered from {@code stat} (no such object, or an
   * offset after its end); a {@link StoreException} whose cause {@code unsatisfiable} recognises (HTTP
   * 416) or fewer bytes than asked is {@link #outOfRange}.
   */
  public static byte[] getRange(Store store, String path, long offset, int length, Supplier<byte[]> fetch,
      Predicate<Throwable> unsatisfiable) {
    check(store, path);
    checkRange(store, path, offset, length);
    if (length == 0) {
      Store.StoredObject o = store.stat(path).orElseThrow(() -> new NoSuchObjectException("cannot get " + path + " on "
          + store.name() + ": no such object"));
      if (offset > o.size()) {
        throw outOfRange(store, path, offset, length, o.size());
      }
      return new byte[0];
    }
    byte[] out;
    try {
      out = fetch.get();
    } catch (StoreException e) {
      if (unsatisfiable.test(e.getCause())) {
        throw outOfRange(store, path, offset, length, store.stat(path).map(Store.StoredObject::size).orElse(-1L));
      }
      throw e;
    }
    if (out.length != length) {
      throw outOfRange(store, path, offset, length, store.stat(path).map(Store.StoredObject::size).orElse(-1L));
    }
    return out;
  }

  /**
   * The path of a listed object key in a store keeping its objects under {@code keyPrefix}: null
   * when the key is not under {@code keyPrefix + prefix} or is not a valid path.
   */
  public static String pathOfKey(String key, String keyPrefix, String prefix) {
    if (!key.startsWith(keyPrefix)) {
      return null;
    }
    String p = key.substring(keyPrefix.length());
    return p.startsWith(prefix) && valid(p) ? p : null;
  }

  /**
   * The folder name in a listing's common prefix {@code under + name + "/"}: null when it is not that
   * shape or the name is not one valid path segment.
   */
  public static String folderOfKey(String commonPrefix, String under) {
    if (!commonPrefix.startsWith(under) || !commonPrefix.endsWith("/") || commonPrefix.length() <= under.length()) {
      return null;
    }
    String n = commonPrefix.substring(under.length(), commonPrefix.length() - 1);
    return valid(n) && n.indexOf('/') < 0 ? n : null;
  }

  /** The folder part of a listing prefix ("" for the root): "a/b/c" → "a/b", "a/b/" → "a/b". */
  public static String folderOf(String prefix) {
    int slash = prefix.lastIndexOf('/');
    return slash < 0 ? "" : prefix.substring(0, slash);
  }

  /** True when {@code name} (one path segment) is a temporary upload, never a listed object. */
  public static boolean isTemp(String name) {
    return name.contains(Store.TEMP_MARKER);
  }

  public static boolean valid(String path) {
    if (path == null || path.isEmpty() || path.startsWith("/")) {
      return false;
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\\') {
        return false;
      }
    }
    for (String part : path.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..") || isTemp(part)) {
        return false;
      }
    }
    return true;
  }

  private static String printable(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && i < 200; i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return b.toString();
  }
}
