package au.com.backup247.agent.repo.error;

/**
 * A failure while reading or writing a repository. The message names what failed (repository,
 * job, block, blob, file) and is meant for a person; it is printed without a stack trace.
 */
public class RepoException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RepoException(String message) {
    super(message);
  }

  public RepoException(String message, Throwable cause) {
    super(message, cause);
  }
}
