package au.com.backup247.agent.repo.store;

import java.io.IOException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The put of the stores that keep objects as files (local folder, SFTP, FTP): the upload goes to a
 * temporary name in the object's folder and is renamed over the object's name once it is whole.
 *
 * <pre>
 *   folder/name.tmp-0123456789abcdef   1. write: created (folders made as needed), filled, synced where the server can
 *   folder/name                        2. replace: the upload renamed over the name
 *                                      failed? the upload is discarded while the connection still can
 * </pre>
 *
 * What every such store keeps to ({@code StoreContract} checks it for each, on real servers):
 * <ul>
 *   <li><b>Temporary name</b>: the object's name, {@link Store#TEMP_MARKER} and 16 random
 *   hexadecimal digits ({@link #tempName}), in the object's own folder, so the rename never crosses
 *   folders (atomic on every file system and server) and the name is never an object path: it is
 *   neither listed nor readable as an object. Concurrent puts of one path each write their own.</li>
 *   <li><b>An existing object</b> is replaced: by a rename that replaces it atomically where the
 *   server does that (POSIX {@code rename}, {@code posix-rename@openssh.com}, most FTP servers),
 *   else through {@link AsideRename}, so that the object is never missing. Readers see the old
 *   object or the new one; the same bytes put again change nothing visible; the last rename wins.</li>
 *   <li><b>Failure</b>: nothing becomes visible under the name, an object there stays as it was, and
 *   the temporary file is removed while the connection still works (always, for a local folder). When
 *   it cannot be (connection dropped, process killed), it stays, never listed, until
 *   {@link Store#removeTemporaryBefore} finds it older than the grace period ({@link #leftover}).
 *   A failing source is the transient error of {@link UploadSource.Failure}.</li>
 * </ul>
 */
public final class TempRename {
  private TempRename() {
  }

  /** A store's file operations for one put, on one connection. */
  public interface Files {
    /** Creates {@code tmp} with the object's bytes, making its folder as needed; synced where the server can. */
    void write(String tmp) throws IOException;

    /** Renames {@code tmp} to {@code target}, replacing an existing {@code target}. */
    void replace(String tmp, String target) throws IOException;

    /**
     * Removes {@code tmp} after a failed write or replace when the connection can still do it,
     * quietly: a temporary file left behind is never listed.
     */
    void discard(String tmp);
  }

  /** A new temporary name for an upload to the file {@code target}: {@code target.tmp-<16 hex digits>}. */
  public static String tempName(String target) {
    return target + Store.TEMP_MARKER + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
  }

  /** Puts the object at {@code target} (a store's own name for the file) as shown above. */
  public static void put(Files files, String target) throws IOException {
    String tmp = tempName(target);
    boolean done = false;
    try {
      files.write(tmp);
      files.replace(tmp, target);
      done = true;
    } finally {
      if (!done) {
        files.discard(tmp);
      }
    }
  }

  /** What {@link Store#removeTemporaryBefore} does with a file that an upload may have left. */
  public enum Leftover {
    /** An object, a temporary upload younger than the grace period, or one without a time. */
    KEEP,
    /** An object that an interrupted {@link AsideRename} left aside, its name free: rename it back. */
    PUT_BACK,
    /** A temporary upload older than the grace period: remove it. */
    REMOVE
  }

  /**
   * What to do with the file {@code name} of a folder whose files are {@code files}, last modified
   * at {@code modified} (null: unknown), when temporary uploads from before {@code before} go.
   */
  public static Leftover leftover(String name, Instant modified, Set<String> files, Instant before) {
    if (AsideRename.isAside(name) && !files.contains(AsideRename.targetOf(name))) {
      return Leftover.PUT_BACK;
    }
    if (StorePaths.isTemp(name) && modified != null && modified.isBefore(before)) {
      return Leftover.REMOVE;
    }
    return Leftover.KEEP;
  }
}
