package au.com.backup247.agent.repo.store;

import java.util.List;

/**
 * Where a repository's objects live, addressed by relative paths such as
 * {@code blocks/2026-11-26-08-00-00/ab12….bak}. The repository format code depends only on this.
 *
 * <p>Contract: {@link #put} is atomic (no partial object is ever visible under its final name) and
 * may be repeated with the same content; {@link #get} of a missing object throws
 * {@link NoSuchObjectException}; implementations are thread-safe.
 */
public interface Store extends AutoCloseable {

  /** A name for messages, e.g. the folder or URL (never with secrets). */
  String name();

  void put(String path, byte[] data);

  /** Puts the first {@code length} bytes of {@code data}. */
  default void put(String path, byte[] data, int length) {
    put(path, length == data.length ? data : java.util.Arrays.copyOf(data, length));
  }

  byte[] get(String path);

  /** {@code length} bytes starting at {@code offset}; fails when the object is shorter. */
  byte[] get(String path, long offset, int length);

  /** Objects whose path starts with {@code prefix}, sorted by path; temp files are not listed. */
  List<StoredObject> list(String prefix);

  boolean exists(String path);

  void delete(String path);

  @Override
  default void close() {
  }

  /** A listed object. */
  record StoredObject(String path, long size) {
  }
}
