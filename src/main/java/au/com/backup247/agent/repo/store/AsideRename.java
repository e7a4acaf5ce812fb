package au.com.backup247.agent.repo.store;

import java.io.IOException;

/**
 * Replacing an object on a server whose rename refuses to overwrite (Apache FtpServer; SFTP
 * servers without {@code posix-rename@openssh.com} that follow SFTP version 3), without a moment
 * in which the object exists under no name. Deleting the old object and then renaming the upload
 * would leave nothing when the connection drops or the process dies in between — for a manifest,
 * the loss of a job whose blocks the next prune then removes.
 *
 * <pre>
 *   rename tmp → X            refused: X exists
 *   rename X → X.tmp-aside    the old object, under its aside name
 *   rename tmp → X            the new object
 *   delete X.tmp-aside
 * </pre>
 *
 * Interrupted between the two renames, the old object is under {@code X.tmp-aside} and X is
 * missing: reads of X fall back to the aside ({@link #asideOf}), listings show it as X, and the
 * next {@link Store#removeTemporaryBefore} renames it back. An aside next to an existing X is left
 * by an interruption after the second rename and is stale. The aside name contains
 * {@link Store#TEMP_MARKER}, so it is never an object path, and ends with {@code aside}, which no
 * temporary upload name (hexadecimal) does.
 */
public final class AsideRename {
  public static final String SUFFIX = Store.TEMP_MARKER + "aside";
  private static final int ATTEMPTS = 8;
  /** Refusals without a target (each after a pause but the first) before the refusal is final. */
  static final int MISSING_ATTEMPTS = 4;

  private AsideRename() {
  }

  /** The server's operations on remote paths; each failure reply is an exception. */
  public interface Server {
    /** Renames without overwriting; false when the server refused. */
    boolean rename(String from, String to) throws IOException;

    boolean exists(String path) throws IOException;

    /** Deletes; a missing file is no error. */
    void delete(String path) throws IOException;
  }

  private static void pause(int attempt) throws IOException {
    try {
      Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextInt(5, 20 * attempt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while replacing an object");
    }
  }

  /** The aside name of the remote file {@code target}. */
  public static String asideOf(String target) {
    return target + SUFFIX;
  }

  /** True for an aside's file name. */
  public static boolean isAside(String name) {
    return name.endsWith(SUFFIX) && name.length() > SUFFIX.length();
  }

  /** The file name an aside name stands for. */
  public static String targetOf(String asideName) {
    return asideName.substring(0, asideName.length() - SUFFIX.length());
  }

  /**
   * Renames {@code tmp} to {@code target}, replacing it as shown above when the server does not
   * rename over it. {@code refused} makes the exception for a rename the server refused for
   * another reason (the target is not there).
   */
  public static void replace(Server server, String tmp, String target, java.util.function.Supplier<IOException> refused)
      throws IOException {
    String aside = asideOf(target);
    int missing = 0;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      if (server.rename(tmp, target)) {
        return;
      }
      if (!server.exists(target)) {
        // refused with nothing in the way: concurrent replaces of the same path may be holding it
        // aside, one after the other, or the server refuses for another reason
        if (++missing >= MISSING_ATTEMPTS) {
          throw refused.get();
        }
        if (missing > 1) {
          pause(attempt);
        }
        continue;
      }
      if (!server.rename(target, aside)) {
        if (server.exists(aside)) {
          server.delete(aside); // stale: left by an interrupted replace, and the target exists
        }
        continue;
      }
      if (server.rename(tmp, target)) {
        server.delete(aside);
        return;
      }
      server.rename(aside, target); // a concurrent put won the gap: put the old one back and try again
      pause(attempt);
    }
    throw refused.get();
  }
}
