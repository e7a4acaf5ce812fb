package au.com.backup247.agent.repo.store;

import au.com.backup247.agent.repo.error.RepoException;


/**
 * A failure of a {@link Store} operation, classified by whether repeating the same operation later
 * can succeed. {@link RetryingStore} retries {@link Kind#TRANSIENT} failures only; everything else
 * (including a plain {@link RepoException} thrown by a store) is treated as permanent.
 *
 * <p>The message names the store (by its {@link Store#name()}, never with secrets), the operation
 * and the object path, and is meant for a person.
 */
public class StoreException extends RepoException {
  private static final long serialVersionUID = 1L;

  /** Whether a failed operation may succeed when repeated. */
  public enum Kind {
    /** Repeating can succeed: timeouts, connection reset or refused, server busy, 5xx. */
    TRANSIENT,
    /**
     * Repeating gives the same answer: not found, no space or quota, permission denied, bad
     * credentials, unknown or changed host key, invalid path or range, read-only destination.
     */
    PERMANENT
  }

  private final Kind kind;

  public StoreException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public StoreException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  /** A failure that may go away when the operation is repeated. */
  public static StoreException transientError(String message, Throwable cause) {
    return new StoreException(Kind.TRANSIENT, message, cause);
  }

  /** A failure that repeating the operation will not cure. */
  public static StoreException permanent(String message) {
    return new StoreException(Kind.PERMANENT, message);
  }

  /** A failure that repeating the operation will not cure. */
  public static StoreException permanent(String message, Throwable cause) {
    return new StoreException(Kind.PERMANENT, message, cause);
  }

  public Kind kind() {
    return kind;
  }

  public boolean isTransient() {
    return kind == Kind.TRANSIENT;
  }

  /** True only for a {@link StoreException} of kind {@link Kind#TRANSIENT}. */
  public static boolean isTransient(Throwable t) {
    return t instanceof StoreException e && e.isTransient();
  }

  /**
   * {@code "cannot OP PATH on STORE"} in words: a {@code stat} is "cannot check whether PATH exists
   * on STORE" (the first thing a repository is asked is whether its {@code config} file exists).
   */
  public static String cannot(String op, String path, String store) {
    return op.equals("stat") ? "cannot check whether " + path + " exists on " + store
        : "cannot " + op + " " + path + " on " + store;
  }
}
