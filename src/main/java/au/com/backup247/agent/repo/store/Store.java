package au.com.backup247.agent.repo.store;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A destination: where a repository's objects live, addressed by relative paths such as
 * {@code blocks/2026-11-26-08-00-00/ab12….bak}. The repository format code depends only on this
 * interface. Retry, throttling, logging, read-only and fault injection are decorators
 * ({@link RetryingStore}, {@code bandwidth.ThrottledStore}, {@link LoggingStore}, {@link ReadOnlyStore},
 * {@code FaultyStore}, in the tests); every implementation passes the same contract test ({@code StoreContract}).
 *
 * <h2>Paths</h2>
 * An object path is relative and '/'-separated; no segment is empty, {@code .} or {@code ..}; it
 * has no backslash or control character, and no segment contains {@link #TEMP_MARKER}. So
 * {@code "../x"}, {@code "/abs"}, {@code "a//b"}, {@code "a/"} and {@code ""} are refused by every
 * operation with a permanent {@link StoreException} ({@link StorePaths#check}). Folders are implied
 * by paths and created as needed; a path must not also be the folder of another object (file
 * systems cannot hold both).
 *
 * <h2>Operations</h2>
 * <ul>
 *   <li><b>put</b> is atomic: a reader sees either no object (or the previous one) or the whole new
 *   object, never a partial one under its final name, even when the connection drops or the
 *   process dies mid-upload. Stores that keep files upload to a temporary name containing
 *   {@link #TEMP_MARKER} in the same folder and rename ({@link TempRename}); object stores make an
 *   object visible only when its upload is complete. Putting the same bytes to the same path
 *   again (content-addressed objects, a retry after a lost response) succeeds and changes nothing,
 *   also when several threads do it at once. Putting different bytes replaces the object (used
 *   for lock refreshes); when put returns, every later get sees the new bytes.</li>
 *   <li><b>get</b> returns the whole object; <b>get with a range</b> returns exactly
 *   {@code length} bytes from {@code offset}. A missing object throws
 *   {@link NoSuchObjectException}; a range that ends after the object, or a negative offset or
 *   length, throws a permanent {@link StoreException}.</li>
 *   <li><b>list</b> returns the objects whose path starts with {@code prefix} (a plain string
 *   prefix, so {@code "blocks/"} lists a folder recursively and {@code ""} lists everything),
 *   sorted by path, with their sizes. Temporary uploads (left by a crash or a dropped connection)
 *   are never listed. A prefix with no objects gives an empty list, not an error. <b>folders</b>
 *   gives the names of the folders directly in a folder (one listing of it, not a recursive
 *   one).</li>
 *   <li><b>stat</b> gives the object's path and size, or empty when there is no such object (a
 *   folder is not an object). <b>exists</b> is {@code stat(path).isPresent()}.</li>
 *   <li><b>delete</b> removes the object. Deleting a missing object succeeds silently, so a delete
 *   repeated after a lost response is harmless. Emptied folders may stay.</li>
 * </ul>
 *
 * <h2>Errors</h2>
 * Failures are {@link StoreException}s (a {@link au.com.backup247.agent.repo.error.RepoException}) whose
 * message names the store, the operation and the path, never a secret:
 * <ul>
 *   <li>{@link StoreException.Kind#PERMANENT}: no such object ({@link NoSuchObjectException}), no
 *   space or quota exceeded, permission denied, bad credentials, unknown or changed host key,
 *   invalid path or range, read-only destination. Retrying cannot help.</li>
 *   <li>{@link StoreException.Kind#TRANSIENT}: timeouts, connection refused, reset or dropped,
 *   server busy or 5xx. Repeating the operation may succeed.</li>
 * </ul>
 * Anything else thrown (a plain {@code RepoException}, a runtime exception) counts as permanent.
 *
 * <h2>Threads</h2>
 * Implementations are thread-safe: any operation may be called from several threads at once, and
 * puts of distinct objects may run in parallel. {@link #close()} ends the store; no operation may
 * be running or follow it.
 */
public interface Store extends AutoCloseable {

  /**
   * Marks temporary uploads: an object path segment never contains it, and a file whose name
   * contains it is never listed.
   */
  String TEMP_MARKER = ".tmp-";

  /** A name for messages, e.g. the folder or URL (never with secrets). */
  String name();

  /** Stores {@code data} under {@code path}, atomically; replaces an existing object. */
  void put(String path, byte[] data);

  /** Puts the first {@code length} bytes of {@code data}. */
  default void put(String path, byte[] data, int length) {
    put(path, length == data.length ? data : java.util.Arrays.copyOf(data, length));
  }

  /**
   * Puts exactly {@code length} bytes read from {@code data} (which is not closed). When reading
   * fails or the stream ends early, nothing becomes visible under {@code path} and a
   * {@link StoreException.Kind#TRANSIENT} error with the read failure as its cause is thrown. The
   * default reads everything into memory and calls {@link #put(String, byte[])}; destinations that
   * can stream override it.
   */
  default void put(String path, InputStream data, long length) {
    StorePaths.checkPut(this, path, length, Integer.MAX_VALUE - 8);
    put(path, UploadSource.readExactly(this, path, data, (int) length));
  }

  /** The whole object; {@link NoSuchObjectException} when it does not exist. */
  byte[] get(String path);

  /** {@code length} bytes starting at {@code offset}; fails when the object is shorter. */
  byte[] get(String path, long offset, int length);

  /** Objects whose path starts with {@code prefix}, sorted by path; temp files are not listed. */
  List<StoredObject> list(String prefix);

  /**
   * The names of the folders directly in {@code folder} ({@code ""}: the store's root; otherwise a
   * valid object path), sorted: each name is the next segment of an object path under
   * {@code folder + "/"}. Destinations that keep folders (local, SFTP, FTP) may also name empty
   * ones; a missing folder has none. Used to find the sets under a destination root
   * ({@code <destination>/<setId>/}) without listing every object. The default derives them from
   * {@link #list(String)}; destinations override it with one listing of that folder.
   */
  default List<String> folders(String folder) {
    String prefix = folder.isEmpty() ? "" : StorePaths.check(this, folder) + "/";
    TreeSet<String> names = new TreeSet<>();
    for (StoredObject o : list(prefix)) {
      int slash = o.path().indexOf('/', prefix.length());
      if (slash > 0) {
        names.add(o.path().substring(prefix.length(), slash));
      }
    }
    return List.copyOf(names);
  }

  /**
   * The object at {@code path}, or empty when there is none. The default looks it up with
   * {@link #list(String)}; destinations override it with a cheaper call.
   */
  default Optional<StoredObject> stat(String path) {
    StorePaths.check(this, path);
    for (StoredObject o : list(path)) {
      if (o.path().equals(path)) {
        return Optional.of(o);
      }
    }
    return Optional.empty();
  }

  /** True when an object exists at {@code path}: {@code stat(path).isPresent()}. */
  default boolean exists(String path) {
    return stat(path).isPresent();
  }

  /** Removes the object; a missing object is not an error. */
  void delete(String path);

  /**
   * Removes the temporary uploads (names containing {@link #TEMP_MARKER}) anywhere in the store
   * that were last modified before {@code before}, by the store's own clock: what uploads left
   * when a crash or a dropped connection interrupted them. Objects under their final names are
   * never touched, nor temporary uploads without a known modification time. Returns how many were
   * removed. On S3 these are the incomplete multipart uploads under the prefix, which are aborted.
   * The default removes nothing: for stores whose uploads leave no temporary objects (Azure's
   * uncommitted blocks expire by themselves).
   */
  default int removeTemporaryBefore(java.time.Instant before) {
    return 0;
  }

  @Override
  default void close() {
  }

  /** A listed object. */
  record StoredObject(String path, long size) {
  }
}
